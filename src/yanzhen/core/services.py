"""Writes of units, people and users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from yanzhen.core.crypto import keyed_hash
from yanzhen.core.errors import DomainError
from yanzhen.core.history import register_reverter
from yanzhen.core.models import Person, Role, RoleKind, Unit, UnitClosure, User, check_version
from yanzhen.core.scope import scope_of
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


def person_create(*, actor: User | None, **fields: Any) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if actor is not None:
        require_unit_in_scope(actor, fields.get("unit"), field="unit", label="所在单位")
    person = Person(created_by=actor, updated_by=actor, **fields)
    person._history_user = actor  # type: ignore[attr-defined]
    _check_person(person)
    person.save()
    return person


def _check_person(person: Person) -> None:
    number = person.id_number.strip().upper()
    if number:
        _unique(
            Person.objects.filter(id_number_hash=keyed_hash(number)),
            person,
            "id_number",
            "该身份证号已登记在其他人员名下",
        )
    validate(person)


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
    _check_person(person)
    person.save()
    return person


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
def person_delete(*, actor: User | None, person: Person) -> None:
    """Delete softly (a person is referenced by many records; purge removes them later)."""
    person.deleted_at = timezone.now()
    person.deleted_by = actor
    person._history_user = actor  # type: ignore[attr-defined]
    person._change_reason = "删除"  # type: ignore[attr-defined]
    person.save(update_fields=["deleted_at", "deleted_by"])


@transaction.atomic
def person_restore(*, actor: User | None, person: Person) -> Person:
    if (
        person.id_number_hash
        and Person.objects.filter(id_number_hash=person.id_number_hash).exists()
    ):
        raise DomainError("duplicate", "已有人员登记了相同的身份证号，不能恢复")
    person.deleted_at = None
    person.deleted_by = None
    person._history_user = actor  # type: ignore[attr-defined]
    person._change_reason = "恢复"  # type: ignore[attr-defined]
    person.save(update_fields=["deleted_at", "deleted_by"])
    return person
