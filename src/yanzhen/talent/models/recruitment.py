"""Recruitment campaigns, their positions and applicants moving through stages."""

from __future__ import annotations

from django.db import models

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Audited, Degree, Person, Unit
from yanzhen.reference.models import Discipline, University
from yanzhen.talent.models.common import RECRUITMENT_CHANNEL_CHOICES, TalentType


class Campaign(Audited):
    """A recruitment campaign: open recruitment, flexible introduction or campus recruitment."""

    name = models.CharField("招聘活动", max_length=100)
    channel = models.CharField("引才渠道", max_length=20, choices=RECRUITMENT_CHANNEL_CHOICES)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="talent_campaigns"
    )
    year = models.PositiveSmallIntegerField("年度")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    target_universities = models.ManyToManyField(
        University, verbose_name="目标高校", blank=True, related_name="talent_campaigns"
    )
    description = models.TextField("说明", blank=True)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "招聘活动"
        verbose_name_plural = "招聘活动"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="campaign_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Position(Audited):
    """A position of a campaign at an employer, with its quota."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="招聘活动", on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField("岗位名称", max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name="用人单位", on_delete=models.PROTECT, related_name="talent_positions"
    )
    talent_type = models.CharField(
        "人才类型", max_length=20, choices=TalentType.choices, default=TalentType.FULL_TIME
    )
    discipline = optional_fk(Discipline, "学科", on_delete=models.PROTECT, related_name="+")
    degree = models.CharField("最低学位", max_length=20, choices=Degree.choices, blank=True)
    quota = models.PositiveIntegerField("招聘名额")
    description = models.CharField("岗位说明", max_length=200, blank=True)
    talent_need = models.ForeignKey(
        "demand.TalentNeed",
        verbose_name="对应人才需求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_positions",
    )

    class Meta:
        verbose_name = "招聘岗位"
        verbose_name_plural = "招聘岗位"
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "title"], name="position_unique_title"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.label} · {self.title}"


class ApplicantStage(models.TextChoices):
    APPLIED = "applied", "已报名"
    SCREENED = "screened", "资格审查通过"
    EXAMINED = "examined", "笔试/面试"
    OFFERED = "offered", "拟录用"
    ONBOARDED = "onboarded", "已入职"
    WITHDRAWN = "withdrawn", "本人放弃"
    REJECTED = "rejected", "未录用"


class Applicant(Audited):
    """A person applying to a position; moves applied → … → onboarded, or leaves with a reason."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="招聘活动", on_delete=models.CASCADE, related_name="applicants"
    )
    position = models.ForeignKey(
        Position, verbose_name="报考岗位", on_delete=models.CASCADE, related_name="applicants"
    )
    person = models.ForeignKey(
        Person, verbose_name="报名人", on_delete=models.PROTECT, related_name="talent_applications"
    )
    university = optional_fk(University, "毕业院校", on_delete=models.PROTECT, related_name="+")
    degree = models.CharField("学位", max_length=20, choices=Degree.choices, blank=True)
    discipline = optional_fk(Discipline, "学科", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(
        "阶段", max_length=20, choices=ApplicantStage.choices, default=ApplicantStage.APPLIED
    )
    stage_date = models.DateField("阶段日期")
    stage_reason = models.CharField("原因", max_length=200, blank=True)
    applied_on = models.DateField("报名日期")
    talent = models.OneToOneField(
        "talent.Talent",
        verbose_name="入库人才",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "报名人员"
        verbose_name_plural = "报名人员"
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "person"], name="applicant_unique_person")
        ]
        indexes = [models.Index(fields=["campaign", "stage"])]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.position.title}"


class ApplicantEvent(models.Model):
    """One move of an applicant between stages, with its date and reason."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(
        "原阶段", max_length=20, choices=ApplicantStage.choices, blank=True
    )
    to_stage = models.CharField("新阶段", max_length=20, choices=ApplicantStage.choices)
    date = models.DateField("日期")
    reason = models.CharField("原因/说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "报名阶段变更"
        verbose_name_plural = "报名阶段变更"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '报名'} → {self.to_stage}"
