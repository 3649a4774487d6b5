"""Writes of the assessment: indicator systems, periods (compute → review → publish), hand
scores and corrections. The figures come from the apps' indicator sources
(``assessment.sources``); the arithmetic is ``yanzhen.engines.scoring``.

How a period is scored (documented on the pages too):

* each indicator's raw value per subject comes from its source (or, for a hand-scored
  indicator, from the reviewed entry); a correction replaces a computed value, with its reason;
* the value is normalised by the indicator's method (target completion capped at the system's
  cap; the target is the subject's own, else the indicator's, prorated by months when the
  indicator says so), weighted, and summed (or aggregated by TOPSIS);
* points of an indicator = 100 × weight × normalised value (2 decimals), the weights summing
  to 1 (fixed: the indicators' points ÷ their sum); total = the sum of the points (TOPSIS:
  100 × closeness); ranks share ties; the sensitivity flag says the rank moves when any one
  weight changes by ±10 %;
* a value that is not available (missing source, no hand score yet) counts 0 until supplied,
  and the period cannot be published while one is missing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone

from yanzhen.assessment import sources
from yanzhen.assessment.models import (
    Aggregation,
    Dimension,
    Entry,
    EntryKind,
    Indicator,
    IndicatorSourceKind,
    IndicatorSystem,
    ItemStatus,
    Normalization,
    Period,
    PeriodAction,
    PeriodEvent,
    PeriodState,
    Score,
    ScoreItem,
    SubjectKind,
    Target,
    Weighting,
)
from yanzhen.cooperation.models import Base
from yanzhen.core import integrity
from yanzhen.core.errors import DomainError, ForbiddenError
from yanzhen.core.history import bulk_history
from yanzhen.core.indicators import Subject
from yanzhen.core.models import Unit, UnitClosure, UnitKind, User
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.engines import scoring

log = logging.getLogger(__name__)
CENT = Decimal("0.01")


def _require_perm(actor: User | None, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise ForbiddenError()


def _frozen(period: Period) -> None:
    if period.state == PeriodState.PUBLISHED:
        raise DomainError("published", "考核结果已发布，不能再修改", status=409)


def _update_many(model: type[Model], objects: Sequence[Model], fields: Sequence[str]) -> None:
    """``UPDATE … WHERE id = …`` for each object, as one ``executemany`` (``bulk_update`` builds
    one CASE per field and row, which costs more than it saves at this size)."""
    if not objects:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns: list[Field[Any, Any]] = []
    names: list[str] = []
    for name in fields:
        column = meta.get_field(name)
        assert isinstance(column, Field)
        assert column.column
        columns.append(column)
        names.append(quote(column.column))
    assert meta.pk is not None
    assert meta.pk.column
    assignments = ", ".join(f"{name} = %s" for name in names)
    table, key = quote(meta.db_table), quote(meta.pk.column)
    # Identifiers come from the model's metadata; the values are parameters.
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _money(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


# Indicator systems -----------------------------------------------------------------------------

# The default system: 3 dimensions, 10 indicators (code, name, points, source, annual target,
# measure). Rates are in %, their target is 100 and is not prorated.
DEFAULT_SYSTEM: tuple[tuple[str, tuple[tuple[str, str, int, str, int, str], ...]], ...] = (
    (
        "工作推进",
        (
            ("milestones", "节点任务按时完成率", 10, "supervision.milestones_on_time", 100, "%"),
            ("problems", "问题按时解决率", 10, "supervision.problems_on_time", 100, "%"),
            ("reports", "调度按时报送率", 10, "supervision.reports_on_time", 100, "%"),
        ),
    ),
    (
        "合作成效",
        (
            ("intentions", "新增合作意向", 10, "cooperation.intentions", 10, "项"),
            ("agreements", "签约合作协议", 10, "cooperation.agreements", 7, "项"),
            ("landed", "落地项目", 10, "cooperation.landed", 5, "项"),
            ("investment", "落地投资", 10, "cooperation.investment", 5000, "万元"),
        ),
    ),
    (
        "人才支撑",
        (
            ("talents", "引进人才", 10, "talent.recruited", 10, "人"),
            ("interns", "接收实习实训与挂职", 10, "talent.interns_hosted", 6, "人"),
            ("services", "人才服务事项", 10, "talent.services_delivered", 10, "项"),
        ),
    ),
)
DEFAULT_UNIT_KINDS = [UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET, UnitKind.ZONE]


def _check_system(system: IndicatorSystem) -> None:
    if system.subject_kind == SubjectKind.UNIT:
        unknown = [k for k in system.unit_kinds if k not in UnitKind.values]
        if not system.unit_kinds or unknown:
            raise DomainError(
                "invalid", "考核对象为单位时，请选择考核的单位类型", {"unit_kinds": "请选择"}
            )
    validate(system)


@transaction.atomic
def system_create(
    *,
    actor: User | None,
    owner_unit: Unit,
    name: str,
    subject_kind: str = SubjectKind.BASE,
    unit_kinds: Sequence[str] = (),
    aggregation: str = Aggregation.WEIGHTED_SUM,
    weighting: str = Weighting.FIXED,
    alpha: Decimal = Decimal("0.50"),
    cap: Decimal = Decimal("1.20"),
    description: str = "",
) -> IndicatorSystem:
    if actor is not None:
        require_unit_in_scope(actor, owner_unit, field="owner_unit", label="考核单位")
    system = IndicatorSystem(
        name=name.strip(),
        owner_unit=owner_unit,
        subject_kind=subject_kind,
        unit_kinds=list(unit_kinds) if subject_kind == SubjectKind.UNIT else [],
        aggregation=aggregation,
        weighting=weighting,
        alpha=alpha,
        cap=cap,
        description=description.strip(),
        created_by=actor,
        updated_by=actor,
    )
    _check_system(system)
    system.save()
    return system


@transaction.atomic
def system_create_default(
    *,
    actor: User | None,
    owner_unit: Unit,
    name: str = "省校合作量化考核指标体系",
    subject_kind: str = SubjectKind.BASE,
) -> IndicatorSystem:
    """The default system: work progress, cooperation outcomes, talent — 10 indicators."""
    system = system_create(
        actor=actor,
        owner_unit=owner_unit,
        name=name,
        subject_kind=subject_kind,
        unit_kinds=DEFAULT_UNIT_KINDS,
        description="3个维度、10项指标：工作推进、合作成效、人才支撑；大部分指标由平台记录自动计算。",
    )
    for d_order, (dimension_name, indicators) in enumerate(DEFAULT_SYSTEM):
        dimension = Dimension.objects.create(system=system, name=dimension_name, sort_order=d_order)
        for i_order, (code, label, points, source_code, target, measure) in enumerate(indicators):
            Indicator.objects.create(
                system=system,
                dimension=dimension,
                code=code,
                name=label,
                weight=Decimal(points),
                normalization=Normalization.TARGET,
                source=IndicatorSourceKind.COMPUTED,
                source_code=source_code,
                target=Decimal(target),
                prorate=measure != "%",
                measure=measure,
                sort_order=i_order,
            )
    return system


SYSTEM_FIELDS = (
    "name", "description", "subject_kind", "unit_kinds", "aggregation", "weighting", "alpha", "cap",
)  # fmt: skip


@transaction.atomic
def system_update(*, actor: User | None, system: IndicatorSystem, **fields: Any) -> IndicatorSystem:
    unknown = set(fields) - set(SYSTEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown system fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(system, name, value)
    if system.subject_kind != SubjectKind.UNIT:
        system.unit_kinds = []
    system.updated_by = actor
    _check_system(system)
    if system.weighting in (Weighting.AHP,) and not system.pairwise:
        raise DomainError(
            "invalid", "使用层次分析法须先填写判断矩阵", {"weighting": "请先填写判断矩阵"}
        )
    system.save()
    return system


def indicators_of(system: IndicatorSystem) -> list[Indicator]:
    return list(
        system.indicators.select_related("dimension").order_by(
            "dimension__sort_order", "dimension_id", "sort_order", "id"
        )
    )


def ahp_weights(system: IndicatorSystem, matrix: Sequence[Sequence[float]]) -> np.ndarray[Any, Any]:
    """The AHP weights of ``matrix`` over the system's indicators, or a DomainError naming
    the most inconsistent comparison."""
    names = [i.name for i in indicators_of(system)]
    if len(matrix) != len(names):
        raise DomainError(
            "invalid", f"判断矩阵应为 {len(names)} 阶（每个指标一行）", {"pairwise": "阶数不符"}
        )
    try:
        weights, _cr = scoring.ahp(np.array(matrix, dtype=float), labels=names)
    except scoring.ScoringError as error:
        raise DomainError("inconsistent", str(error), {"pairwise": str(error)}) from error
    return weights


@transaction.atomic
def system_set_pairwise(
    *, actor: User | None, system: IndicatorSystem, matrix: Sequence[Sequence[float]]
) -> IndicatorSystem:
    ahp_weights(system, matrix)
    system.pairwise = [[float(v) for v in row] for row in matrix]
    system.updated_by = actor
    system.save(update_fields=["pairwise", "updated_by", "updated_at"])
    return system


@transaction.atomic
def dimension_save(
    *,
    actor: User | None,
    system: IndicatorSystem,
    dimension: Dimension | None,
    name: str,
    sort_order: int = 0,
) -> Dimension:
    instance = dimension or Dimension(system=system)
    instance.name = name.strip()
    instance.sort_order = sort_order
    if Dimension.objects.filter(system=system, name=instance.name).exclude(pk=instance.pk).exists():
        raise DomainError("duplicate", f"已有维度“{instance.name}”", {"name": "维度名称重复"})
    validate(instance)
    instance.save()
    return instance


@transaction.atomic
def dimension_delete(*, actor: User | None, dimension: Dimension) -> None:
    if dimension.indicators.exists():
        raise DomainError("not_empty", "维度下还有指标，请先删除或移走指标")
    dimension.delete()


INDICATOR_FIELDS = (
    "dimension", "code", "name", "weight", "benefit", "normalization", "source", "source_code",
    "target", "prorate", "measure", "description", "sort_order",
)  # fmt: skip


@transaction.atomic
def indicator_save(
    *,
    actor: User | None,
    system: IndicatorSystem,
    indicator: Indicator | None,
    **fields: Any,
) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    instance = indicator or Indicator(system=system)
    count_before = system.indicators.count()
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.code = instance.code.strip()
    instance.source_code = instance.source_code.strip()
    errors: dict[str, str] = {}
    if instance.dimension.system_id != system.pk:
        errors["dimension"] = "维度不属于本指标体系"
    if instance.source == IndicatorSourceKind.COMPUTED and not instance.source_code:
        errors["source_code"] = "自动计算的指标须选择数据来源"
    if instance.source == IndicatorSourceKind.MANUAL:
        instance.source_code = ""
    if instance.target is not None and instance.target <= 0:
        errors["target"] = "目标值必须大于 0"
    if Indicator.objects.filter(system=system, code=instance.code).exclude(pk=instance.pk).exists():
        errors["code"] = f"指标代码“{instance.code}”已被使用"
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    validate(instance)
    instance.save()
    if indicator is None and system.pairwise and count_before != system.indicators.count():
        system.pairwise = []  # the matrix no longer fits: it must be entered again
        system.save(update_fields=["pairwise", "updated_at"])
    return instance


@transaction.atomic
def indicator_delete(*, actor: User | None, indicator: Indicator) -> None:
    system = indicator.system
    indicator.delete()
    if system.pairwise:
        system.pairwise = []
        system.save(update_fields=["pairwise", "updated_at"])


@transaction.atomic
def targets_set(
    *, actor: User | None, indicator: Indicator, values: Mapping[Subject, Decimal | None]
) -> None:
    """Per-subject targets of an indicator (``None`` removes a subject's own target)."""
    for (kind, pk), value in values.items():
        lookup: dict[str, Any] = {"indicator": indicator, f"{kind}_id": pk}
        if value is None:
            Target.objects.filter(**lookup).delete()
            continue
        if value <= 0:
            raise DomainError("invalid", "目标值必须大于 0", {f"target_{kind}_{pk}": "须大于 0"})
        Target.objects.update_or_create(defaults={"value": value}, **lookup)


# Subjects ---------------------------------------------------------------------------------------


def subjects_of(system: IndicatorSystem) -> list[tuple[Subject, str, int]]:
    """``(subject, name, sort order)`` of everything the system assesses."""
    below = UnitClosure.objects.filter(ancestor_id=system.owner_unit_id).values("descendant_id")
    out: list[tuple[Subject, str, int]]
    if system.subject_kind == SubjectKind.BASE:
        out = [
            (("base", pk), name, order)
            for pk, name, order in Base.objects.filter(county__in=below)
            .order_by("sort_order", "id")
            .values_list("pk", "name", "sort_order")
        ]
        return out
    out = [
        (("unit", pk), name, order)
        for pk, name, order in Unit.objects.filter(
            pk__in=below, kind__in=system.unit_kinds, is_active=True
        )
        .order_by("sort_order", "id")
        .values_list("pk", "name", "sort_order")
    ]
    return out


def _subject_key(subject: Subject) -> str:
    return f"{subject[0]}-{subject[1]}"


# Periods ----------------------------------------------------------------------------------------


@transaction.atomic
def period_create(
    *,
    actor: User | None,
    system: IndicatorSystem,
    name: str,
    kind: str,
    start: dt.date,
    end: dt.date,
) -> Period:
    _require_perm(actor, "assessment.add_period")
    if end < start:
        raise DomainError("invalid", "结束日期不能早于开始日期", {"end": "不能早于开始日期"})
    if Period.objects.filter(system=system, name=name.strip()).exists():
        raise DomainError("duplicate", f"已有考核期“{name.strip()}”", {"name": "名称重复"})
    period = Period(
        system=system,
        name=name.strip(),
        kind=kind,
        start=start,
        end=end,
        created_by=actor,
        updated_by=actor,
    )
    validate(period)
    period.save()
    PeriodEvent.objects.create(period=period, action=PeriodAction.CREATE, actor=actor)
    return period


def _config(system: IndicatorSystem, period: Period) -> tuple[dict[str, Any], list[str]]:
    """The system as it stands, to be frozen with the period's scores."""
    problems: list[str] = []
    indicators = indicators_of(system)
    dimensions = list(system.dimensions.order_by("sort_order", "id"))
    targets: dict[str, dict[str, str]] = {}
    for t in Target.objects.filter(indicator__system=system).select_related("indicator"):
        subject: Subject = ("base", t.base_id) if t.base_id else ("unit", t.unit_id or 0)
        targets.setdefault(t.indicator.code, {})[_subject_key(subject)] = str(t.value)
    subjective = [float(i.weight) for i in indicators]
    if system.weighting in (Weighting.AHP, Weighting.COMBINED) and system.pairwise:
        try:
            subjective = [float(w) for w in ahp_weights(system, system.pairwise)]
        except DomainError as error:
            problems.append(f"AHP判断矩阵不可用：{error.message}（暂按指标分值计权）")
    elif system.weighting == Weighting.AHP:
        problems.append("未填写AHP判断矩阵（暂按指标分值计权）")
    if indicators and sum(subjective) <= 0:
        problems.append("各指标分值之和为 0，无法计分")
    config = {
        "system": system.name,
        "subject_kind": system.subject_kind,
        "aggregation": system.aggregation,
        "weighting": system.weighting,
        "alpha": str(system.alpha),
        "cap": str(system.cap),
        "months": period.months,
        "dimensions": [d.name for d in dimensions],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "dimension": [d.pk for d in dimensions].index(i.dimension_id),
                "points": str(i.weight),
                "subjective": subjective[n],
                "benefit": i.benefit,
                "normalization": i.normalization,
                "source": i.source,
                "source_code": i.source_code,
                "target": str(i.target) if i.target is not None else None,
                "prorate": i.prorate,
                "measure": i.measure,
            }
            for n, i in enumerate(indicators)
        ],
        "targets": targets,
    }
    if not indicators:
        problems.append("指标体系没有指标")
    return config, problems


