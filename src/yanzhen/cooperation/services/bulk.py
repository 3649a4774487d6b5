"""An import's many new cooperations at once (``core.importing``'s ledger register): the
rules of :func:`cooperation_create` for every row, then bulk writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yanzhen.cooperation import tally
from yanzhen.cooperation.models import (
    Base,
    Cooperation,
    CooperationLink,
    CooperationParty,
    CooperationUniversity,
    StageEvent,
)
from yanzhen.cooperation.services import (
    _SCALAR_FIELDS,
    CooperationData,
    _check,
    _next_number,
    _related_of,
    cooperation_create,
)
from yanzhen.cooperation.services.figures import STAGE_FIELDS as _STAGE_FIELDS
from yanzhen.cooperation.services.figures import active_parties, stage_date
from yanzhen.core import integrity
from yanzhen.core.counties import code_prefix, needs_review
from yanzhen.core.errors import DomainError
from yanzhen.core.history import bulk_history, set_related
from yanzhen.core.import_writes import insert_objects, insert_rows
from yanzhen.core.models import Unit, User
from yanzhen.core.scope import scope_of
from yanzhen.core.services import unit_adjust_cooperation_count
from yanzhen.engines.ledger import sum_contributions

_RELATED_FIELDS = [
    "owner_unit",
    "base",
    "local_industry",
    "industry",
    "created_by",
    "updated_by",
    "deleted_by",
]


class CooperationBatch:
    """The new cooperations of one import, given chunk after chunk (:meth:`create`): each item
    is checked by the rules of :func:`cooperation_create` (the same ``_check``; duplicates and
    codes asked once per chunk, and remembered across chunks with the numbers already given,
    so that no query reads back what the import has written); those that pass are written
    with bulk writes — the cooperations, their history (with the parties and universities
    each version records), parties, universities, visibility links, first stage events, the
    tally, the parties' counts and the integrity tags — and the others are answered with their
    ``DomainError``, in the items' order.

    ``write=False`` (a preview): the same checks and answers, nothing written — every rule is
    checked before the writes, which cannot fail on a row the checks passed.

    A lower unit's import is its report: each row goes through :func:`cooperation_create`
    and waits for review like a row typed in (the office's own take effect at once; in a
    preview too, rolled back by the caller)."""

    def __init__(self, *, actor: User | None, write: bool = True) -> None:
        self.actor = actor
        self.write = write
        self.review = needs_review(actor)
        self.taken: set[tuple[int, str]] = set()  # (owner unit, title) of this import
        self.used_codes: set[str] = set()
        self.next_number: dict[str, int] = {}
        self.prefixes: dict[tuple[int, int], str] = {}  # (owner unit, year) → prefix

    def create(self, items: Sequence[CooperationData]) -> list[Cooperation | DomainError]:
        if self.review:
            return [_create_or_error(self.actor, data) for data in items]
        with transaction.atomic():
            answers, good = self._checked(items)
            if good and self.write:
                _write(self.actor, good)
        return answers

    def _code(self, data: CooperationData) -> str:
        if data.code:
            return data.code
        at = (data.owner_unit.pk, data.intention_date.year)
        if at not in self.prefixes:
            self.prefixes[at] = code_prefix(data.owner_unit, data.intention_date.year)
        prefix = self.prefixes[at]
        if prefix not in self.next_number:
            self.next_number[prefix] = _next_number(prefix)
        return f"{prefix}{self.next_number[prefix]:06d}"

    def _checked(
        self, items: Sequence[CooperationData]
    ) -> tuple[list[Cooperation | DomainError], list[tuple[Cooperation, CooperationData]]]:
        actor = self.actor
        owners = {i.owner_unit.pk for i in items}
        titles = {i.title.strip() for i in items}
        taken = self.taken | set(
            Cooperation.objects.filter(owner_unit_id__in=owners, title__in=titles).values_list(
                "owner_unit_id", "title"
            )
        )
        codes = {i.code for i in items if i.code} - self.used_codes
        used_codes = self.used_codes | set(
            Cooperation.all_objects.filter(code__in=codes).values_list("code", flat=True)
        )
        inside = _scope_test(actor, items)
        answers: list[Cooperation | DomainError] = []
        good: list[tuple[Cooperation, CooperationData]] = []
        for data in items:
            key = (data.owner_unit.pk, data.title.strip())
            try:
                _check(actor, data, instance=None, duplicate=key in taken, inside=inside)
                if data.code and data.code in used_codes:
                    raise DomainError(
                        "duplicate",
                        _("合作编号“%(code)s”已存在") % {"code": data.code},
                        {"code": _("编号已存在")},
                    )
                code = self._code(data)
                cooperation = Cooperation(
                    code=code,
                    created_by=actor,
                    updated_by=actor,
                    **{name: getattr(data, name) for name in _SCALAR_FIELDS + _STAGE_FIELDS},
                )
                cooperation.title = cooperation.title.strip()
                # Uniqueness was asked for all items at once above; the related rows are the
                # objects the caller resolved (no query each to ask whether they exist).
                cooperation.full_clean(
                    exclude=_RELATED_FIELDS, validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                fields = {k: "；".join(str(m) for m in v) for k, v in error.message_dict.items()}
                answers.append(DomainError("invalid", next(iter(fields.values())), fields))
                continue
            except DomainError as error:
                answers.append(error)
                continue
            if not data.code:
                self.next_number[code[:-6]] += 1
            taken.add(key)
            self.taken.add(key)
            used_codes.add(code)
            self.used_codes.add(code)
            good.append((cooperation, data))
            answers.append(cooperation)
        return answers, good


@transaction.atomic
def cooperation_create_many(
    *, actor: User | None, items: Sequence[CooperationData]
) -> list[Cooperation | DomainError]:
    """Create many cooperations at once (see :class:`CooperationBatch`, here one chunk)."""
    return CooperationBatch(actor=actor).create(items)


def _write(actor: User | None, good: Sequence[tuple[Cooperation, CooperationData]]) -> None:
    """The bulk writes of checked new cooperations (their keys set on them)."""
    made = [c for c, _d in good]
    insert_objects(Cooperation, made)
    keys = dict(
        Cooperation.all_objects.filter(code__in=[c.code for c in made]).values_list("code", "pk")
    )
    for cooperation in made:
        cooperation.pk = keys[cooperation.code]
    for cooperation, (_c, data) in zip(made, good, strict=True):
        set_related(cooperation, _related_of(data))
    related = {c.pk: _related_of(d) for c, (_c, d) in zip(made, good, strict=True)}
    bulk_history(Cooperation, made, actor=actor, related=related)
    leads = dict(Base.objects.values_list("pk", "lead_department_id"))
    parties: list[tuple[int, int]] = []
    universities: list[tuple[int, int]] = []
    links: list[tuple[int, int]] = []
    events: list[tuple[object, ...]] = []
    counts: dict[int, int] = {}
    actor_id = actor.pk if actor is not None else None
    for cooperation, (_c, data) in zip(made, good, strict=True):
        pk = cooperation.pk
        party_ids = sorted({u.pk for u in data.parties})
        parties += [(pk, u) for u in party_ids]
        universities += [(pk, u) for u in sorted({u.pk for u in data.universities})]
        wanted = {cooperation.owner_unit_id, *party_ids}
        if cooperation.base_id is not None:
            wanted.add(leads[cooperation.base_id])
        links += [(pk, u) for u in sorted(wanted)]
        events.append((pk, cooperation.stage, stage_date(cooperation)))
        for unit in active_parties(cooperation, set(party_ids)):
            counts[unit] = counts.get(unit, 0) + 1
    insert_rows(CooperationParty, ["cooperation_id", "unit_id"], parties)
    insert_rows(CooperationUniversity, ["cooperation_id", "university_id"], universities)
    insert_rows(CooperationLink, ["cooperation_id", "unit_id"], links)
    insert_rows(
        StageEvent,
        ["cooperation_id", "to_stage", "date"],
        events,
        same={"from_stage": "", "reason": "新建登记", "created_by_id": actor_id},
    )
    # The new rows' contributions summed column by column in one go (never a zero row: each
    # counts one cooperation), not each row's contributions one after the other.
    facts = tally.facts_for([c.pk for c in made])
    tally.apply_delta(sum_contributions(facts.values()))
    by_count: dict[int, list[int]] = {}
    for unit, count in counts.items():
        by_count.setdefault(count, []).append(unit)
    for count, units in by_count.items():
        unit_adjust_cooperation_count(units, count)
    integrity.seal_new(*made)


def _scope_test(actor: User | None, items: Sequence[CooperationData]) -> Callable[[Unit], bool]:
    """Whether a unit of these items is in the actor's scope: asked once for all of them."""
    scope = scope_of(actor) if actor is not None else None
    if scope is None or scope.everything:
        return lambda unit: True
    ids = {d.owner_unit.pk for d in items} | {u.pk for d in items for u in d.parties}
    known = set(scope.units().filter(pk__in=ids).values_list("pk", flat=True))
    return lambda unit: unit is not None and unit.pk in known


def _create_or_error(actor: User | None, data: CooperationData) -> Cooperation | DomainError:
    try:
        with transaction.atomic():
            return cooperation_create(actor=actor, data=data)
    except DomainError as error:
        return error
