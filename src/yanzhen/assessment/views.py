"""Pages of the assessment: periods and their ranking (with the 通报 XLSX), a subject's score
down to each indicator's records, hand scores and corrections, the indicator systems, and
the trend across periods."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from yanzhen.assessment import excel, selectors, services, sources
from yanzhen.assessment.forms import (
    DimensionForm,
    EntryForm,
    IndicatorForm,
    PairwiseForm,
    PeriodFilterForm,
    PeriodForm,
    PeriodMoveForm,
    SystemCreateForm,
    SystemFilterForm,
    SystemForm,
    TargetsForm,
)
from yanzhen.assessment.models import (
    Aggregation,
    Entry,
    Indicator,
    IndicatorSourceKind,
    IndicatorSystem,
    Normalization,
    Period,
    PeriodKind,
    PeriodState,
    Score,
    SubjectKind,
    Weighting,
)
from yanzhen.core import integrity
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import (
    export_file,
    export_format,
    export_quota_response,
    export_response,
    paginate,
    render_list,
    watermark_text,
)
from yanzhen.core.models import UnitKind
from yanzhen.core.selectors import unit_qs
from yanzhen.core.views import require_perm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Periods ----------------------------------------------------------------------------------------

PERIOD_COLUMNS = (
    Column("name", "考核期", width=20),
    Column("system", "指标体系", width=30),
    Column("kind", "周期", width=8),
    Column("start", "开始日期", kind="date", width=12),
    Column("end", "结束日期", kind="date", width=12),
    Column("state", "状态", width=10),
    Column("published_at", "发布时间", width=18),
)


def _period_row(p: Period) -> tuple[Any, ...]:
    published = timezone.localtime(p.published_at) if p.published_at else None
    return (
        p.name,
        p.system.name,
        p.get_kind_display(),
        p.start,
        p.end,
        p.get_state_display(),
        f"{published:%Y-%m-%d %H:%M}" if published else "",
    )


def period_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The periods, and (POST) a new one."""
    require_perm(request, "assessment.view_period")
    user = request.user
    systems = selectors.system_list(user=user)
    form = None
    if user.has_perm("assessment.add_period"):
        form = PeriodForm(
            request.POST or None, systems=systems, initial={"kind": PeriodKind.QUARTER}
        )
        if request.method == "POST" and form.is_valid():
            try:
                period = services.period_create(actor=user, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, f"已创建考核期“{period.name}”，请计算结果")
                return redirect("assessment:period_detail", pk=period.pk)
    elif request.method == "POST":
        require_perm(request, "assessment.add_period")
    filter_form = PeriodFilterForm(request.GET or None, systems=systems)
    system = filter_form.value("system")
    periods = selectors.period_list(
        user=user,
        system=system.pk if system else None,
        state=filter_form.value("state") or "",
        kind=filter_form.value("kind") or "",
        year=filter_form.value("year"),
    )
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="考核期",
            columns=PERIOD_COLUMNS,
            objects=periods.iterator(chunk_size=2000),
            row=_period_row,
        )
    context = {
        "form": form,
        "filter_form": filter_form,
        "page": paginate(request, periods),
    }
    return render_list(request, "assessment/period_list.html", context)


def _chart(period_pk: int, rows: list[Score]) -> dict[str, Any]:
    return {
        "title": "总分",
        "categories": [s.name for s in rows],
        "series": [
            {
                "name": "总分",
                "data": [float(s.total) for s in rows],
                "urls": [reverse("assessment:score_detail", args=[s.pk]) for s in rows],
            }
        ],
    }


