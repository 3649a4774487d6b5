"""Writes of units, people and users."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from yanzhen.core.crypto import keyed_hash
from yanzhen.core.errors import DomainError
from yanzhen.core.history import register_reverter
from yanzhen.core.models import (
    DuplicateStatus,
    Person,
    PersonDuplicate,
    Role,
    RoleKind,
    Unit,
    UnitClosure,
    User,
    check_version,
)
from yanzhen.core.notify import PERSON_DUPLICATE, notifier
from yanzhen.core.scope import scope_of
from yanzhen.engines import idcard
from yanzhen.engines.names import pinyin_keys


def _unique(qs: models.QuerySet[Any], instance: models.Model, field: str, message: str) -> None:
    if qs.exclude(pk=instance.pk).exists():
        raise DomainError("duplicate", message, {field: message})


def validate(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """``full_clean`` with Django's messages turned into a ``DomainError`` naming the fields."""
    try:
        instance.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as error:
        fields = {
            name: "；".join(str(m) for m in messages)
            for name, messages in error.message_dict.items()
        }
        first = next(iter(fields.values()), "数据不正确")
        raise DomainError("invalid", first, fields) from error


def require_unit_in_scope(actor: User, unit: Unit | None, *, field: str, label: str) -> None:
    """Refuse a unit the actor cannot see: one cannot file records for someone else's unit."""
    if unit is not None and not scope_of(actor).contains_unit(unit):
        raise DomainError(
            "out_of_scope", f"{label}不在您的数据范围内", {field: "不在您的数据范围内"}
        )


# Units ---------------------------------------------------------------------------------------
#
# The unit tree decides every data scope (本单位及以下), so where a unit hangs is guarded
# (issue 11, item 7): a unit's parent changes only within the actor's scope (the old and the
# new parent both in it) and never for the actor's own unit; a unit without a parent (a new
# top of the tree) is set up only by the security administrator. ``actor=None`` is the
# system (loaders, commands).


def is_security_admin(actor: User) -> bool:
    return Role.objects.filter(users=actor, is_active=True, kind=RoleKind.SECURITY_ADMIN).exists()


def _require_top_level_right(actor: User) -> None:
    if not is_security_admin(actor):
        raise DomainError(
            "top_level",
            "只有安全管理员可以设立顶层单位，请选择上级单位",
            {"parent": "请选择上级单位（顶层单位由安全管理员设立）"},
            status=403,
        )


def _check_move(actor: User, unit: Unit, parent: Unit | None) -> None:
    """``unit`` (in the actor's scope) is to hang under ``parent`` instead of its parent."""
    if unit.pk == actor.unit_id:
        raise DomainError(
            "own_unit",
            "不能变更本单位的上级单位",
            {"parent": "不能变更本单位的上级单位"},
            status=403,
        )
    if parent is None:
        _require_top_level_right(actor)
    old = Unit.objects.filter(pk=unit.parent_id).first() if unit.parent_id else None
    scope = scope_of(actor)
    if (old is None and not scope.everything) or (old is not None and not scope.contains_unit(old)):
        raise DomainError(
            "out_of_scope",
            "该单位的原上级单位不在您的数据范围内，不能调整其上级单位",
            {"parent": "原上级单位不在您的数据范围内"},
            status=403,
        )


UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "code",
    "university",
    "local_industry",
    "industry",
    "is_leading",
    "address",
    "sort_order",
    "is_active",
)


@transaction.atomic
def unit_create(*, actor: User | None, parent: Unit | None, **fields: Any) -> Unit:
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    if actor is not None:
        require_unit_in_scope(actor, parent, field="parent", label="上级单位")
        if parent is None:
            _require_top_level_right(actor)
    unit = Unit(parent=parent, created_by=actor, updated_by=actor, **fields)
    unit.initials = pinyin_keys(unit.name)[1][:100]
    unit._history_user = actor  # type: ignore[attr-defined]
    _check_unit(unit)
    unit.save()
    _closure_add(unit)
    return unit


def _check_unit(unit: Unit) -> None:
    _unique(
        Unit.objects.filter(parent=unit.parent, name=unit.name),
        unit,
        "name",
        f"“{unit.parent.name if unit.parent else '顶层'}”下已有名为“{unit.name}”的单位",
    )
    if unit.code:
        _unique(Unit.objects.filter(code=unit.code), unit, "code", f"单位代码“{unit.code}”已被使用")
    validate(unit)


def _closure_add(unit: Unit) -> None:
    rows = [UnitClosure(ancestor_id=unit.pk, descendant_id=unit.pk, depth=0)]
    if unit.parent_id is not None:
        rows += [
            UnitClosure(ancestor_id=a, descendant_id=unit.pk, depth=d + 1)
            for a, d in UnitClosure.objects.filter(descendant_id=unit.parent_id).values_list(
                "ancestor_id", "depth"
            )
        ]
    UnitClosure.objects.bulk_create(rows)