@transaction.atomic
def period_compute(*, actor: User | None, period: Period) -> Period:
    """Fetch every computed value from its source, apply the entries, score and rank.

    A period may be computed again while in review (the entries stay); a published one never.
    """
    _require_perm(actor, "assessment.compute_period")
    _frozen(period)
    system = period.system
    config, problems = _config(system, period)
    registry = sources.all_sources()
    subjects = subjects_of(system)
    keys = [s for s, _name, _order in subjects]
    values: dict[str, dict[Subject, Decimal]] = {}
    errors: dict[str, str] = {}
    for spec in config["indicators"]:
        if spec["source"] != IndicatorSourceKind.COMPUTED:
            continue
        code = spec["source_code"]
        source = registry.get(code)
        if source is None:
            errors[spec["code"]] = sources.missing_message(code)
        elif system.subject_kind not in source.subjects:
            errors[spec["code"]] = (
                f"数据来源“{code}”不支持按{SubjectKind(system.subject_kind).label}计算"
            )
        else:
            try:
                values[spec["code"]] = source.compute(keys, period.start, period.end)
            except Exception as error:  # a faulty source must not take the period down
                log.exception("indicator source %s failed", code)
                errors[spec["code"]] = f"数据来源“{code}”计算出错：{error}"
    for spec in config["indicators"]:
        if spec["code"] in errors:
            problems.append(f"指标“{spec['name']}”：{errors[spec['code']]}")
    scores = {
        s.subject: s for s in period.scores.all()
    }  # kept (with their items) so that links and entries stay
    wanted = set(keys)
    for key in [k for k in scores if k not in wanted]:  # one by one: each leaves its history
        gone = scores.pop(key)
        gone._history_user = actor  # type: ignore[attr-defined]
        gone.delete()
    codes = [spec["code"] for spec in config["indicators"]]
    existing: dict[int, dict[str, ScoreItem]] = defaultdict(dict)
    for item in ScoreItem.objects.filter(score__period=period):
        existing[item.score_id][item.code] = item
    ScoreItem.objects.filter(score__period=period).exclude(code__in=codes).delete()
    new_scores = [
        Score(period=period, name=name, sort_order=position, **{f"{kind}_id": pk})
        for position, ((kind, pk), name, _order) in enumerate(subjects)
        if (kind, pk) not in scores
    ]
    Score.objects.bulk_create(new_scores)  # their history row is written once scored, below
    kept = [scores[s] for s in keys if s in scores]
    for position, (subject, name, _order) in enumerate(subjects):
        if subject in scores:
            scores[subject].name, scores[subject].sort_order = name, position
    _update_many(Score, kept, ["name", "sort_order"])
    scores.update({s.subject: s for s in new_scores})
    fresh: list[ScoreItem] = []
    changed: list[ScoreItem] = []
    for subject, _name, _order in subjects:
        score = scores[subject]
        for index, spec in enumerate(config["indicators"]):
            found = existing[score.pk].get(spec["code"])
            item = found or ScoreItem(score=score, code=spec["code"])
            (changed if found else fresh).append(item)
            _fill(item, spec, index, config, subject, period, values, errors, registry)
    ScoreItem.objects.bulk_create(fresh)
    _update_many(ScoreItem, changed, ITEM_FIELDS)
    period.config = config
    period.problems = problems
    period.state = PeriodState.REVIEW
    period.computed_at = timezone.now()
    period.updated_by = actor
    period.save()
    _apply_entries(period)
    rescore(period, actor=actor, created=new_scores)
    note = f"计算 {len(subjects)} 个考核对象" + (
        f"，{len(problems)} 个配置问题" if problems else ""
    )
    PeriodEvent.objects.create(period=period, action=PeriodAction.COMPUTE, actor=actor, note=note)
    return period


