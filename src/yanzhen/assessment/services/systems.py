"""Indicator systems: their dimensions, indicators, AHP judgements and targets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from yanzhen.assessment.models import (
    Aggregation,
    Dimension,
    Indicator,
    IndicatorSourceKind,
    IndicatorSystem,
    Normalization,
    SubjectKind,
    Target,
    Weighting,
)
from yanzhen.assessment.selectors import indicators_of
from yanzhen.core.errors import DomainError
from yanzhen.core.indicators import Subject
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.services import require_unit_in_scope, validate
from yanzhen.engines import scoring

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
                "invalid",
                _("考核对象为单位时，请选择考核的单位类型"),
                {"unit_kinds": _("请选择")},
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
        require_unit_in_scope(actor, owner_unit, field="owner_unit", label=_("考核单位"))
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
    """Change the fields given (``SYSTEM_FIELDS``); the others keep their values."""
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
            "invalid", _("使用层次分析法须先填写判断矩阵"), {"weighting": _("请先填写判断矩阵")}
        )
    system.save()
    return system


def ahp_weights(system: IndicatorSystem, matrix: Sequence[Sequence[float]]) -> np.ndarray[Any, Any]:
    """The AHP weights of ``matrix`` over the system's indicators, or a DomainError naming
    the most inconsistent comparison."""
    names = [i.name for i in indicators_of(system)]
    if len(matrix) != len(names):
        raise DomainError(
            "invalid",
            _("判断矩阵应为 %(n)s 阶（每个指标一行）") % {"n": len(names)},
            {"pairwise": _("阶数不符")},
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


DIMENSION_FIELDS = ("name", "sort_order")


@transaction.atomic
def dimension_create(
    *, actor: User | None, system: IndicatorSystem, name: str, sort_order: int | None = 0
) -> Dimension:
    """A dimension of the system (its indicators are grouped and subtotalled by it)."""
    return _dimension_save(Dimension(system=system, name=name, sort_order=sort_order or 0))


@transaction.atomic
def dimension_update(*, actor: User | None, dimension: Dimension, **fields: Any) -> Dimension:
    """Change the fields given (``DIMENSION_FIELDS``); the others keep their values."""
    unknown = set(fields) - set(DIMENSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown dimension fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(dimension, name, value)
    dimension.sort_order = dimension.sort_order or 0
    return _dimension_save(dimension)


def _dimension_save(dimension: Dimension) -> Dimension:
    dimension.name = dimension.name.strip()
    same = Dimension.objects.filter(system_id=dimension.system_id, name=dimension.name)
    if same.exclude(pk=dimension.pk).exists():
        raise DomainError(
            "duplicate",
            _("已有维度“%(name)s”") % {"name": dimension.name},
            {"name": _("维度名称重复")},
        )
    validate(dimension)
    dimension.save()
    return dimension


@transaction.atomic
def dimension_delete(*, actor: User | None, dimension: Dimension) -> None:
    if dimension.indicators.exists():
        raise DomainError("not_empty", _("维度下还有指标，请先删除或移走指标"))
    dimension.delete()


INDICATOR_FIELDS = (
    "dimension", "code", "name", "weight", "benefit", "normalization", "source", "source_code",
    "target", "prorate", "measure", "description", "sort_order",
)  # fmt: skip


@transaction.atomic
def indicator_create(
    *,
    actor: User | None,
    system: IndicatorSystem,
    dimension: Dimension,
    code: str,
    name: str,
    weight: Decimal,
    normalization: str = Normalization.TARGET,
    source: str = IndicatorSourceKind.COMPUTED,
    source_code: str = "",
    benefit: bool = True,
    target: Decimal | None = None,
    prorate: bool = True,
    measure: str = "",
    description: str = "",
    sort_order: int | None = 0,
) -> Indicator:
    """An indicator of the system; a judgement matrix that no longer fits is dropped."""
    count_before = system.indicators.count()
    indicator = Indicator(
        system=system,
        dimension=dimension,
        code=code,
        name=name,
        weight=weight,
        benefit=benefit,
        normalization=normalization,
        source=source,
        source_code=source_code,
        target=target,
        prorate=prorate,
        measure=measure,
        description=description,
        sort_order=sort_order or 0,
    )
    _indicator_save(indicator)
    if system.pairwise and count_before != system.indicators.count():
        system.pairwise = []  # the matrix no longer fits: it must be entered again
        system.save(update_fields=["pairwise", "updated_at"])
    return indicator


@transaction.atomic
def indicator_update(*, actor: User | None, indicator: Indicator, **fields: Any) -> Indicator:
    """Change the fields given (``INDICATOR_FIELDS``); the others keep their values."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.sort_order = indicator.sort_order or 0
    return _indicator_save(indicator)


def _indicator_save(instance: Indicator) -> Indicator:
    instance.code = instance.code.strip()
    instance.source_code = instance.source_code.strip()
    errors: dict[str, str] = {}
    if instance.dimension.system_id != instance.system_id:
        errors["dimension"] = _("维度不属于本指标体系")
    if instance.source == IndicatorSourceKind.COMPUTED and not instance.source_code:
        errors["source_code"] = _("自动计算的指标须选择数据来源")
    if instance.source == IndicatorSourceKind.MANUAL:
        instance.source_code = ""
    if instance.target is not None and instance.target <= 0:
        errors["target"] = _("目标值必须大于 0")
    same = Indicator.objects.filter(system_id=instance.system_id, code=instance.code)
    if same.exclude(pk=instance.pk).exists():
        errors["code"] = _("指标代码“%(code)s”已被使用") % {"code": instance.code}
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    validate(instance)
    instance.save()
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
            raise DomainError(
                "invalid", _("目标值必须大于 0"), {f"target_{kind}_{pk}": _("须大于 0")}
            )
        Target.objects.update_or_create(defaults={"value": value}, **lookup)
