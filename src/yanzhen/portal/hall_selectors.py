"""Reads of the portal's halls (需求大厅, 成果大厅, the expert directory), through the scope:

* a participant of the portal — an outside account (university, expert) or an enterprise's
  user — sees what is published, and its own organisation's drafts;
* an internal user sees its data scope: the technology needs and talent needs of its
  county's enterprises (every state: the office may hide a need), the results of the outside
  organisations its county approved, and its experts.

Search ranks with the retrieval engine's BM25 (``engines.retrieval``) over the records' text;
personal data (mobiles, ID numbers, contacts) is never part of a hall."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import F, Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.models import CountySettings, Unit, UnitKind
from yanzhen.core.scope import scope_of
from yanzhen.demand.models import Expert, NeedStatus, TalentNeed
from yanzhen.demand.selectors import expert_qs, need_qs
from yanzhen.engines.retrieval import BM25Index, default_tokenizer
from yanzhen.portal.models import (
    HallState,
    OutsideAccount,
    Registration,
    RegistrationState,
    Result,
    TechNeed,
)

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

M = TypeVar("M", bound=Model)


def is_participant(user: AnyUser) -> bool:
    """Whether ``user`` takes part in the portal as an outside party or an enterprise."""
    if not user.is_authenticated or user.unit_id is None:
        return False
    if OutsideAccount.objects.filter(user_id=user.pk).exists():
        return True
    return Unit.objects.filter(pk=user.unit_id, kind=UnitKind.ENTERPRISE).exists()


def outside_organisations() -> QuerySet[Unit]:
    """The outside organisations of the portal (units outside every county tree with an
    account)."""
    return Unit.objects.filter(
        parent__isnull=True, pk__in=OutsideAccount.objects.values("organisation_id")
    )


def approved_organisations(user: AnyUser) -> QuerySet[Registration]:
    if not user.is_authenticated:
        return Registration.objects.none()
    scope = scope_of(user)
    offices = CountySettings.objects.filter(office_id=user.unit_id).values("county_id")
    return Registration.objects.filter(
        scope.q("county", None) | Q(county_id__in=offices),
        state=RegistrationState.APPROVED,
        unit__isnull=False,
    )


@dataclass(frozen=True)
class HallQuery:
    q: str = ""
    field: str = ""
    discipline: str = ""  # a discipline's code (its category's code matches its children)


def _discipline_q(lookup: str, code: str) -> Q:
    return Q(**{f"{lookup}__code": code}) | Q(**{f"{lookup}__parent__code": code})


def rank(rows: Sequence[M], texts: Sequence[str], q: str) -> list[M]:
    """``rows`` that match the words of ``q``, best first (BM25; ties keep the order)."""
    tokenizer = default_tokenizer()
    words = tokenizer.tokens(q)
    if not rows or not words:
        return []
    index = BM25Index.build(tokenizer.tokenize_many(list(texts)))
    return [rows[hit.doc] for hit in index.top(words, k=len(rows))]


# 需求大厅 --------------------------------------------------------------------------------------


def tech_need_qs(user: AnyUser) -> QuerySet[TechNeed]:
    if not user.is_authenticated:
        return TechNeed.objects.none()
    if is_participant(user):
        return TechNeed.objects.filter(Q(state=HallState.PUBLISHED) | Q(enterprise_id=user.unit_id))
    return TechNeed.objects.filter(scope_of(user).q("enterprise", None))


def tech_need_text(need: TechNeed) -> str:
    discipline = need.discipline.name if need.discipline else ""
    return f"{need.title} {need.field} {discipline} {need.problem} {need.enterprise.name}"


def tech_need_list(*, user: AnyUser, query: HallQuery) -> list[TechNeed]:
    qs = tech_need_qs(user).select_related("enterprise", "discipline")
    if query.field:
        qs = qs.filter(field=query.field)
    if query.discipline:
        qs = qs.filter(_discipline_q("discipline", query.discipline))
    rows = list(qs.order_by(F("published_at").desc(nulls_last=True), "-id"))
    if query.q:
        return rank(rows, [tech_need_text(n) for n in rows], query.q)
    return rows


def tech_need_get(user: AnyUser, pk: int) -> TechNeed:
    return get_object_or_404(
        tech_need_qs(user).select_related("enterprise", "discipline", "created_by"), pk=pk
    )


def tech_need_fields(user: AnyUser) -> list[str]:
    """The technology fields of the needs ``user`` sees (for the filter)."""
    return sorted(set(tech_need_qs(user).values_list("field", flat=True)))


def talent_need_qs(user: AnyUser) -> QuerySet[TalentNeed]:
    """The talent needs in the hall: the open needs (all of them for a participant)."""
    if not user.is_authenticated:
        return TalentNeed.objects.none()
    base = TalentNeed.objects.all() if is_participant(user) else need_qs(user)
    return base.filter(status=NeedStatus.OPEN)


def talent_need_text(need: TalentNeed) -> str:
    disciplines = " ".join(d.name for d in need.disciplines.all())
    return f"{need.position} {need.majors} {disciplines} {need.enterprise.name}"


def talent_need_list(*, user: AnyUser, query: HallQuery) -> list[TalentNeed]:
    qs = talent_need_qs(user).select_related("enterprise").prefetch_related("disciplines")
    if query.discipline:
        qs = qs.filter(_discipline_q("disciplines", query.discipline)).distinct()
    if query.field:  # talent needs have no technology field
        return []
    rows = list(qs.order_by("-reported_on", "-id"))
    if query.q:
        return rank(rows, [talent_need_text(n) for n in rows], query.q)
    return rows


def talent_need_get(user: AnyUser, pk: int) -> TalentNeed:
    qs = talent_need_qs(user).select_related("enterprise").prefetch_related("disciplines")
    return get_object_or_404(qs, pk=pk)


# 成果大厅 --------------------------------------------------------------------------------------


def result_qs(user: AnyUser) -> QuerySet[Result]:
    if not user.is_authenticated:
        return Result.objects.none()
    if is_participant(user):
        return Result.objects.filter(Q(state=HallState.PUBLISHED) | Q(organisation_id=user.unit_id))
    return Result.objects.filter(
        state=HallState.PUBLISHED,
        organisation_id__in=approved_organisations(user).values("unit_id"),
    )


def result_text(result: Result) -> str:
    discipline = result.discipline.name if result.discipline else ""
    return f"{result.title} {discipline} {result.summary} {result.organisation.name}"


def result_list(*, user: AnyUser, query: HallQuery) -> list[Result]:
    qs = result_qs(user).select_related("organisation", "discipline")
    if query.discipline:
        qs = qs.filter(_discipline_q("discipline", query.discipline))
    rows = list(qs.order_by(F("published_at").desc(nulls_last=True), "-id"))
    if query.q:
        return rank(rows, [result_text(r) for r in rows], query.q)
    return rows


def result_get(user: AnyUser, pk: int) -> Result:
    return get_object_or_404(result_qs(user).select_related("organisation", "discipline"), pk=pk)


# The expert directory ---------------------------------------------------------------------------


def directory_qs(user: AnyUser) -> QuerySet[Expert]:
    """The experts of the outside organisations (their universities)."""
    if not user.is_authenticated:
        return Expert.objects.none()
    universities = outside_organisations().filter(university__isnull=False)
    if not is_participant(user):
        approved = approved_organisations(user).values("unit_id")
        universities = universities.filter(pk__in=approved)
        base = expert_qs(user)
    else:
        base = Expert.objects.all()
    return base.filter(university_id__in=universities.values("university_id"))


def expert_text(expert: Expert) -> str:
    disciplines = " ".join(d.name for d in expert.disciplines.all())
    return f"{expert.name} {expert.department} {disciplines} {expert.directions}"


def directory_list(*, user: AnyUser, query: HallQuery) -> list[Expert]:
    qs = directory_qs(user).select_related("university").prefetch_related("disciplines")
    if query.discipline:
        qs = qs.filter(_discipline_q("disciplines", query.discipline)).distinct()
    rows = list(qs.order_by("university__code", "name", "id"))
    if query.q:
        return rank(rows, [expert_text(e) for e in rows], query.q)
    return rows
