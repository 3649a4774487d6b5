"""Annual targets and briefings (工作简报、工作总结、专题报告) with their frozen figures."""

from __future__ import annotations

from django.db import models

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Audited, Unit, Versioned


class TargetKind(models.TextChoices):
    INTENTION = "intention", "意向"
    AGREEMENT = "agreement", "签约"
    LANDED = "landed", "落地"
    TALENT = "talent", "引才"
    INTERN = "intern", "实习"
    # 四个一批: a batch each of demonstration sites, high-level talents, innovation platforms
    # and industrial projects, set per county and year.
    DEMO_SITE = "demo_site", "示范点"
    HIGH_TALENT = "high_talent", "高层次人才"
    PLATFORM = "platform", "创新平台"
    PROJECT = "project", "产业项目"


# The kinds of the 四个一批, in the plan's order.
FOUR_BATCHES = (
    TargetKind.DEMO_SITE,
    TargetKind.HIGH_TALENT,
    TargetKind.PLATFORM,
    TargetKind.PROJECT,
)


# The figure of the catalogue (reports.figures) each kind of target is measured by.
TARGET_FIGURES: dict[str, str] = {
    TargetKind.INTENTION: "合作意向数",
    TargetKind.AGREEMENT: "签约数",
    TargetKind.LANDED: "落地数",
    TargetKind.TALENT: "人才数",
    TargetKind.INTERN: "实习生数",
}


class AnnualTarget(Versioned, Audited):
    """What a unit is to reach in a year, set by the office; the year at a glance shows the
    completion against the figure of the same kind."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="annual_targets"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("目标类型", max_length=20, choices=TargetKind.choices)
    value = models.PositiveIntegerField("目标值")

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标"
        ordering = ["unit", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="annual_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年{self.get_kind_display()}目标"


class BriefingKind(models.TextChoices):
    BULLETIN = "bulletin", "工作简报"
    SUMMARY = "summary", "工作总结"
    REPORT = "report", "专题报告"


class BriefingTemplate(Audited):
    """A named template the office keeps (the body in the template language of
    docs/briefings.md); a briefing starts from one and keeps its own copy."""

    name = models.CharField("模板名称", max_length=100, unique=True)
    kind = models.CharField("文种", max_length=20, choices=BriefingKind.choices)
    title = models.CharField("标题", max_length=200, help_text="可含“{年度}”“{单位}”")
    text = models.TextField("正文模板")

    class Meta:
        verbose_name = "简报模板"
        verbose_name_plural = "简报模板"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Briefing(Versioned, Audited):
    """A briefing: drafted by the office, reviewed by another office member, 签发 by the
    leader (the two steps are core.workflow requests); issuing freezes its figures."""

    kind = models.CharField("文种", max_length=20, choices=BriefingKind.choices)
    title = models.CharField("标题", max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="briefings"
    )
    start = models.DateField("统计起始日期")
    end = models.DateField("统计截止日期")
    text = models.TextField("正文模板")
    template = optional_fk(
        BriefingTemplate, "所用模板", on_delete=models.SET_NULL, related_name="+"
    )
    issue = models.PositiveIntegerField("期号", null=True, blank=True)
    masthead = models.CharField("发文机关标志（版头）", max_length=50)
    number = models.CharField("发文字号", max_length=50, blank=True)
    recipients = models.CharField("主送机关", max_length=200, blank=True)
    report_to = models.CharField("报送", max_length=200, blank=True)
    copy_to = models.CharField("抄送", max_length=200, blank=True)
    signature = models.CharField("署名（编印单位）", max_length=100)
    drafter = models.ForeignKey(
        "core.User", verbose_name="拟稿人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        "core.User",
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        "core.User",
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_on = models.DateField("成文日期", null=True, blank=True)
    frozen_text = models.TextField("印发时的正文", blank=True, editable=False)
    snapshot_hash = models.CharField("快照校验值", max_length=64, blank=True, editable=False)

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "简报"
        verbose_name_plural = "简报"
        ordering = ["-end", "-id"]
        permissions = [
            ("review_briefing", "审核简报"),
            ("sign_briefing", "签发简报"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["masthead", "issue"],
                condition=models.Q(issue__isnull=False),
                name="briefing_issue_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title


class BriefingFigure(models.Model):
    """One figure of an issued briefing as it was: value, definition, filter, time, and the
    records behind it (ids and versions) with their hash."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="figures")
    key = models.CharField("指标", max_length=100)
    value = models.CharField("数值", max_length=50, blank=True)
    raw = models.CharField("原值", max_length=50, blank=True)
    definition = models.CharField("口径", max_length=300)
    filter = models.JSONField("筛选条件", default=dict)
    computed_at = models.DateTimeField("计算时间")
    model = models.CharField("记录类型", max_length=100, blank=True)
    records = models.JSONField("记录及版本", default=list)
    records_hash = models.CharField("记录校验值", max_length=64)

    class Meta:
        verbose_name = "简报指标快照"
        verbose_name_plural = "简报指标快照"
        ordering = ["briefing", "id"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "key"], name="briefing_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


