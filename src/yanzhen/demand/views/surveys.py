"""Needs surveys: who answered, reminders, the answer \"no needs this time\"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response
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
from yanzhen.core.schemas import as_id
from yanzhen.demand import selectors, services
from yanzhen.demand.forms import CampaignForm
from yanzhen.demand.models import SurveyCampaign

# Surveys -------------------------------------------------------------------------------------


def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_surveycampaign")
    user = request.user
    form = filter_form(selectors.CampaignFilters)(request.GET or None)

    def detail(answered: str = "") -> Any:
        query = {"answered": answered} if answered else None
        return lambda c: url("demand:campaign_detail", c.pk, query=query)

    columns: list[Col[Any]] = [
        Col(_("调查名称"), lambda c: c.title, detail(), width=30),
        Col(_("组织单位"), lambda c: c.owner_unit.name, width=22),
        Col(_("开始日期"), lambda c: c.opens_on, kind="date", width=12),
        Col(_("截止日期"), lambda c: c.deadline, kind="date", width=12),
        Col(_("调查对象"), lambda c: c.n_targets, detail(), kind="int"),
        Col(_("已填报"), lambda c: c.n_answered, detail("1"), kind="int"),
        Col(
            _("未填报"),
            lambda c: c.n_pending,
            lambda c: (
                url("demand:campaign_detail", c.pk, query={"answered": "0"})
                if c.n_pending
                else None
            ),
            export=False,
        ),
        Col(_("已结束"), lambda c: c.closed, kind="bool", page=False),
        Col(_("状态"), lambda c: _("已结束") if c.closed else _("进行中"), export=False),
    ]
    may_add = user.has_perm("demand.add_surveycampaign")
    actions = [Action(_("发起调查"), url("demand:campaign_new"), primary=True)] if may_add else []
    return render_table(
        request,
        TablePage(
            title=_("需求调查"),
            columns=columns,
            rows=selectors.campaign_list(user=user, filters=form.filters()),
            form=form,
            actions=actions,
            empty=_("暂无需求调查"),
        ),
    )


def _campaign_post(request: AuthenticatedHttpRequest, campaign: SurveyCampaign) -> HttpResponse:
    """A reminder (``action=remind``) or the answer "no needs this time" (``action=none``)."""
    user = request.user
    action = request.POST.get("action", "")
    if action == "remind":
        require_perm(request, "demand.remind_surveycampaign")
        try:
            report = services.campaign_remind(
                actor=user, campaign=campaign, url=url("demand:campaign_detail", campaign.pk)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            counts = {"units": len(report.units), "n": report.notifications}
            text = _("已向 %(units)s 个未填报单位发送催报提醒（%(n)s 条消息）") % counts
            messages.success(request, text)
    elif action == "none":
        require_perm(request, "demand.add_talentneed")
        unit = selectors.answering_unit(user, as_id(request.POST.get("enterprise", "")))
        if unit is None:
            raise Http404
        try:
            services.campaign_answer_none(actor=user, campaign=campaign, enterprise=unit)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(unit)s已填报：本次无需求") % {"unit": unit.name})
    else:
        return HttpResponse(status=400)
    return redirect("demand:campaign_detail", pk=campaign.pk)


TARGET_COLUMNS = (
    Column("enterprise", "调查对象", width=30),
    Column("industry", "本地产业", width=20),
    Column("answered", "填报时间", width=18),
    Column("needs", "填报需求（条）", kind="int", width=12),
    Column("no_needs", "本次无需求", kind="bool", width=10),
    Column("reminders", "催报次数", kind="int", width=10),
)


def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who has answered, with their needs; reminders (POST ``action=remind``) and the answer
    "no needs this time" (POST ``action=none``)."""
    require_perm(request, "demand.view_surveycampaign")
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    if request.method == "POST":
        return _campaign_post(request, campaign)
    answered = {"1": True, "0": False}.get(request.GET.get("answered", ""))
    targets = selectors.campaign_targets(user, campaign, answered=answered)
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title=_("%(title)s填报情况") % {"title": campaign.title},
            columns=TARGET_COLUMNS,
            objects=targets,
            row=lambda t: (
                t.enterprise.name,
                t.enterprise.local_industry.name if t.enterprise.local_industry else "",
                timezone.localtime(t.answered_at).strftime("%Y-%m-%d %H:%M")
                if t.answered_at
                else _("未填报"),
                t.n_needs,  # type: ignore[attr-defined]
                t.no_needs,
                t.reminders,
            ),
        )
    context = {
        "campaign": campaign,
        "targets": targets,
        "counts": selectors.campaign_counts(user, campaign),
        "answered": request.GET.get("answered", ""),
        "own": selectors.campaign_own_target(user, campaign),
        "today": timezone.localdate(),
        "can_remind": user.has_perm("demand.remind_surveycampaign") and not campaign.closed,
        "can_answer": user.has_perm("demand.add_talentneed") and not campaign.closed,
        "can_change": user.has_perm("demand.change_surveycampaign"),
    }
    return render(request, "demand/campaign_detail.html", context)


def _campaign_form(request: AuthenticatedHttpRequest, initial: dict[str, Any]) -> CampaignForm:
    user = request.user
    return CampaignForm(
        request.POST or None,
        initial=initial,
        owners=selectors.expert_owners(user),
        enterprises=selectors.survey_enterprises(user),
    )


def _campaign_data(form: CampaignForm) -> services.CampaignData:
    data = form.cleaned_data
    return services.CampaignData(**{**data, "enterprises": list(data["enterprises"])})


def campaign_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.add_surveycampaign")
    user = request.user
    today = timezone.localdate()
    initial = {
        "owner_unit": user.unit_id,
        "opens_on": today,
        "deadline": today + dt.timedelta(days=30),
        "enterprises": selectors.default_survey_targets(user),
    }
    form = _campaign_form(request, initial)
    return form_view(
        request,
        form,
        lambda: services.campaign_create(actor=user, data=_campaign_data(form)),
        lambda c: redirect("demand:campaign_detail", pk=c.pk),
        _("已保存"),
        title=_("发起需求调查"),
        back=url("demand:campaign_list"),
    )


def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.change_surveycampaign")
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    require_true(selectors.campaign_manageable(user, campaign))
    initial = {
        **initial_of(
            campaign, "title", "owner_unit", "opens_on", "deadline", "description", "closed"
        ),
        "enterprises": selectors.campaign_target_ids(campaign),
    }
    form = _campaign_form(request, initial)
    return form_view(
        request,
        form,
        lambda: services.campaign_update(actor=user, campaign=campaign, data=_campaign_data(form)),
        lambda c: redirect("demand:campaign_detail", pk=c.pk),
        _("已保存"),
        title=_("编辑需求调查：%(title)s") % {"title": campaign.title},
        back=url("demand:campaign_detail", campaign.pk),
    )
