"""Scheduling rounds (工作调度) and the bases' reports to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    form_page,
    form_view,
    render_table,
    require_perm,
    submit,
    url,
)
from yanzhen.supervision import excel, selectors, services
from yanzhen.supervision.forms import (
    ReportForm,
    RoundEditForm,
    RoundForm,
)
from yanzhen.supervision.models import (
    Round,
    RoundState,
)
from yanzhen.supervision.selectors import (
    RoundFilters,
)
from yanzhen.supervision.views.common import (
    annotated,
    count_link,
    file_response,
    problems_url,
)


def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "supervision.view_round")
    user = request.user
    form = filter_form(RoundFilters)(request.GET or None)

    def detail(r: Round, part: str = "") -> str:
        return url("supervision:round_detail", r.pk) + part

    columns: list[Col[Round]] = [
        Col(_("调度名称"), lambda r: r.title, detail, width=32),
        Col(_("调度类型"), lambda r: r.get_kind_display(), width=10),
        Col(_("发起日期"), lambda r: r.opened_on, kind="date", width=12, sort="opened_on"),
        Col(_("报送截止日期"), lambda r: r.deadline, kind="date", width=12, sort="deadline"),
        Col(_("参加基地"), lambda r: annotated(r, "n_bases"), kind="int", width=10, page=False),
        Col(
            _("已报送"),
            lambda r: annotated(r, "n_reported"),
            html=lambda r: format_html(
                '<a href="{}">{}/{}</a>',
                detail(r, "#reported"),
                annotated(r, "n_reported"),
                annotated(r, "n_bases"),
            ),
            kind="int",
        ),
        Col(
            _("逾期报送"),
            lambda r: annotated(r, "n_late"),
            lambda r: detail(r, "#reported"),
            kind="int",
        ),
        Col(
            _("未报送"),
            lambda r: annotated(r, "n_missing"),
            html=lambda r: count_link(annotated(r, "n_missing"), detail(r, "#missing"), alarm=True),
            kind="int",
        ),
        Col(_("状态"), lambda r: r.get_state_display(), width=10),
    ]
    actions = []
    if user.has_perm("supervision.add_round"):
        actions.append(Action(_("发起调度"), url("supervision:round_new"), primary=True))
    rows = selectors.round_list(user=user, filters=form.filters())
    page = TablePage(_("工作调度"), columns, rows, form, actions=actions, empty=_("暂无调度"))
    return render_table(request, page)


def round_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office opens a round for the bases it sees."""
    require_perm(request, "supervision.add_round")
    user = request.user
    bases = selectors.bases_of(user)
    today = timezone.localdate()
    initial = {
        "kind": "monthly",
        "opened_on": today,
        "deadline": today + dt.timedelta(days=5),
        "title": _("%(year)s年%(month)s月省校合作工作调度")
        % {"year": today.year, "month": today.month},
        "bases": list(bases),
    }
    form = RoundForm(request.POST or None, bases=bases, initial=initial)
    done = submit(
        request,
        form,
        lambda: services.round_create(actor=user, **form.cleaned_data),
        lambda r: redirect("supervision:round_detail", pk=r.pk),
        lambda r: _("已发起“%(title)s”") % {"title": r.title},
    )
    back, title = url("supervision:round_list"), _("发起调度")
    return done or form_page(request, form, title=title, back=back, submit_label=_("发起"))


def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The round's scheduling summary: who reported (late or not), progress, problems."""
    require_perm(request, "supervision.view_round")
    user = request.user
    round = selectors.round_get(user, pk)
    summary = selectors.round_summary(user=user, round=round)
    if export_format(request):
        return export_response(
            fmt="xlsx",
            title=_("%(title)s调度汇总") % {"title": round.title.removesuffix("调度")},
            columns=excel.summary_columns(),
            objects=excel.summary_rows(summary),
            row=lambda r: r,
        )
    context = {
        "round": round,
        "summary": summary,
        "can_report": user.has_perm("supervision.add_report") and round.state == RoundState.OPEN,
        "can_change": user.has_perm("supervision.change_round"),
        "problems_url": problems_url(round=round.pk),
    }
    return render(request, "supervision/round_detail.html", context)


def round_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "supervision.change_round")
    user = request.user
    round = selectors.round_get(user, pk)
    initial = {name: getattr(round, name) for name in services.ROUND_FIELDS}
    form = RoundEditForm(request.POST or None, initial=initial)
    back = url("supervision:round_detail", round.pk)
    return form_view(
        request,
        form,
        lambda: services.round_update(actor=user, round=round, **form.cleaned_data),
        lambda r: redirect(back),
        title=f"{round.title} · {_('编辑')}",
        back=back,
    )


def report_edit(request: AuthenticatedHttpRequest, pk: int, base_pk: int) -> HttpResponse:
    """A base's lead department reports to the round (again, to update it, while it is open)."""
    require_perm(request, "supervision.add_report")
    user = request.user
    round = selectors.round_get(user, pk)
    base = selectors.round_base_get(user, round, base_pk)
    milestones = list(selectors.round_milestones(round, base))
    report = selectors.report_of(round, base)
    initial: dict[str, Any] = {"summary": report.summary if report else ""}
    items = {i.milestone_id: i for i in report.items.all()} if report else {}
    for m in milestones:
        item = items.get(m.pk)
        initial[f"percent_{m.pk}"] = item.percent if item else 0
        initial[f"progress_{m.pk}"] = item.progress if item else ""
    form = ReportForm(
        request.POST or None, request.FILES or None, milestones=milestones, initial=initial
    )

    def save() -> object:
        d = form.cleaned_data
        progress = [
            services.ProgressInput(
                milestone=m,
                percent=d[f"percent_{m.pk}"],
                progress=d[f"progress_{m.pk}"],
                evidence=d[f"evidence_{m.pk}"],
            )
            for m in milestones
        ]
        return services.report_submit(
            actor=user,
            round=round,
            base=base,
            summary=d["summary"],
            items=progress,
            problems=d["problems"].splitlines(),
        )

    done = submit(
        request,
        form,
        save,
        lambda _r: redirect("supervision:round_detail", pk=round.pk),
        _("%(base)s的调度报告已报送") % {"base": base.name},
    )
    context = {
        "form": form,
        "round": round,
        "base": base,
        "report": report,
        "closed": round.state != RoundState.OPEN,
    }
    return done or render(request, "supervision/report_form.html", context)


def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "supervision.view_report")
    evidence = selectors.evidence_get(request.user, pk)
    return file_response(evidence.file, evidence.name)
