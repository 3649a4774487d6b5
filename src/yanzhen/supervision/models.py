"""Work plans of the bases and their milestones (the fourth of the "four ones")."""

from __future__ import annotations

import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from yanzhen.cooperation.models import Base
from yanzhen.core.models import Audited, Person, Unit


def _plan_path(instance: WorkPlan, filename: str) -> str:
    return f"bases/{instance.base_id}/plan/{filename}"


class WorkPlan(Audited):
    """A base's work plan (工作方案): the document, with its milestones."""

    base = models.OneToOneField(
        Base, verbose_name="基地", on_delete=models.CASCADE, related_name="work_plan"
    )
    title = models.CharField("方案名称", max_length=200)
    adopted_on = models.DateField("印发日期", null=True, blank=True)
    document = models.FileField("方案文件", upload_to=_plan_path, blank=True)
    summary = models.TextField("主要内容", blank=True)

    class Meta:
        verbose_name = "工作方案"
        verbose_name_plural = "工作方案"

    def __str__(self) -> str:
        return self.title


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


class Milestone(Audited):
    """A milestone of a base's work plan, with its owner and due date."""

    base = models.ForeignKey(
        Base, verbose_name="基地", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("节点任务", max_length=200)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="milestones"
    )
    owner_person = models.ForeignKey(
        Person,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField("完成时限")
    deliverable = models.CharField("预期成果", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )
    done_date = models.DateField("完成日期", null=True, blank=True)
    sort_order = models.IntegerField("排序", default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "节点任务"
        verbose_name_plural = "节点任务"
        ordering = ["due_date", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != MilestoneStatus.DONE and self.due_date < today
