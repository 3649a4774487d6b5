"""University names written in imports: resolved with certainty, held for a person, or refused.

A written name is resolved by 学校标识码, exact name, alias or abbreviation, or full pinyin
(``engines.names.NameIndex``). Otherwise it is compared with every name and alias (rapidfuzz):
it is taken only when its plain similarity to one university reaches the threshold
(``settings.YANZHEN_NAME_MATCH_THRESHOLD``, default 90 of 100) and no other comes as close —
and even then the import preview says so, with the confidence. Below the threshold, or when two
universities share an alias (山大: 山东大学 and 山西大学), the row is *held* with its candidates
until a person picks one; a name like nothing we know is an error of the row. Nothing is
guessed silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from rapidfuzz import fuzz, process

from yanzhen.engines.names import Method, NameIndex, normalize
from yanzhen.reference.models import University
from yanzhen.reference.selectors import university_resolver

HOLD_FLOOR = 75.0  # below this (WRatio) a name is unknown rather than held
CANDIDATES = 5
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
        if self.status == "held":
            names = "、".join(f"{c.name}（{c.confidence:.0%}）" for c in self.candidates)
            return f"“{self.written}”无法确定是哪所高校，待人工确认：{names}"
        if self.status == "unknown":
            return f"无法识别高校“{self.written}”，请写全称、常用简称或学校标识码"
        return ""

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
        self.names: dict[int, str] = dict(University.objects.values_list("pk", "name"))
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
        return self._fuzzy(text)

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
