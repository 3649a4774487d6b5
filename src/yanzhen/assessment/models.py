"""Quantitative assessment (量化考核): indicator systems, periods, scores and their inputs.

An *indicator system* (指标体系) has dimensions and indicators; each indicator is computed from
the records (its ``source_code`` names an ``IndicatorSource`` of some app's ``indicators.py``)
or scored by hand. A *period* (考核期) of a system is computed, reviewed (hand scores and
corrections, each with its reason and a reviewer) and published. A published period is
frozen: its scores keep the configuration, the weights and every raw value they came from.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from yanzhen.cooperation.models import Base
from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.indicators import Subject
from yanzhen.core.models import Audited, Unit, User


class SubjectKind(models.TextChoices):
    BASE = "base", "合作基地"
    UNIT = "unit", "单位（部门、镇街等）"


class Aggregation(models.TextChoices):
    WEIGHTED_SUM = "weighted_sum", "加权求和"
    TOPSIS = "topsis", "TOPSIS（逼近理想解排序）"


class Weighting(models.TextChoices):
    FIXED = "fixed", "固定权重（按分值）"
    AHP = "ahp", "层次分析法（AHP）"
    ENTROPY = "entropy", "熵权法"
    COMBINED = "combined", "主客观组合（分值或AHP与熵权）"


class Normalization(models.TextChoices):
    TARGET = "target", "目标完成率"
    MINMAX = "minmax", "极差标准化"
    RANK = "rank", "排名标准化"
    VECTOR = "vector", "向量标准化"


class IndicatorSystem(Audited):
    """A configurable indicator system: who is assessed, and how the scores are made."""

    name = models.CharField("指标体系名称", max_length=100)
    description = models.TextField("说明", blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="考核单位", on_delete=models.PROTECT, related_name="indicator_systems"
    )
    subject_kind = models.CharField(
        "考核对象", max_length=20, choices=SubjectKind.choices, default=SubjectKind.BASE
    )
    unit_kinds = models.JSONField(
        "考核单位类型", default=list, blank=True, help_text="考核对象为单位时：部门、镇、街道等"
    )
    aggregation = models.CharField(
        "汇总方法", max_length=20, choices=Aggregation.choices, default=Aggregation.WEIGHTED_SUM
    )
    weighting = models.CharField(
        "权重方法", max_length=20, choices=Weighting.choices, default=Weighting.FIXED
    )
    alpha = models.DecimalField(
        "主观权重占比",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="主客观组合时主观权重所占比例（0–1）",
    )
    cap = models.DecimalField(
        "目标完成率封顶",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.20"),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(5))],
        help_text="超额完成目标最多按此倍数计分",
    )
    pairwise = models.JSONField("AHP判断矩阵", default=list, blank=True)

    class Meta:
        verbose_name = "指标体系"
        verbose_name_plural = "指标体系"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField("维度", max_length=50)
    sort_order = models.IntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核维度"
        verbose_name_plural = "考核维度"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="dimension_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorSourceKind(models.TextChoices):
    COMPUTED = "computed", "由记录自动计算"
    MANUAL = "manual", "人工评分"


class Indicator(models.Model):
    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="indicators")
    dimension = models.ForeignKey(
        Dimension, verbose_name="维度", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField("指标代码", max_length=40)
    name = models.CharField("指标名称", max_length=50)
    weight = models.DecimalField(
        "分值",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text="固定权重时即满分分值；各指标分值之和为总分",
    )
    benefit = models.BooleanField("越高越好", default=True, help_text="不勾选表示越低越好")
    normalization = models.CharField(
        "标准化方法", max_length=20, choices=Normalization.choices, default=Normalization.TARGET
    )
    source = models.CharField(
        "数据来源",
        max_length=20,
        choices=IndicatorSourceKind.choices,
        default=IndicatorSourceKind.COMPUTED,
    )
    source_code = models.CharField("计算来源代码", max_length=60, blank=True)
    target = models.DecimalField(
        "年度目标值",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="按目标完成率计分时使用；季度、月度考核按月数折算",
    )
    prorate = models.BooleanField(
        "目标按月数折算", default=True, help_text="数量类指标勾选；比率类指标（%）不勾选"
    )
    measure = models.CharField("计量单位", max_length=10, blank=True)
    description = models.CharField("计分说明", max_length=200, blank=True)
    sort_order = models.IntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["dimension__sort_order", "dimension_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A subject's own target for an indicator (instead of the indicator's default)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    base = models.ForeignKey(
        Base, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "目标值"
        verbose_name_plural = "目标值"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "base"],
                condition=models.Q(base__isnull=False),
                name="target_unique_base",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit"],
                condition=models.Q(unit__isnull=False),
                name="target_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class PeriodKind(models.TextChoices):
    MONTH = "month", "月度"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年度"


class PeriodState(models.TextChoices):
    DRAFT = "draft", "待计算"
    REVIEW = "review", "审核中"
    PUBLISHED = "published", "已发布"


class Period(Audited):
    """One assessment of a system's subjects over ``[start, end]``."""

    system = models.ForeignKey(
        IndicatorSystem, verbose_name="指标体系", on_delete=models.PROTECT, related_name="periods"
    )
    name = models.CharField("考核期", max_length=50)
    kind = models.CharField("周期", max_length=20, choices=PeriodKind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    state = models.CharField(
        "状态", max_length=20, choices=PeriodState.choices, default=PeriodState.DRAFT
    )
    # The system as it was computed: dimensions, indicators, weights, targets, methods.
    config = models.JSONField("计分配置", default=dict, blank=True)
    problems = models.JSONField("配置问题", default=list, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "考核期"
        verbose_name_plural = "考核期"
        ordering = ["-end", "-id"]
        permissions = [
            ("compute_period", "可以计算考核结果"),
            ("publish_period", "可以发布考核结果"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="period_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


class PeriodAction(models.TextChoices):
    CREATE = "create", "创建"
    COMPUTE = "compute", "计算"
    PUBLISH = "publish", "发布"
    APPEAL = "appeal", "申诉改分"


class PeriodEvent(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=PeriodAction.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    actor = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_action_display()


class Score(models.Model):
    """A subject's score in a period, with its rank and how stable the rank is."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="scores")
    base = models.ForeignKey(
        Base, null=True, blank=True, on_delete=models.PROTECT, related_name="scores"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="scores"
    )
    name = models.CharField("考核对象", max_length=100)
    sort_order = models.IntegerField(default=0)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, default=Decimal(0))
    subtotals = models.JSONField("维度得分", default=list)
    rank = models.PositiveIntegerField("排名", default=0)
    best_rank = models.PositiveIntegerField("权重±10%时最好排名", default=0)
    worst_rank = models.PositiveIntegerField("权重±10%时最差排名", default=0)
    flagged = models.BooleanField("排名对权重敏感", default=False)

    history = audited_history()

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        ordering = ["rank", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "base"],
                condition=models.Q(base__isnull=False),
                name="score_unique_base",
            ),
            models.UniqueConstraint(
                fields=["period", "unit"],
                condition=models.Q(unit__isnull=False),
                name="score_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.total}"

    @property
    def subject(self) -> Subject:
        if self.base_id is not None:
            return ("base", self.base_id)
        assert self.unit_id is not None
        return ("unit", self.unit_id)


class ItemStatus(models.TextChoices):
    COMPUTED = "computed", "自动计算"
    CORRECTED = "corrected", "已更正"
    MANUAL = "manual", "人工评分"
    MISSING = "missing", "不可用"


class ScoreItem(models.Model):
    """One indicator of one score: the raw value, its target, and the points it earned."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("指标代码", max_length=40)
    name = models.CharField("指标", max_length=50)
    dimension = models.CharField("维度", max_length=50)
    position = models.PositiveSmallIntegerField(default=0)
    manual = models.BooleanField("人工评分指标", default=False)
    source_code = models.CharField("计算来源", max_length=60, blank=True)
    measure = models.CharField("计量单位", max_length=10, blank=True)
    computed = models.DecimalField("计算值", max_digits=16, decimal_places=4, null=True, blank=True)
    value = models.DecimalField("采用值", max_digits=16, decimal_places=4, null=True, blank=True)
    target = models.DecimalField("目标值", max_digits=16, decimal_places=4, null=True, blank=True)
    normalized = models.FloatField("标准化值", default=0.0)
    points = models.DecimalField("得分", max_digits=8, decimal_places=2, default=Decimal(0))
    status = models.CharField("状态", max_length=20, choices=ItemStatus.choices)
    error = models.CharField("不可用原因", max_length=300, blank=True)
    records_url = models.CharField("记录链接", max_length=500, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["score", "code"], name="item_unique_code")]

    def __str__(self) -> str:
        return f"{self.name} {self.points}"


class EntryKind(models.TextChoices):
    MANUAL = "manual", "人工评分"
    CORRECTION = "correction", "更正"
    APPEAL = "appeal", "申诉改分"


def _entry_path(instance: Entry, filename: str) -> str:
    return f"assessment/entries/{instance.item_id}/{filename}"


class Entry(models.Model):
    """A hand score or a correction of an item: its value, reason, evidence and reviewer."""

    item = models.ForeignKey(ScoreItem, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("类型", max_length=20, choices=EntryKind.choices)
    value = models.DecimalField("值", max_digits=16, decimal_places=4)
    previous = models.DecimalField("原值", max_digits=16, decimal_places=4, null=True, blank=True)
    reason = models.CharField("理由", max_length=300)
    evidence = models.FileField("佐证材料", upload_to=_entry_path, blank=True)
    entered_by = optional_fk(User, "填报人", on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("填报时间", default=timezone.now)
    reviewed_by = optional_fk(User, "审核人", on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "人工评分与更正"
        verbose_name_plural = "人工评分与更正"
        ordering = ["entered_at", "id"]
        permissions = [
            ("correct_entry", "可以更正自动计算的指标值"),
            ("review_entry", "可以审核人工评分和更正"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class AppealState(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "维持原分"
    CHANGED = "changed", "已改分"


def _appeal_path(instance: Appeal, filename: str) -> str:
    return f"assessment/appeals/{instance.item_id}/{filename}"


class Appeal(Audited):
    """The assessed unit's appeal (申诉) against a hand-entered score of a published period,
    within the county's window; the office upholds the score or changes it (the period's
    totals and ranks are then recalculated). Reviewed through ``core.workflow``."""

    item = models.ForeignKey(
        ScoreItem, verbose_name="指标得分", on_delete=models.PROTECT, related_name="appeals"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="申诉单位", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("申诉理由", max_length=500)
    attachment = models.FileField("附件", upload_to=_appeal_path, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=AppealState.choices, default=AppealState.PENDING
    )
    original = models.DecimalField("原分值", max_digits=16, decimal_places=4, null=True)
    value = models.DecimalField(
        "调整后分值", max_digits=16, decimal_places=4, null=True, blank=True
    )
    decision_note = models.CharField("处理意见", max_length=200, blank=True)
    decided_by = optional_fk(User, "处理人", on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "考核申诉"
        verbose_name_plural = "考核申诉"
        ordering = ["-created_at", "-id"]
        permissions = [("decide_appeal", "可以处理考核申诉")]

    def __str__(self) -> str:
        return f"{self.item.score.name}·{self.item.name}申诉"
