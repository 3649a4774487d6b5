"""Writes of secondments (挂职): the one record of a secondment. Deleted softly and restored;
every edit checked against the version it was made on, every change in the history.

Apps that keep an entry of their own for each secondment — the talent registry lists the
secondee as a seconded cadre — follow its writes in the same transaction: they register a
follower here (:func:`follow_secondments`, from their ``AppConfig.ready``). The dependency
points from them to this app; the ledger never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Cooperation, Secondment
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.history import register_reverter
from yanzhen.core.models import Person, Unit, User, check_version
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.core.trash import deleted_for_restore, trash, untrash
from yanzhen.reference.models import University


@dataclass
class SecondmentData:
    """Everything a secondment is made of, as the form and the API give it."""

    person: Person
    university: University
    host_unit: Unit
    post: str
    start_date: dt.date
    end_date: dt.date | None = None
    cooperation: Cooperation | None = None
    note: str = ""


_FIELDS = ("person", "university", "host_unit", "post", "start_date", "end_date", "cooperation")

SecondmentFollower = Callable[[Secondment, User | None], None]
_FOLLOWERS: list[SecondmentFollower] = []


def follow_secondments(follower: SecondmentFollower) -> None:
    """Call ``follower(secondment, actor)`` after each creation, change or revert of a
    secondment, in its transaction (an error it raises undoes the write). Idempotent."""
    if follower not in _FOLLOWERS:
        _FOLLOWERS.append(follower)


def _followed(secondment: Secondment, actor: User | None) -> None:
    for follower in _FOLLOWERS:
        follower(secondment, actor)


def _check(actor: User | None, data: SecondmentData, *, instance: Secondment | None) -> None:
    """The rules every secondment obeys, whoever writes it."""
    errors: dict[str, str] = {}
    if not data.post.strip():
        errors["post"] = _("请填写挂职岗位")
    if data.end_date is not None and data.end_date < data.start_date:
        errors["end_date"] = _("结束日期不能早于开始日期")
    same = Secondment.all_objects.filter(person=data.person, start_date=data.start_date)
    if instance is not None:
        same = same.exclude(pk=instance.pk)
    twin = same.first()
    if twin is not None:
        errors["start_date"] = _("%(name)s已有同一开始日期的挂职记录") % {
            "name": data.person.name
        } + (_("（在回收站中，可以恢复）") if twin.deleted_at is not None else "")
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    if actor is None:
        return
    require_unit_in_scope(actor, data.host_unit, field="host_unit", label=_("挂职单位"))
    changed = (data.cooperation.pk if data.cooperation else None) != (
        instance.cooperation_id if instance is not None else None
    )
    if (
        data.cooperation is not None
        and changed
        and not cooperation_qs(actor).filter(pk=data.cooperation.pk).exists()
    ):
        raise DomainError(
            "out_of_scope",
            _("所选合作不在您的数据范围内"),
            {"cooperation": _("不在您的数据范围内")},
        )


def _apply(secondment: Secondment, data: SecondmentData) -> None:
    for name in _FIELDS:
        setattr(secondment, name, getattr(data, name))
    secondment.post = data.post.strip()
    secondment.note = data.note.strip()


@transaction.atomic
def secondment_create(*, actor: User | None, data: SecondmentData) -> Secondment:
    _check(actor, data, instance=None)
    secondment = Secondment(created_by=actor, updated_by=actor)
    _apply(secondment, data)
    secondment._history_user = actor  # type: ignore[attr-defined]
    validate(secondment)
    secondment.save()
    _followed(secondment, actor)
    return secondment


@transaction.atomic
def secondment_update(
    *,
    actor: User | None,
    secondment: Secondment,
    data: SecondmentData,
    expected_version: int | None,
    reason: str = "",
) -> Secondment:
    """Change a secondment made on version ``expected_version`` (an older one is a conflict;
    ``None`` only for writes that are not edits of a form, such as a revert)."""
    secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
    check_version(secondment, expected_version)
    _check(actor, data, instance=secondment)
    _apply(secondment, data)
    secondment.updated_by = actor
    secondment._history_user = actor  # type: ignore[attr-defined]
    if reason:
        secondment._change_reason = reason  # type: ignore[attr-defined]
    validate(secondment)
    secondment.save()
    _followed(secondment, actor)
    return secondment


@transaction.atomic
def secondment_revert(
    *,
    actor: User | None,
    instance: Secondment,
    version: Secondment,
    reason: str,
    **_ignored: object,
) -> Secondment:
    """Put back an earlier version, with the rules of an edit."""
    person = Person.all_objects.filter(pk=version.person_id).first()
    university = University.objects.filter(pk=version.university_id).first()
    host = Unit.objects.filter(pk=version.host_unit_id).first()
    if person is None or university is None or host is None:
        raise DomainError("not_revertible", _("该版本的人员、派出高校或挂职单位已不存在，不能还原"))
    cooperation = None
    if version.cooperation_id is not None:
        cooperation = Cooperation.objects.filter(pk=version.cooperation_id).first()
    data = SecondmentData(
        person=person,
        university=university,
        host_unit=host,
        post=version.post,
        start_date=version.start_date,
        end_date=version.end_date,
        cooperation=cooperation,
        note=version.note,
    )
    return secondment_update(
        actor=actor, secondment=instance, data=data, expected_version=None, reason=reason
    )


register_reverter(Secondment, secondment_revert)


@transaction.atomic
def secondment_delete(*, actor: User | None, secondment: Secondment) -> None:
    """Delete softly: the secondment leaves the lists, the figures, the registry and the API,
    and can be restored from the trash until it is purged."""
    secondment = trash(Secondment, secondment.pk, actor=actor)


@transaction.atomic
def secondment_restore(*, actor: User | None, secondment: Secondment) -> Secondment:
    deleted = deleted_for_restore(Secondment, secondment.pk, not_deleted=_("该挂职记录未被删除"))
    return untrash(deleted, actor=actor)
