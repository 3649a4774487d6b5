"""Reads of recruitment: campaigns, positions, applicants (scoped)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import Filters, choice, number, record, text
from yanzhen.core.scope import scope_of
from yanzhen.talent.models import (
    RECRUITMENT_CHANNEL_CHOICES,
    Applicant,
    ApplicantEvent,
    ApplicantStage,
    Campaign,
    Position,
)

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def campaign_qs(user: AnyUser) -> QuerySet[Campaign]:
    scope = scope_of(user)
    if scope.everything:
        return Campaign.objects.all()
    positions = Position.objects.filter(scope.q("unit")).values("campaign_id")
    return Campaign.objects.filter(scope.q("owner_unit") | Q(pk__in=positions))


@dataclass(frozen=True)
class CampaignFilters(Filters):
    q: str = text("搜索")
    channel: str = choice("引才渠道", RECRUITMENT_CHANNEL_CHOICES)
    year: int | None = number("年度", low=1990, high=2100)


def campaign_list(*, user: AnyUser, filters: CampaignFilters) -> QuerySet[Campaign]:
    qs = campaign_qs(user).select_related("owner_unit")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(owner_unit__name__icontains=filters.q))
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return qs.annotate(
        n_positions=Count("positions", distinct=True),
        n_applicants=Count("applicants", distinct=True),
        n_onboarded=Count("talents", distinct=True),
    ).order_by("-start_date", "-id")


def campaign_get(user: AnyUser, pk: int) -> Campaign:
    return get_object_or_404(campaign_qs(user).select_related("owner_unit"), pk=pk)


def campaign_manageable(user: AnyUser, campaign: Campaign) -> bool:
    return scope_of(user).contains_unit(campaign.owner_unit)


def position_qs(user: AnyUser) -> QuerySet[Position]:
    scope = scope_of(user)
    return Position.objects.filter(scope.q("campaign__owner_unit") | scope.q("unit", None))


def position_get(user: AnyUser, pk: int) -> Position:
    return get_object_or_404(
        position_qs(user).select_related("campaign", "unit", "discipline"), pk=pk
    )


def positions_of(user: AnyUser, campaign: Campaign) -> QuerySet[Position]:
    return (
        position_qs(user)
        .filter(campaign=campaign)
        .select_related("unit", "discipline", "talent_need")
        .annotate(
            n_applicants=Count("applicants", distinct=True),
            n_onboarded=Count("applicants", filter=Q(applicants__stage="onboarded"), distinct=True),
        )
        .order_by("id")
    )


def applicant_qs(user: AnyUser) -> QuerySet[Applicant]:
    scope = scope_of(user)
    return Applicant.objects.filter(
        scope.q("campaign__owner_unit") | scope.q("position__unit", None)
    )


@dataclass(frozen=True)
class ApplicantFilters(Filters):
    q: str = text("搜索")
    campaign: int | None = record("招聘活动", hidden=True)
    position: int | None = record("岗位", hidden=True)
    stage: str = choice("阶段", ApplicantStage)
    university: int | None = record("毕业院校", hidden=True)


def applicant_list(*, user: AnyUser, filters: ApplicantFilters) -> QuerySet[Applicant]:
    qs = applicant_qs(user).select_related("person", "position__unit", "campaign", "university")
    if filters.q:
        qs = qs.filter(
            Q(person__name__icontains=filters.q) | Q(position__title__icontains=filters.q)
        )
    if filters.campaign is not None:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.position is not None:
        qs = qs.filter(position_id=filters.position)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.university is not None:
        qs = qs.filter(university_id=filters.university)
    return qs.order_by("-applied_on", "-id")


def applicant_get(user: AnyUser, pk: int) -> Applicant:
    return get_object_or_404(
        applicant_qs(user).select_related(
            "person", "position__unit", "campaign", "university", "discipline", "talent"
        ),
        pk=pk,
    )


def applicant_events(applicant: Applicant) -> QuerySet[ApplicantEvent]:
    """An applicant's stage events in their order, each with who recorded it."""
    return applicant.events.select_related("created_by")


def applicant_events_in_order(applicant: Applicant) -> QuerySet[ApplicantEvent]:
    """An applicant's stage events, the first recorded first."""
    return applicant.events.order_by("created_at", "id")
