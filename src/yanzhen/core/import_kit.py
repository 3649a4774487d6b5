"""What the registers of the one import flow (``core.importing``) share beyond the flow itself.

Most registers are a model written through a create and an update service that take the
record's fields as keyword arguments. :class:`ServiceRegister` is such a register: its item is
those keyword arguments (a dict), its names of units and universities are resolved once per
distinct name for the whole file (:class:`Lookups`), and a record is ``unchanged`` when every
field the item names equals the record's. A register then declares its fields, its natural
key, how the existing records bearing the file's keys are read, and its services.
"""

from __future__ import annotations

import abc
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

from django.db import models

from yanzhen.core import history
from yanzhen.core.errors import DomainError
from yanzhen.core.importing import Register
from yanzhen.core.models import Degree, Unit, User
from yanzhen.core.registry import Port
from yanzhen.core.resolvers import UnitResolver
from yanzhen.core.selectors import unit_qs
from yanzhen.engines.tabular import Choice, Record

Obj = TypeVar("Obj", bound=models.Model)
I = TypeVar("I")  # noqa: E741 (the item of a row, as in ``core.importing``)
Item = dict[str, Any]
# A university as the registers see it (``reference.models.University``, an app above core).
University = Any
SchoolMatch = tuple[int | None, str, str]  # (id or None, the problem, a note)


class UniversityLookup(Protocol):
    """The universities that cells name, matched at once: for each text its match, and the
    matched rows by id (``reference`` installs it: core imports no app above it)."""

    def __call__(
        self, texts: Iterable[str]
    ) -> tuple[dict[str, SchoolMatch], dict[int, University]]: ...


university_lookup: Port[UniversityLookup] = Port(
    "参考数据应用（yanzhen.reference）未启用：无法识别高校名称"
)


def plain(value: object) -> str:
    """A code as the office typed it, full-width digits and letters made plain, no spaces."""
    return unicodedata.normalize("NFKC", str(value or "")).replace(" ", "").strip()


def texts_of(records: Sequence[Record], keys: Iterable[str]) -> set[str]:
    """Every distinct non-blank text of these fields (lists: each of their parts)."""
    out: set[str] = set()
    for record in records:
        for key in keys:
            value = record.values.get(key)
            parts = value if isinstance(value, list) else [value]
            out.update(str(p).strip() for p in parts if p is not None and str(p).strip())
    return out


DEGREE_WORDS = {"bachelor": ("本科", "大学本科"), "associate": ("专科", "大专", "高职")}


def degree_choices() -> tuple[Choice, ...]:
    """The degrees (``core.models.Degree``) with the words office sheets use for them."""
    return tuple(Choice(v, str(lbl), DEGREE_WORDS.get(v, ())) for v, lbl in Degree.choices)


def invalid(errors: Mapping[str, str]) -> DomainError:
    return DomainError("invalid_row", next(iter(errors.values())), dict(errors))


@dataclass
class Lookups:
    """The names of one file resolved once: units among the user's scope (or the register's
    choice of units), universities through ``reference.matching``."""

    user: User
    units: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    unit_rows: dict[int, Unit] = field(default_factory=dict)
    universities: dict[str, SchoolMatch] = field(default_factory=dict)
    university_rows: dict[int, University] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    relations: dict[int, Any] = field(default_factory=dict)

    def unit(self, text: object, errors: dict[str, str], key: str) -> Unit | None:
        """The unit a cell names; its problem (unknown, ambiguous) as the field's error."""
        written = str(text or "").strip()
        if not written:
            return None
        pk, problem = self.units.get(written, (None, f"找不到单位“{written}”"))
        if pk is None:
            errors[key] = problem
            return None
        return self.unit_rows[pk]

    def university(
        self, text: object, errors: dict[str, str], key: str, notes: list[str]
    ) -> University | None:
        found = self.universities_of([str(text or "")], errors, key, notes)
        return found[0] if found else None

    def universities_of(
        self, texts: Iterable[object], errors: dict[str, str], key: str, notes: list[str]
    ) -> list[University]:
        """The universities the cell names (an uncertain name: an error naming candidates)."""
        found: list[University] = []
        problems: list[str] = []
        for text in texts:
            written = str(text or "").strip()
            if not written:
                continue
            pk, problem, note = self.universities.get(written, (None, "", ""))
            if pk is None:
                problems.append(problem or f"找不到高校“{written}”")
                continue
            if note:
                notes.append(note)
            university = self.university_rows[pk]
            if university not in found:
                found.append(university)
        if problems:
            errors[key] = "；".join(problems)
        return found


