"""Pages of the assessment: periods and their ranking (with the 通报 XLSX), a subject's score
down to each indicator's records, hand scores and corrections, the indicator systems, and
the trend across periods."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.assessment import excel, selectors, services, sources
from yanzhen.assessment.forms import (
    DimensionForm,
    EntryForm,
    IndicatorForm,
    PairwiseForm,
    PeriodForm,
    PeriodMoveForm,
    SystemCreateForm,
    SystemForm,
    TargetsForm,
)
from yanzhen.assessment.models import (
    Aggregation,
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
from yanzhen.assessment.selectors import PeriodFilters, SystemFilters
from yanzhen.core import integrity
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import filter_form
from yanzhen.core.forms import apply_domain_error
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import (
    export_file,
    export_format,
    export_quota_response,
    watermark_text,
)
from yanzhen.core.models import UnitKind
from yanzhen.core.pages import (
    Action,
    Col,
    TablePage,
    form_page,
    render_table,
    require_perm,
    submit,
    url,
)
from yanzhen.core.selectors import active_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Periods ----------------------------------------------------------------------------------------


def period_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "assessment.view_period")
    user = request.user
    form = filter_form(PeriodFilters)(request.GET or None, user=user)

    def published(p: Period) -> str:
        return f"{timezone.localtime(p.published_at):%Y-%m-%d %H:%M}" if p.published_at else ""

    columns: list[Col[Period]] = [
        Col(
            _("考核期"), lambda p: p.name, lambda p: url("assessment:period_detail", p.pk), width=20
        ),
        Col(_("指标体系"), lambda p: p.system.name, width=30),
        Col(_("周期"), lambda p: p.get_kind_display(), width=8),
        Col(_("开始日期"), lambda p: p.start, kind="date", width=12, sort="start"),
        Col(_("结束日期"), lambda p: p.end, kind="date", width=12, sort="end"),
        Col(
            _("状态"),
            lambda p: p.get_state_display(),
            tag=lambda p: "ok" if p.state == PeriodState.PUBLISHED else "",
            width=10,
        ),
        Col(_("发布时间"), published, width=18),
    ]
    actions = [
        Action(_("得分趋势"), url("assessment:trend")),
        Action(_("指标体系"), url("assessment:system_list")),
    ]
    if user.has_perm("assessment.add_period"):
        actions.append(Action(_("新建考核期"), url("assessment:period_new"), primary=True))
    rows = selectors.period_list(user=user, filters=form.filters())
    page = TablePage(_("考核期"), columns, rows, form, actions=actions, empty=_("暂无考核期"))
    return render_table(request, page)


def period_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "assessment.add_period")
    user = request.user
    form = PeriodForm(
        request.POST or None,
        systems=selectors.systems_of(user),
        initial={"kind": PeriodKind.QUARTER},
    )
    done = submit(
        request,
        form,
        lambda: services.period_create(actor=user, **form.cleaned_data),
        lambda p: redirect("assessment:period_detail", pk=p.pk),
        lambda p: _("已创建考核期“%(name)s”，请计算结果") % {"name": p.name},
    )
    back, title = url("assessment:period_list"), _("新建考核期")
    return done or form_page(request, form, title=title, back=back, submit_label=_("创建"))


def _chart(rows: list[Score]) -> dict[str, Any]:
    return {
        "title": _("总分"),
        "categories": [s.name for s in rows],
        "series": [
            {
                "name": _("总分"),
                "data": [float(s.total) for s in rows],
                "urls": [url("assessment:score_detail", s.pk) for s in rows],
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
        title = _("%(name)s考核结果通报") % {"name": period.name.removesuffix("考核")}
        return export_file(
            request,
            title=title,
            fmt="xlsx",
            content=content,
            content_type=XLSX,
            filename=f"{title}.xlsx",
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
        "events": period.events.all(),
        "blockers": services.publish_blockers(period) if period.state == PeriodState.REVIEW else [],
        "pending": selectors.pending_entries(period),
        "chart": _chart(sorted(rows, key=lambda s: (s.rank, s.sort_order))),
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

    def move() -> str:
        action = form.cleaned_data["action"]
        if action == "compute":
            services.period_compute(actor=user, period=period)
            return _("已重新计算")
        if action == "review_all":
            count = services.entries_review_all(actor=user, period=period)
            return _("已审核通过 %(n)s 条") % {"n": count}
        services.period_publish(actor=user, period=period)
        return _("考核结果已发布并冻结")

    back = url("assessment:period_detail", period.pk)
    done = submit(request, form, move, lambda _text: redirect(back), lambda text: text)
    if done:
        return done
    if period.state == PeriodState.PUBLISHED:
        warnings = [_("考核结果已发布并冻结，不能再计算或修改。")]
    elif period.state == PeriodState.REVIEW:
        warnings = services.publish_blockers(period)
    else:
        warnings = []
    page = form_page(
        request,
        form,
        title=f"{period.name} · {period.get_state_display()}",
        back=back,
        submit_label=_("确定"),
        warnings=warnings,
    )
    page.status_code = 400 if request.method == "POST" else 200
    return page


def score_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Why a subject got its score: each indicator's value (→ its records), target, completion,
    weight and points, the hand scores and corrections, and — once published — the values
    frozen against what the records say today."""
    require_perm(request, "assessment.view_score")
    user = request.user
    score = selectors.score_get(user, pk)
    period = score.period
    items = selectors.score_items(score)
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
        "cap_percent": Decimal(str(period.config.get("cap", "1"))) * 100,
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
    entries = selectors.item_entries(item)
    pending = next((e for e in entries if e.active and e.reviewed_at is None), None)
    back = url("assessment:score_detail", item.score_id)
    if request.method == "POST" and request.POST.get("review") and pending is not None:
        try:
            services.entry_review(actor=user, entry=pending)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已审核通过"))
            return redirect(back)
    form = EntryForm(request.POST or None, request.FILES or None, initial={"value": item.value})
    if not request.POST.get("review"):
        done = submit(
            request,
            form,
            lambda: services.entry_create(actor=user, item=item, **form.cleaned_data),
            lambda _e: redirect(back),
            _("已保存，待审核"),
        )
        if done:
            return done
    context = {
        "item": item,
        "score": item.score,
        "period": period,
        "form": form,
        "pending": pending,
        "entries": entries,
        "frozen": period.state == PeriodState.PUBLISHED,
        "open": period.state == PeriodState.REVIEW,
        "can_review": pending is not None
        and user.has_perm("assessment.review_entry")
        and pending.entered_by_id != user.pk,
        "kind": _("人工评分") if item.manual else _("更正"),
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
    # Opened without a choice, the page shows the system and kind of the latest published
    # period, so its subjects' lines are there at once.
    latest = selectors.latest_published(user=user)
    default_kind = latest.kind if latest is not None else PeriodKind.QUARTER
    default = next((s for s in systems if latest is not None and s.pk == latest.system_id), None)
    default = default or (systems[0] if systems else None)
    system_text = request.GET.get("system", "")
    system = next((s for s in systems if str(s.pk) == system_text), default)
    kind = request.GET.get("kind", default_kind)
    kind = kind if kind in PeriodKind.values else default_kind
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
                    url("assessment:score_detail", s.pk) if s else "" for _p, s in line.points
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


def system_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "assessment.view_indicatorsystem")
    user = request.user
    form = filter_form(SystemFilters)(request.GET or None)

    def detail(s: IndicatorSystem) -> str:
        return url("assessment:system_detail", s.pk)

    def periods(s: IndicatorSystem) -> str:
        return url("assessment:period_list", query=PeriodFilters(system=s.pk).as_query())

    columns: list[Col[IndicatorSystem]] = [
        Col(_("指标体系"), lambda s: s.name, detail, width=30),
        Col(_("考核单位"), lambda s: s.owner_unit.name, width=20),
        Col(_("考核对象"), lambda s: s.get_subject_kind_display(), width=20),
        Col(_("汇总方法"), lambda s: s.get_aggregation_display(), width=24),
        Col(_("权重方法"), lambda s: s.get_weighting_display(), width=24),
        Col(_("维度数"), lambda s: _n(s, "n_dimensions"), detail, kind="int", width=8),
        Col(_("指标数"), lambda s: _n(s, "n_indicators"), detail, kind="int", width=8),
        Col(_("考核期数"), lambda s: _n(s, "n_periods"), periods, kind="int", width=8),
    ]
    actions = []
    if user.has_perm("assessment.add_indicatorsystem"):
        actions.append(Action(_("新建指标体系"), url("assessment:system_new"), primary=True))
    rows = selectors.system_table(user=user, filters=form.filters())
    page = TablePage(
        _("指标体系"), columns, rows, form, actions=actions, empty=_("没有符合条件的指标体系")
    )
    return render_table(request, page)


