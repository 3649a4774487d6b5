"""Closed-loop supervision (闭环管理): the bases' work plans and milestones (the fourth of the
"four ones"), scheduling rounds and their reports, the problem list with every move, 督办
(escalation) of overdue work, and the action items of meetings."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from yanzhen.cooperation.models import Activity, Base
from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Audited, Person, Unit, User


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

    history = audited_history(excluded_fields=["updated_at"])

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
    owner_person = optional_fk(Person, "责任人", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("完成时限")
    deliverable = models.CharField("预期成果", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )
    done_date = models.DateField("完成日期", null=True, blank=True)
    sort_order = models.IntegerField("排序", default=0)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "节点任务"
        verbose_name_plural = "节点任务"
        ordering = ["due_date", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != MilestoneStatus.DONE and self.due_date < today


# Scheduling rounds (工作调度) ------------------------------------------------------------------


class RoundKind(models.TextChoices):
    WEEKLY = "weekly", "周调度"
    MONTHLY = "monthly", "月调度"
    ADHOC = "adhoc", "专项调度"


class RoundState(models.TextChoices):
    OPEN = "open", "报送中"
    CLOSED = "closed", "已结束"


class Round(Audited):
    """A scheduling round: the office asks the bases' lead departments for their progress."""

    title = models.CharField("调度名称", max_length=100)
    kind = models.CharField("调度类型", max_length=20, choices=RoundKind.choices)
    opened_on = models.DateField("发起日期")
    deadline = models.DateField("报送截止日期")
    state = models.CharField(
        "状态", max_length=20, choices=RoundState.choices, default=RoundState.OPEN
    )
    bases = models.ManyToManyField(Base, verbose_name="参加基地", related_name="rounds")
    note = models.TextField("调度要求", blank=True)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "工作调度"
        verbose_name_plural = "工作调度"
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ReportReview(models.TextChoices):
    """The office's review of a report (``core.workflow``: accepted or returned)."""

    SUBMITTED = "submitted", "待审核"
    ACCEPTED = "accepted", "已采用"
    RETURNED = "returned", "已退回"


class Report(Audited):
    """A base's report to a round: progress per open milestone, and problems raised."""

    round = models.ForeignKey(
        Round, verbose_name="调度", on_delete=models.CASCADE, related_name="reports"
    )
    base = models.ForeignKey(
        Base, verbose_name="基地", on_delete=models.CASCADE, related_name="reports"
    )
    summary = models.TextField("总体进展", blank=True)
    submitted_at = models.DateTimeField("首次报送时间")
    late = models.BooleanField("逾期报送", default=False)
    # Reports from before the review (and of counties that name no office) stand accepted.
    review = models.CharField(
        "审核", max_length=20, choices=ReportReview.choices, default=ReportReview.ACCEPTED
    )

    class Meta:
        verbose_name = "调度报告"
        verbose_name_plural = "调度报告"
        ordering = ["round", "base__sort_order", "base_id"]
        permissions = [("review_report", "可以审核调度报告（采用或退回）")]
        constraints = [models.UniqueConstraint(fields=["round", "base"], name="report_unique_base")]

    def __str__(self) -> str:
        return f"{self.round} · {self.base}"