@transaction.atomic
def unit_update(
    *,
    actor: User | None,
    unit: Unit,
    parent: Unit | None,
    reason: str = "",
    expected_version: int | None = None,
    **fields: Any,
) -> Unit:
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    if actor is not None:
        require_unit_in_scope(actor, parent, field="parent", label="上级单位")
    check_version(unit, expected_version)
    moved = parent != unit.parent
    if actor is not None and moved:
        _check_move(actor, unit, parent)
    if (
        moved
        and parent is not None
        and UnitClosure.objects.filter(ancestor=unit, descendant=parent).exists()
    ):
        raise DomainError(
            "cycle", "上级单位不能是本单位或其下级单位", {"parent": "不能选择本单位或其下级"}
        )
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.parent = parent
    unit.updated_by = actor
    unit.initials = pinyin_keys(unit.name)[1][:100]
    unit._history_user = actor  # type: ignore[attr-defined]
    unit._change_reason = reason  # type: ignore[attr-defined]
    _check_unit(unit)
    unit.save()
    if moved:
        _closure_move(unit)
    return unit


def _closure_move(unit: Unit) -> None:
    subtree = list(UnitClosure.objects.filter(ancestor=unit).values_list("descendant_id", "depth"))
    subtree_ids = [d for d, _ in subtree]
    UnitClosure.objects.filter(descendant_id__in=subtree_ids).exclude(
        ancestor_id__in=subtree_ids
    ).delete()
    if unit.parent_id is None:
        return
    ancestors = list(
        UnitClosure.objects.filter(descendant_id=unit.parent_id).values_list("ancestor_id", "depth")
    )
    UnitClosure.objects.bulk_create(
        UnitClosure(ancestor_id=a, descendant_id=d, depth=ad + dd + 1)
        for a, ad in ancestors
        for d, dd in subtree
    )


def closure_rebuild() -> int:
    """Recompute the whole closure table from the parent links (after bulk loads)."""
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    rows = []
    for unit_id in parents:
        depth, current = 0, unit_id
        seen = set()
        while current is not None:
            if current in seen:
                raise DomainError("cycle", f"单位树存在循环（单位 {unit_id}）")
            seen.add(current)
            rows.append(UnitClosure(ancestor_id=current, descendant_id=unit_id, depth=depth))
            current = parents[current]
            depth += 1
    with transaction.atomic():
        UnitClosure.objects.all().delete()
        UnitClosure.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def unit_adjust_cooperation_count(unit_ids: Iterable[int], delta: int) -> None:
    ids = list(unit_ids)
    if ids and delta:
        Unit.objects.filter(pk__in=ids).update(cooperation_count=F("cooperation_count") + delta)


# People --------------------------------------------------------------------------------------

PERSON_FIELDS = (
    "name",
    "gender",
    "id_number",
    "mobile",
    "degree",
    "discipline",
    "unit",
    "title",
    "position",
)


@transaction.atomic
def person_create(*, actor: User | None, **fields: Any) -> Person:
    """A new person. An ID number already registered outside the actor's data scope is taken
    as for a new number (nothing tells the actor of the other record): the new person is kept
    apart from it and the office is asked to resolve the pair (:func:`person_duplicate_resolve`)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if actor is not None:
        require_unit_in_scope(actor, fields.get("unit"), field="unit", label="所在单位")
    person = Person(created_by=actor, updated_by=actor, **fields)
    person._history_user = actor  # type: ignore[attr-defined]
    check = _check_person(person, actor)
    person.save()
    _after_check(person, check, actor)
    return person


DUPLICATE_MESSAGE = "该身份证号已登记在其他人员名下"


@dataclass(frozen=True)
class _NumberCheck:
    """What saving the person does to the ID number: nothing new (``changed`` False), or a
    new number — unique, or held only outside the actor's scope by ``existing``."""

    changed: bool
    existing: Person | None = None


def _check_person(person: Person, actor: User | None) -> _NumberCheck:
    """Validate ``person``. A new (or changed) ID number held by a record the actor can see
    is refused, naming the field; held only outside the actor's scope, it is taken as new:
    ``person`` is kept apart (``id_duplicate``) and the record registered before returned."""
    person.id_number = idcard.normalize_id_number(person.id_number or "")
    person.mobile = (person.mobile or "").strip()
    validate(person)
    digest = keyed_hash(person.id_number)
    if not person._state.adding and digest == person.id_number_hash:
        return _NumberCheck(changed=False)  # the number is the one already stored
    others = (
        Person.objects.filter(id_number_hash=digest).exclude(pk=person.pk)
        if person.id_number
        else Person.objects.none()
    )
    if not others.exists():
        person.id_duplicate = False
        return _NumberCheck(changed=not person._state.adding)  # no pair to close if new
    if actor is None or others.filter(scope_of(actor).q("unit")).exists():
        raise DomainError("duplicate", DUPLICATE_MESSAGE, {"id_number": DUPLICATE_MESSAGE})
    person.id_duplicate = True
    return _NumberCheck(changed=True, existing=others.order_by("id_duplicate", "pk").first())