ITEM_FIELDS = (
    "name", "dimension", "position", "manual", "source_code", "measure", "computed", "value",
    "status", "error", "records_url",
)  # fmt: skip


def _fill(
    item: ScoreItem,
    spec: dict[str, Any],
    index: int,
    config: dict[str, Any],
    subject: Subject,
    period: Period,
    values: dict[str, dict[Subject, Decimal]],
    errors: dict[str, str],
    registry: sources.Registry,
) -> None:
    """Set an item from its indicator's spec and the value its source computed."""
    item.name = spec["name"]
    item.dimension = config["dimensions"][spec["dimension"]]
    item.position = index
    item.manual = spec["source"] == IndicatorSourceKind.MANUAL
    item.source_code = spec["source_code"]
    item.measure = spec["measure"]
    item.records_url = ""
    item.error = ""
    item.computed = None
    item.status = ItemStatus.MISSING
    if item.manual:
        item.error = "待人工评分"
    elif spec["code"] in errors:
        item.error = errors[spec["code"]]
    else:
        source = registry.get(spec["source_code"])
        assert source is not None
        if source.records_url is not None:
            item.records_url = source.records_url(subject, period.start, period.end)[:500]
        found = values[spec["code"]].get(subject)
        if found is None:
            item.error = "数据来源未返回该对象的数值"
        else:
            item.computed = Decimal(found)
            item.status = ItemStatus.COMPUTED
    item.value = item.computed


