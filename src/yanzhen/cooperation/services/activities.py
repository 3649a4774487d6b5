"""Writes of activities: meetings, delegations, promotion meetings, visits — planned ahead,
then held (with minutes, participants and files) or cancelled; deleted softly and restored;
every edit checked against the version it was made on, every change in the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import (
    Activity,
    ActivityAttachment,
    ActivityKind,
    ActivityParticipant,
    ActivityStatus,
    Cooperation,
)
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.errors import DomainError
from yanzhen.core.history import Related, register_reverter, related_keys, set_related
from yanzhen.core.models import Person, Unit, User, check_version
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.core.trash import deleted_for_restore, trash, untrash
from yanzhen.core.uploads import check_upload
from yanzhen.reference.models import University

NAME_MAX = 50
ORGANIZATION_MAX = 100
TITLE_MAX = 100
ATTACHMENT_TITLE_MAX = 100
PARTICIPANTS_MAX = 500


@dataclass(frozen=True)
class ParticipantData:
    """One participant: a name, and a local unit or the name of an outside one, and a post."""

    name: str
    unit: Unit | None = None
    organization: str = ""
    title: str = ""

    def key(self) -> tuple[str, int | None, str, str]:
        return (self.name, self.unit.pk if self.unit else None, self.organization, self.title)


@dataclass
class ActivityData:
    """Everything an activity is made of, as the form and the API give it."""

    kind: str
    title: str
    date: dt.date
    organizer_unit: Unit
    status: str = ActivityStatus.HELD
    leader: Person | None = None
    location: str = ""
    summary: str = ""
    minutes: str = ""
    universities: Sequence[University] = ()
    cooperations: Sequence[Cooperation] = ()
    participants: Sequence[ParticipantData] = field(default_factory=tuple)


_FIELDS = (
    "kind",
    "title",
    "status",
    "date",
    "organizer_unit",
    "leader",
    "location",
    "summary",
    "minutes",
)


def _participant_problem(number: int, p: ParticipantData) -> str | None:
    who = f"第 {number} 位参加人员"
    if not p.name.strip():
        return f"{who}：请填写姓名"
    who = f"{who}“{p.name.strip()[:NAME_MAX]}”"
    if len(p.name.strip()) > NAME_MAX:
        return f"{who}：姓名不能超过 {NAME_MAX} 个字"
    if p.unit is None and not p.organization.strip():
        return f"{who}：请填写所在单位"
    if len(p.organization.strip()) > ORGANIZATION_MAX:
        return f"{who}：单位名称不能超过 {ORGANIZATION_MAX} 个字"
    if len(p.title.strip()) > TITLE_MAX:
        return f"{who}：职务/职称不能超过 {TITLE_MAX} 个字"
    return None


def _check(actor: User | None, data: ActivityData, *, instance: Activity | None) -> None:
    """The rules every activity obeys, whoever writes it."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "请填写活动名称"
    if data.kind not in ActivityKind.values:
        errors["kind"] = "活动类型不正确"
    today = timezone.localdate()
    if data.status not in ActivityStatus.values:
        errors["status"] = "状态不正确"
    elif data.status == ActivityStatus.HELD and data.date > today:
        errors["date"] = "已举办的活动，日期不能晚于今天；尚未举办的请选“计划中”"
    elif data.status == ActivityStatus.PLANNED and data.date < today:
        rescheduled = (
            instance is None
            or instance.status != ActivityStatus.PLANNED
            or instance.date != data.date
        )
        if rescheduled:
            errors["date"] = "计划日期不能早于今天；已经举办的请选“已举办”"
    if len(data.participants) > PARTICIPANTS_MAX:
        errors["participants"] = f"参加人员不能超过 {PARTICIPANTS_MAX} 人"
    for number, participant in enumerate(data.participants[:PARTICIPANTS_MAX], start=1):
        problem = _participant_problem(number, participant)
        if problem is not None:
            errors.setdefault("participants", problem)
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    if actor is not None:
        require_unit_in_scope(actor, data.organizer_unit, field="organizer_unit", label="组织单位")


