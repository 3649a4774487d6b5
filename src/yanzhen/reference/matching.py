"""University names written in imports: resolved with certainty, held for a person, or refused.

Every import that names universities uses this matcher (demand: needs and experts; the
cooperation ledger; talent placement). A written name is resolved by 学校标识码, exact name,
alias or abbreviation, or full pinyin (``engines.names.NameIndex``), or by its pinyin initials
(``xajtdx`` → 西安交通大学) when only one university has them. Otherwise it is compared with
every name and alias (rapidfuzz): it is taken only when its plain similarity to one university
reaches the threshold (``settings.YANZHEN_NAME_MATCH_THRESHOLD``, default 90 of 100) and no
other comes as close — and even then the import preview says so, with the confidence. Below the
threshold, or when two universities share an alias (山大: 山东大学 and 山西大学) or initials, the
row is *held* with its candidates until a person picks one; a name like nothing we know is an
error of the row. Nothing is guessed silently.

Imports that keep no held rows (the all-or-nothing ledger and placement imports) refuse a held
name with ``UniversityMatch.problem``, which names the candidates and their confidence so that a
person confirms by correcting the file, and show ``UniversityMatch.note`` in the preview for a
name that was resolved but not written exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from rapidfuzz import fuzz, process

from yanzhen.core.excel import ImportReport
from yanzhen.engines.names import Method, NameIndex, normalize, pinyin_keys
from yanzhen.reference.models import University
from yanzhen.reference.selectors import university_resolver

HOLD_FLOOR = 75.0  # below this (WRatio) a name is unknown rather than held
CANDIDATES = 5
NAMED = 3  # candidates named in the error of an all-or-nothing import
CLOSE = 0.1  # … those within this much of the best one
INITIALS = "initials"  # method of a name resolved by its pinyin initials
Status = Literal["resolved", "held", "unknown"]


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    confidence: float  # 0–1

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "confidence": self.confidence}


@dataclass(frozen=True)
class UniversityMatch:
    written: str
    status: Status
    university_id: int | None = None
    name: str = ""
    method: str = ""
    confidence: float = 0.0
    candidates: tuple[Candidate, ...] = ()

    @property
    def note(self) -> str:
        """What the preview says about a name that was not written exactly."""
        if self.status == "resolved" and self.method == Method.FUZZY:
            return f"“{self.written}”按相似度识别为{self.name}（置信度 {self.confidence:.0%}）"
        if self.status == "resolved" and self.method == Method.PINYIN:
            return f"“{self.written}”按拼音识别为{self.name}"
        if self.status == "resolved" and self.method == INITIALS:
            return f"“{self.written}”按拼音首字母识别为{self.name}"
        if self.status == "held":
            names = "、".join(f"{c.name}（{c.confidence:.0%}）" for c in self.candidates)
            return f"“{self.written}”无法确定是哪所高校，待人工确认：{names}"
        if self.status == "unknown":
            return f"无法识别高校“{self.written}”，请写全称、常用简称或学校标识码"
        return ""

    @property
    def problem(self) -> str:
        """Why an import without held rows refuses the name ("" when it is resolved).

        A name shared by several universities (an alias, pinyin initials) lists them; a name
        only similar to ours asks whether it is the closest ones, with their confidence."""
        if self.status == "resolved":
            return ""
        if self.status == "unknown" or not self.candidates:
            return f"无法识别高校“{self.written}”，请写全称、常用简称或学校标识码"
        if self.method != Method.FUZZY:
            names = "、".join(sorted(c.name for c in self.candidates))
            return f"“{self.written}”可能是{names}，请写全称"
        top = self.candidates[0].confidence
        close = [c for c in self.candidates if c.confidence >= top - CLOSE][:NAMED]
        options = "、".join(f"“{c.name}”（置信度 {c.confidence:.0%}）" for c in close)
        return f"“{self.written}”未能确认：是否为{options}？请改用全称或学校标识码"

    def pending(self) -> dict[str, object]:
        """The JSON kept with a held row."""
        return {"written": self.written, "candidates": [c.as_dict() for c in self.candidates]}


def threshold() -> float:
    return float(getattr(settings, "YANZHEN_NAME_MATCH_THRESHOLD", 90))


class UniversityMatcher:
    """Resolves written university names against the whole university list (3 queries)."""

    def __init__(self, *, accept: float | None = None) -> None:
        self.index: NameIndex = university_resolver()
        self.accept = threshold() if accept is None else accept
        self.names: dict[int, str] = {}
        self.initials: dict[str, list[int]] = defaultdict(list)
        for pk, name, initials in University.objects.values_list("pk", "name", "initials"):
            self.names[pk] = name
            self.initials[normalize(initials or pinyin_keys(name)[1])].append(pk)
        self._choices: dict[str, str] | None = None
        self._cache: dict[str, UniversityMatch] = {}

    def match(self, written: str) -> UniversityMatch:
        text = written.strip()
        if text not in self._cache:
            self._cache[text] = self._match(text)
        return self._cache[text]

    def _match(self, text: str) -> UniversityMatch:
        if not text:
            return UniversityMatch(text, "unknown")
        found = self.index.resolve(text, allow_pinyin=True)
        if found.key is not None:
            pk = int(found.key)
            return UniversityMatch(text, "resolved", pk, self.names[pk], found.method, 1.0)
        if found.method == Method.AMBIGUOUS:
            key = normalize(text)
            candidates = tuple(
                sorted(
                    (
                        Candidate(int(k), self.names[int(k)], _similarity(key, self.names[int(k)]))
                        for k in found.candidates
                    ),
                    key=lambda c: (-c.confidence, c.name),
                )
            )
            return UniversityMatch(text, "held", method=Method.AMBIGUOUS, candidates=candidates)
        return self._by_initials(text) or self._fuzzy(text)

    def _by_initials(self, text: str) -> UniversityMatch | None:
        """``xajtdx`` → 西安交通大学 when only one university has these initials; held with
        every university that has them otherwise; None when the text is not initials."""
        key = normalize(text)
        letters = key.replace("(", "").replace(")", "")
        if not (key.isascii() and letters.isalnum()) or letters.isdigit():
            return None
        found = sorted(self.initials.get(key, ()), key=lambda pk: self.names[pk])
        if len(found) == 1:
            pk = found[0]
            return UniversityMatch(text, "resolved", pk, self.names[pk], INITIALS, 1.0)
        if found:
            candidates = tuple(Candidate(pk, self.names[pk], 1.0) for pk in found)
            return UniversityMatch(text, "held", method=INITIALS, candidates=candidates)
        return None

    def _fuzzy(self, text: str) -> UniversityMatch:
        key = normalize(text)
        if self._choices is None:
            self._choices = {}
            for table in (self.index.by_name, self.index.by_alias):
                for name_key, keys in table.items():
                    for k in keys:
                        self._choices.setdefault(f"{name_key}\x00{k}", name_key)
        matches = process.extract(key, self._choices, scorer=fuzz.WRatio, limit=CANDIDATES * 3)
        best: dict[int, tuple[float, float]] = {}  # university → (WRatio, plain similarity)
        for choice_key, score, choice in matches:
            pk = int(choice.split("\x00", 1)[1])
            plain = fuzz.ratio(key, choice_key)
            old = best.get(pk, (0.0, 0.0))
            best[pk] = (max(old[0], float(score)), max(old[1], float(plain)))
        if not best or max(w for w, _ in best.values()) < HOLD_FLOOR:
            return UniversityMatch(text, "unknown", method=Method.NONE)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][1], -kv[1][0], self.names[kv[0]]))
        candidates = tuple(
            Candidate(pk, self.names[pk], round(plain / 100, 4)) for pk, (_, plain) in ranked
        )[:CANDIDATES]
        top = candidates[0]
        tied = len(candidates) > 1 and candidates[1].confidence >= top.confidence
        if top.confidence * 100 >= self.accept and not tied:
            return UniversityMatch(
                text, "resolved", top.id, top.name, Method.FUZZY, top.confidence, candidates
            )
        return UniversityMatch(
            text, "held", method=Method.FUZZY, confidence=top.confidence, candidates=candidates
        )


def _similarity(key: str, name: str) -> float:
    return round(fuzz.ratio(key, normalize(name)) / 100, 4)


@dataclass
class NamedImport(ImportReport):
    """The report of an all-or-nothing import, with what its preview says about the university
    names that were resolved but not written exactly: ``(row, note)``."""

    notes: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def of(cls, report: ImportReport, notes: list[tuple[int, str]]) -> NamedImport:
        return cls(**vars(report), notes=sorted(set(notes)) if report.ok else [])


def match_universities(
    texts: Iterable[str],
) -> tuple[dict[str, tuple[int | None, str, str]], dict[int, University]]:
    """The import registers' lookup (installed as ``core.import_kit.university_lookup``): each
    written name's match as (id or None, the problem, a note), and the matched rows by id."""
    matcher = UniversityMatcher()
    found: dict[str, tuple[int | None, str, str]] = {}
    for text in texts:
        match = matcher.match(text)
        found[text] = (match.university_id, match.problem, match.note)
    ids = {pk for pk, _, _ in found.values() if pk is not None}
    return found, University.objects.in_bulk(ids)
