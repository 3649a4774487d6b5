"""Needs surveys: who answered, reminders, the answer \"no needs this time\"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.models import UnitKind, User
from yanzhen.core.schemas import as_id
from yanzhen.core.selectors import unit_qs
from yanzhen.core.views import require_perm
from yanzhen.demand import selectors, services
from yanzhen.demand.forms import (
    CampaignForm,
)
from yanzhen.demand.models import SurveyCampaign

# Surveys -------------------------------------------------------------------------------------


def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_surveycampaign")
    user = request.user
    q = request.GET.get("q", "").strip()
    campaigns = selectors.campaign_list(user=user, q=q)
    if fmt := export_format(request):
        columns = (
            Column("title", "调查名称", width=30),
            Column("owner", "组织单位", width=22),
            Column("opens_on", "开始日期", kind="date", width=12),
            Column("deadline", "截止日期", kind="date", width=12),
            Column("targets", "调查对象", kind="int"),
            Column("answered", "已填报", kind="int"),
            Column("closed", "已结束", kind="bool"),
        )
        return export_response(
            fmt=fmt,
            title="需求调查",
            columns=columns,
            objects=campaigns,
            row=lambda c: (
                c.title,
                c.owner_unit.name,
                c.opens_on,
                c.deadline,
                c.n_targets,  # type: ignore[attr-defined]
                c.n_answered,  # type: ignore[attr-defined]
                c.closed,
            ),
        )
    context = {
        "page": paginate(request, campaigns),
        "q": q,
        "can_add": user.has_perm("demand.add_surveycampaign"),
    }
    return render_list(request, "demand/campaign_list.html", context)


def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who has answered, with their needs; reminders (POST ``action=remind``) and the answer
    "no needs this time" (POST ``action=none``)."""
    require_perm(request, "demand.view_surveycampaign")
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "remind":
            require_perm(request, "demand.remind_surveycampaign")
            try:
                report = services.campaign_remind(
                    actor=user,
                    campaign=campaign,
                    url=reverse("demand:campaign_detail", kwargs={"pk": campaign.pk}),
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    f"已向 {len(report.units)} 个未填报单位发送催报提醒（{report.notifications} 条消息）",
                )
        elif action == "none":
            require_perm(request, "demand.add_talentneed")
            posted = request.POST.get("enterprise", "")
            unit_id = as_id(posted) or user.unit_id
            unit = unit_qs(user).filter(pk=unit_id).first() if unit_id is not None else None
            if unit is None:
                raise Http404
            try:
                services.campaign_answer_none(actor=user, campaign=campaign, enterprise=unit)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"{unit.name}已填报：本次无需求")
        else:
            return HttpResponse(status=400)
        return redirect("demand:campaign_detail", pk=campaign.pk)
    answered = {"1": True, "0": False}.get(request.GET.get("answered", ""))
    targets = selectors.campaign_targets(user, campaign, answered=answered)
    if fmt := export_format(request):
        columns = (
            Column("enterprise", "调查对象", width=30),
            Column("industry", "本地产业", width=20),
            Column("answered", "填报时间", width=18),
            Column("needs", "填报需求（条）", kind="int", width=12),
            Column("no_needs", "本次无需求", kind="bool", width=10),
            Column("reminders", "催报次数", kind="int", width=10),
        )
        return export_response(
            fmt=fmt,
            title=f"{campaign.title}填报情况",
            columns=columns,
            objects=targets,
            row=lambda t: (
                t.enterprise.name,
                t.enterprise.local_industry.name if t.enterprise.local_industry else "",
                timezone.localtime(t.answered_at).strftime("%Y-%m-%d %H:%M")
                if t.answered_at
                else "未填报",
                t.n_needs,  # type: ignore[attr-defined]
                t.no_needs,
                t.reminders,
            ),
        )
    everyone = selectors.campaign_targets(user, campaign)
    answered_count = everyone.filter(answered_at__isnull=False).count()
    total = everyone.count()
    counts = {
        "targets": total,
        "answered": answered_count,
        "pending": total - answered_count,
        "needs": selectors.need_qs(user).filter(campaign=campaign).count(),
    }
    own = next((t for t in everyone if t.enterprise_id == user.unit_id), None)
    context = {
        "campaign": campaign,
        "targets": targets,
        "counts": counts,
        "answered": request.GET.get("answered", ""),
        "own": own,
        "today": timezone.localdate(),
        "can_remind": user.has_perm("demand.remind_surveycampaign") and not campaign.closed,
        "can_answer": user.has_perm("demand.add_talentneed") and not campaign.closed,
        "can_change": user.has_perm("demand.change_surveycampaign"),
    }
    return render(request, "demand/campaign_detail.html", context)


def _campaign_form(
    request: HttpRequest, user: User, initial: dict[str, Any] | None = None
) -> CampaignForm:
    return CampaignForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        owners=unit_qs(user).exclude(kind=UnitKind.ENTERPRISE).order_by("sort_order", "id"),
        enterprises=selectors.need_enterprises(user).filter(
            kind__in=[UnitKind.ENTERPRISE, UnitKind.HOSPITAL, UnitKind.OTHER]
        ),
    )


def _save_campaign(
    request: HttpRequest, user: User, form: CampaignForm, campaign: SurveyCampaign | None
) -> HttpResponse | None:
    d = form.cleaned_data
    try:
        saved = services.campaign_save(
            actor=user,
            campaign=campaign,
            title=d["title"],
            owner_unit=d["owner_unit"],
            opens_on=d["opens_on"],
            deadline=d["deadline"],
            enterprises=list(d["enterprises"]),
            description=d["description"],
            closed=d["closed"],
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, "已保存")
    return redirect("demand:campaign_detail", pk=saved.pk)


def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.add_surveycampaign")
    user = request.user
    today = timezone.localdate()
    enterprises = selectors.need_enterprises(user).filter(kind=UnitKind.ENTERPRISE)
    initial = {
        "owner_unit": user.unit_id,
        "opens_on": today,
        "deadline": today + dt.timedelta(days=30),
        "enterprises": list(enterprises.values_list("pk", flat=True)),
    }
    form = _campaign_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_campaign(request, user, form, None))
    ):
        return done
    return render(request, "demand/campaign_form.html", {"form": form, "campaign": None})


def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "demand.change_surveycampaign")
    user = request.user
    campaign = selectors.campaign_get(user, pk)
    if not unit_qs(user).filter(pk=campaign.owner_unit_id).exists():
        raise PermissionDenied
    initial = {
        "title": campaign.title,
        "owner_unit": campaign.owner_unit_id,
        "opens_on": campaign.opens_on,
        "deadline": campaign.deadline,
        "enterprises": list(campaign.targets.values_list("enterprise_id", flat=True)),
        "description": campaign.description,
        "closed": campaign.closed,
    }
    form = _campaign_form(request, user, initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_campaign(request, user, form, campaign))
    ):
        return done
    return render(request, "demand/campaign_form.html", {"form": form, "campaign": campaign})