def _after_check(person: Person, check: _NumberCheck, actor: User | None) -> None:
    """Record the pair of a number held elsewhere (and tell the office); close the open pairs
    of a number corrected."""
    if not check.changed:
        return
    if check.existing is None:
        PersonDuplicate.objects.filter(person=person, status=DuplicateStatus.OPEN).update(
            status=DuplicateStatus.KEPT,
            resolved_at=timezone.now(),
            note="身份证号已更正，不再重复",
        )
        return
    pair, created = PersonDuplicate.objects.get_or_create(
        person=person,
        existing=check.existing,
        defaults={"created_by": actor, "updated_by": actor},
    )
    if not created and pair.status == DuplicateStatus.OPEN:
        return
    if not created:
        pair.status, pair.resolved_at, pair.resolved_by = DuplicateStatus.OPEN, None, None
        pair.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
    _notify_resolvers(pair)


def duplicate_resolvers(pair: PersonDuplicate) -> list[User]:
    """Active users who may resolve ``pair``: they hold ``core.resolve_duplicate_person`` and both
    people are in their data scope (the county office)."""
    perm = Permission.objects.filter(
        content_type__app_label="core", codename="resolve_duplicate_person"
    ).first()
    if perm is None:
        return []
    candidates = (
        User.objects.filter(is_active=True)
        .filter(
            models.Q(roles__permissions=perm, roles__is_active=True)
            | models.Q(user_permissions=perm)
            | models.Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )
    people = [pair.person_id, pair.existing_id]
    return [
        user
        for user in candidates
        if user.has_perm("core.resolve_duplicate_person")
        and Person.all_objects.filter(scope_of(user).q("unit"), pk__in=people).count() == 2
    ]


def _notify_resolvers(pair: PersonDuplicate) -> None:
    person = pair.person
    notifier().notify(
        event=PERSON_DUPLICATE,
        about=pair,
        occasion=pair.updated_at.isoformat(),
        title=f"人员身份证号重复待处理：{person.unit.name}登记的“{person.name}”",
        body=(
            f"{person.unit.name}新登记的人员“{person.name}”与已登记人员"
            f"“{pair.existing.name}”（{pair.existing.unit.name}）身份证号相同。"
            "登记单位未被告知；请核实后合并两条记录或保留两条。"
        ),
        url=reverse("core:duplicate_list"),
        users=duplicate_resolvers(pair),
    )


@transaction.atomic
def person_update(
    *,
    actor: User | None,
    person: Person,
    reason: str = "",
    expected_version: int | None = None,
    **fields: Any,
) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    check_version(person, expected_version)
    if actor is not None and "unit" in fields:
        require_unit_in_scope(actor, fields["unit"], field="unit", label="所在单位")
    for name, value in fields.items():
        setattr(person, name, value)
    person.updated_by = actor
    person._history_user = actor  # type: ignore[attr-defined]
    person._change_reason = reason  # type: ignore[attr-defined]
    check = _check_person(person, actor)
    person.save()
    _after_check(person, check, actor)
    return person


# Duplicates ----------------------------------------------------------------------------------


def person_links() -> list[tuple[type[models.Model], str]]:
    """The records that name a person, moved to the kept one on a merge: every relation to
    Person (hidden ones too) except the history tables and the pairs themselves."""
    links = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        model = rel.related_model
        if (
            rel.many_to_many
            or not isinstance(model, type)
            or issubclass(model, HistoricalChanges | PersonDuplicate)
        ):
            continue
        links.append((model, rel.field.name))  # type: ignore[union-attr]
    return links


def person_link_counts(person: Person) -> list[tuple[str, int]]:
    """How many records of each kind name ``person`` (what a merge would move)."""
    counts = []
    for model, field in person_links():
        count = model._base_manager.filter(**{field: person}).count()
        if count:
            counts.append((str(model._meta.verbose_name), count))
    return counts


MERGED_FIELDS = ("gender", "mobile", "degree", "discipline", "title", "position")


@transaction.atomic
def person_duplicate_resolve(
    *, actor: User, pair: PersonDuplicate, action: str, note: str = ""
) -> PersonDuplicate:
    """``merge``: everything that names the new person names the one registered before (its
    empty fields filled from the new one), and the new person is deleted; ``keep``: both stay,
    the new one still apart."""
    pair = PersonDuplicate.objects.select_for_update().get(pk=pair.pk)
    if pair.status != DuplicateStatus.OPEN:
        raise DomainError("closed", "该重复记录已处理", {"action": "该重复记录已处理"})
    if action not in ("merge", "keep"):
        raise DomainError("invalid", "请选择合并或保留两条", {"action": "请选择合并或保留两条"})
    scope = scope_of(actor)
    people = Person.objects.filter(scope.q("unit"), pk__in=[pair.person_id, pair.existing_id])
    if people.count() != 2:
        raise DomainError("out_of_scope", "两条人员记录须都在您的数据范围内")
    if action == "merge":
        _merge(actor=actor, person=pair.person, into=pair.existing)
    pair.status = DuplicateStatus.MERGED if action == "merge" else DuplicateStatus.KEPT
    pair.resolved_at = timezone.now()
    pair.resolved_by = actor
    pair.updated_by = actor
    pair.note = note.strip()[:200]
    pair._history_user = actor  # type: ignore[attr-defined]
    pair.save()
    return pair


def _merge(*, actor: User, person: Person, into: Person) -> None:
    reason = f"合并重复人员（编号 {person.pk} 并入 {into.pk}）"
    for model, field in person_links():
        manager = model._base_manager  # deleted rows too
        for row in manager.filter(**{field: person}):
            setattr(row, field, into)
            row._history_user = actor  # type: ignore[attr-defined]
            row._change_reason = reason  # type: ignore[attr-defined]
            try:
                with transaction.atomic():
                    row.save(update_fields=[field])
            except IntegrityError as error:
                label = model._meta.verbose_name
                raise DomainError(
                    "merge_conflict",
                    f"两条人员记录都有“{label}”记录，不能自动合并；请先处理其中一条，或保留两条",
                ) from error
    filled = {
        name: getattr(person, name)
        for name in MERGED_FIELDS
        if not getattr(into, name) and getattr(person, name)
    }
    person_delete(actor=actor, person=person, reason=reason)
    if filled:
        person_update(actor=actor, person=into, reason=reason, **filled)


# Users ---------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    unit: Unit | None,
    roles: Iterable[Role],
    full_name: str = "",
    person: Person | None = None,
) -> User:
    if User.objects.filter(username=username).exists():
        raise DomainError("duplicate", f"用户名“{username}”已存在", {"username": "用户名已存在"})
    user = User(username=username, unit=unit, full_name=full_name, person=person)
    user.set_password(password)
    validate(user, exclude=["password"])
    user.save()
    user.roles.set(list(roles))
    return user


