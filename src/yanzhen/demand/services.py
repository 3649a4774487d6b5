"""Writes of the demand map: needs, surveys (answers and reminders), experts, held rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Cooperation
from yanzhen.core.errors import DomainError
from yanzhen.core.models import LOCAL_PARTY_KINDS, Unit, User, check_version
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.core.trash import deleted_for_restore, trash, untrash
from yanzhen.demand.models import (
    CampaignTarget,
    Expert,
    HeldRow,
    NeedDegree,
    NeedSource,
    NeedStatus,
    SurveyCampaign,
    TalentNeed,
    Urgency,
)
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify
from yanzhen.reference.models import Discipline, University

# Needs ---------------------------------------------------------------------------------------


@dataclass
class NeedData:
    """Everything a need is made of, as the forms, the API and the import give it."""

    enterprise: Unit
    position: str
    degree: str
    number: int = 1
    urgency: str = Urgency.NORMAL
    disciplines: Sequence[Discipline] = ()
    majors: str = ""
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    deadline: dt.date | None = None
    description: str = ""
    preferred_universities: Sequence[University] = ()
    campaign: SurveyCampaign | None = None
    status: str = NeedStatus.OPEN
    source: str = NeedSource.OFFICE
    reported_on: dt.date | None = None
    code: str = ""


_NEED_FIELDS = (
    "enterprise",
    "position",
    "degree",
    "number",
    "urgency",
    "majors",
    "salary_min",
    "salary_max",
    "deadline",
    "description",
    "campaign",
    "status",
)


def _check_need(actor: User | None, data: NeedData, instance: TalentNeed | None) -> None:
    errors: dict[str, str] = {}
    if not data.position.strip():
        errors["position"] = _("请填写岗位名称")
    if data.enterprise.kind not in LOCAL_PARTY_KINDS:
        errors["enterprise"] = _("“%(name)s”不是本地单位，不能登记人才需求") % {
            "name": data.enterprise.name
        }
    if data.degree not in NeedDegree.values:
        errors["degree"] = _("学历要求不正确")
    if data.urgency not in Urgency.values:
        errors["urgency"] = _("紧迫程度不正确")
    if data.status not in NeedStatus.values:
        errors["status"] = _("状态不正确")
    if data.number < 1:
        errors["number"] = _("需求人数至少为 1")
    for name in ("salary_min", "salary_max"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors[name] = _("年薪不能为负数")
    if (
        data.salary_min is not None
        and data.salary_max is not None
        and data.salary_min > data.salary_max
    ):
        errors["salary_max"] = _("年薪上限不能低于下限")
    for discipline in data.disciplines:
        if discipline.parent_id is None:
            errors["disciplines"] = _("“%(discipline)s”是学科门类，请选择一级学科") % {
                "discipline": discipline
            }
    if data.campaign is not None:
        asked = CampaignTarget.objects.filter(
            campaign=data.campaign, enterprise=data.enterprise
        ).exists()
        if not asked:
            errors["campaign"] = _("%(name)s不在“%(title)s”的调查对象中") % {
                "name": data.enterprise.name,
                "title": data.campaign.title,
            }
    duplicate = TalentNeed.objects.filter(
        enterprise=data.enterprise, position=data.position.strip(), campaign=data.campaign
    )
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if data.position.strip() and duplicate.exists():
        errors["position"] = _("%(name)s在同一调查中已登记过岗位“%(position)s”") % {
            "name": data.enterprise.name,
            "position": data.position.strip(),
        }
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    if actor is not None:
        require_unit_in_scope(actor, data.enterprise, field="enterprise", label=_("需求单位"))


def _next_code(year: int) -> str:
    prefix = f"XQ{year}"
    last = (
        TalentNeed.all_objects.filter(code__startswith=prefix, code__regex=r"^XQ\d{10}$")
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _mark_answered(campaign: SurveyCampaign | None, enterprise: Unit) -> None:
    if campaign is None:
        return
    CampaignTarget.objects.filter(
        campaign=campaign, enterprise=enterprise, answered_at__isnull=True
    ).update(answered_at=timezone.now(), no_needs=False)
    CampaignTarget.objects.filter(campaign=campaign, enterprise=enterprise, no_needs=True).update(
        no_needs=False
    )


@transaction.atomic
def need_create(*, actor: User | None, data: NeedData) -> TalentNeed:
    _check_need(actor, data, None)
    if data.code and TalentNeed.all_objects.filter(code=data.code).exists():
        raise DomainError(
            "duplicate",
            _("需求编号“%(code)s”已存在") % {"code": data.code},
            {"code": _("编号已存在")},
        )
    reported_on = data.reported_on or timezone.localdate()
    need = TalentNeed(
        code=data.code or _next_code(reported_on.year),
        reported_on=reported_on,
        source=data.source,
        created_by=actor,
        updated_by=actor,
        **{name: getattr(data, name) for name in _NEED_FIELDS},
    )
    need.position = need.position.strip()
    need._history_user = actor  # type: ignore[attr-defined]
    validate(need)
    need.save()
    need.disciplines.set(list(data.disciplines))
    need.preferred_universities.set(list(data.preferred_universities))
    _mark_answered(need.campaign, need.enterprise)
    return need


@transaction.atomic
def need_update(
    *,
    actor: User | None,
    need: TalentNeed,
    data: NeedData,
    expected_version: int | None = None,
) -> TalentNeed:
    """Change a need; ``expected_version`` (the version the editor saw) refuses an edit made
    on a version someone else has changed since (409)."""
    need = TalentNeed.objects.select_for_update().get(pk=need.pk)
    check_version(need, expected_version)
    _check_need(actor, data, need)
    if data.code and data.code != need.code:
        raise DomainError("code_change", _("需求编号不能修改"), {"code": _("编号不能修改")})
    for name in _NEED_FIELDS:
        setattr(need, name, getattr(data, name))
    need.position = need.position.strip()
    if data.reported_on is not None:
        need.reported_on = data.reported_on
    need.updated_by = actor
    need._history_user = actor  # type: ignore[attr-defined]
    validate(need)
    need.save()
    need.disciplines.set(list(data.disciplines))
    need.preferred_universities.set(list(data.preferred_universities))
    _mark_answered(need.campaign, need.enterprise)
    return need


def need_unchanged(need: TalentNeed, data: NeedData) -> bool:
    """Whether saving ``data`` would change nothing (an import of the same file twice)."""
    for name in _NEED_FIELDS:
        value = getattr(data, name)
        if name == "position":
            value = value.strip()
        if getattr(need, name) != value:
            return False
    if data.reported_on is not None and need.reported_on != data.reported_on:
        return False
    disciplines = set(need.disciplines.values_list("pk", flat=True))
    universities = set(need.preferred_universities.values_list("pk", flat=True))
    return disciplines == {d.pk for d in data.disciplines} and universities == {
        u.pk for u in data.preferred_universities
    }


@transaction.atomic
def need_delete(*, actor: User | None, need: TalentNeed) -> None:
    """Delete softly: the need leaves the lists, the map and the API, and can be restored."""
    trash(TalentNeed, need.pk, actor=actor, reason="")


@transaction.atomic
def need_restore(*, actor: User | None, need: TalentNeed) -> TalentNeed:
    need = deleted_for_restore(TalentNeed, need.pk, not_deleted=_("该需求未被删除"))
    if actor is not None:
        require_unit_in_scope(actor, need.enterprise, field="enterprise", label=_("需求单位"))
    duplicate = TalentNeed.objects.filter(
        enterprise=need.enterprise, position=need.position, campaign=need.campaign
    )
    if duplicate.exists():
        raise DomainError(
            "duplicate",
            _("%(name)s已重新登记过岗位“%(position)s”，不能恢复")
            % {"name": need.enterprise.name, "position": need.position},
        )
    return untrash(need, actor=actor, reason="")


# Surveys -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignData:
    """What a survey is made of, as the form gives it."""

    title: str
    owner_unit: Unit
    opens_on: dt.date
    deadline: dt.date
    enterprises: Sequence[Unit]
    description: str = ""
    closed: bool = False


def campaign_create(*, actor: User | None, data: CampaignData) -> SurveyCampaign:
    """A new survey asking ``data.enterprises`` (local units in the actor's scope)."""
    return _campaign_save(actor=actor, campaign=None, data=data)


def campaign_update(
    *, actor: User | None, campaign: SurveyCampaign, data: CampaignData
) -> SurveyCampaign:
    """Change a survey; a unit that answered stays asked."""
    return _campaign_save(actor=actor, campaign=campaign, data=data)


@transaction.atomic
def _campaign_save(
    *, actor: User | None, campaign: SurveyCampaign | None, data: CampaignData
) -> SurveyCampaign:
    title, owner_unit, enterprises = data.title, data.owner_unit, data.enterprises
    opens_on, deadline = data.opens_on, data.deadline
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("请填写调查名称")
    if deadline < opens_on:
        errors["deadline"] = _("截止日期不能早于开始日期")
    if not enterprises:
        errors["enterprises"] = _("至少选择一个调查对象")
    for unit in enterprises:
        if unit.kind not in LOCAL_PARTY_KINDS:
            errors["enterprises"] = _("“%(name)s”不是本地单位") % {"name": unit.name}
    duplicate = SurveyCampaign.objects.filter(owner_unit=owner_unit, title=title.strip())
    if campaign is not None:
        duplicate = duplicate.exclude(pk=campaign.pk)
    if title.strip() and duplicate.exists():
        errors["title"] = _("已有名为“%(title)s”的需求调查") % {"title": title.strip()}
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    if actor is not None:
        require_unit_in_scope(actor, owner_unit, field="owner_unit", label=_("组织单位"))
        for unit in enterprises:
            require_unit_in_scope(
                actor,
                unit,
                field="enterprises",
                label=_("调查对象“%(name)s”") % {"name": unit.name},
            )
    instance = campaign or SurveyCampaign(created_by=actor)
    instance.title = title.strip()
    instance.owner_unit = owner_unit
    instance.opens_on = opens_on
    instance.deadline = deadline
    instance.description = data.description
    instance.closed = data.closed
    instance.updated_by = actor
    instance._history_user = actor  # type: ignore[attr-defined]
    validate(instance)
    instance.save()
    wanted = {u.pk for u in enterprises}
    answered = CampaignTarget.objects.filter(campaign=instance, answered_at__isnull=False).exclude(
        enterprise_id__in=wanted
    )
    if answered.exists():
        names = "、".join(answered.values_list("enterprise__name", flat=True)[:5])
        raise DomainError(
            "answered",
            _("已填报的单位不能移出调查：%(names)s") % {"names": names},
            {"enterprises": _("已填报的单位不能移出")},
        )
    CampaignTarget.objects.filter(campaign=instance).exclude(enterprise_id__in=wanted).delete()
    have = set(
        CampaignTarget.objects.filter(campaign=instance).values_list("enterprise_id", flat=True)
    )
    CampaignTarget.objects.bulk_create(
        CampaignTarget(campaign=instance, enterprise_id=pk) for pk in sorted(wanted - have)
    )
    # Units that already filed needs in this survey have answered it.
    filed = TalentNeed.objects.filter(campaign=instance).values("enterprise_id")
    CampaignTarget.objects.filter(
        campaign=instance, answered_at__isnull=True, enterprise_id__in=filed
    ).update(answered_at=timezone.now())
    return instance


@transaction.atomic
def campaign_answer_none(
    *, actor: User | None, campaign: SurveyCampaign, enterprise: Unit
) -> CampaignTarget:
    """The unit answers the survey with no needs this time (本次无需求)."""
    if actor is not None:
        require_unit_in_scope(actor, enterprise, field="enterprise", label=_("填报单位"))
    target = (
        CampaignTarget.objects.select_for_update()
        .filter(campaign=campaign, enterprise=enterprise)
        .first()
    )
    if target is None:
        raise DomainError("not_asked", _("%(name)s不在本次调查对象中") % {"name": enterprise.name})
    if campaign.closed:
        raise DomainError("closed", _("该调查已结束"))
    if TalentNeed.objects.filter(campaign=campaign, enterprise=enterprise).exists():
        raise DomainError("has_needs", _("本单位已在本次调查中填报了需求"))
    target.answered_at = timezone.now()
    target.no_needs = True
    target.save(update_fields=["answered_at", "no_needs"])
    return target


@dataclass
class ReminderReport:
    units: list[Unit] = field(default_factory=list)
    notifications: int = 0


@transaction.atomic
def campaign_remind(*, actor: User | None, campaign: SurveyCampaign, url: str) -> ReminderReport:
    """Remind every unit that has not answered (once a day at most: the notification's
    occasion is the day)."""
    if campaign.closed:
        raise DomainError("closed", _("该调查已结束，不再催报"))
    pending = list(
        CampaignTarget.objects.select_for_update()
        .filter(campaign=campaign, answered_at__isnull=True)
        .select_related("enterprise")
        .order_by("enterprise__sort_order", "enterprise_id")
    )
    if not pending:
        raise DomainError("nothing_to_remind", _("所有调查对象都已填报，无需催报"))
    units = [t.enterprise for t in pending]
    today = timezone.localdate()
    created = notify(
        event=Event.SURVEY_REMINDER,
        about=campaign,
        occasion=f"{today:%Y-%m-%d}",
        title=_("请填报：%(title)s") % {"title": campaign.title},
        body=_(
            "请于 %(deadline)s 前登录平台填报本单位的人才需求；如本次无需求，请点击“本次无需求”。"
        )
        % {"deadline": format(campaign.deadline, "%Y-%m-%d")},
        url=url,
        units=units,
        actor=actor,
    )
    CampaignTarget.objects.filter(pk__in=[t.pk for t in pending]).update(
        reminded_at=timezone.now(), reminders=F("reminders") + 1
    )
    return ReminderReport(units=units, notifications=len(created))


# Experts -------------------------------------------------------------------------------------


@dataclass
class ExpertData:
    name: str
    university: University
    owner_unit: Unit
    directions: str
    disciplines: Sequence[Discipline] = ()
    department: str = ""
    title: str = ""
    honours: str = ""
    projects: Sequence[Cooperation] = ()
    project_notes: str = ""


_EXPERT_FIELDS = (
    "name",
    "university",
    "owner_unit",
    "directions",
    "department",
    "title",
    "honours",
    "project_notes",
)


def expert_create(*, actor: User | None, data: ExpertData) -> Expert:
    return _expert_save(actor=actor, expert=None, data=data)


@transaction.atomic
def expert_update(
    *, actor: User | None, expert: Expert, data: ExpertData, expected_version: int | None
) -> Expert:
    """Change ``expert``, refused when it changed since ``expected_version`` (None: an import,
    which compares the values instead)."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    check_version(expert, expected_version)
    return _expert_save(actor=actor, expert=expert, data=data)


@transaction.atomic
def _expert_save(*, actor: User | None, expert: Expert | None, data: ExpertData) -> Expert:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("请填写姓名")
    if not data.directions.strip():
        errors["directions"] = _("请填写研究方向")
    for discipline in data.disciplines:
        if discipline.parent_id is None:
            errors["disciplines"] = _("“%(discipline)s”是学科门类，请选择一级学科") % {
                "discipline": discipline
            }
    duplicate = Expert.objects.filter(
        owner_unit=data.owner_unit, university=data.university, name=data.name.strip()
    )
    if expert is not None:
        duplicate = duplicate.exclude(pk=expert.pk)
    if data.name.strip() and duplicate.exists():
        errors["name"] = _("%(name)s已有名为“%(name2)s”的专家") % {
            "name": data.university.name,
            "name2": data.name.strip(),
        }
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    if actor is not None:
        require_unit_in_scope(actor, data.owner_unit, field="owner_unit", label=_("登记单位"))
    instance = expert or Expert(created_by=actor)
    for name in _EXPERT_FIELDS:
        setattr(instance, name, getattr(data, name))
    instance.name = instance.name.strip()
    instance.updated_by = actor
    instance._history_user = actor  # type: ignore[attr-defined]
    validate(instance)
    instance.save()
    instance.disciplines.set(list(data.disciplines))
    instance.projects.set(list(data.projects))
    return instance


def expert_unchanged(expert: Expert, data: ExpertData) -> bool:
    if any(getattr(expert, name) != getattr(data, name) for name in _EXPERT_FIELDS):
        return False
    disciplines = set(expert.disciplines.values_list("pk", flat=True))
    projects = set(expert.projects.values_list("pk", flat=True))
    return disciplines == {d.pk for d in data.disciplines} and projects == {
        p.pk for p in data.projects
    }


@transaction.atomic
def expert_delete(*, actor: User | None, expert: Expert) -> None:
    """Delete softly: the expert leaves the lists and the recommendations, restorable."""
    trash(Expert, expert.pk, actor=actor, reason="")


@transaction.atomic
def expert_restore(*, actor: User | None, expert: Expert) -> Expert:
    expert = deleted_for_restore(Expert, expert.pk, not_deleted=_("该专家未被删除"))
    if actor is not None:
        require_unit_in_scope(actor, expert.owner_unit, field="owner_unit", label=_("登记单位"))
    if Expert.objects.filter(
        owner_unit=expert.owner_unit, university=expert.university, name=expert.name
    ).exists():
        raise DomainError(
            "duplicate",
            _("%(name)s已重新登记过专家“%(name2)s”")
            % {"name": expert.university.name, "name2": expert.name},
        )
    return untrash(expert, actor=actor, reason="")


# Held rows -----------------------------------------------------------------------------------


def held_create(
    *,
    actor: User | None,
    kind: str,
    unit: Unit,
    filename: str,
    row_number: int,
    values: dict[str, object],
    pending: list[dict[str, object]],
) -> HeldRow:
    return HeldRow.objects.create(
        kind=kind,
        unit=unit,
        filename=filename[:200],
        row_number=row_number,
        values=values,
        pending=pending,
        created_by=actor,
    )


def held_close(*, actor: User | None, held: HeldRow, outcome: str) -> HeldRow:
    if held.resolved_at is not None:
        raise DomainError("resolved", _("该行已处理"))
    held.resolved_at = timezone.now()
    held.resolved_by = actor
    held.outcome = outcome[:200]
    held.save(update_fields=["resolved_at", "resolved_by", "outcome"])
    return held