def _apply_entries(period: Period) -> None:
    """Active entries override the computed values (and supply the hand scores)."""
    items = []
    for entry in Entry.objects.filter(item__score__period=period, active=True).select_related(
        "item"
    ):
        item = entry.item
        item.value = entry.value
        item.status = ItemStatus.MANUAL if entry.kind == EntryKind.MANUAL else ItemStatus.CORRECTED
        item.error = ""
        items.append(item)
    _update_many(ScoreItem, items, ["value", "status", "error"])


def _number(value: Decimal | None) -> float:
    """An item's value for the engine: not available counts 0."""
    return 0.0 if value is None else float(value)


def _target(spec: dict[str, Any], subject_key: str, targets: dict[str, Any], months: int) -> float:
    own = targets.get(spec["code"], {}).get(subject_key)
    value = own if own is not None else spec["target"]
    if value is None:
        return 1.0
    annual = float(value)
    return annual * months / 12 if spec["prorate"] else annual


def rescore(period: Period, *, actor: User | None, created: Sequence[Score] = ()) -> None:
    """Score and rank the period from its stored values and frozen configuration."""
    config = period.config
    specs = config["indicators"]
    scores = list(period.scores.prefetch_related("items").order_by("sort_order", "id"))
    if not scores or not specs:
        integrity.seal(*scores)
        return
    items = [{i.code: i for i in s.items.all()} for s in scores]
    codes = [spec["code"] for spec in specs]
    matrix = np.array([[_number(row[c].value) for c in codes] for row in items])
    targets = np.array(
        [
            [
                _target(spec, _subject_key(score.subject), config["targets"], config["months"])
                for spec in specs
            ]
            for score in scores
        ]
    )
    benefit = np.array([spec["benefit"] for spec in specs], dtype=bool)
    methods = [spec["normalization"] for spec in specs]
    groups = np.array([spec["dimension"] for spec in specs])
    cap = float(config["cap"])
    subjective = np.array([spec["subjective"] for spec in specs], dtype=float)
    if subjective.sum() <= 0:
        subjective = np.ones(len(specs))
    weights = subjective
    if config["weighting"] in (Weighting.ENTROPY, Weighting.COMBINED):
        normalized = scoring.normalize(matrix, methods, benefit, targets=targets, cap=cap)
        objective = scoring.entropy_weights(normalized)
        weights = (
            objective
            if config["weighting"] == Weighting.ENTROPY
            else scoring.combine_weights(subjective, objective, alpha=float(config["alpha"]))
        )
    result = scoring.evaluate(
        matrix,
        weights,
        benefit,
        methods=methods,
        groups=groups,
        aggregation=config["aggregation"],
        targets=targets,
        cap=cap,
        n_groups=len(config["dimensions"]),
    )
    config["weights"] = [float(w) for w in result.weights]
    period.config = config
    period.save(update_fields=["config", "updated_at"])
    totals: list[Decimal] = []
    changed: list[ScoreItem] = []
    for s_index, (score, row) in enumerate(zip(scores, items, strict=True)):
        points = [_money(100 * c) for c in result.contributions[s_index]]
        for j, code in enumerate(codes):
            item = row[code]
            item.normalized = float(result.normalized[s_index, j])
            item.points = points[j]
            item.target = Decimal(repr(float(targets[s_index, j]))).quantize(Decimal("0.0001"))
        changed += row.values()
        by_dimension = [Decimal(0)] * len(config["dimensions"])
        for j, spec in enumerate(specs):
            by_dimension[spec["dimension"]] += points[j]
        score.subtotals = [str(v) for v in by_dimension]
        if config["aggregation"] == Aggregation.TOPSIS:
            total = _money(100 * result.scores[s_index])
        else:
            total = sum(points, Decimal(0))
        score.total = total
        totals.append(total)
    _update_many(ScoreItem, changed, ["normalized", "points", "target"])
    ranks = scoring.rank([float(t) for t in totals])
    sensitivity = result.sensitivity
    for s_index, score in enumerate(scores):
        score.rank = int(ranks[s_index])
        score.best_rank = int(min(sensitivity.best[s_index], ranks[s_index]))
        score.worst_rank = int(max(sensitivity.worst[s_index], ranks[s_index]))
        score.flagged = bool(sensitivity.flagged[s_index])
    fields = ["total", "subtotals", "rank", "best_rank", "worst_rank", "flagged"]
    _update_many(Score, scores, fields)
    # One history row per score and computation: "+" for the scores this computation created.
    new = {s.pk for s in created}
    bulk_history(Score, [s for s in scores if s.pk in new], actor=actor)
    bulk_history(Score, [s for s in scores if s.pk not in new], actor=actor, update=True)
    bulk_history(ScoreItem, [i for i in changed if i.score_id in new], actor=actor)
    bulk_history(ScoreItem, [i for i in changed if i.score_id not in new], actor=actor, update=True)
    integrity.seal(*scores, *changed)


