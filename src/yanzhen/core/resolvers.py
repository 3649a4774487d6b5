"""Resolution of written unit names (in forms and imports) and their unambiguous labels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from yanzhen.core.models import Unit
from yanzhen.engines.names import normalize


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
