"""Helpers shared by the talent services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from yanzhen.core.crypto import keyed_hash
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Person, Unit, User
from yanzhen.core.scope import scope_of
from yanzhen.core.services import person_create, require_unit_in_scope, validate
from yanzhen.engines.idcard import normalize_id_number

M = TypeVar("M", bound=models.Model)


def fail(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(code, message, {field: message})


def check_unit(actor: User | None, unit: Unit | None, *, field: str, label: str) -> None:
    if actor is not None:
        require_unit_in_scope(actor, unit, field=field, label=label)


def not_in_future(day: dt.date | None, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise fail(field, f"{label}不能晚于今天")


def save(instance: models.Model, actor: User | None, *, history: bool = True) -> None:
    """Stamp the audit fields (and the author of the history row, for models with a
    history), validate and save."""
    if getattr(instance, "created_by_id", None) is None and instance._state.adding:
        instance.created_by = actor  # type: ignore[attr-defined]
    instance.updated_by = actor  # type: ignore[attr-defined]
    if history:
        instance._history_user = actor  # type: ignore[attr-defined]
    validate(instance)
    instance.save()


def apply(instance: models.Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def changed(instance: M, fields: dict[str, Any], allowed: Iterable[str]) -> M:
    """``instance`` with ``fields`` set (an update: the fields not given keep their values);
    a name not in ``allowed`` is a programming error."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {type(instance).__name__} fields: {sorted(unknown)}")
    apply(instance, fields)
    return instance


PERSON_KEYS = ("name", "gender", "id_number", "mobile")


def person_for(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    id_number: str = "",
    mobile: str = "",
    gender: str = "",
    degree: str = "",
) -> Person:
    """The person with this ID number in the actor's scope, or a new one filed at ``unit``.

    A number registered only outside the actor's scope is answered as a new one: nothing
    tells the actor of the other record; ``person_create`` keeps the new person apart from it
    and asks the office to resolve the pair."""
    number = normalize_id_number(id_number)
    if number:
        same = Person.objects.filter(id_number_hash=keyed_hash(number))
        if actor is not None:
            same = same.filter(scope_of(actor).q("unit"))
        existing: Person | None = same.order_by("id_duplicate", "pk").first()
        if existing is not None:
            if existing.name != name.strip():
                raise fail("id_number", f"该身份证号已登记为“{existing.name}”，与填写的姓名不一致")
            return existing
    person: Person = person_create(
        actor=actor,
        name=name.strip(),
        id_number=number,
        mobile=mobile.strip(),
        gender=gender,
        degree=degree,
        unit=unit,
    )
    return person