def period_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The ranking of a period: totals, dimension subtotals, every indicator's points (each
    linking to its records), the sensitivity flags; ``?export=xlsx`` is the 通报."""
    require_perm(request, "assessment.view_period")
    user = request.user
    period = selectors.period_get(user, pk)
    rows = selectors.ranking(user=user, period=period)
    integrity.read_check(request, [*rows, *(i for s in rows for i in s.items.all())])
    if export_format(request):
        # Like every export: limited per hour, watermarked, logged.
        if (refusal := export_quota_response(request)) is not None:
            return refusal
        content = excel.bulletin(period, rows, watermark=watermark_text(request))
        return export_file(
            request,
            title=f"{period.name}考核结果通报",
            fmt="xlsx",
            content=content,
            content_type=XLSX,
            filename=f"{period.name}考核结果通报.xlsx",
            rows=len(rows),
        )
    indicators = period.config.get("indicators", [])
    context = {
        "period": period,
        "rows": rows,
        "dimensions": period.config.get("dimensions", []),
        "indicators": indicators,
        "weights": [
            (spec["name"], round(100 * w, 2))
            for spec, w in zip(indicators, period.config.get("weights", []), strict=False)
        ],
        "events": period.events.select_related("actor"),
        "blockers": services.publish_blockers(period) if period.state == PeriodState.REVIEW else [],
        "pending": Entry.objects.filter(
            item__score__period=period, active=True, reviewed_at__isnull=True
        ).count(),
        "chart": _chart(period.pk, sorted(rows, key=lambda s: (s.rank, s.sort_order))),
        "can_move": user.has_perm("assessment.compute_period")
        or user.has_perm("assessment.publish_period"),
        "flagged": [s for s in rows if s.flagged],
    }
    return render(request, "assessment/period_detail.html", context)


def period_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Compute, approve the pending entries, or publish."""
    user = request.user
    if not (
        user.has_perm("assessment.compute_period") or user.has_perm("assessment.publish_period")
    ):
        require_perm(request, "assessment.compute_period")
    period = selectors.period_get(user, pk)
    form = PeriodMoveForm(request.POST or None, initial={"action": request.GET.get("action")})
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "compute":
                services.period_compute(actor=user, period=period)
                messages.success(request, "已重新计算")
            elif action == "review_all":
                count = services.entries_review_all(actor=user, period=period)
                messages.success(request, f"已审核通过 {count} 条")
            else:
                services.period_publish(actor=user, period=period)
                messages.success(request, "考核结果已发布并冻结")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("assessment:period_detail", pk=period.pk)
    context = {
        "form": form,
        "period": period,
        "frozen": period.state == PeriodState.PUBLISHED,
        "blockers": services.publish_blockers(period) if period.state == PeriodState.REVIEW else [],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/period_move.html", context, status=status)


def score_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Why a subject got its score: each indicator's value (→ its records), target, completion,
    weight and points, the hand scores and corrections, and — once published — the values
    frozen against what the records say today."""
    require_perm(request, "assessment.view_score")
    user = request.user
    score = selectors.score_get(user, pk)
    period = score.period
    items = list(score.items.prefetch_related("entries__entered_by", "entries__reviewed_by"))
    weights = period.config.get("weights", [])
    live = _live_values(score) if period.state == PeriodState.PUBLISHED else {}
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item.dimension, []).append(
            {
                "item": item,
                "weight": round(100 * weights[item.position], 2)
                if item.position < len(weights)
                else None,
                "live": live.get(item.code),
                "entries": list(item.entries.all()),
            }
        )
    subtotals = dict(zip(period.config.get("dimensions", []), score.subtotals, strict=False))
    context = {
        "score": score,
        "period": period,
        "groups": [(name, subtotals.get(name, ""), rows) for name, rows in groups.items()],
        "can_enter": period.state == PeriodState.REVIEW
        and (user.has_perm("assessment.add_entry") or user.has_perm("assessment.correct_entry")),
        "live_checked": bool(live) or period.state == PeriodState.PUBLISHED,
        "aggregation": Aggregation(period.config.get("aggregation", "weighted_sum")).label,
    }
    integrity.read_check(request, [score, *items])
    return render(request, "assessment/score_detail.html", context)


def _live_values(score: Score) -> dict[str, Decimal | None]:
    """What each computed indicator's source says today for the subject (to show that the
    published value is frozen)."""
    registry = sources.all_sources()
    period = score.period
    out: dict[str, Decimal | None] = {}
    for spec in period.config.get("indicators", []):
        source = registry.get(spec["source_code"]) if spec["source_code"] else None
        if source is None:
            continue
        try:
            out[spec["code"]] = source.compute([score.subject], period.start, period.end).get(
                score.subject
            )
        except Exception:  # the check is informative only
            out[spec["code"]] = None
    return out


def item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A hand score or a correction of one indicator value, and the review of the pending one."""
    user = request.user
    if not (
        user.has_perm("assessment.add_entry")
        or user.has_perm("assessment.correct_entry")
        or user.has_perm("assessment.review_entry")
    ):
        require_perm(request, "assessment.add_entry")
    item = selectors.item_get(user, pk)
    period = item.score.period
    pending = item.entries.filter(active=True, reviewed_at__isnull=True).first()
    form = EntryForm(request.POST or None, request.FILES or None, initial={"value": item.value})
    if request.method == "POST" and request.POST.get("review") and pending is not None:
        try:
            services.entry_review(actor=user, entry=pending)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已审核通过")
            return redirect("assessment:score_detail", pk=item.score_id)
    elif request.method == "POST" and form.is_valid():
        try:
            services.entry_submit(actor=user, item=item, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "已保存，待审核")
            return redirect("assessment:score_detail", pk=item.score_id)
    context = {
        "item": item,
        "score": item.score,
        "period": period,
        "form": form,
        "pending": pending,
        "entries": item.entries.select_related("entered_by", "reviewed_by"),
        "frozen": period.state == PeriodState.PUBLISHED,
        "open": period.state == PeriodState.REVIEW,
        "can_review": pending is not None
        and user.has_perm("assessment.review_entry")
        and pending.entered_by_id != user.pk,
        "kind": "人工评分" if item.manual else "更正",
        "can_submit": user.has_perm(
            "assessment.add_entry" if item.manual else "assessment.correct_entry"
        ),
    }
    return render(request, "assessment/item_form.html", context)


