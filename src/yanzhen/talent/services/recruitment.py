"""Recruitment: campaigns, positions, applicants and their stage moves (onboarding files the
talent in the registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from yanzhen.core.errors import DomainError
from yanzhen.core.models import Person, Unit, User
from yanzhen.demand.models import TalentNeed
from yanzhen.reference.models import Discipline, University
from yanzhen.talent.models import (
    RECRUITMENT_CHANNELS,
    Applicant,
    ApplicantEvent,
    ApplicantStage,
    Campaign,
    Position,
    Talent,
)
from yanzhen.talent.services.common import changed, check_unit, fail, not_in_future, save
from yanzhen.talent.services.registry import talent_create

FORWARD: tuple[str, ...] = (
    ApplicantStage.APPLIED,
    ApplicantStage.SCREENED,
    ApplicantStage.EXAMINED,
    ApplicantStage.OFFERED,
    ApplicantStage.ONBOARDED,
)
LEAVING: tuple[str, ...] = (ApplicantStage.WITHDRAWN, ApplicantStage.REJECTED)
FINAL: tuple[str, ...] = (ApplicantStage.ONBOARDED, *LEAVING)


def next_stages(stage: str) -> list[str]:
    """The stages an applicant in ``stage`` may move to."""
    if stage in FINAL:
        return []
    return [FORWARD[FORWARD.index(stage) + 1], *LEAVING]


CAMPAIGN_FIELDS = (
    *("name", "channel", "owner_unit", "year", "start_date", "end_date"),
    *("description", "target_universities"),
)


@transaction.atomic
def campaign_create(
    *,
    actor: User | None,
    name: str,
    channel: str,
    owner_unit: Unit,
    year: int,
    start_date: dt.date,
    end_date: dt.date,
    target_universities: Sequence[University] = (),
    description: str = "",
) -> Campaign:
    campaign = Campaign(
        name=name,
        channel=channel,
        owner_unit=owner_unit,
        year=year,
        start_date=start_date,
        end_date=end_date,
        description=description,
    )
    return _campaign_save(actor, campaign, target_universities)


@transaction.atomic
def campaign_update(*, actor: User | None, campaign: Campaign, **fields: Any) -> Campaign:
    """Change the fields given (``CAMPAIGN_FIELDS``); the others keep their values."""
    universities = fields.pop("target_universities", None)
    return _campaign_save(actor, changed(campaign, fields, CAMPAIGN_FIELDS), universities)


def _campaign_save(
    actor: User | None, campaign: Campaign, universities: Sequence[University] | None
) -> Campaign:
    check_unit(actor, campaign.owner_unit, field="owner_unit", label="组织单位")
    if campaign.channel not in RECRUITMENT_CHANNELS:
        raise fail("channel", "引才渠道应为公开招聘、柔性引才或校园招聘")
    if campaign.end_date < campaign.start_date:
        raise fail("end_date", "结束日期不能早于开始日期")
    campaign.name = campaign.name.strip()
    duplicate = Campaign.objects.filter(owner_unit=campaign.owner_unit, name=campaign.name)
    if duplicate.exclude(pk=campaign.pk).exists():
        raise fail("name", f"{campaign.owner_unit.name}已有名为“{campaign.name}”的招聘活动")
    save(campaign, actor)
    if universities is not None:
        campaign.target_universities.set(list(universities))
    return campaign


POSITION_FIELDS = (
    *("title", "unit", "talent_type", "quota", "discipline", "degree"),
    *("description", "talent_need"),
)


def position_create(
    *,
    actor: User | None,
    campaign: Campaign,
    title: str,
    unit: Unit,
    talent_type: str,
    quota: int,
    discipline: Discipline | None = None,
    degree: str = "",
    description: str = "",
    talent_need: TalentNeed | None = None,
) -> Position:
    """A position of a campaign; it may answer a talent need (人才需求) of its unit."""
    position = Position(
        campaign=campaign,
        title=title,
        unit=unit,
        talent_type=talent_type,
        quota=quota,
        discipline=discipline,
        degree=degree,
        description=description,
        talent_need=talent_need,
    )
    return _position_save(actor, position)


def position_update(*, actor: User | None, position: Position, **fields: Any) -> Position:
    """Change the fields given (``POSITION_FIELDS``); the others keep their values."""
    return _position_save(actor, changed(position, fields, POSITION_FIELDS))


def _position_save(actor: User | None, position: Position) -> Position:
    unit, need = position.unit, position.talent_need
    check_unit(actor, unit, field="unit", label="用人单位")
    if need is not None and need.enterprise_id != unit.pk:
        raise fail("talent_need", f"人才需求“{need.position}”不是{unit.name}的需求")
    if position.quota < 1:
        raise fail("quota", "招聘名额至少为1")
    if position.pk is not None:
        onboarded = position.applicants.filter(stage=ApplicantStage.ONBOARDED).count()
        if position.quota < onboarded:
            raise fail("quota", f"该岗位已入职{onboarded}人，名额不能少于{onboarded}")
    position.title = position.title.strip()
    duplicate = Position.objects.filter(
        campaign=position.campaign_id, unit=unit, title=position.title
    )
    if duplicate.exclude(pk=position.pk).exists():
        raise fail("title", f"本次招聘中{unit.name}已有“{position.title}”岗位")
    save(position, actor)
    return position


@transaction.atomic
def applicant_create(
    *,
    actor: User | None,
    position: Position,
    person: Person,
    applied_on: dt.date,
    university: University | None = None,
    degree: str = "",
    discipline: Discipline | None = None,
) -> Applicant:
    not_in_future(applied_on, "applied_on", "报名日期")
    if Applicant.objects.filter(position=position, person=person).exists():
        raise fail("person", f"{person.name}已报名该岗位")
    applicant = Applicant(
        campaign=position.campaign,
        position=position,
        person=person,
        university=university,
        degree=degree,
        discipline=discipline,
        applied_on=applied_on,
        stage=ApplicantStage.APPLIED,
        stage_date=applied_on,
    )
    save(applicant, actor)
    ApplicantEvent.objects.create(
        applicant=applicant,
        from_stage="",
        to_stage=ApplicantStage.APPLIED,
        date=applied_on,
        reason="报名",
        created_by=actor,
    )
    return applicant


APPLICANT_FIELDS = ("university", "degree", "discipline", "applied_on")


@transaction.atomic
def applicant_update(*, actor: User | None, applicant: Applicant, **fields: Any) -> Applicant:
    """Correct what the application says (school, degree, discipline, date); the stage moves
    through :func:`applicant_move` only."""
    check_unit(actor, applicant.position.unit, field="position", label="报考岗位")
    if "applied_on" in fields:
        not_in_future(fields["applied_on"], "applied_on", "报名日期")
        if applicant.stage == ApplicantStage.APPLIED:
            fields = {**fields, "stage_date": fields["applied_on"]}
    changed(applicant, fields, (*APPLICANT_FIELDS, "stage_date"))
    save(applicant, actor)
    return applicant


@transaction.atomic
def applicant_delete(*, actor: User | None, applicant: Applicant) -> None:
    """Remove an application filed by mistake (an import undone): only one still at 已报名."""
    check_unit(actor, applicant.position.unit, field="position", label="报考岗位")
    if applicant.stage != ApplicantStage.APPLIED or applicant.talent_id is not None:
        raise fail("person", f"{applicant.person.name}的报名已进入后续环节，不能删除")
    applicant._history_user = actor  # type: ignore[attr-defined]
    applicant.events.all().delete()
    applicant.delete()


@transaction.atomic
def applicant_move(
    *,
    actor: User | None,
    applicant: Applicant,
    target: str,
    date: dt.date | None,
    reason: str = "",
) -> Applicant:
    """Move an applicant one stage forward, or out (放弃 / 未录用) with a reason. Onboarding
    checks the position's quota and files the talent in the registry."""
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    current = applicant.stage
    labels = dict(ApplicantStage.choices)
    if target not in labels:
        raise fail("target", "目标阶段不正确")
    if current in FINAL:
        raise fail("target", f"该报名已是“{labels[current]}”，不能再变更")
    allowed = next_stages(current)
    if target not in allowed:
        raise fail(
            "target",
            f"只能按顺序推进：“{labels[current]}”之后为“{labels[allowed[0]]}”，或本人放弃、未录用",
        )
    if date is None:
        raise fail("date", "请填写日期")
    if date < applicant.stage_date:
        raise fail("date", f"日期不能早于上一阶段日期（{applicant.stage_date:%Y-%m-%d}）")
    if date > timezone.localdate():
        raise fail("date", "日期不能晚于今天")
    reason = reason.strip()
    if target in LEAVING and not reason:
        raise fail("reason", f"“{labels[target]}”须说明原因")
    if target == ApplicantStage.ONBOARDED:
        position = Position.objects.select_for_update().get(pk=applicant.position_id)
        onboarded = position.applicants.filter(stage=ApplicantStage.ONBOARDED).count()
        if onboarded >= position.quota:
            raise DomainError(
                "quota_full",
                f"岗位“{position.title}”名额{position.quota}人已满",
                {"target": f"岗位名额{position.quota}人已满"},
            )
        applicant.talent = _onboard(actor, applicant, position, date)
    applicant.stage = target
    applicant.stage_date = date
    applicant.stage_reason = reason if target in LEAVING else ""
    save(applicant, actor)
    ApplicantEvent.objects.create(
        applicant=applicant,
        from_stage=current,
        to_stage=target,
        date=date,
        reason=reason,
        created_by=actor,
    )
    return applicant


def _onboard(actor: User | None, applicant: Applicant, position: Position, date: dt.date) -> Talent:
    campaign = applicant.campaign
    return talent_create(
        actor=actor,
        person=applicant.person,
        talent_type=position.talent_type,
        degree=applicant.degree,
        university=applicant.university,
        discipline=applicant.discipline or position.discipline,
        employer=position.unit,
        channel=campaign.channel,
        campaign=campaign,
        start_date=date,
    )
