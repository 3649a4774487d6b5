"""The talent demand map: needs, needs surveys, experts, and import rows held for a person."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import AliveManager, Audited, SoftDeletable, Unit, Versioned
from yanzhen.reference.models import Discipline, University


class NeedDegree(models.TextChoices):
    """The education a need asks for (values as ``core.models.Degree``)."""

    DOCTOR = "doctor", "博士"
    MASTER = "master", "硕士"
    BACHELOR = "bachelor", "本科"
    ASSOCIATE = "associate", "大专"
    ANY = "any", "不限"


class Urgency(models.TextChoices):
    URGENT = "urgent", "急需"
    NORMAL = "normal", "一般"
    RESERVE = "reserve", "储备"


class NeedStatus(models.TextChoices):
    OPEN = "open", "征集中"
    MET = "met", "已满足"
    CLOSED = "closed", "已关闭"


class NeedSource(models.TextChoices):
    ENTERPRISE = "enterprise", "单位自行填报"
    OFFICE = "office", "代为录入"
    IMPORT = "import", "调查表导入"
    API = "api", "接口"


class SurveyCampaign(Audited):
    """A talent needs survey (需求调查): the office asks a set of units for their needs."""

    title = models.CharField("调查名称", max_length=100)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField("开始日期")
    deadline = models.DateField("截止日期")
    closed = models.BooleanField("已结束", default=False)
    description = models.TextField("调查说明", blank=True)
    enterprises = models.ManyToManyField(
        Unit, verbose_name="调查对象", through="CampaignTarget", related_name="+"
    )

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "需求调查"
        verbose_name_plural = "需求调查"
        ordering = ["-opens_on", "-id"]
        permissions = [("remind_surveycampaign", "可以催报需求调查")]
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "title"], name="campaign_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class CampaignTarget(models.Model):
    """A unit asked by a survey, whether and when it answered, and the reminders it got."""

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey(
        Unit, verbose_name="调查对象", on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("填报时间", null=True, blank=True)
    no_needs = models.BooleanField("本次无需求", default=False)
    reminded_at = models.DateTimeField("最近催报", null=True, blank=True)
    reminders = models.PositiveIntegerField("催报次数", default=0)

    class Meta:
        verbose_name = "调查对象"
        verbose_name_plural = "调查对象"
        ordering = ["campaign", "enterprise__sort_order", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "enterprise"], name="target_unique")
        ]
        indexes = [models.Index(fields=["enterprise", "campaign"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.enterprise_id}"


class TalentNeed(SoftDeletable, Versioned, Audited):
    """One talent need of a local unit (usually an enterprise): a position and who fits it."""

    objects: ClassVar[AliveManager[TalentNeed]]
    all_objects: ClassVar[models.Manager[TalentNeed]]

    code = models.CharField("需求编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Unit, verbose_name="需求单位", on_delete=models.PROTECT, related_name="talent_needs"
    )
    campaign = optional_fk(
        SurveyCampaign, "所属调查", on_delete=models.SET_NULL, related_name="needs"
    )
    position = models.CharField("岗位名称", max_length=100)
    disciplines = models.ManyToManyField(
        Discipline, verbose_name="学科", blank=True, related_name="talent_needs"
    )
    majors = models.CharField("专业要求", max_length=200, blank=True)
    degree = models.CharField("学历要求", max_length=20, choices=NeedDegree.choices)
    number = models.PositiveIntegerField("需求人数", default=1)
    urgency = models.CharField(
        "紧迫程度", max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    salary_min = models.DecimalField(
        "年薪下限（万元）", max_digits=7, decimal_places=1, null=True, blank=True
    )
    salary_max = models.DecimalField(
        "年薪上限（万元）", max_digits=7, decimal_places=1, null=True, blank=True
    )
    deadline = models.DateField("到岗期限", null=True, blank=True)
    description = models.TextField("需求描述", blank=True)
    preferred_universities = models.ManyToManyField(
        University, verbose_name="意向高校", blank=True, related_name="talent_needs"
    )
    status = models.CharField(
        "状态", max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    source = models.CharField(
        "来源", max_length=20, choices=NeedSource.choices, default=NeedSource.OFFICE
    )
    reported_on = models.DateField("填报日期", default=timezone.localdate)

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta(SoftDeletable.Meta):
        verbose_name = "人才需求"
        verbose_name_plural = "人才需求"
        ordering = ["-reported_on", "-id"]
        permissions = [
            ("export_talentneed", "可以导出人才需求"),
            ("import_talentneed", "可以导入人才需求"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status"]),
            models.Index(fields=["status", "urgency"]),
            models.Index(fields=["campaign", "enterprise"]),
            models.Index(fields=["reported_on", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.position}"

    @property
    def salary_label(self) -> str:
        low, high = self.salary_min, self.salary_max
        if low is None and high is None:
            return "面议"
        if low is not None and high is not None:
            return f"{low:g}–{high:g} 万元/年" if low != high else f"{low:g} 万元/年"
        return f"{low:g} 万元/年以上" if low is not None else f"{high:g} 万元/年以内"


class Expert(SoftDeletable, Versioned, Audited):
    """An expert the county can turn to: at a university, in disciplines, with directions."""

    objects: ClassVar[AliveManager[Expert]]
    all_objects: ClassVar[models.Manager[Expert]]

    name = models.CharField("姓名", max_length=50)
    university = models.ForeignKey(
        University,
        verbose_name="所在高校（院所）",
        on_delete=models.PROTECT,
        related_name="demand_experts",
    )
    department = models.CharField("院系", max_length=100, blank=True)
    title = models.CharField("职称", max_length=50, blank=True)
    honours = models.CharField("人才称号", max_length=100, blank=True)
    disciplines = models.ManyToManyField(
        Discipline, verbose_name="学科", blank=True, related_name="demand_experts"
    )
    directions = models.TextField("研究方向")
    projects = models.ManyToManyField(
        "cooperation.Cooperation",
        verbose_name="参与的本地合作",
        blank=True,
        related_name="demand_experts",
    )
    project_notes = models.TextField("其他合作经历", blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="登记单位", on_delete=models.PROTECT, related_name="+"
    )

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta(SoftDeletable.Meta):
        verbose_name = "专家"
        verbose_name_plural = "专家"
        ordering = ["university__code", "name", "id"]
        permissions = [
            ("export_expert", "可以导出专家"),
            ("import_expert", "可以导入专家"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "university", "name"],
                condition=models.Q(deleted_at__isnull=True),
                name="expert_unique_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.university.name}）"


class ImportKind(models.TextChoices):
    NEED = "need", "人才需求"
    EXPERT = "expert", "专家"


class HeldRow(models.Model):
    """An imported row whose university could not be named with certainty: held, never
    guessed, until a person picks the university (or drops the row)."""

    kind = models.CharField("导入类型", max_length=20, choices=ImportKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="导入单位", on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField("文件", max_length=200)
    row_number = models.PositiveIntegerField("行号")
    values = models.JSONField("行内容")
    pending = models.JSONField("待确认的高校名称")
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", default=timezone.now)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField("处理结果", max_length=200, blank=True)

    class Meta:
        verbose_name = "待确认导入行"
        verbose_name_plural = "待确认导入行"
        ordering = ["-created_at", "row_number", "id"]
        indexes = [models.Index(fields=["unit", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.filename} 第{self.row_number}行"