def entry_evidence(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    require_perm(request, "assessment.view_score")
    entry = selectors.entry_get(request.user, pk)
    if not entry.evidence:
        raise Http404
    try:
        handle = entry.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=Path(entry.evidence.name or "evidence").name
    )


# Trend ------------------------------------------------------------------------------------------


def trend(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each subject's total and rank across a system's published periods of one kind."""
    require_perm(request, "assessment.view_period")
    user = request.user
    systems = list(selectors.system_list(user=user))
    system_text = request.GET.get("system", "")
    system = next((s for s in systems if str(s.pk) == system_text), systems[0] if systems else None)
    kind = request.GET.get("kind", PeriodKind.QUARTER)
    kind = kind if kind in PeriodKind.values else PeriodKind.QUARTER
    periods: list[Any] = []
    lines: list[selectors.TrendLine] = []
    if system is not None:
        periods, lines = selectors.trend(user=user, system=system, kind=kind)
    chart = {
        "categories": [p.name for p in periods],
        "series": [
            {
                "name": line.name,
                "data": [float(s.total) if s else None for _p, s in line.points],
                "urls": [
                    reverse("assessment:score_detail", args=[s.pk]) if s else ""
                    for _p, s in line.points
                ],
            }
            for line in lines
        ],
    }
    context = {
        "systems": systems,
        "system": system,
        "kind": kind,
        "kinds": PeriodKind.choices,
        "periods": periods,
        "lines": lines,
        "chart": chart,
    }
    return render(request, "assessment/trend.html", context)


# Indicator systems ------------------------------------------------------------------------------

SYSTEM_COLUMNS = (
    Column("name", "指标体系", width=30),
    Column("owner_unit", "考核单位", width=20),
    Column("subject_kind", "考核对象", width=20),
    Column("aggregation", "汇总方法", width=24),
    Column("weighting", "权重方法", width=24),
    Column("dimensions", "维度数", kind="int", width=8),
    Column("indicators", "指标数", kind="int", width=8),
    Column("periods", "考核期数", kind="int", width=8),
)


def _system_row(s: IndicatorSystem) -> tuple[Any, ...]:
    return (
        s.name,
        s.owner_unit.name,
        s.get_subject_kind_display(),
        s.get_aggregation_display(),
        s.get_weighting_display(),
        s.n_dimensions,  # type: ignore[attr-defined]
        s.n_indicators,  # type: ignore[attr-defined]
        s.n_periods,  # type: ignore[attr-defined]
    )


def system_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "assessment.view_indicatorsystem")
    user = request.user
    form = None
    if user.has_perm("assessment.add_indicatorsystem"):
        form = SystemCreateForm(
            request.POST or None,
            units=unit_qs(user).order_by("sort_order", "id"),
            initial={"owner_unit": user.unit_id, "name": "省校合作量化考核指标体系"},
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                if d["template"] == "default":
                    system = services.system_create_default(
                        actor=user,
                        owner_unit=d["owner_unit"],
                        name=d["name"],
                        subject_kind=d["subject_kind"],
                    )
                else:
                    system = services.system_create(
                        actor=user,
                        owner_unit=d["owner_unit"],
                        name=d["name"],
                        subject_kind=d["subject_kind"],
                        unit_kinds=services.DEFAULT_UNIT_KINDS,
                    )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, f"已创建“{system.name}”")
                return redirect("assessment:system_detail", pk=system.pk)
    elif request.method == "POST":
        require_perm(request, "assessment.add_indicatorsystem")
    filter_form = SystemFilterForm(request.GET or None)
    systems = selectors.system_table(user=user, filters=filter_form.filters())
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="指标体系",
            columns=SYSTEM_COLUMNS,
            objects=systems.iterator(chunk_size=2000),
            row=_system_row,
        )
    context = {"page": paginate(request, systems), "form": form, "filter_form": filter_form}
    return render_list(request, "assessment/system_list.html", context)


def _indicator_rows(system: IndicatorSystem) -> list[dict[str, Any]]:
    registry = sources.all_sources()
    rows = []
    for indicator in services.indicators_of(system):
        problem = ""
        if indicator.source == IndicatorSourceKind.COMPUTED:
            source = registry.get(indicator.source_code)
            if source is None:
                problem = sources.missing_message(indicator.source_code)
            elif system.subject_kind not in source.subjects:
                problem = f"该数据来源不支持按{SubjectKind(system.subject_kind).label}计算"
        rows.append({"indicator": indicator, "problem": problem})
    return rows


def system_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A system's dimensions and indicators (with any unregistered source shown as a
    configuration problem); (POST) add a dimension or an indicator."""
    require_perm(request, "assessment.view_indicatorsystem")
    user = request.user
    system = selectors.system_get(user, pk)
    can_change = user.has_perm("assessment.change_indicatorsystem")
    registry = sources.all_sources()
    dimension_form = DimensionForm(
        request.POST if request.POST.get("add") == "dimension" else None, prefix="dimension"
    )
    indicator_form = IndicatorForm(
        request.POST if request.POST.get("add") == "indicator" else None,
        system=system,
        registered=registry.sources,
        prefix="indicator",
        initial={
            "benefit": True,
            "prorate": True,
            "normalization": Normalization.TARGET,
            "weight": 10,
        },
    )
    if request.method == "POST":
        require_perm(request, "assessment.change_indicatorsystem")
        try:
            if request.POST.get("add") == "dimension" and dimension_form.is_valid():
                services.dimension_save(
                    actor=user,
                    system=system,
                    dimension=None,
                    name=dimension_form.cleaned_data["name"],
                    sort_order=dimension_form.cleaned_data["sort_order"] or 0,
                )
                messages.success(request, "已添加维度")
                return redirect("assessment:system_detail", pk=system.pk)
            if request.POST.get("add") == "indicator" and indicator_form.is_valid():
                d = dict(indicator_form.cleaned_data)
                d["sort_order"] = d["sort_order"] or 0
                services.indicator_save(actor=user, system=system, indicator=None, **d)
                messages.success(request, "已添加指标")
                return redirect("assessment:system_detail", pk=system.pk)
        except DomainError as error:
            apply_domain_error(
                indicator_form if request.POST.get("add") == "indicator" else dimension_form,
                error,
            )
    rows = _indicator_rows(system)
    total = sum((r["indicator"].weight for r in rows), Decimal(0))
    context = {
        "system": system,
        "dimensions": system.dimensions.all(),
        "rows": rows,
        "total": total,
        "registry_problems": registry.problems,
        "can_change": can_change,
        "dimension_form": dimension_form if can_change else None,
        "indicator_form": indicator_form if can_change else None,
        "periods": system.periods.order_by("-end"),
        "unit_kinds": [UnitKind(k).label for k in system.unit_kinds],
    }
    return render(request, "assessment/system_detail.html", context)


def system_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The system's settings and its AHP judgement matrix."""
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    system = selectors.system_get(user, pk)
    names = [i.name for i in services.indicators_of(system)]
    initial = {
        name: getattr(system, name)
        for name in ("name", "description", "subject_kind", "unit_kinds", "aggregation")
    }
    initial.update(weighting=system.weighting, alpha=system.alpha, cap=system.cap)
    is_matrix = request.POST.get("form") == "pairwise"
    form = SystemForm(request.POST if not is_matrix and request.POST else None, initial=initial)
    pairwise = PairwiseForm(
        request.POST if is_matrix else None, names=names, matrix=system.pairwise or []
    )
    weights: list[tuple[str, float]] = []
    if system.pairwise and len(system.pairwise) == len(names):
        try:
            computed = services.ahp_weights(system, system.pairwise)
            weights = [(n, round(100 * float(w), 2)) for n, w in zip(names, computed, strict=True)]
        except DomainError:
            weights = []
    if request.method == "POST":
        try:
            if is_matrix and pairwise.is_valid():
                services.system_set_pairwise(actor=user, system=system, matrix=pairwise.matrix())
                messages.success(request, "判断矩阵通过一致性检验，已保存")
                return redirect("assessment:system_edit", pk=system.pk)
            if not is_matrix and form.is_valid():
                services.system_update(actor=user, system=system, **form.cleaned_data)
                messages.success(request, "已保存")
                return redirect("assessment:system_detail", pk=system.pk)
        except DomainError as error:
            apply_domain_error(pairwise if is_matrix else form, error)
    context = {
        "system": system,
        "form": form,
        "pairwise": pairwise,
        "weights": weights,
        "uses_ahp": system.weighting in (Weighting.AHP, Weighting.COMBINED),
    }
    return render(request, "assessment/system_form.html", context)


def dimension_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    dimension = selectors.dimension_get(user, pk)
    form = DimensionForm(
        request.POST or None,
        initial={"name": dimension.name, "sort_order": dimension.sort_order},
    )
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                services.dimension_delete(actor=user, dimension=dimension)
                messages.success(request, "已删除维度")
                return redirect("assessment:system_detail", pk=dimension.system_id)
            if form.is_valid():
                services.dimension_save(
                    actor=user,
                    system=dimension.system,
                    dimension=dimension,
                    name=form.cleaned_data["name"],
                    sort_order=form.cleaned_data["sort_order"] or 0,
                )
                messages.success(request, "已保存")
                return redirect("assessment:system_detail", pk=dimension.system_id)
        except DomainError as error:
            apply_domain_error(form, error)
    return render(request, "assessment/dimension_form.html", {"form": form, "dimension": dimension})


def _subjects(system: IndicatorSystem) -> list[tuple[Any, str]]:
    return [(subject, name) for subject, name, _order in services.subjects_of(system)]


def indicator_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An indicator (weight, direction, method, source, target) and the subjects' own targets."""
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    indicator = selectors.indicator_get(user, pk)
    system = indicator.system
    registry = sources.all_sources()
    initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
    initial["dimension"] = indicator.dimension_id
    is_targets = request.POST.get("form") == "targets"
    form = IndicatorForm(
        request.POST if request.POST and not is_targets else None,
        system=system,
        registered=registry.sources,
        current=indicator.source_code,
        initial=initial,
    )
    own = {
        f"t_{'base' if t.base_id else 'unit'}_{t.base_id or t.unit_id}": t.value
        for t in indicator.targets.all()
    }
    targets = TargetsForm(
        request.POST if is_targets else None, subjects=_subjects(system), initial=own
    )
    if request.method == "POST":
        try:
            if is_targets and targets.is_valid():
                services.targets_set(actor=user, indicator=indicator, values=targets.values())
                messages.success(request, "目标值已保存")
                return redirect("assessment:indicator_edit", pk=indicator.pk)
            if not is_targets and form.is_valid():
                d = dict(form.cleaned_data)
                d["sort_order"] = d["sort_order"] or 0
                services.indicator_save(actor=user, system=system, indicator=indicator, **d)
                messages.success(request, "已保存")
                return redirect("assessment:system_detail", pk=system.pk)
        except DomainError as error:
            apply_domain_error(targets if is_targets else form, error)
    context = {"form": form, "targets": targets, "indicator": indicator, "system": system}
    return render(request, "assessment/indicator_form.html", context)


def indicator_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    indicator: Indicator = selectors.indicator_get(user, pk)
    if request.method == "POST":
        system_pk = indicator.system_id
        services.indicator_delete(actor=user, indicator=indicator)
        messages.success(request, f"已删除指标“{indicator.name}”")
        return redirect("assessment:system_detail", pk=system_pk)
    return render(request, "assessment/indicator_delete.html", {"indicator": indicator})
