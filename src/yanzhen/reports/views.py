"""The dashboard, the year at a glance with its export, the records behind a figure, and the
annual targets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import bounded_date, bounded_int
from yanzhen.core.http import AuthenticatedHttpRequest, require_perm
from yanzhen.core.listing import export_format, export_response, paginate
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.selectors import unit_get
from yanzhen.engines.briefing_template import Kind, format_value
from yanzhen.reports import figures, home, search, services
from yanzhen.reports.counties import FIGURES, CountyPage
from yanzhen.reports.counties import PAGE_SIZE as COUNTY_PAGE_SIZE
from yanzhen.reports.figures import Context, FigureError, Period
from yanzhen.reports.models import TargetKind
from yanzhen.reports.overview import TARGET_LABELS, Overview, overview, unit_choices
from yanzhen.reports.selectors import annual_targets, dashboard, default_unit, latest_year


def dashboard_view(request: HttpRequest) -> HttpResponse:
    year_text = request.GET.get("year", "")
    year = bounded_int(year_text, low=1990, high=2100)
    board = dashboard(user=request.user, year=year, today=timezone.localdate())
    number = bounded_int(request.GET.get("county_page", ""), low=1, high=100_000) or 1
    # A page past the last shows the last (a link kept from when there were more).
    pages = max(-(-len(board.by_county.rows) // COUNTY_PAGE_SIZE), 1)
    counties = board.by_county.page(
        sort=request.GET.get("county_sort", "rank"),
        offset=(min(number, pages) - 1) * COUNTY_PAGE_SIZE,
        limit=COUNTY_PAGE_SIZE,
    )
    charts = [{"id": f"chart-{i}", "data": s.as_chart()} for i, s in enumerate(board.series)]
    funnel = [{"name": f.label, "value": f.value, "url": f.url} for f in board.figures[:3]]
    workbench = home.home(user=request.user, today=timezone.localdate())  # type: ignore[arg-type]
    context = {
        "board": board,
        "charts": charts,
        "funnel": funnel,
        "home": workbench,
        "counties": counties,
        "county_links": _county_links(request, counties),
    }
    return render(request, "reports/dashboard.html", context | workbench.header_counts())


def _county_links(request: HttpRequest, page: CountyPage) -> dict[str, Any]:
    """The comparison's links: each column's header sorting by it (page 1), the pager's keeping
    the sort; the year and the rest of the query kept."""

    def link(**changes: object) -> str:
        query = request.GET.copy()
        for key, value in changes.items():
            query[key] = str(value)
        return "?" + query.urlencode() + "#by-county"

    pages = -(-page.total // page.limit)
    number = page.offset // page.limit + 1
    return {
        "rank": link(county_sort="rank", county_page=1),
        "headers": [
            {"label": label, "url": link(county_sort=key, county_page=1), "on": key == page.sort}
            for key, label in FIGURES
        ],
        "previous": link(county_page=number - 1) if page.previous_offset is not None else "",
        "next": link(county_page=number + 1) if page.next_offset is not None else "",
        "number": number,
        "pages": pages,
    }


# The year at a glance ------------------------------------------------------------------------


def period_of(request: HttpRequest) -> Period:
    """``?year=2021`` or ``?start=2021-01-01&end=2021-06-30``; by default the latest year
    with cooperations the user sees (the current year when there are none)."""
    start, end = bounded_date(request.GET.get("start")), bounded_date(request.GET.get("end"))
    if start is not None and end is not None and start <= end:
        return Period(start, end)
    year = bounded_int(request.GET.get("year", ""), low=1990, high=2100)
    if year is None:
        year = latest_year(user=request.user) or timezone.localdate().year
    return Period.of_year(year)


def scope_unit_of(request: HttpRequest) -> Unit | None:
    """``?unit=ID``: a unit in the user's scope (404 otherwise), or None for the whole scope."""
    pk = bounded_int(request.GET.get("unit", ""), low=1)
    if request.GET.get("unit") and pk is None:
        raise Http404
    return unit_get(request.user, pk) if pk is not None else None


def unit_groups(units: Iterable[Unit]) -> list[tuple[str, list[Unit]]]:
    """Units of a select in ``<optgroup>``s by kind (in the order the kinds are declared),
    each kind's units in their given order."""
    groups: dict[str, list[Unit]] = {kind: [] for kind in UnitKind.values}
    for unit in units:
        groups[unit.kind].append(unit)
    return [(UnitKind(kind).label, rows) for kind, rows in groups.items() if rows]


def overview_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    period = period_of(request)
    unit = scope_unit_of(request)
    home = default_unit(user=request.user)
    page = overview(user=request.user, period=period, unit=unit, home=home)
    if export_format(request) is not None:
        return _overview_export(page)
    query = {**period.as_query(), **({"unit": str(unit.pk)} if unit else {})}
    context = {
        "page": page,
        "years": range(timezone.localdate().year, 2014, -1),
        "unit_groups": unit_groups(unit_choices(request.user)),
        "export_url": reverse("reports:overview") + "?" + urlencode({**query, "export": "xlsx"}),
        "target_unit": unit or home,
        "may_set_targets": request.user.has_perm("reports.change_annualtarget"),
    }
    return render(request, "reports/overview.html", context)


