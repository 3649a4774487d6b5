"""API of the demand map: needs, recommendations (with the why), the map's figures, surveys
and their reminders, experts, and the needs a university fits. The same selectors, services
and rules as the pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from yanzhen.core.api import ERRORS, api_fields, page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.masking import record_opened
from yanzhen.core.models import User
from yanzhen.core.schemas import Page, PageQuery, Top
from yanzhen.demand import recommendations, selectors, services
from yanzhen.demand.models import Expert, NeedSource, SurveyCampaign, TalentNeed
from yanzhen.demand.schemas import (
    CampaignDetailOut,
    CampaignOut,
    CellOut,
    DisciplineRef,
    ExpertIn,
    ExpertOut,
    FitOut,
    MapDisciplineOut,
    MapIndustryOut,
    NeedIn,
    NeedOut,
    NeedPatch,
    RecommendationOut,
    RecommendationsOut,
    Ref,
    ReminderOut,
    TargetOut,
)
from yanzhen.engines.retrieval import DEGREES, Need, Outcome
from yanzhen.reference.models import Discipline
from yanzhen.reference.selectors import universities_by_id, university_get

router = Router(tags=["人才需求图谱"])


def need_out(need: TalentNeed) -> NeedOut:
    industry = need.enterprise.local_industry
    return NeedOut(
        id=need.pk,
        code=need.code,
        enterprise=Ref(id=need.enterprise.pk, name=need.enterprise.name),
        local_industry=industry.code if industry else None,
        position=need.position,
        disciplines=[DisciplineRef(code=d.code, name=d.name) for d in need.disciplines.all()],
        majors=need.majors,
        degree=need.degree,  # type: ignore[arg-type]
        number=need.number,
        urgency=need.urgency,  # type: ignore[arg-type]
        salary_min=need.salary_min,
        salary_max=need.salary_max,
        deadline=need.deadline,
        description=need.description,
        preferred_universities=[
            Ref(id=u.pk, name=u.name) for u in need.preferred_universities.all()
        ],
        campaign=Ref(id=need.campaign.pk, name=need.campaign.title) if need.campaign else None,
        status=need.status,  # type: ignore[arg-type]
        source=need.source,
        reported_on=need.reported_on,
        version=need.version,
    )


def _outcomes(found: recommendations.Recommendations) -> RecommendationsOut:
    def items(outcome: Outcome) -> list[RecommendationOut]:
        return [RecommendationOut(**recommendations.as_dict(r)) for r in outcome.items]

    return RecommendationsOut(
        universities=items(found.universities),
        experts=items(found.experts),
        terms=list(found.universities.terms),
        message=found.universities.message or found.experts.message,
    )


class NeedQuery(FilterQuery[selectors.NeedFilters], PageQuery):
    pass


@router.get("/demand/needs", response={200: Page[NeedOut], **ERRORS}, url_name="demand_list_needs")
def list_needs(request: AuthenticatedHttpRequest, query: Query[NeedQuery]) -> dict[str, object]:
    require(request, "demand.view_talentneed")
    page, size = query.page, query.page_size
    qs = selectors.with_universities(
        selectors.need_list(user=request.user, filters=query.filters())
    )
    items = [need_out(n) for n in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.get(
    "/demand/needs/{need_id}", response={200: NeedOut, **ERRORS}, url_name="demand_get_need"
)
def get_need(request: AuthenticatedHttpRequest, need_id: int) -> NeedOut:
    require(request, "demand.view_talentneed")
    return need_out(selectors.need_detail(request.user, need_id))


def _disciplines(codes: list[str], errors: dict[str, str]) -> list[Discipline]:
    found = selectors.disciplines_by_code(codes)
    missing = [c for c in codes if c not in found]
    if missing:
        errors["discipline_codes"] = _("一级学科代码不存在：%(codes)s") % {
            "codes": "、".join(missing)
        }
    return [found[c] for c in dict.fromkeys(codes) if c in found]


def _need_data(user: User, body: NeedIn) -> services.NeedData:
    errors: dict[str, str] = {}
    enterprise = selectors.need_enterprise_get(user, body.enterprise_id)
    if enterprise is None:
        errors["enterprise_id"] = _("需求单位不存在或不在您的数据范围内")
    disciplines = _disciplines(body.discipline_codes, errors)
    universities = universities_by_id(body.preferred_university_ids)
    missing = [str(i) for i in body.preferred_university_ids if i not in universities]
    if missing:
        errors["preferred_university_ids"] = _("高校不存在：%(ids)s") % {"ids": "、".join(missing)}
    campaign = None
    if body.campaign_id is not None:
        campaign = selectors.campaign_find(user, body.campaign_id)
        if campaign is None:
            errors["campaign_id"] = _("需求调查不存在或不在您的数据范围内")
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    assert enterprise is not None
    return services.NeedData(
        enterprise=enterprise,
        position=body.position,
        degree=body.degree,
        number=body.number,
        urgency=body.urgency,
        disciplines=disciplines,
        majors=body.majors,
        salary_min=body.salary_min,
        salary_max=body.salary_max,
        deadline=body.deadline,
        description=body.description,
        preferred_universities=[
            universities[i] for i in dict.fromkeys(body.preferred_university_ids)
        ],
        campaign=campaign,
        status=body.status,
        source=NeedSource.API,
    )


_API_FIELDS = {
    "enterprise": "enterprise_id",
    "disciplines": "discipline_codes",
    "campaign": "campaign_id",
}


@router.post("/demand/needs", response={201: NeedOut, **ERRORS}, url_name="demand_create_need")
def create_need(request: AuthenticatedHttpRequest, body: NeedIn) -> Status[NeedOut]:
    require(request, "demand.add_talentneed")
    user = request.user
    with api_fields(_API_FIELDS):
        need = services.need_create(actor=user, data=_need_data(user, body))
    return Status(201, need_out(selectors.need_get(user, need.pk)))


@router.patch(
    "/demand/needs/{need_id}", response={200: NeedOut, **ERRORS}, url_name="demand_update_need"
)
def update_need(request: AuthenticatedHttpRequest, need_id: int, body: NeedPatch) -> NeedOut:
    require(request, "demand.change_talentneed")
    user = request.user
    need = selectors.need_detail(user, need_id)
    given = body.model_dump(exclude_unset=True)
    errors: dict[str, str] = {}
    disciplines = (
        _disciplines(given["discipline_codes"], errors)
        if "discipline_codes" in given
        else list(need.disciplines.all())
    )
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    data = services.NeedData(
        enterprise=need.enterprise,
        position=given.get("position") or need.position,
        degree=given.get("degree") or need.degree,
        number=given.get("number") or need.number,
        urgency=given.get("urgency") or need.urgency,
        disciplines=disciplines,
        majors=given.get("majors", need.majors) or "",
        salary_min=given.get("salary_min", need.salary_min),
        salary_max=given.get("salary_max", need.salary_max),
        deadline=given.get("deadline", need.deadline),
        description=given.get("description", need.description) or "",
        preferred_universities=list(need.preferred_universities.all()),
        campaign=need.campaign,
        status=given.get("status") or need.status,
        source=need.source,
    )
    with api_fields(_API_FIELDS):
        services.need_update(
            actor=user, need=need, data=data, expected_version=given.get("version")
        )
    return need_out(selectors.need_detail(user, need.pk))


@router.get(
    "/demand/needs/{need_id}/recommendations",
    response={200: RecommendationsOut, **ERRORS},
    url_name="demand_need_recommendations",
)
def need_recommendations(
    request: AuthenticatedHttpRequest, need_id: int, top: Top = 10
) -> RecommendationsOut:
    require(request, "demand.view_talentneed")
    need = selectors.need_get(request.user, need_id)
    found = recommendations.recommend_need(user=request.user, need=need, top=max(1, min(top, 50)))
    return _outcomes(found)


@router.get(
    "/demand/recommendations",
    response={200: RecommendationsOut, **ERRORS},
    url_name="demand_recommend",
)
def recommend(
    request: AuthenticatedHttpRequest,
    q: str = "",
    discipline: str = "",
    degree: str = "",
    top: Top = 10,
) -> RecommendationsOut:
    """Universities and experts for a need written as text (and/or a discipline code)."""
    require(request, "demand.view_talentneed")
    if degree and degree not in DEGREES:
        message = _("学历只能是 %(degrees)s") % {"degrees": "、".join(DEGREES)}
        raise DomainError("invalid_degree", message, {"degree": message})
    need = Need(text=q, discipline_codes=(discipline,) if discipline else (), degree=degree)
    found = recommendations.recommend(user=request.user, need=need, top=max(1, min(top, 50)))
    return _outcomes(found)


class MapQuery(FilterQuery[selectors.NeedFilters]):
    """The map takes the filters of the needs list."""


@router.get("/demand/map", response={200: list[MapIndustryOut], **ERRORS}, url_name="demand_map")
def demand_map(request: AuthenticatedHttpRequest, query: Query[MapQuery]) -> list[MapIndustryOut]:
    """Needs by industry → discipline → degree (needs, people, urgent people)."""
    require(request, "demand.view_talentneed")
    rows = selectors.need_aggregates(request.user, query.filters())

    def cell(c: selectors.Cell) -> CellOut:
        return CellOut(needs=c.needs, people=c.people, urgent=c.urgent)

    return [
        MapIndustryOut(
            code=r.code,
            name=r.name,
            group=r.group,
            total=cell(r.total),
            disciplines=[
                MapDisciplineOut(
                    code=d.code,
                    name=d.name,
                    total=cell(d.total),
                    by_degree={k: cell(v) for k, v in d.by_degree.items()},
                )
                for d in r.disciplines
            ],
        )
        for r in rows
    ]


def campaign_out(campaign: SurveyCampaign, targets: int, answered: int) -> CampaignOut:
    return CampaignOut(
        id=campaign.pk,
        title=campaign.title,
        owner_unit=Ref(id=campaign.owner_unit.pk, name=campaign.owner_unit.name),
        opens_on=campaign.opens_on,
        deadline=campaign.deadline,
        closed=campaign.closed,
        targets=targets,
        answered=answered,
    )


@router.get(
    "/demand/campaigns",
    response={200: list[CampaignOut], **ERRORS},
    url_name="demand_list_campaigns",
)
def list_campaigns(
    request: AuthenticatedHttpRequest, query: Query[FilterQuery[selectors.CampaignFilters]]
) -> list[CampaignOut]:
    require(request, "demand.view_surveycampaign")
    return [
        campaign_out(c, c.n_targets, c.n_answered)  # type: ignore[attr-defined]
        for c in selectors.campaign_list(user=request.user, filters=query.filters())
    ]


def _targets(user: User, campaign: SurveyCampaign, answered: bool | None = None) -> list[TargetOut]:
    return [
        TargetOut(
            enterprise=Ref(id=t.enterprise.pk, name=t.enterprise.name),
            answered_at=t.answered_at,
            no_needs=t.no_needs,
            needs=t.n_needs,  # type: ignore[attr-defined]
            reminders=t.reminders,
            reminded_at=t.reminded_at,
        )
        for t in selectors.campaign_targets(user, campaign, answered=answered)
    ]


@router.get(
    "/demand/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **ERRORS},
    url_name="demand_get_campaign",
)
def get_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> CampaignDetailOut:
    require(request, "demand.view_surveycampaign")
    user = request.user
    campaign = selectors.campaign_get(user, campaign_id)
    targets = _targets(user, campaign)
    answered = sum(1 for t in targets if t.answered_at is not None)
    return CampaignDetailOut(
        **campaign_out(campaign, len(targets), answered).model_dump(), target_list=targets
    )


@router.get(
    "/demand/campaigns/{campaign_id}/reminders",
    response={200: list[TargetOut], **ERRORS},
    url_name="demand_campaign_pending",
)
def campaign_pending(request: AuthenticatedHttpRequest, campaign_id: int) -> list[TargetOut]:
    """The units that have not answered (those a reminder would go to)."""
    require(request, "demand.view_surveycampaign")
    user = request.user
    return _targets(user, selectors.campaign_get(user, campaign_id), answered=False)


@router.post(
    "/demand/campaigns/{campaign_id}/reminders",
    response={200: ReminderOut, **ERRORS},
    url_name="demand_campaign_remind",
)
def campaign_remind(request: AuthenticatedHttpRequest, campaign_id: int) -> ReminderOut:
    """Remind every unit that has not answered (at most once a day each)."""
    require(request, "demand.remind_surveycampaign")
    user = request.user
    campaign = selectors.campaign_get(user, campaign_id)
    report = services.campaign_remind(
        actor=user,
        campaign=campaign,
        url=reverse("demand:campaign_detail", kwargs={"pk": campaign.pk}),
    )
    return ReminderOut(
        units=[Ref(id=u.pk, name=u.name) for u in report.units],
        notifications=report.notifications,
    )


def expert_out(expert: Expert) -> ExpertOut:
    return ExpertOut(
        id=expert.pk,
        name=expert.name,
        university=Ref(id=expert.university.pk, name=expert.university.name),
        department=expert.department,
        title=expert.title,
        honours=expert.honours,
        disciplines=[DisciplineRef(code=d.code, name=d.name) for d in expert.disciplines.all()],
        directions=expert.directions,
        project_notes=expert.project_notes,
    )


class ExpertQuery(FilterQuery[selectors.ExpertFilters], PageQuery):
    pass


@router.get(
    "/demand/experts", response={200: Page[ExpertOut], **ERRORS}, url_name="demand_list_experts"
)
def list_experts(request: AuthenticatedHttpRequest, query: Query[ExpertQuery]) -> dict[str, object]:
    require(request, "demand.view_expert")
    qs = selectors.expert_list(user=request.user, filters=query.filters())
    page, size = query.page, query.page_size
    items = [expert_out(e) for e in qs[(page - 1) * size : page * size]]
    return page_of(list(items), qs.count(), page, size)


@router.get(
    "/demand/experts/{expert_id}", response={200: ExpertOut, **ERRORS}, url_name="demand_get_expert"
)
def get_expert(request: AuthenticatedHttpRequest, expert_id: int) -> ExpertOut:
    require(request, "demand.view_expert")
    expert = selectors.expert_detail(request.user, expert_id)
    record_opened(request, record_type="expert", record_id=expert.pk)  # a person's record
    return expert_out(expert)


@router.post(
    "/demand/experts", response={201: ExpertOut, **ERRORS}, url_name="demand_create_expert"
)
def create_expert(request: AuthenticatedHttpRequest, body: ExpertIn) -> Status[ExpertOut]:
    require(request, "demand.add_expert")
    user = request.user
    errors: dict[str, str] = {}
    university = universities_by_id([body.university_id]).get(body.university_id)
    if university is None:
        errors["university_id"] = _("高校不存在")
    owner = selectors.answering_unit(user, body.owner_unit_id)
    if owner is None:
        errors["owner_unit_id"] = _("登记单位不存在或不在您的数据范围内")
    disciplines = _disciplines(body.discipline_codes, errors)
    projects = selectors.cooperations_by_id(user, body.project_ids)
    if len(projects) != len(set(body.project_ids)):
        errors["project_ids"] = _("合作不存在或不在您的数据范围内")
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    assert university is not None
    assert owner is not None
    data = services.ExpertData(
        name=body.name,
        university=university,
        owner_unit=owner,
        directions=body.directions,
        disciplines=disciplines,
        department=body.department,
        title=body.title,
        honours=body.honours,
        projects=projects,
        project_notes=body.project_notes,
    )
    with api_fields(_API_FIELDS):
        expert = services.expert_create(actor=user, data=data)
    return Status(201, expert_out(selectors.expert_detail(user, expert.pk)))


@router.get(
    "/demand/universities/{university_id}/needs",
    response={200: list[FitOut], **ERRORS},
    url_name="demand_university_needs",
)
def university_needs(request: AuthenticatedHttpRequest, university_id: int) -> list[FitOut]:
    """Reverse: the open local needs (in the user's scope) the university fits, best first."""
    require(request, "demand.view_talentneed")
    university = university_get(university_id)
    fits = recommendations.fitting_needs(user=request.user, university=university)
    return [
        FitOut(
            need=need_out(f.need),
            recommendation=RecommendationOut(**recommendations.as_dict(f.recommendation)),
        )
        for f in fits
    ]
