"""Resolution of written unit names (in forms and imports) and their unambiguous labels."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace

from yanzhen.core.models import Unit
from yanzhen.engines.names import normalize

# Runs of Chinese characters, which ``normalize`` leaves as they are; and the spaces it drops.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_SPACES = (" ", "\u3000", "\u00a0")


@dataclass
class UnitResolver:
    """Finds units by exact name, by ``上级单位/名称`` or by code, among a set of units.

    A name two units share is never guessed: the message asks for the parent's name too.
    """

    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_path: dict[str, int] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, units: QuerySet[Unit]) -> UnitResolver:
        resolver = cls()
        rows = list(units.values_list("pk", "name", "code", "parent__name"))
        for pk, name, code, parent_name in rows:
            resolver.by_name[normalize(name)].append(pk)
            if parent_name:
                resolver.by_path[normalize(f"{parent_name}/{name}")] = pk
            if code:
                resolver.by_code[code] = pk
        for pk, name, _code, parent_name in rows:
            unique = len(resolver.by_name[normalize(name)]) == 1
            resolver.labels[pk] = name if unique or not parent_name else f"{parent_name}/{name}"
        return resolver

    @classmethod
    def among(cls, units: QuerySet[Unit], texts: Iterable[str]) -> UnitResolver:
        """A resolver for ``texts`` alone, which reads only the units that can bear these
        names or codes: a form names a few units, while its user's scope may hold 280,000.

        A unit can bear a name only if its name, spaces left out, contains the longest run of
        Chinese characters of that name (of its last part, for ``上级单位/名称``), since
        ``normalize`` changes no Chinese character; so the answers are those of
        :meth:`of` over all ``units``. A name without Chinese characters is looked for among
        all of them."""
        texts = [t.strip() for t in texts if t.strip()]
        condition = Q(code__in=texts)
        for text in texts:
            runs = _HAN.findall(normalize(text).rsplit("/", 1)[-1])
            if not runs:
                return cls.of(units)
            condition |= Q(bare_name__contains=max(runs, key=len))
        bare: F | Replace = F("name")
        for space in _SPACES:
            bare = Replace(bare, Value(space), Value(""))
        return cls.of(units.annotate(bare_name=bare).filter(condition))

    def resolve(self, text: str) -> tuple[int | None, str]:
        """``(unit id, "")`` or ``(None, reason)``."""
        raw = text.strip()
        if raw in self.by_code:
            return self.by_code[raw], ""
        key = normalize(raw)
        if key in self.by_path:
            return self.by_path[key], ""
        found = self.by_name.get(key, [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, f"有{len(found)}个单位名为“{raw}”，请写成“上级单位/{raw}”"
        return None, f"找不到单位“{raw}”（或不在您的数据范围内）"

    def resolve_all(self, texts: Iterable[str]) -> tuple[list[int], list[str]]:
        ids: list[int] = []
        problems: list[str] = []
        for text in texts:
            pk, problem = self.resolve(text)
            if pk is None:
                problems.append(problem)
            elif pk not in ids:
                ids.append(pk)
        return ids, problems

    def label(self, pk: int) -> str:
        return self.labels.get(pk, "")
