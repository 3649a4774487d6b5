"""API of the talent app: the registry and its statistics, recruitment stage moves
(programmes and their allocation, internships: ``yanzhen.placement.api``; eligibility,
entitlements and the payment list: ``yanzhen.benefits.api``).
The same selectors (data scope) and services (rules) as the pages."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Status

from yanzhen.core.api import page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.masking import MASKED, ApiPii, api_pii, record_opened
from yanzhen.core.models import Unit
from yanzhen.core.schemas import ErrorOut, Page, PageQuery, Reveal
from yanzhen.core.selectors import unit_qs
from yanzhen.reference.selectors import discipline_find, university_find
from yanzhen.talent import selectors, services
from yanzhen.talent.models import Applicant, Talent
from yanzhen.talent.schemas import (
    ApplicantStagesOut,
    CampaignDetailOut,
    CampaignOut,
    NamedRef,
    PositionOut,
    StageEventOut,
    StageIn,
    StatRowOut,
    StatsOut,
    TalentIn,
    TalentOut,
)

router = Router(tags=["人才工作"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _ref(obj: object | None) -> NamedRef | None:
    if obj is None:
        return None
    return NamedRef(id=obj.pk, name=str(getattr(obj, "name", obj)))  # type: ignore[attr-defined]


def talent_out(pii: ApiPii, t: Talent) -> TalentOut:
    """A talent; ID number and mobile masked unless the request revealed them (``api_pii``)."""
    return TalentOut(
        id=t.pk,
        name=t.person.name,
        gender=t.person.gender,
        id_number=pii(t.person.id_number, "id"),
        mobile=pii(t.person.mobile, "mobile"),
        talent_type=t.talent_type,
        talent_type_label=t.get_talent_type_display(),
        degree=t.degree,
        university=_ref(t.university),
        discipline=t.discipline.code if t.discipline else None,
        employer=NamedRef(id=t.employer.pk, name=t.employer.name),
        channel=t.channel,
        campaign_id=t.campaign_id,
        start_date=t.start_date,
        end_date=t.end_date,
    )


class TalentQuery(FilterQuery[selectors.TalentFilters], PageQuery):
    """The registry's filters; the statistics take (and ignore) the page too, as before."""


class TalentListQuery(TalentQuery):
    reveal: Reveal = ""


@router.get(
    "/talent/talents",
    response={200: Page[TalentOut], **ERRORS, 429: ErrorOut},
    url_name="talent_list_talents",
)
def list_talents(
    request: AuthenticatedHttpRequest, query: Query[TalentListQuery]
) -> dict[str, object]:
    """Talents of the user's scope; ID numbers and mobiles masked unless ``reveal=pii``."""
    require(request, "talent.view_talent")
    user = request.user
    pii = api_pii(request)
    page, size = query.page, query.page_size
    qs = selectors.talent_list(user=user, filters=query.filters(), today=timezone.localdate())
    items = [talent_out(pii, t) for t in qs[(page - 1) * size : page * size]]
    pii.logged(
        request, record_type="talent_list", record_id=page, title="人才", rows=len(items),
        payload=items,
    )  # fmt: skip
    return page_of(list(items), qs.count(), page, size)


@router.post(
    "/talent/talents", response={201: TalentOut, **ERRORS}, url_name="talent_create_talent"
)
def create_talent(request: AuthenticatedHttpRequest, body: TalentIn) -> Status[TalentOut]:
    require(request, "talent.add_talent")
    user = request.user
    errors: dict[str, str] = {}
    employer = unit_qs(user).filter(pk=body.employer_id).first()
    if employer is None:
        errors["employer_id"] = "用人单位不存在或不在您的数据范围内"
    university = None
    if body.university_id is not None:
        university = university_find(body.university_id)
        if university is None:
            errors["university_id"] = "高校不存在"
    discipline = None
    if body.discipline:
        discipline = discipline_find(body.discipline)
        if discipline is None:
            errors["discipline"] = f"学科代码“{body.discipline}”不存在"
    campaign = None
    if body.campaign_id is not None:
        campaign = selectors.campaign_qs(user).filter(pk=body.campaign_id).first()
        if campaign is None:
            errors["campaign_id"] = "招聘活动不存在或不在您的数据范围内"
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    assert isinstance(employer, Unit)
    person = services.person_for(
        actor=user,
        unit=employer,
        name=body.name,
        id_number=body.id_number,
        mobile=body.mobile,
        gender=body.gender,
        degree=body.degree,
    )
    talent = services.talent_create(
        actor=user,
        person=person,
        talent_type=body.talent_type,
        degree=body.degree,
        university=university,
        discipline=discipline,
        employer=employer,
        channel=body.channel,
        campaign=campaign,
        start_date=body.start_date,
        end_date=body.end_date,
        note=body.note,
    )
    return Status(201, talent_out(MASKED, selectors.talent_get(user, talent.pk)))