def _percent(value: Decimal | None) -> str:
    return format_value(Kind.PERCENT, value)


def _overview_export(page: Overview) -> HttpResponse:
    period, unit = page.period, page.unit
    columns = [
        Column("group", "类别", width=10),
        Column("name", "指标", width=16),
        Column("value", "本期", width=10),
        Column("before", "上年同期", width=10),
        Column("yoy", "同比", width=10),
        Column("previous", "上期", width=10),
        Column("mom", "环比", width=10),
        Column("target", "年度目标", width=10),
        Column("completion", "完成率", width=10),
        Column("definition", "口径", width=50),
    ]
    rows = [
        (
            line.group,
            line.name,
            line.shown,
            format_value(line.kind, line.before) if line.dated else "",
            _percent(line.yoy) if line.dated else "",
            format_value(line.kind, line.previous) if line.previous is not None else "",
            _percent(line.mom) if line.previous is not None else "",
            line.target if line.target is not None else "",
            _percent(line.completion) if line.target else "",
            line.definition,
        )
        for line in page.lines
    ]
    title = f"年度总览{period.label}" + (f"（{unit.name}）" if unit else "")
    return export_response(fmt="xlsx", title=title, columns=columns, objects=rows, row=lambda r: r)


def figure_records(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The records behind one figure of the catalogue (live), as the overview links them."""
    key = request.GET.get("figure", "")[:100]
    period = period_of(request)
    unit = scope_unit_of(request)
    ctx = Context(user=request.user, period=period, unit=unit)
    if not key:  # the catalogue itself: every figure, its parameters and definition
        catalogue = [
            (f.name, f.group, f.definition, f.dated, figures.records_url(f.name, ctx))
            for f in figures.FIGURES
        ]
        growth = list(figures.GROWTH)
        context = {"catalogue": catalogue, "growth": growth, "period": period}
        return render(request, "reports/figure_catalogue.html", context)
    try:
        result = figures.compute(figures.parse_key(key), ctx)
    except FigureError as error:
        raise Http404(str(error)) from error
    assert result.records is not None
    model = result.records.model._meta
    if model.app_label not in ("reference",):
        require_perm(request, f"{model.app_label}.view_{model.model_name}")
    ids = result.record_ids()
    page = paginate(request, ids)
    context = {
        "result": result,
        "shown": format_value(figures.kind_of(result.name), result.value),
        "rows": figures.record_rows(model.label_lower, list(page.object_list)),
        "page_obj": page,
        "total": len(ids),
        "model_name": model.verbose_name,
        "period": period,
        "unit": unit,
        "list_url": figures.list_url(result.name, ctx),
    }
    return render(request, "reports/figure_records.html", context)


# Annual targets ------------------------------------------------------------------------------


class TargetForm(forms.Form):
    def __init__(self, *args: object, versions: Mapping[str, int | None], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, label in TargetKind.choices:
            self.fields[kind] = forms.IntegerField(
                label=f"{label}目标", required=False, min_value=0, max_value=services.TARGET_MAX
            )
            self.fields[f"v_{kind}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput, min_value=1
            )
            self.initial.setdefault(f"v_{kind}", versions.get(kind))


def targets_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office sets a unit's targets for a year (意向, 签约, 落地, 引才, 实习)."""
    require_perm(request, "reports.change_annualtarget")
    period = period_of(request)
    if period.year is None:
        raise Http404
    unit = scope_unit_of(request) or default_unit(user=request.user)
    if unit is None:
        raise Http404
    current = annual_targets(unit=unit, year=period.year)
    versions = {k: t.version for k, t in current.items()}
    initial = {k: t.value for k, t in current.items()}
    form = TargetForm(request.POST or None, initial=initial, versions=versions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.annual_targets_set(
                actor=request.user,
                unit=unit,
                year=period.year,
                values={k: data.get(k) for k in TARGET_LABELS},
                versions={k: data.get(f"v_{k}") for k in TARGET_LABELS},
            )
        except DomainError as error:
            for field, message in error.fields.items():
                form.add_error(field if field in form.fields else None, message)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(request, "年度目标已保存")
            return redirect(f"{request.path}?year={period.year}&unit={unit.pk}")
    context = {"form": form, "unit": unit, "year": period.year}
    return render(request, "reports/targets.html", context)


def search_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Global search: ``?q=`` over the kinds the user may list, grouped by kind."""
    query = request.GET.get("q", "").strip()[: search.MAX_QUERY]
    groups = search.search(user=request.user, query=query)
    context = {"groups": groups, "search_query": query, "total": sum(len(g.hits) for g in groups)}
    return render(request, "reports/search.html", context)
