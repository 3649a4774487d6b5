"""The dashboard: the ledger's figures, each a link to the records behind it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yanzhen.core.forms import bounded_int
from yanzhen.reports.selectors import dashboard


def dashboard_view(request: HttpRequest) -> HttpResponse:
    year_text = request.GET.get("year", "")
    year = bounded_int(year_text, low=1990, high=2100)
    board = dashboard(user=request.user, year=year, today=timezone.localdate())
    charts = [{"id": f"chart-{i}", "data": s.as_chart()} for i, s in enumerate(board.series)]
    funnel = [{"name": f.label, "value": f.value, "url": f.url} for f in board.figures[:3]]
    context = {"board": board, "charts": charts, "funnel": funnel}
    return render(request, "reports/dashboard.html", context)