def _revert_person(
    *, actor: User, instance: Person, version: Person, reason: str, **_: Any
) -> Person:
    fields = {name: getattr(version, name) for name in PERSON_FIELDS}
    return person_update(actor=actor, person=instance, reason=reason, **fields)


def _revert_unit(*, actor: User, instance: Unit, version: Unit, reason: str, **_: Any) -> Unit:
    fields = {
        name: getattr(version, name)
        for name in UNIT_FIELDS
        if name not in ("university", "local_industry", "industry")
    }
    fields.update(
        university=version.university,
        local_industry=version.local_industry,
        industry=version.industry,
    )
    parent = Unit.objects.filter(pk=version.parent_id).first() if version.parent_id else None
    return unit_update(actor=actor, unit=instance, parent=parent, reason=reason, **fields)


register_reverter(Person, _revert_person)
register_reverter(Unit, _revert_unit)


@transaction.atomic
def person_delete(*, actor: User | None, person: Person, reason: str = "删除") -> None:
    """Delete softly (a person is referenced by many records; purge removes them later)."""
    person.deleted_at = timezone.now()
    person.deleted_by = actor
    person._history_user = actor  # type: ignore[attr-defined]
    person._change_reason = reason  # type: ignore[attr-defined]
    person.save(update_fields=["deleted_at", "deleted_by"])


@transaction.atomic
def unit_delete(*, actor: User | None, unit: Unit) -> None:
    """Delete a unit nothing refers to (undoing its import): no sub-unit, no user, no record;
    otherwise ``DomainError`` naming why."""
    if actor is not None:
        require_unit_in_scope(actor, unit, field="unit", label="单位")
    if Unit.objects.filter(parent=unit).exists():
        raise DomainError("in_use", f"“{unit.name}”下已有下级单位，不能删除")
    try:
        with transaction.atomic():
            UnitClosure.objects.filter(descendant=unit).delete()
            unit.delete()
    except models.ProtectedError:
        raise DomainError("in_use", f"“{unit.name}”已被其他记录引用，不能删除") from None