def _cooperations(
    actor: User | None, data: ActivityData, *, instance: Activity | None
) -> list[Cooperation]:
    """The cooperations the activity brought about after the write: those chosen (each one
    the actor may see) and those linked before that the actor cannot see (not theirs to
    remove)."""
    chosen = {c.pk: c for c in data.cooperations}
    if actor is None:
        return list(chosen.values())
    visible = set(cooperation_qs(actor).filter(pk__in=chosen).values_list("pk", flat=True))
    hidden = [c for pk, c in chosen.items() if pk not in visible]
    kept: list[Cooperation] = []
    if instance is not None:
        current = instance.cooperations.all()
        kept = list(current.exclude(pk__in=cooperation_qs(actor).values("pk")))
        hidden = [c for c in hidden if c.pk not in {k.pk for k in kept}]
    if hidden:
        raise DomainError(
            "out_of_scope",
            f"合作“{hidden[0]}”不在您的数据范围内",
            {"cooperations": f"“{hidden[0]}”不在您的数据范围内"},
        )
    return [*chosen.values(), *(k for k in kept if k.pk not in chosen)]


def _related_of(universities: Sequence[University], cooperations: Sequence[Cooperation]) -> Related:
    return {
        "universities": sorted({u.pk for u in universities}),
        "cooperations": sorted({c.pk for c in cooperations}),
    }


def _set_participants(
    actor: User | None, activity: Activity, participants: Sequence[ParticipantData]
) -> None:
    """Make the participants ``participants``, in their order: those who stay keep their row,
    the others leave; each change leaves one history row."""
    have = list(ActivityParticipant.objects.filter(activity=activity).select_related("unit"))
    free = {row.pk: row for row in have}
    for order, wanted in enumerate(participants):
        wanted = ParticipantData(
            name=wanted.name.strip(),
            unit=wanted.unit,
            organization="" if wanted.unit is not None else wanted.organization.strip(),
            title=wanted.title.strip(),
        )
        row = next(
            (
                r
                for r in free.values()
                if (r.name, r.unit_id, r.organization, r.title) == wanted.key()
            ),
            None,
        )
        if row is None:
            row = ActivityParticipant(
                activity=activity,
                name=wanted.name,
                unit=wanted.unit,
                organization=wanted.organization,
                title=wanted.title,
                created_by=actor,
            )
        else:
            del free[row.pk]
            if row.sort_order == order:
                continue
        row.sort_order = order
        row.updated_by = actor
        row._history_user = actor  # type: ignore[attr-defined]
        validate(row)
        row.save()
    for leaving in free.values():
        leaving._history_user = actor  # type: ignore[attr-defined]
        leaving.delete()


