"""Pages of interns: the internships, their logs, hosts' feedback, status moves (a hire files
the talent), and the conversion statistics (interns hired, by university and host unit)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from yanzhen.core.excel import Column
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response
from yanzhen.core.masking import record_opened
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    form_view,
    render_table,
    require_perm,
    url,
)
from yanzhen.core.selectors import record_history
from yanzhen.placement import selectors, services
from yanzhen.placement.forms import FeedbackForm, InternLogForm, InternshipMoveForm
from yanzhen.placement.models import Internship, InternshipStatus
from yanzhen.placement.services import INTERNSHIP_MOVES, ConversionRow


def internship_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "placement.view_internship")
    user = request.user
    form = filter_form(selectors.InternshipFilters)(request.GET or None, user=user)
    columns: list[Col[Internship]] = [
        Col(
            "实习生",
            lambda i: i.talent.person.name,
            lambda i: url("talent:internship_detail", i.pk),
            width=10,
        ),
        Col("所在高校", lambda i: i.university.name if i.university else "", width=22),
        Col("接收单位", lambda i: i.host_unit.name, width=26),
        Col("项目", lambda i: i.programme.name if i.programme else "", width=26),
        Col("开始日期", lambda i: i.start_date, kind="date", width=12),
        Col("结束日期", lambda i: i.end_date, kind="date", width=12),
        Col("状态", lambda i: i.get_status_display(), width=10),
        Col("日志", lambda i: i.n_logs, kind="int", width=8),  # type: ignore[attr-defined]
        Col("评价", lambda i: i.n_feedback, kind="int", width=8),  # type: ignore[attr-defined]
    ]
    return render_table(
        request,
        TablePage(
            title="实习实训",
            columns=columns,
            rows=selectors.internship_list(user=user, filters=form.filters()),
            form=form,
            actions=[Action("转化统计", url("talent:conversion_stats"))],
            export_perm="talent.export_talent",
        ),
    )


def internship_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.view_internship")
    user = request.user
    internship = selectors.internship_get(user, pk)
    record_opened(request, record_type="internship", record_id=internship.pk)
    context = {
        "internship": internship,
        "logs": internship.logs.all(),
        "feedback": internship.feedback.all(),
        "history": record_history(internship),
        "can_log": user.has_perm("placement.add_internlog")
        and internship.status == InternshipStatus.ACTIVE,
        "can_feedback": user.has_perm("placement.add_hostfeedback"),
        "can_move": user.has_perm("placement.change_internship")
        and any(internship.status in s for s in INTERNSHIP_MOVES.values()),
    }
    return render(request, "placement/internship_detail.html", context)


def intern_log_new(request: AuthenticatedHttpRequest, internship_pk: int) -> HttpResponse:
    require_perm(request, "placement.add_internlog")
    user = request.user
    internship = selectors.internship_get(user, internship_pk)
    form = InternLogForm(request.POST or None, initial={"date": timezone.localdate()})
    return form_view(
        request,
        form,
        lambda: services.intern_log_create(actor=user, internship=internship, **form.cleaned_data),
        lambda log: redirect("talent:internship_detail", pk=internship.pk),
        title=f"实习日志：{internship}",
        back=url("talent:internship_detail", internship.pk),
    )


def host_feedback_new(request: AuthenticatedHttpRequest, internship_pk: int) -> HttpResponse:
    require_perm(request, "placement.add_hostfeedback")
    user = request.user
    internship = selectors.internship_get(user, internship_pk)
    form = FeedbackForm(request.POST or None, initial={"date": timezone.localdate(), "score": 4})
    return form_view(
        request,
        form,
        lambda: services.host_feedback_create(
            actor=user, internship=internship, **form.cleaned_data
        ),
        lambda f: redirect("talent:internship_detail", pk=internship.pk),
        title=f"接收单位评价：{internship}",
        back=url("talent:internship_detail", internship.pk),
    )


def internship_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "placement.change_internship")
    user = request.user
    internship = selectors.internship_get(user, pk)
    labels = {
        InternshipStatus.COMPLETED: "结业",
        InternshipStatus.LEFT: "中途离开",
        InternshipStatus.HIRED: "留用（转为人才）",
    }
    targets = [
        (t, labels[InternshipStatus(t)])
        for t, sources in INTERNSHIP_MOVES.items()
        if internship.status in sources
    ]
    form = InternshipMoveForm(
        request.POST or None,
        targets=targets,
        initial={"date": timezone.localdate(), "hire_type": "full_time"},
    )

    def save() -> Internship:
        d = form.cleaned_data
        return services.internship_move(
            actor=user,
            internship=internship,
            target=d["target"],
            date=d["date"],
            note=d["note"],
            hire_type=d["hire_type"] or "full_time",
        )

    return form_view(
        request,
        form,
        save,
        lambda i: redirect("talent:internship_detail", pk=i.pk),
        title=f"变更实习状态：{internship}（{internship.get_status_display()}）",
        back=url("talent:internship_detail", internship.pk),
        warnings=[] if targets else ["该实习已结束"],
    )


@dataclass(frozen=True)
class ConversionLine:
    """A row of the conversion statistics with the lists of its interns and its hires."""

    dimension: str
    row: ConversionRow
    interns_url: str
    hired_url: str


def conversion_stats(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Interns and how many were hired, in all and by university and by host unit, filtered
    by programme, host unit and year; every figure opens the internships it counts, and the
    export holds exactly the rows shown."""
    require_perm(request, "placement.view_internship")
    user = request.user
    shown = ("programme", "unit", "sub", "year")
    form = filter_form(selectors.InternshipFilters, only=shown, shown=shown)(
        request.GET or None, user=user
    )
    filters = form.filters()
    internships = selectors.internship_filtered(user=user, filters=filters)
    query = filters.as_query()

    def line(dimension: str, row: ConversionRow, narrow: dict[str, str]) -> ConversionLine:
        base = {k: v for k, v in query.items() if not (k == "sub" and "unit" in narrow)}
        base.update(narrow)
        return ConversionLine(
            dimension,
            row,
            url("talent:internship_list", query=base),
            url("talent:internship_list", query={**base, "status": InternshipStatus.HIRED}),
        )

    total = ConversionRow(
        "",
        "全部实习生",
        internships.count(),
        internships.filter(status=InternshipStatus.HIRED).count(),
    )
    summary = line("合计", total, {})
    tables = [
        (
            "按来源高校",
            [
                line("来源高校", r, {"university": r.key} if r.key else {"no_university": "1"})
                for r in services.conversion(internships, "university")
            ],
        ),
        (
            "按接收单位",
            [
                line("接收单位", r, {"unit": r.key})
                for r in services.conversion(internships, "host_unit")
            ],
        ),
    ]
    if fmt := export_format(request):
        require_perm(request, "talent.export_talent")
        return export_response(
            fmt=fmt,
            title="实习转化统计",
            columns=(
                Column("dimension", "维度", width=10),
                Column("label", "名称", width=30),
                Column("interns", "实习生", kind="int", width=10),
                Column("hired", "留用", kind="int", width=10),
                Column("rate", "留用率（%）", kind="decimal", width=10),
            ),
            objects=[summary, *(item for _, lines in tables for item in lines)],
            row=lambda x: (x.dimension, x.row.label, x.row.interns, x.row.hired, x.row.rate),
        )
    context = {
        "form": form,
        "summary": summary,
        "rate": f"{total.rate}%" if total.interns else "—",
        "tables": tables,
    }
    return render(request, "placement/conversion_stats.html", context)