def publish_blockers(period: Period) -> list[str]:
    """Why the period cannot be published yet (nothing when it can)."""
    if period.state != PeriodState.REVIEW:
        return [f"考核期当前为“{period.get_state_display()}”，须计算并审核后才能发布"]
    out = []
    missing = ScoreItem.objects.filter(score__period=period, status=ItemStatus.MISSING)
    if missing.exists():
        names = sorted(set(missing.values_list("name", flat=True)))
        out.append(f"{missing.count()} 项指标值不可用（{'、'.join(names)}），请补录或更正")
    pending = Entry.objects.filter(
        item__score__period=period, active=True, reviewed_at__isnull=True
    ).count()
    if pending:
        out.append(f"{pending} 条人工评分或更正尚未审核")
    out += [p for p in period.problems if "AHP" in p or "无法计分" in p or "没有指标" in p]
    return out


@transaction.atomic
def period_publish(*, actor: User | None, period: Period) -> Period:
    """Publish the reviewed period: its scores, inputs and configuration are frozen."""
    _require_perm(actor, "assessment.publish_period")
    _frozen(period)
    blockers = publish_blockers(period)
    if blockers:
        raise DomainError("not_ready", "；".join(blockers), {"action": blockers[0]})
    period.state = PeriodState.PUBLISHED
    period.published_at = timezone.now()
    period.published_by = actor
    period.updated_by = actor
    period.save()
    PeriodEvent.objects.create(period=period, action=PeriodAction.PUBLISH, actor=actor)
    return period