# 信息报送: work information coming up from the towns, departments and bases ---------------------


class InfoState(models.TextChoices):
    SUBMITTED = "submitted", "待处理"
    ADOPTED = "adopted", "已采用"
    RETURNED = "returned", "已退回"


class WorkInfo(Versioned, Audited):
    """A piece of 工作信息 a town, department or base sends up; the office edits it, adopts
    (采用) it into a 工作简报 issue, or returns it with a comment."""

    unit = models.ForeignKey(
        Unit, verbose_name="报送单位", on_delete=models.PROTECT, related_name="work_info"
    )
    base = models.ForeignKey(
        "cooperation.Base",
        verbose_name="所属基地",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_info",
    )
    title = models.CharField("标题", max_length=100)
    text = models.TextField("正文", max_length=5000)
    date = models.DateField("信息日期")
    state = models.CharField(
        "状态", max_length=20, choices=InfoState.choices, default=InfoState.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        "core.User", verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间")
    briefing = optional_fk(
        Briefing, "采用期次", on_delete=models.PROTECT, related_name="adopted_info"
    )
    decided_by = models.ForeignKey(
        "core.User",
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    adopted_on = models.DateField("采用日期", null=True, blank=True)
    comment = models.CharField("处理意见", max_length=500, blank=True)

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "工作信息"
        verbose_name_plural = "工作信息"
        ordering = ["-date", "-id"]
        permissions = [("adopt_workinfo", "采用或退回工作信息")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="adopted")
                | models.Q(briefing__isnull=False, adopted_on__isnull=False),
                name="work_info_adopted_has_issue",
            )
        ]

    def __str__(self) -> str:
        return self.title


def _photo_path(instance: WorkInfoPhoto, filename: str) -> str:
    return f"info/{instance.info_id}/{filename}"


class WorkInfoPhoto(models.Model):
    """A photo of a piece of work information (JPEG or PNG, bounded in size and pixels)."""

    info = models.ForeignKey(
        WorkInfo, verbose_name="工作信息", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField("图片", upload_to=_photo_path)
    name = models.CharField("文件名", max_length=200)
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "信息图片"
        verbose_name_plural = "信息图片"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class OutgoingReport(Audited):
    """A 专报 the county sent upward: which issue, to whom, when."""

    unit = models.ForeignKey(
        Unit, verbose_name="报送单位", on_delete=models.PROTECT, related_name="outgoing_reports"
    )
    briefing = models.ForeignKey(
        Briefing,
        verbose_name="报送期次",
        on_delete=models.PROTECT,
        related_name="outgoing_reports",
    )
    recipient = models.CharField("报送对象", max_length=200)
    sent_on = models.DateField("报送日期")
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "专报报送记录"
        verbose_name_plural = "专报报送记录"
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.briefing} → {self.recipient}"