class ServiceRegister(Register[I, Obj]):
    """A register written through keyword-argument services (see the module's docstring)."""

    # The fields whose cells name units / universities (resolved in one batch per file).
    unit_fields: ClassVar[tuple[str, ...]] = ()
    university_fields: ClassVar[tuple[str, ...]] = ()
    # The item's keys compared with the record's attributes for ``unchanged``.
    compared: ClassVar[tuple[str, ...]] = ()

    def unit_choices(self, user: User) -> models.QuerySet[Unit]:
        """The units a cell of :attr:`unit_fields` may name."""
        return unit_qs(user)

    def lookups(self, ctx: Lookups, records: Sequence[Record]) -> None:
        """Anything else the rows need, read at once into ``ctx.extra``."""
        return None

    def prepare_fields(self) -> tuple[str, ...] | None:
        """The unit and university fields, unless the register reads more (``lookups``)."""
        mine = type(self)
        if (
            mine.prepare is not ServiceRegister.prepare
            or mine.lookups is not ServiceRegister.lookups
        ):
            return None
        return self.unit_fields + self.university_fields

    def prepare(self, *, user: User, records: Sequence[Record]) -> Lookups:
        ctx = Lookups(user=user)
        names = texts_of(records, self.unit_fields)
        if names:
            resolver = UnitResolver.among(self.unit_choices(user), names)
            ctx.units = {t: resolver.resolve(t) for t in names}
            ids = {pk for pk, _ in ctx.units.values() if pk is not None}
            ctx.unit_rows = Unit.objects.in_bulk(ids)
        schools = texts_of(records, self.university_fields)
        if schools:
            ctx.universities, ctx.university_rows = university_lookup()(schools)
        self.lookups(ctx, records)
        return ctx

    @abc.abstractmethod
    def keys_of(self, obj: Obj) -> Iterable[Hashable]:
        """Every natural key an existing record answers to."""

    @abc.abstractmethod
    def candidates(self, ctx: Lookups, items: Sequence[I]) -> Iterable[Obj]:
        """The records of the user's scope that may bear these items' keys (a query or two)."""

    def existing(self, context: Any, items: Sequence[I]) -> dict[Hashable, Obj]:
        found: dict[Hashable, Obj] = {}
        if not items:
            return found
        for obj in self.candidates(context, items):
            for key in self.keys_of(obj):
                found.setdefault(key, obj)
        return found

    def unchanged(self, context: Any, obj: Obj, item: I) -> bool:
        if isinstance(item, dict):
            wanted: dict[str, Any] = item
        else:
            wanted = {name: getattr(item, name) for name in self.compared}
        names = [n for n in self.compared if n in wanted] or list(wanted)
        return all(_same(getattr(obj, name), wanted.get(name)) for name in names)

    def revert(self, *, user: User, obj: Obj, history_id: int) -> None:
        """Back to the version it had: the model's reverter, else the update service with the
        version's values of the fields the register writes."""
        if history.reverter_of(type(obj)) is not None:
            super().revert(user=user, obj=obj, history_id=history_id)
            return
        version = obj.history.get(history_id=history_id).instance  # type: ignore[attr-defined]
        self.update(user=user, obj=obj, item=self.item_of(version))

    def item_of(self, version: Obj) -> I:
        """The item that writes ``version``'s values back (for undoing an update)."""
        return {name: getattr(version, name) for name in self.compared}  # type: ignore[return-value]


def _same(current: object, wanted: object) -> bool:
    if isinstance(current, str) and wanted is None:
        return current == ""
    return current == wanted