def _n(row: object, name: str) -> int:
    """A count the selector annotated on ``row``."""
    return int(getattr(row, name))


def system_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A system, blank or with the default dimensions and indicators."""
    require_perm(request, "assessment.add_indicatorsystem")
    user = request.user
    form = SystemCreateForm(
        request.POST or None,
        units=active_units(user),
        initial={"owner_unit": user.unit_id, "name": _("省校合作量化考核指标体系")},
    )

    def create() -> IndicatorSystem:
        d = dict(form.cleaned_data)
        if d.pop("template") == "default":
            return services.system_create_default(actor=user, **d)
        return services.system_create(actor=user, unit_kinds=services.DEFAULT_UNIT_KINDS, **d)

    done = submit(
        request,
        form,
        create,
        lambda s: redirect("assessment:system_detail", pk=s.pk),
        lambda s: _("已创建“%(name)s”") % {"name": s.name},
    )
    back, title = url("assessment:system_list"), _("新建指标体系")
    return done or form_page(request, form, title=title, back=back, submit_label=_("创建"))


def _indicator_rows(system: IndicatorSystem) -> list[dict[str, Any]]:
    registry = sources.all_sources()
    rows = []
    for indicator in selectors.indicators_of(system):
        problem = ""
        label = ""
        if indicator.source == IndicatorSourceKind.COMPUTED:
            source = registry.get(indicator.source_code)
            label = source.label if source is not None else ""
            if source is None:
                problem = sources.missing_message(indicator.source_code)
            elif system.subject_kind not in source.subjects:
                problem = _("该数据来源不支持按%(kind)s计算") % {
                    "kind": SubjectKind(system.subject_kind).label
                }
        rows.append({"indicator": indicator, "problem": problem, "source_label": label})
    return rows


def _ceiling(system: IndicatorSystem, rows: list[dict[str, Any]]) -> Decimal:
    """The highest weighted sum the system can give: indicators scored by target completion
    count up to ``cap`` times their points when the target is exceeded."""
    return sum(
        (
            r["indicator"].weight
            * (system.cap if r["indicator"].normalization == Normalization.TARGET else 1)
            for r in rows
        ),
        Decimal(0),
    )


def system_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A system's dimensions and indicators (with any unregistered source shown as a
    configuration problem), and its periods."""
    require_perm(request, "assessment.view_indicatorsystem")
    user = request.user
    system = selectors.system_get(user, pk)
    rows = _indicator_rows(system)
    context = {
        "system": system,
        "dimensions": selectors.dimensions_of(system),
        "rows": rows,
        "total": sum((r["indicator"].weight for r in rows), Decimal(0)),
        "ceiling": _ceiling(system, rows),
        "cap_percent": system.cap * 100,
        "registry_problems": sources.all_sources().problems,
        "can_change": user.has_perm("assessment.change_indicatorsystem"),
        "periods": selectors.periods_of(user, system),
        "unit_kinds": [UnitKind(k).label for k in system.unit_kinds],
    }
    return render(request, "assessment/system_detail.html", context)


