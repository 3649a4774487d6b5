"""Data-reporting tasks (数据填报): the office designs a form and issues it to units; each
target unit gets one submission, which it fills in and submits, and which the unit above it
(the issuing office, or a village's town) approves or returns."""

from __future__ import annotations

from django.db import models

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Audited, Unit, User


class Recurrence(models.TextChoices):
    NONE = "none", "不重复"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"


class TaskState(models.TextChoices):
    DRAFT = "draft", "未下发"
    ISSUED = "issued", "已下发"


class SubmissionState(models.TextChoices):
    NOT_STARTED = "not_started", "未填报"
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已提交待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


# The states in which a unit has not (yet) handed in its figures: the missing units.
MISSING_STATES = (SubmissionState.NOT_STARTED, SubmissionState.DRAFT, SubmissionState.RETURNED)
EDITABLE_STATES = MISSING_STATES


class Task(Audited):
    """A reporting task: its form (``fields``, see ``reporting/fields.py``), the units it goes
    to, the period its figures cover, the deadline and the recurrence. A recurring task is
    issued again by the scheduler for each new period (``parent`` is the first issue)."""

    title = models.CharField("任务名称", max_length=100)
    description = models.TextField("填报说明", blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="下发单位", on_delete=models.PROTECT, related_name="+"
    )
    fields = models.JSONField("表单字段", default=list)
    target_kinds = models.JSONField("填报单位类型", default=list, blank=True)
    target_units = models.ManyToManyField(
        Unit, verbose_name="指定填报单位", blank=True, related_name="+"
    )
    period_start = models.DateField("统计期起")
    period_end = models.DateField("统计期止")
    deadline = models.DateField("截止日期")
    recurrence = models.CharField(
        "重复", max_length=10, choices=Recurrence.choices, default=Recurrence.NONE
    )
    state = models.CharField(
        "状态", max_length=10, choices=TaskState.choices, default=TaskState.DRAFT
    )
    issued_at = models.DateTimeField("下发时间", null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="首期任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="repeats",
    )

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "填报任务"
        verbose_name_plural = "填报任务"
        ordering = ["-deadline", "-id"]
        permissions = [("issue_task", "可以下发填报任务和催报")]

    def __str__(self) -> str:
        return self.title


class Submission(Audited):
    """One unit's answer to a task. Approved is final (locked)."""

    task = models.ForeignKey(
        Task, verbose_name="填报任务", on_delete=models.CASCADE, related_name="submissions"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="+"
    )
    reviewer_unit = models.ForeignKey(
        Unit, verbose_name="审核单位", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态",
        max_length=20,
        choices=SubmissionState.choices,
        default=SubmissionState.NOT_STARTED,
        db_index=True,
    )
    values = models.JSONField("填报内容", default=dict, blank=True)
    comment = models.CharField("审核意见", max_length=500, blank=True)
    field_comments = models.JSONField("逐项意见", default=dict, blank=True)
    rounds = models.PositiveIntegerField("提交次数", default=0)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = optional_fk(User, "提交人", on_delete=models.SET_NULL, related_name="+")
    late = models.BooleanField("逾期提交", default=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = optional_fk(User, "审核人", on_delete=models.SET_NULL, related_name="+")

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "填报"
        verbose_name_plural = "填报"
        ordering = ["task", "unit__sort_order", "unit_id"]
        permissions = [("review_submission", "可以审核填报")]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="submission_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit}"

    @property
    def locked(self) -> bool:
        return self.state == SubmissionState.APPROVED


def _file_path(instance: SubmissionFile, filename: str) -> str:
    return f"reporting/{instance.submission_id}/{filename}"


class SubmissionFile(models.Model):
    """A file a unit attached to a field of type ``file``."""

    submission = models.ForeignKey(
        Submission, verbose_name="填报", on_delete=models.CASCADE, related_name="files"
    )
    key = models.CharField("字段", max_length=40)
    file = models.FileField("文件", upload_to=_file_path)
    name = models.CharField("文件名", max_length=200)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "填报附件"
        verbose_name_plural = "填报附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