# Hand scores and corrections ---------------------------------------------------------------------


@transaction.atomic
def entry_submit(
    *,
    actor: User | None,
    item: ScoreItem,
    value: Decimal,
    reason: str,
    evidence: UploadedFile[bytes] | None = None,
) -> Entry:
    """A hand score (hand-scored indicators) or a correction (computed ones), with its reason;
    it counts at once and must be reviewed before the period is published."""
    period = item.score.period
    _frozen(period)
    if period.state != PeriodState.REVIEW:
        raise DomainError("not_computed", "请先计算考核结果，再评分或更正")
    item.refresh_from_db(fields=["value", "status"])
    kind = EntryKind.MANUAL if item.manual else EntryKind.CORRECTION
    _require_perm(
        actor, "assessment.add_entry" if kind == EntryKind.MANUAL else "assessment.correct_entry"
    )
    if actor is not None:
        score = item.score
        unit = score.unit if score.unit_id else score.base.lead_department  # type: ignore[union-attr]
        require_unit_in_scope(actor, unit, field="value", label="考核对象")
    reason = reason.strip()
    if not reason:
        label = "评分依据" if kind == EntryKind.MANUAL else "更正理由"
        raise DomainError("invalid", f"请填写{label}", {"reason": f"请填写{label}"})
    if value < 0:
        raise DomainError("invalid", "指标值不能为负数", {"value": "不能为负数"})
    item.entries.filter(active=True).update(active=False)
    entry = Entry(
        item=item,
        kind=kind,
        value=value,
        previous=item.value,
        reason=reason[:300],
        entered_by=actor,
    )
    if evidence is not None:
        entry.evidence.save(evidence.name or "evidence", evidence, save=False)
    entry.save()
    _apply_entries(period)
    rescore(period, actor=actor)
    return entry


@transaction.atomic
def entry_review(*, actor: User | None, entry: Entry) -> Entry:
    """The reviewer approves a hand score or correction (never their own)."""
    _require_perm(actor, "assessment.review_entry")
    _frozen(entry.item.score.period)
    if not entry.active:
        raise DomainError("superseded", "该条已被新的评分或更正取代")
    if entry.reviewed_at is not None:
        raise DomainError("reviewed", "该条已审核")
    if actor is not None and entry.entered_by_id == actor.pk:
        raise DomainError("own_entry", "不能审核自己填报的评分或更正")
    entry.reviewed_by = actor
    entry.reviewed_at = timezone.now()
    entry.save(update_fields=["reviewed_by", "reviewed_at"])
    return entry


@transaction.atomic
def entries_review_all(*, actor: User, period: Period) -> int:
    """Approve every pending entry of the period that the reviewer did not enter."""
    _require_perm(actor, "assessment.review_entry")
    _frozen(period)
    pending = Entry.objects.filter(
        item__score__period=period, active=True, reviewed_at__isnull=True
    ).exclude(entered_by=actor)
    return pending.update(reviewed_by=actor, reviewed_at=timezone.now())