def system_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The system's settings and its AHP judgement matrix."""
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    system = selectors.system_get(user, pk)
    names = [i.name for i in selectors.indicators_of(system)]
    initial = {name: getattr(system, name) for name in services.SYSTEM_FIELDS}
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
    done = submit(
        request,
        pairwise if is_matrix else form,
        lambda: (
            services.system_set_pairwise(actor=user, system=system, matrix=pairwise.matrix())
            if is_matrix
            else services.system_update(actor=user, system=system, **form.cleaned_data)
        ),
        lambda s: redirect(
            "assessment:system_edit" if is_matrix else "assessment:system_detail", pk=s.pk
        ),
        _("判断矩阵通过一致性检验，已保存") if is_matrix else _("已保存"),
    )
    return done or form_page(
        request,
        form,
        title=" · ".join((system.name, _("设置"))),
        back=url("assessment:system_detail", system.pk),
        submit_label=_("保存设置"),
        template="assessment/system_form.html",
        context={
            "pairwise": pairwise,
            "weights": weights,
            "uses_ahp": system.weighting in (Weighting.AHP, Weighting.COMBINED),
        },
    )


def dimension_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _system_part_new(request, pk, "dimension")


def indicator_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _system_part_new(request, pk, "indicator")


def _system_part_new(
    request: AuthenticatedHttpRequest, pk: int, part: Literal["dimension", "indicator"]
) -> HttpResponse:
    """A dimension or an indicator added to a system."""
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    system = selectors.system_get(user, pk)
    form: DimensionForm | IndicatorForm
    create: Callable[..., object]
    if part == "dimension":
        form = DimensionForm(request.POST or None)
        create, title, message = services.dimension_create, _("添加维度"), _("已添加维度")
    else:
        initial = {"benefit": True, "prorate": True, "normalization": "target", "weight": 10}
        form = _indicator_form(request, system, initial)
        create, title, message = services.indicator_create, _("添加指标"), _("已添加指标")
    back = url("assessment:system_detail", system.pk)
    done = submit(
        request,
        form,
        lambda: create(actor=user, system=system, **form.cleaned_data),
        lambda _part: redirect(back),
        message,
    )
    title = f"{system.name} · {title}"
    return done or form_page(request, form, title=title, back=back, submit_label=_("添加"))