class ReportItem(models.Model):
    """The progress of one milestone in a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="items")
    milestone = models.ForeignKey(
        Milestone, verbose_name="节点任务", on_delete=models.CASCADE, related_name="report_items"
    )
    percent = models.PositiveSmallIntegerField(
        "完成进度（%）", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    progress = models.TextField("进展情况", blank=True)

    class Meta:
        verbose_name = "节点进展"
        verbose_name_plural = "节点进展"
        ordering = ["milestone__due_date", "milestone__sort_order", "milestone_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "milestone"], name="report_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.milestone} {self.percent}%"


def _evidence_path(instance: Evidence, filename: str) -> str:
    return f"supervision/reports/{instance.item.report_id}/{filename}"


class Evidence(models.Model):
    """A file proving a milestone's progress."""

    item = models.ForeignKey(ReportItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("佐证材料", upload_to=_evidence_path)
    name = models.CharField("文件名", max_length=200)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    uploaded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


# Problems (问题清单) -------------------------------------------------------------------------


class ProblemState(models.TextChoices):
    RAISED = "raised", "待交办"
    ASSIGNED = "assigned", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "已办结待验收"
    CLOSED = "closed", "已验收销号"
    RETURNED = "returned", "已退回"


OPEN_PROBLEM_STATES = (ProblemState.ASSIGNED, ProblemState.IN_PROGRESS, ProblemState.RETURNED)


class ProblemSource(models.TextChoices):
    ROUND = "round", "工作调度"
    MEETING = "meeting", "会议决定"
    DIRECT = "direct", "直接提出"


class Problem(Audited):
    """A problem raised for coordination, assigned and chased until solved and verified."""

    title = models.CharField("问题", max_length=200)
    description = models.TextField("问题描述", blank=True)
    source = models.CharField("来源", max_length=20, choices=ProblemSource.choices)
    round = optional_fk(Round, "来源调度", on_delete=models.SET_NULL, related_name="problems")
    base = optional_fk(Base, "基地", on_delete=models.PROTECT, related_name="problems")
    raised_by_unit = models.ForeignKey(
        Unit, verbose_name="提出单位", on_delete=models.PROTECT, related_name="raised_problems"
    )
    responsible_unit = optional_fk(
        Unit, "责任单位", on_delete=models.PROTECT, related_name="problems"
    )
    deadline = models.DateField("办理时限", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=ProblemState.choices, default=ProblemState.RAISED
    )
    resolved_on = models.DateField("办结日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField("督办级别", default=0)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("assign_problem", "可以交办问题"),
            ("verify_problem", "可以验收或退回问题"),
            ("escalate_problem", "可以督办"),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.state in OPEN_PROBLEM_STATES
            and self.deadline is not None
            and self.deadline < today
        )


class ProblemAction(models.TextChoices):
    RAISE = "raise", "提出"
    ASSIGN = "assign", "交办"
    START = "start", "开始办理"
    RESOLVE = "resolve", "办结"
    VERIFY = "verify", "验收销号"
    RETURN = "return", "退回"
    ESCALATE = "escalate", "督办"


class ProblemEvent(models.Model):
    """One move of a problem: who did what, when, from which state to which."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=ProblemAction.choices)
    from_state = models.CharField("原状态", max_length=20, choices=ProblemState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=ProblemState.choices)
    responsible_unit = optional_fk(Unit, "责任单位", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("办理时限", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    actor = optional_fk(User, "操作人", on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "问题办理记录"
        verbose_name_plural = "问题办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} → {self.get_to_state_display()}"


class Escalation(models.Model):
    """督办: an overdue problem or milestone escalated to its unit, then to the base's leader.

    Once per item, level and deadline: a new deadline (reassignment) starts again at level 1."""

    class Level(models.IntegerChoices):
        UNIT = 1, "督办责任单位"
        LEADER = 2, "报责任领导督办"

    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="escalations"
    )
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="escalations"
    )
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    due_date = models.DateField("到期日期")
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", null=True, on_delete=models.PROTECT, related_name="+"
    )
    leader = optional_fk(Person, "责任领导", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    actor = optional_fk(User, "操作人", on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("督办时间", default=timezone.now)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "level", "due_date"],
                condition=models.Q(problem__isnull=False),
                name="escalation_once_per_problem_level",
            ),
            models.UniqueConstraint(
                fields=["milestone", "level", "due_date"],
                condition=models.Q(milestone__isnull=False),
                name="escalation_once_per_milestone_level",
            ),
            models.CheckConstraint(
                condition=models.Q(problem__isnull=True) ^ models.Q(milestone__isnull=True),
                name="escalation_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}：{self.problem or self.milestone}"


# Meeting decisions (会议决定事项) --------------------------------------------------------------


class ActionItemState(models.TextChoices):
    OPEN = "open", "待转办"
    CONVERTED = "converted", "已转办"


class ActionItem(Audited):
    """A decision of a meeting, to become a problem (to coordinate) or a milestone (to do)."""

    meeting = optional_fk(Activity, "会议", on_delete=models.PROTECT, related_name="action_items")
    meeting_title = models.CharField("会议名称", max_length=200)
    meeting_date = models.DateField("会议日期")
    decision = models.TextField("决定事项")
    base = optional_fk(Base, "基地", on_delete=models.PROTECT, related_name="action_items")
    responsible_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="action_items"
    )
    deadline = models.DateField("完成时限")
    state = models.CharField(
        "状态", max_length=20, choices=ActionItemState.choices, default=ActionItemState.OPEN
    )
    problem = models.OneToOneField(
        Problem,
        verbose_name="转为问题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_item",
    )
    milestone = models.OneToOneField(
        Milestone,
        verbose_name="转为节点任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_item",
    )

    class Meta:
        verbose_name = "会议决定事项"
        verbose_name_plural = "会议决定事项"
        ordering = ["-meeting_date", "id"]

    def __str__(self) -> str:
        return self.decision[:50]
