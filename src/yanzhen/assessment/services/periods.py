"""Periods: created, computed from the indicator sources (with the hand scores and
corrections applied), scored and ranked by ``yanzhen.engines.scoring``, then published."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.assessment import sources
from yanzhen.assessment.models import (
    Aggregation,
    Entry,
    EntryKind,
    IndicatorSourceKind,
    IndicatorSystem,
    ItemStatus,
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
from yanzhen.assessment.selectors import indicators_of, subjects_of
from yanzhen.assessment.services.common import frozen, money, require_perm, update_many
from yanzhen.assessment.services.systems import ahp_weights
from yanzhen.core import integrity
from yanzhen.core.errors import DomainError
from yanzhen.core.history import bulk_history
from yanzhen.core.indicators import Subject
from yanzhen.core.models import User
from yanzhen.core.services import validate
from yanzhen.engines import scoring

log = logging.getLogger(__name__)


def _subject_key(subject: Subject) -> str:
    return f"{subject[0]}-{subject[1]}"


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
    require_perm(actor, "assessment.add_period")
    if end < start:
        raise DomainError("invalid", _("结束日期不能早于开始日期"), {"end": _("不能早于开始日期")})
    if Period.objects.filter(system=system, name=name.strip()).exists():
        raise DomainError(
            "duplicate",
            _("已有考核期“%(name)s”") % {"name": name.strip()},
            {"name": _("名称重复")},
        )
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
    require_perm(actor, "assessment.compute_period")
    frozen(period)
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
    update_many(Score, kept, ["name", "sort_order"])
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
    update_many(ScoreItem, changed, ITEM_FIELDS)
    period.config = config
    period.problems = problems
    period.state = PeriodState.REVIEW
    period.computed_at = timezone.now()
    period.updated_by = actor
    period.save()
    apply_entries(period)
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


def apply_entries(period: Period) -> None:
    """Active entries override the computed values (and supply the hand scores)."""
    items = []
    for entry in Entry.objects.filter(item__score__period=period, active=True).select_related(
        "item"
    ):
        item = entry.item
        item.value = entry.value
        # A hand score, or a hand score changed on appeal; else a correction.
        item.status = (
            ItemStatus.CORRECTED if entry.kind == EntryKind.CORRECTION else ItemStatus.MANUAL
        )
        item.error = ""
        items.append(item)
    update_many(ScoreItem, items, ["value", "status", "error"])


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
        points = [money(100 * c) for c in result.contributions[s_index]]
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
            total = money(100 * result.scores[s_index])
        else:
            total = sum(points, Decimal(0))
        score.total = total
        totals.append(total)
    update_many(ScoreItem, changed, ["normalized", "points", "target"])
    ranks = scoring.rank([float(t) for t in totals])
    sensitivity = result.sensitivity
    for s_index, score in enumerate(scores):
        score.rank = int(ranks[s_index])
        score.best_rank = int(min(sensitivity.best[s_index], ranks[s_index]))
        score.worst_rank = int(max(sensitivity.worst[s_index], ranks[s_index]))
        score.flagged = bool(sensitivity.flagged[s_index])
    fields = ["total", "subtotals", "rank", "best_rank", "worst_rank", "flagged"]
    update_many(Score, scores, fields)
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
        return [
            _("考核期当前为“%(state)s”，须计算并审核后才能发布")
            % {"state": period.get_state_display()}
        ]
    out = []
    missing = ScoreItem.objects.filter(score__period=period, status=ItemStatus.MISSING)
    if missing.exists():
        names = sorted(set(missing.values_list("name", flat=True)))
        out.append(
            _("%(n)s 项指标值不可用（%(names)s），请补录或更正")
            % {"n": missing.count(), "names": "、".join(names)}
        )
    pending = Entry.objects.filter(
        item__score__period=period, active=True, reviewed_at__isnull=True
    ).count()
    if pending:
        out.append(_("%(n)s 条人工评分或更正尚未审核") % {"n": pending})
    out += [p for p in period.problems if "AHP" in p or "无法计分" in p or "没有指标" in p]
    return out


@transaction.atomic
def period_publish(*, actor: User | None, period: Period) -> Period:
    """Publish the reviewed period: its scores, inputs and configuration are frozen."""
    require_perm(actor, "assessment.publish_period")
    frozen(period)
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
