"""The state of every base, the leader's page, and the records behind an indicator's figure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yanzhen.assessment.selectors import latest_scores, unit_scores
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    Tag,
    render_table,
    require_perm,
    url,
)
from yanzhen.supervision import records, selectors
from yanzhen.supervision.selectors import (
    BaseState,
)
from yanzhen.supervision.views.common import (
    annotated,
    count_link,
    milestones_url,
    problems_url,
    unit_col,
)


def _figure(
    header: str, attr: str, records: Callable[..., str], alarm: bool = False, **filters: Any
) -> Col[BaseState]:
    """A count of the board, opening exactly its records (a non-zero alarm as a red tag)."""
    return Col(
        header,
        lambda s: annotated(s, attr),
        html=lambda s: count_link(annotated(s, attr), records(base=s.base.pk, **filters), alarm),
        kind="int",
        width=10,
    )


REPORT_STATUS = {
    "missing": (gettext_noop("未报送"), "gap"),
    "late": (gettext_noop("逾期报送"), "gap"),
    "on_time": (gettext_noop("按时报送"), "ok"),
}


def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "supervision.view_milestone")
    today = timezone.localdate()

    def last_status(s: BaseState) -> list[Tag]:
        if s.last_round is None:
            return []
        text, css = REPORT_STATUS[s.last_status]
        return [Tag(_(text), css)]

    def base(s: BaseState) -> SafeString:
        href = url("cooperation:base_detail", s.base.pk)
        return format_html('<a href="{}" data-base="{}">{}</a>', href, s.base.code, s.base.name)

    columns: list[Col[BaseState]] = [
        Col(_("基地"), lambda s: s.base.name, html=base, width=28),
        Col(_("责任领导"), lambda s: s.base.leader.name if s.base.leader else "", width=12),
        unit_col(_("牵头部门"), lambda s: s.base.lead_department),
        Col(
            _("节点完成"),
            lambda s: f"{s.done}/{s.milestones}",
            lambda s: milestones_url(base=s.base.pk),
        ),
        _figure(_("逾期节点"), "overdue_milestones", milestones_url, alarm=True, overdue=True),
        _figure(_("未销号问题"), "open_problems", problems_url, state="open"),
        _figure(_("逾期问题"), "overdue_problems", problems_url, alarm=True, state="overdue"),
        _figure(_("督办"), "escalations", problems_url, escalated=True),
        Col(
            _("最近一次调度"),
            lambda s: s.last_round.title if s.last_round else "",
            lambda s: url("supervision:round_detail", s.last_round.pk) if s.last_round else None,
            marks=last_status,
            width=30,
        ),
        Col(_("报送情况"), lambda s: last_status(s)[0].text if s.last_round else "", page=False),
    ]
    return render_table(
        request,
        TablePage(
            title=_("基地推进总览"),
            columns=columns,
            rows=selectors.board(user=request.user, today=today),
            actions=[
                Action(_("工作调度"), url("supervision:round_list")),
                Action(_("逾期问题"), problems_url(state="overdue")),
            ],
            note=_("截至 %(day)s：每个数字均可点开对应记录。") % {"day": today.isoformat()},
            empty=_("暂无基地"),
        ),
    )


def leader(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My bases, my overdue items, my units' scores."""
    require_perm(request, "supervision.view_milestone")

    today = timezone.localdate()
    view = selectors.leader_view(user=request.user, today=today)
    scores = latest_scores(user=request.user, bases=[s.base.pk for s in view.bases])
    context = {
        "view": view,
        "today": today,
        "rows": [(s, scores.get(s.base.pk)) for s in view.bases],
        "unit_scores": unit_scores(user=request.user, units=[u.pk for u in view.units]),
    }
    return render(request, "supervision/leader.html", context)


def indicator_records(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Exactly the records an indicator counted for a subject and a period (each linked)."""
    if not (
        request.user.has_perm("supervision.view_milestone")
        or request.user.has_perm("assessment.view_score")
    ):
        require_perm(request, "supervision.view_milestone")
    listing = records.listing(
        user=request.user,
        code=request.GET.get("code", ""),
        subject=request.GET.get("subject", ""),
        start=request.GET.get("start", ""),
        end=request.GET.get("end", ""),
    )
    context = {"listing": listing, "query": urlencode(request.GET)}
    return render(request, "supervision/indicator_records.html", context)