def dimension_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A dimension's name and order, or (``delete``) its deletion when it holds no indicator."""
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    dimension = selectors.dimension_get(user, pk)
    form = DimensionForm(
        request.POST or None,
        initial={"name": dimension.name, "sort_order": dimension.sort_order},
    )
    back = url("assessment:system_detail", dimension.system_id)
    if request.method == "POST" and request.POST.get("delete"):
        try:
            services.dimension_delete(actor=user, dimension=dimension)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已删除维度"))
            return redirect(back)
    else:
        done = submit(
            request,
            form,
            lambda: services.dimension_update(actor=user, dimension=dimension, **form.cleaned_data),
            lambda _d: redirect(back),
        )
        if done:
            return done
    return form_page(
        request,
        form,
        title=f"{dimension.system.name} · {dimension.name}",
        back=back,
        template="assessment/dimension_form.html",
    )


def _indicator_form(
    request: AuthenticatedHttpRequest,
    system: IndicatorSystem,
    initial: dict[str, Any],
    current: str = "",
    bound: bool = True,
) -> IndicatorForm:
    return IndicatorForm(
        (request.POST or None) if bound else None,
        system=system,
        registered=sources.all_sources().sources,
        current=current,
        initial=initial,
    )


def indicator_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An indicator (weight, direction, method, source, target) and the subjects' own targets."""
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    indicator = selectors.indicator_get(user, pk)
    system = indicator.system
    initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
    initial["dimension"] = indicator.dimension_id
    is_targets = request.POST.get("form") == "targets"
    form = _indicator_form(request, system, initial, indicator.source_code, bound=not is_targets)
    own = selectors.own_targets(indicator)
    subjects = [(subject, name) for subject, name, _order in selectors.subjects_of(system)]
    targets = TargetsForm(request.POST if is_targets else None, subjects=subjects, initial=own)
    done = submit(
        request,
        targets if is_targets else form,
        lambda: (
            services.targets_set(actor=user, indicator=indicator, values=targets.values())
            if is_targets
            else services.indicator_update(actor=user, indicator=indicator, **form.cleaned_data)
        ),
        lambda _r: (
            redirect("assessment:indicator_edit", pk=indicator.pk)
            if is_targets
            else redirect("assessment:system_detail", pk=system.pk)
        ),
        _("目标值已保存") if is_targets else _("已保存"),
    )
    return done or form_page(
        request,
        form,
        title=f"{system.name} · {indicator.name}",
        back=url("assessment:system_detail", system.pk),
        template="assessment/indicator_form.html",
        context={"targets": targets, "indicator": indicator},
    )


def indicator_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "assessment.change_indicatorsystem")
    user = request.user
    indicator = selectors.indicator_get(user, pk)
    if request.method == "POST":
        system_pk = indicator.system_id
        services.indicator_delete(actor=user, indicator=indicator)
        messages.success(request, _("已删除指标“%(name)s”") % {"name": indicator.name})
        return redirect("assessment:system_detail", pk=system_pk)
    return render(request, "assessment/indicator_delete.html", {"indicator": indicator})