@transaction.atomic
def activity_create(*, actor: User | None, data: ActivityData) -> Activity:
    _check(actor, data, instance=None)
    cooperations = _cooperations(actor, data, instance=None)
    activity = Activity(created_by=actor, updated_by=actor)
    for name in _FIELDS:
        setattr(activity, name, getattr(data, name))
    activity.title = activity.title.strip()
    activity.planned_date = data.date if data.status == ActivityStatus.PLANNED else None
    activity._history_user = actor  # type: ignore[attr-defined]
    set_related(activity, _related_of(data.universities, cooperations))
    validate(activity)
    activity.save()
    activity.universities.set(list(data.universities))
    activity.cooperations.set(cooperations)
    _set_participants(actor, activity, data.participants)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User | None,
    activity: Activity,
    data: ActivityData,
    expected_version: int | None,
    reason: str = "",
) -> Activity:
    """Change an activity made on version ``expected_version`` (an older one is a conflict;
    ``None`` only for writes that are not edits of a form, such as a revert)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    check_version(activity, expected_version)
    _check(actor, data, instance=activity)
    cooperations = _cooperations(actor, data, instance=activity)
    if data.status == ActivityStatus.PLANNED and (
        activity.status != ActivityStatus.PLANNED or activity.date != data.date
    ):
        activity.planned_date = data.date
    for name in _FIELDS:
        setattr(activity, name, getattr(data, name))
    activity.title = activity.title.strip()
    activity.updated_by = actor
    activity._history_user = actor  # type: ignore[attr-defined]
    if reason:
        activity._change_reason = reason  # type: ignore[attr-defined]
    set_related(activity, _related_of(data.universities, cooperations))
    validate(activity)
    activity.save()
    activity.universities.set(list(data.universities))
    activity.cooperations.set(cooperations)
    _set_participants(actor, activity, data.participants)
    return activity


def participants_of(activity: Activity) -> list[ParticipantData]:
    return [
        ParticipantData(name=p.name, unit=p.unit, organization=p.organization, title=p.title)
        for p in activity.participants.select_related("unit")
    ]


@transaction.atomic
def activity_revert(
    *,
    actor: User | None,
    instance: Activity,
    version: Activity,
    reason: str,
    related: Related | None = None,
) -> Activity:
    """Put back an earlier version: its fields, its universities and the cooperations it
    names (those the actor may see; versions older than the relations' record keep the
    current ones). Participants and files are not part of versions (they have their own
    history). The rules of an edit apply: a planned date already past cannot come back."""
    wanted = {**related_keys(instance), **(related or {})}
    universities = University.objects.in_bulk(wanted["universities"])
    cooperations = Cooperation.all_objects.in_bulk(wanted["cooperations"])
    organizer = Unit.objects.filter(pk=version.organizer_unit_id).first()
    leader = Person.all_objects.filter(pk=version.leader_id).first() if version.leader_id else None
    if (
        organizer is None
        or len(universities) != len(set(wanted["universities"]))
        or len(cooperations) != len(set(wanted["cooperations"]))
    ):
        raise DomainError("not_revertible", "该版本的组织单位、对接高校或合作已不存在，不能还原")
    if actor is not None:
        visible = set(
            cooperation_qs(actor).filter(pk__in=cooperations).values_list("pk", flat=True)
        )
        cooperations = {pk: c for pk, c in cooperations.items() if pk in visible}
    data = ActivityData(
        kind=version.kind,
        title=version.title,
        status=version.status,
        date=version.date,
        organizer_unit=organizer,
        leader=leader,
        location=version.location,
        summary=version.summary,
        minutes=version.minutes,
        universities=[universities[pk] for pk in wanted["universities"]],
        cooperations=list(cooperations.values()),
        participants=participants_of(instance),
    )
    return activity_update(
        actor=actor, activity=instance, data=data, expected_version=None, reason=reason
    )


register_reverter(Activity, activity_revert)


@transaction.atomic
def activity_delete(*, actor: User | None, activity: Activity) -> None:
    """Delete softly: the activity leaves the lists, the figures and the API, and can be
    restored from the trash until it is purged."""
    trash(Activity, activity.pk, actor=actor)


@transaction.atomic
def activity_restore(*, actor: User | None, activity: Activity) -> Activity:
    deleted = deleted_for_restore(Activity, activity.pk, not_deleted=_("该活动未被删除"))
    return untrash(deleted, actor=actor)


def activity_attachment_add(
    *, actor: User | None, activity: Activity, title: str, file: UploadedFile[bytes]
) -> ActivityAttachment:
    """File a document of the activity, within the bounds of every upload."""
    if not title.strip():
        raise DomainError("invalid", "请填写附件名称", {"title": "请填写附件名称"})
    if len(title.strip()) > ATTACHMENT_TITLE_MAX:
        message = f"附件名称不能超过 {ATTACHMENT_TITLE_MAX} 个字"
        raise DomainError("invalid", message, {"title": message})
    check_upload(file, field="file")
    attachment = ActivityAttachment(
        activity=activity, title=title.strip(), created_by=actor, updated_by=actor
    )
    attachment.file.save(file.name or "file", file, save=False)
    attachment.save()
    return attachment
