"""Pages of the assessment's appeals (申诉): the assessed unit's hand scores of published
periods with the 申诉 button while the window is open and its appeals' states; the appeal
form; an appeal with its history and, for the county office, the decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from yanzhen.assessment import selectors, services
from yanzhen.assessment.forms import AppealDecisionForm, AppealForm
from yanzhen.assessment.models import Appeal, AppealState
from yanzhen.core import counties
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import (
    Col,
    TablePage,
    form_page,
    render_table,
    require_perm,
    require_true,
    submit,
    url,
)
from yanzhen.core.workflow import inbox_qs, reviews_for


def _value(value: Any) -> str:
    return "—" if value is None else format(value.normalize(), "f")


def appeal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """考核申诉: the user's unit's hand scores (申诉 while the window is open) above the
    appeals the user may read, with their states."""
    require_perm(request, "assessment.view_score")
    user = request.user
    items = selectors.appealable_items(user=user)
    days = counties.appeal_days(user.unit)
    now = timezone.now()
    may_appeal = user.has_perm("assessment.add_appeal")
    rows = []
    for item in items:
        period = item.score.period
        closes = period.published_at + dt.timedelta(days=days) if period.published_at else None
        pending = any(a.state == AppealState.PENDING for a in item.appeals.all())
        rows.append(
            {
                "item": item,
                "closes": closes,
                "open": may_appeal and closes is not None and now <= closes and not pending,
                "pending": pending,
            }
        )
    columns: list[Col[Appeal]] = [
        Col("考核期", lambda a: a.item.score.period.name, width=16),
        Col("考核对象", lambda a: a.item.score.name, width=20),
        Col("指标", lambda a: a.item.name, lambda a: url("assessment:appeal_detail", a.pk)),
        Col("申诉单位", lambda a: a.unit.name, width=20),
        Col("原分值", lambda a: _value(a.original), width=10),
        Col("调整后分值", lambda a: _value(a.value), width=10),
        Col("状态", lambda a: a.get_state_display(), width=10),
        Col(
            "申诉时间",
            lambda a: date_format(timezone.localtime(a.created_at), "Y-m-d H:i"),
            width=16,
            sort="created_at",
        ),
        Col("处理意见", lambda a: a.decision_note, width=30),
    ]
    return render_table(
        request,
        TablePage(
            title="考核申诉",
            columns=columns,
            rows=selectors.appeal_list(user=user),
            above="assessment/appeal_items.html",
            context={"appealable": rows, "appeal_days": days},
            empty="没有考核申诉",
        ),
    )


def appeal_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The assessed unit appeals one hand score (reason, optional attachment)."""
    require_perm(request, "assessment.add_appeal")
    item = selectors.item_get(request.user, pk)
    form = AppealForm(request.POST or None, request.FILES or None)
    done = submit(
        request,
        form,
        lambda: services.appeal_create(actor=request.user, item=item, **form.cleaned_data),
        lambda a: redirect("assessment:appeal_detail", pk=a.pk),
        _("已提交申诉，待县合作办处理"),
    )
    if done:
        return done
    closes = services.appeal_closes(item.score.period, services.assessed_unit(item))
    page = form_page(
        request,
        form,
        title=_("申诉：%(s)s · %(i)s") % {"s": item.score.name, "i": item.name},
        back=url("assessment:appeal_list"),
        submit_label=_("提交申诉"),
        facts=[
            (_("考核期"), item.score.period.name),
            (_("指标"), item.name),
            (_("现分值"), _value(item.value)),
            (_("得分"), item.points),
            (
                _("申诉截止"),
                date_format(timezone.localtime(closes), "Y-m-d H:i") if closes else "—",
            ),
        ],
    )
    if request.method == "POST":
        page.status_code = 400
    return page


def appeal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One appeal: the score, the reason and attachment, its history of review, and for the
    county office the decision (维持原分 or 改分 with a comment)."""
    require_perm(request, "assessment.view_score")
    appeal = selectors.appeal_get(request.user, pk)
    history = list(reviews_for(appeal, flow=services.APPEAL_FLOW))
    open_review = next((r for r in history if r.state == "requested"), None)
    may_decide = (
        open_review is not None and inbox_qs(request.user).filter(pk=open_review.pk).exists()
    )
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST":
        require_true(may_decide)
        done = submit(
            request,
            form,
            lambda: services.appeal_decide(actor=request.user, appeal=appeal, **form.cleaned_data),
            lambda a: redirect("assessment:appeal_detail", pk=a.pk),
            _("已处理申诉"),
        )
        if done:
            return done
    score = appeal.item.score
    response = render(
        request,
        "assessment/appeal_detail.html",
        {
            "appeal": appeal,
            "score": score,
            "history": history,
            "form": form if may_decide else None,
            "original": _value(appeal.original),
            "changed": _value(appeal.value),
            "title": _("考核申诉：%(s)s · %(i)s") % {"s": score.name, "i": appeal.item.name},
        },
    )
    if request.method == "POST":
        response.status_code = 400
    return response


def appeal_attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "assessment.view_score")
    appeal = selectors.appeal_get(request.user, pk)
    if not appeal.attachment:
        raise Http404
    try:
        handle = appeal.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = Path(appeal.attachment.name or "attachment").name
    return FileResponse(handle, as_attachment=True, filename=name)
