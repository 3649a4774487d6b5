"""Pages of recruitment: campaigns, positions, applicants and their stage moves."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.masking import record_opened
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    form_view,
    initial_of,
    render_table,
    require_perm,
    require_true,
    url,
)
from yanzhen.core.selectors import active_units
from yanzhen.demand.selectors import need_choices
from yanzhen.talent import selectors, services
from yanzhen.talent.forms import ApplicantForm, CampaignForm, PositionForm, StageForm
from yanzhen.talent.models import Applicant, ApplicantStage, Campaign, Position


def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "talent.view_campaign")
    user = request.user
    form = filter_form(selectors.CampaignFilters)(request.GET or None)
    columns: list[Col[Campaign]] = [
        Col("招聘活动", lambda c: c.name, lambda c: url("talent:campaign_detail", c.pk), width=30),
        Col("引才渠道", lambda c: c.get_channel_display()),
        Col("组织单位", lambda c: c.owner_unit.name, width=24),
        Col("年度", lambda c: c.year, kind="int", width=8, sort="year"),
        Col("开始日期", lambda c: c.start_date, kind="date", width=12),
        Col("结束日期", lambda c: c.end_date, kind="date", width=12),
        Col("岗位数", lambda c: c.n_positions, kind="int", width=8),  # type: ignore[attr-defined]
        Col(
            "报名人数",
            lambda c: c.n_applicants,  # type: ignore[attr-defined]
            lambda c: url("talent:applicant_list", query={"campaign": str(c.pk)}),
            kind="int",
            width=10,
        ),
        Col(
            "入库人才",
            lambda c: c.n_onboarded,  # type: ignore[attr-defined]
            lambda c: url("talent:talent_list", query={"campaign": str(c.pk)}),
            kind="int",
            width=10,
        ),
    ]
    actions = []
    if user.has_perm("talent.add_campaign"):
        actions.append(Action("新建招聘活动", url("talent:campaign_new"), primary=True))
    return render_table(
        request,
        TablePage(
            title="招聘活动",
            columns=columns,
            rows=selectors.campaign_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            export_perm="talent.export_talent",
        ),
    )


def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "talent.view_campaign")
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    manageable = selectors.campaign_manageable(user, campaign)
    context = {
        "campaign": campaign,
        "universities": campaign.target_universities.all(),
        "positions": selectors.positions_of(user, campaign),
        "can_change": manageable and user.has_perm("talent.change_campaign"),
        "can_add_position": manageable and user.has_perm("talent.add_position"),
        "can_add_applicant": user.has_perm("talent.add_applicant"),
    }
    return render(request, "talent/campaign_detail.html", context)


def campaign_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "talent.add_campaign")
    user = request.user
    form = CampaignForm(
        request.POST or None,
        initial={"owner_unit": user.unit_id, "year": timezone.localdate().year},
        units=active_units(user),
    )
    return form_view(
        request,
        form,
        lambda: services.campaign_create(actor=user, **form.cleaned_data),
        lambda c: redirect("talent:campaign_detail", pk=c.pk),
        title="新建招聘活动",
        back=url("talent:campaign_list"),
    )


def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "talent.change_campaign")
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    require_true(selectors.campaign_manageable(user, campaign))
    initial = {
        **initial_of(
            campaign,
            "name",
            "channel",
            "owner_unit",
            "year",
            "start_date",
            "end_date",
            "description",
        ),
        "target_universities": "、".join(u.name for u in campaign.target_universities.all()),
    }
    form = CampaignForm(request.POST or None, initial=initial, units=active_units(user))
    return form_view(
        request,
        form,
        lambda: services.campaign_update(actor=user, campaign=campaign, **form.cleaned_data),
        lambda c: redirect("talent:campaign_detail", pk=c.pk),
        title=f"编辑招聘活动：{campaign.name}",
        back=url("talent:campaign_detail", campaign.pk),
    )


def position_new(request: AuthenticatedHttpRequest, campaign_pk: int) -> HttpResponse:
    require_perm(request, "talent.add_position")
    campaign = selectors.campaign_get(request.user, campaign_pk)
    initial: dict[str, object] = {"talent_type": "full_time", "quota": 1}
    return _position_form(request, campaign, None, initial)


def position_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "talent.change_position")
    position = selectors.position_get(request.user, pk)
    initial: dict[str, object] = initial_of(
        position,
        "title",
        "unit",
        "talent_type",
        "discipline",
        "degree",
        "quota",
        "description",
        "talent_need",
    )
    return _position_form(request, position.campaign, position, initial)


def _position_form(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    position: Position | None,
    initial: dict[str, object],
) -> HttpResponse:
    user = request.user
    require_true(selectors.campaign_manageable(user, campaign))
    form = PositionForm(
        request.POST or None,
        initial=initial,
        units=active_units(user),
        needs=need_choices(user),
    )

    def save() -> Position:
        if position is not None:
            return services.position_update(actor=user, position=position, **form.cleaned_data)
        return services.position_create(actor=user, campaign=campaign, **form.cleaned_data)

    return form_view(
        request,
        form,
        save,
        lambda p: redirect("talent:campaign_detail", pk=campaign.pk),
        title=f"{campaign.name}：{'编辑岗位' if position else '新增岗位'}",
        back=url("talent:campaign_detail", campaign.pk),
    )


def applicant_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "talent.view_applicant")
    user = request.user
    form = filter_form(selectors.ApplicantFilters)(request.GET or None)
    columns: list[Col[Applicant]] = [
        Col(
            "姓名",
            lambda a: a.person.name,
            lambda a: url("talent:applicant_detail", a.pk),
            width=10,
        ),
        Col("手机号", lambda a: a.person.mobile, width=14, pii="mobile"),
        Col("招聘活动", lambda a: a.campaign.name, width=26),
        Col("用人单位", lambda a: a.position.unit.name, width=24),
        Col("报考岗位", lambda a: a.position.title, width=20),
        Col("毕业院校", lambda a: a.university.name if a.university else "", width=20),
        Col("学位", lambda a: a.get_degree_display(), width=8),
        Col("阶段", lambda a: a.get_stage_display(), width=12),
        Col("阶段日期", lambda a: a.stage_date, kind="date", width=12),
        Col("原因", lambda a: a.stage_reason, width=20),
    ]
    return render_table(
        request,
        TablePage(
            title="报名人员",
            columns=columns,
            rows=selectors.applicant_list(user=user, filters=form.filters()),
            form=form,
            export_perm="talent.export_talent",
        ),
    )


def applicant_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "talent.view_applicant")
    user = request.user
    applicant = selectors.applicant_get(user, pk)
    record_opened(request, record_type="applicant", record_id=applicant.pk)
    context = {
        "applicant": applicant,
        "events": selectors.applicant_events(applicant),
        "can_move": user.has_perm("talent.change_applicant")
        and bool(services.next_stages(applicant.stage)),
    }
    return render(request, "talent/applicant_detail.html", context)


def applicant_new(request: AuthenticatedHttpRequest, position_pk: int) -> HttpResponse:
    require_perm(request, "talent.add_applicant")
    user = request.user
    position = selectors.position_get(user, position_pk)
    form = ApplicantForm(request.POST or None, initial={"applied_on": timezone.localdate()})

    def save() -> Applicant:
        d = form.cleaned_data
        person = services.person_for(
            actor=user, unit=position.unit, degree=d["degree"], **form.person_data()
        )
        return services.applicant_create(
            actor=user,
            position=position,
            person=person,
            applied_on=d["applied_on"],
            university=d["university"],
            degree=d["degree"],
            discipline=d["discipline"],
        )

    return form_view(
        request,
        form,
        save,
        lambda a: redirect("talent:applicant_detail", pk=a.pk),
        title=f"报名：{position.campaign.name} · {position.unit.name} · {position.title}",
        back=url("talent:campaign_detail", position.campaign_id),
    )


def applicant_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "talent.change_applicant")
    user = request.user
    applicant = selectors.applicant_get(user, pk)
    labels = dict(ApplicantStage.choices)
    targets = [(s, labels[s]) for s in services.next_stages(applicant.stage)]
    form = StageForm(request.POST or None, targets=targets, initial={"date": timezone.localdate()})
    return form_view(
        request,
        form,
        lambda: services.applicant_move(actor=user, applicant=applicant, **form.cleaned_data),
        lambda a: redirect("talent:applicant_detail", pk=a.pk),
        "阶段已变更",
        title=f"变更阶段：{applicant.person.name}（当前：{applicant.get_stage_display()}）",
        back=url("talent:applicant_detail", applicant.pk),
        warnings=[] if targets else ["该报名已结束，不能再变更"],
    )
