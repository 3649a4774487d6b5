"""Names of organisations: normalisation, pinyin keys, and resolution of a written name.

Pure Python (pypinyin and rapidfuzz, no Django). A name is resolved by official code, exact
name, alias or abbreviation, and — only when asked — by full pinyin or a fuzzy match that
carries its confidence. Nothing ambiguous is ever guessed: the caller gets the candidates.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz, process


def normalize(text: str) -> str:
    """NFKC (full-width brackets and letters to half-width), no spaces, lower case."""
    folded = unicodedata.normalize("NFKC", text)
    return unicodedata.normalize("NFKC", "".join(folded.split()).lower())


def pinyin_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials of ``name``: ``("zhongbeidaxue", "zbdx")`` for 中北大学.

    Characters without pinyin (Latin letters, digits, brackets) are kept as they are in both
    keys, lower-cased, so ``中国矿业大学（北京）`` gives initials ``zgkydx(bj)``.
    """
    text = normalize(name)
    full = "".join(lazy_pinyin(text))
    initials = "".join(
        syllable[:1] if syllable.isascii() and syllable.isalpha() else syllable
        for syllable in lazy_pinyin(text, style=Style.FIRST_LETTER)
    )
    return full, initials


class Method(StrEnum):
    CODE = "code"
    NAME = "name"
    ALIAS = "alias"
    PINYIN = "pinyin"
    FUZZY = "fuzzy"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


@dataclass(frozen=True)
class NameEntry:
    key: str
    name: str
    code: str = ""
    aliases: tuple[str, ...] = ()
    pinyin: str = ""  # the name's full pinyin when stored; computed from the name otherwise


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one written name."""

    key: str | None
    method: Method
    confidence: float
    candidates: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.key is not None


@dataclass
class NameIndex:
    """Resolves written names to entry keys; build once, resolve many."""

    entries: dict[str, NameEntry] = field(default_factory=dict)
    by_code: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_alias: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_pinyin: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(cls, entries: Iterable[NameEntry]) -> NameIndex:
        index = cls()
        for entry in entries:
            index.add(entry)
        return index

    def add(self, entry: NameEntry) -> None:
        self.entries[entry.key] = entry
        if entry.code:
            self.by_code[entry.code.strip()] = entry.key
        self.by_name[normalize(entry.name)].add(entry.key)
        for alias in entry.aliases:
            self.by_alias[normalize(alias)].add(entry.key)
        self.by_pinyin[entry.pinyin or pinyin_keys(entry.name)[0]].add(entry.key)

    def resolve(
        self, text: str, *, allow_pinyin: bool = False, fuzzy_threshold: float | None = None
    ) -> Resolution:
        """Resolve ``text`` by code, name, alias; then pinyin and fuzzy only when enabled.

        A fuzzy match below ``fuzzy_threshold`` (0–100), or two candidates scoring the same,
        is returned unresolved with its candidates so that a person can decide.
        """
        raw = text.strip()
        if not raw:
            return Resolution(None, Method.NONE, 0.0)
        if raw in self.by_code:
            return Resolution(self.by_code[raw], Method.CODE, 1.0)
        key = normalize(raw)
        for method, table in ((Method.NAME, self.by_name), (Method.ALIAS, self.by_alias)):
            found = table.get(key)
            if found:
                return _one(found, method)
        if allow_pinyin:
            full = pinyin_keys(raw)[0]
            found = self.by_pinyin.get(full)
            if found and full.isascii():
                return _one(found, Method.PINYIN)
        if fuzzy_threshold is not None:
            return self._fuzzy(key, fuzzy_threshold)
        return Resolution(None, Method.NONE, 0.0)

    def _fuzzy(self, key: str, threshold: float) -> Resolution:
        choices: dict[str, str] = {}
        for name_key, keys in self.by_name.items():
            for k in keys:
                choices[f"{name_key}\x00{k}"] = name_key
        for alias_key, keys in self.by_alias.items():
            for k in keys:
                choices.setdefault(f"{alias_key}\x00{k}", alias_key)
        matches = process.extract(key, choices, scorer=fuzz.WRatio, limit=5)
        if not matches:
            return Resolution(None, Method.NONE, 0.0)
        best: dict[str, float] = {}
        for _, score, choice in matches:
            entry_key = choice.split("\x00", 1)[1]
            best[entry_key] = max(best.get(entry_key, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        top_key, top_score = ranked[0]
        candidates = tuple(k for k, _ in ranked)
        tied = len(ranked) > 1 and ranked[1][1] == top_score
        if top_score < threshold or tied:
            return Resolution(None, Method.AMBIGUOUS, top_score / 100, candidates)
        return Resolution(top_key, Method.FUZZY, top_score / 100, candidates)


def _one(found: set[str], method: Method) -> Resolution:
    if len(found) == 1:
        return Resolution(next(iter(found)), method, 1.0)
    return Resolution(None, Method.AMBIGUOUS, 1.0, tuple(sorted(found)))