@router.get(
    "/talent/talents/{talent_id}",
    response={200: TalentOut, **ERRORS, 429: ErrorOut},
    url_name="talent_get_talent",
)
def get_talent(request: AuthenticatedHttpRequest, talent_id: int, reveal: Reveal = "") -> TalentOut:
    """One talent (its opening is logged); ID number and mobile masked unless ``reveal=pii``."""
    require(request, "talent.view_talent")
    user = request.user
    talent = selectors.talent_get(user, talent_id)
    pii = api_pii(request)
    out = talent_out(pii, talent)
    if pii.revealed:
        pii.logged(
            request, record_type="talent", record_id=talent.pk, title="人才", rows=1,
            payload=[out],
        )  # fmt: skip
    else:
        record_opened(request, record_type="talent", record_id=talent.pk)
    return out


@router.get("/talent/stats", response={200: StatsOut, **ERRORS}, url_name="talent_stats")
def talent_stats(request: AuthenticatedHttpRequest, query: Query[TalentQuery]) -> StatsOut:
    require(request, "talent.view_talent")
    stats = selectors.talent_stats(
        user=request.user, filters=query.filters(), today=timezone.localdate()
    )
    return StatsOut(
        total=stats.total.count,
        doctors=stats.doctors.count,
        masters=stats.masters.count,
        dimensions={
            name: [StatRowOut(label=r.label, count=r.count, query=r.query) for r in rows]
            for name, rows in stats.dimensions
        },
    )


# Recruitment ---------------------------------------------------------------------------------


@router.get(
    "/talent/campaigns",
    response={200: list[CampaignOut], **ERRORS},
    url_name="talent_list_campaigns",
)
def list_campaigns(
    request: AuthenticatedHttpRequest, query: Query[FilterQuery[selectors.CampaignFilters]]
) -> list[CampaignOut]:
    require(request, "talent.view_campaign")
    qs = selectors.campaign_list(user=request.user, filters=query.filters())
    return [
        CampaignOut(
            id=c.pk,
            name=c.name,
            channel=c.channel,
            owner_unit=NamedRef(id=c.owner_unit.pk, name=c.owner_unit.name),
            year=c.year,
            start_date=c.start_date,
            end_date=c.end_date,
        )
        for c in qs
    ]


@router.get(
    "/talent/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **ERRORS},
    url_name="talent_get_campaign",
)
def get_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> CampaignDetailOut:
    require(request, "talent.view_campaign")
    user = request.user
    c = selectors.campaign_get(user, campaign_id)
    return CampaignDetailOut(
        id=c.pk, name=c.name, channel=c.channel,
        owner_unit=NamedRef(id=c.owner_unit.pk, name=c.owner_unit.name),
        year=c.year, start_date=c.start_date, end_date=c.end_date,
        target_universities=[NamedRef(id=u.pk, name=u.name) for u in c.target_universities.all()],
        positions=[
            PositionOut(
                id=p.pk, title=p.title, unit=NamedRef(id=p.unit.pk, name=p.unit.name),
                talent_type=p.talent_type, quota=p.quota,
                applicants=p.n_applicants, onboarded=p.n_onboarded,  # type: ignore[attr-defined]
            )
            for p in selectors.positions_of(user, c)
        ],
    )  # fmt: skip


def _stages_out(applicant: Applicant) -> ApplicantStagesOut:
    return ApplicantStagesOut(
        id=applicant.pk,
        name=applicant.person.name,
        stage=applicant.stage,
        stage_label=applicant.get_stage_display(),
        next_stages=services.next_stages(applicant.stage),
        events=[
            StageEventOut(
                from_stage=e.from_stage, to_stage=e.to_stage, date=e.date, reason=e.reason
            )
            for e in selectors.applicant_events_in_order(applicant)
        ],
        talent_id=applicant.talent_id,
    )


@router.get(
    "/talent/applicants/{applicant_id}/stage",
    response={200: ApplicantStagesOut, **ERRORS},
    url_name="talent_applicant_stages",
)
def applicant_stages(request: AuthenticatedHttpRequest, applicant_id: int) -> ApplicantStagesOut:
    """An applicant and its stages (the opening is logged: a record of a person)."""
    require(request, "talent.view_applicant")
    applicant = selectors.applicant_get(request.user, applicant_id)
    record_opened(request, record_type="applicant", record_id=applicant.pk)
    return _stages_out(applicant)


@router.post(
    "/talent/applicants/{applicant_id}/stage",
    response={200: ApplicantStagesOut, **ERRORS},
    url_name="talent_advance_applicant",
)
def advance_applicant(
    request: AuthenticatedHttpRequest, applicant_id: int, body: StageIn
) -> ApplicantStagesOut:
    """Move an applicant to its next stage, or out with a reason (onboarding files the talent)."""
    require(request, "talent.change_applicant")
    user = request.user
    applicant = selectors.applicant_get(user, applicant_id)
    moved = services.applicant_move(
        actor=user, applicant=applicant, target=body.target, date=body.date, reason=body.reason
    )
    return _stages_out(selectors.applicant_get(user, moved.pk))
