"""Placement programmes (生态营造): host units with capacities, applicants' ranked preferences,
hosts' rankings or scores, the allocation and its manual adjustments; then interns' logs,
hosts' feedback and conversions to hires."""

from __future__ import annotations

from django.db import models

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Audited, Degree, Person, Unit
from yanzhen.reference.models import Discipline, University
from yanzhen.talent.models import Channel, Talent, TalentType


class ProgrammeKind(models.TextChoices):
    SELECTED_GRADUATE = "selected_graduate", "选调生分配"
    MEDICAL_GRADUATE = "medical_graduate", "医学毕业生分配"
    INTERN = "intern", "实习实训"
    OTHER = "other", "其他"


# What a confirmed placement becomes in the registry.
PROGRAMME_TALENT: dict[str, tuple[str, str]] = {
    ProgrammeKind.SELECTED_GRADUATE: (TalentType.SELECTED_GRADUATE, Channel.SELECTION),
    ProgrammeKind.MEDICAL_GRADUATE: (TalentType.MEDICAL_GRADUATE, Channel.CAMPUS),
    ProgrammeKind.INTERN: (TalentType.INTERN, Channel.PLACEMENT),
    ProgrammeKind.OTHER: (TalentType.FULL_TIME, Channel.OTHER),
}


class ProgrammeStatus(models.TextChoices):
    COLLECTING = "collecting", "征集志愿"
    ALLOCATED = "allocated", "已分配"
    CONFIRMED = "confirmed", "已确认到岗"


class Optimality(models.TextChoices):
    APPLICANT = "applicant", "申请人最优"
    UNIT = "unit", "接收单位最优"


class Programme(Audited):
    name = models.CharField("项目名称", max_length=100)
    kind = models.CharField("项目类型", max_length=20, choices=ProgrammeKind.choices)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="talent_programmes"
    )
    year = models.PositiveSmallIntegerField("年度")
    start_date = models.DateField("到岗日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.COLLECTING
    )
    description = models.TextField("说明", blank=True)

    class Meta:
        db_table = "talent_programme"
        verbose_name = "分配项目"
        verbose_name_plural = "分配项目"
        ordering = ["-year", "-id"]
        permissions = [("allocate_programme", "可以运行分配、调整并确认结果")]
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="programme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Host(Audited):
    """A host unit of a programme with its number of places."""

    programme = models.ForeignKey(
        Programme, verbose_name="分配项目", on_delete=models.CASCADE, related_name="hosts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="接收单位", on_delete=models.PROTECT, related_name="talent_hostings"
    )
    capacity = models.PositiveIntegerField("接收名额")
    note = models.CharField("岗位说明", max_length=200, blank=True)

    class Meta:
        db_table = "talent_host"
        verbose_name = "接收单位"
        verbose_name_plural = "接收单位"
        ordering = ["programme", "unit__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit"], name="host_unique_unit")
        ]

    def __str__(self) -> str:
        return self.unit.name


class PlacementApplicant(Audited):
    programme = models.ForeignKey(
        Programme, verbose_name="分配项目", on_delete=models.CASCADE, related_name="applicants"
    )
    code = models.CharField("编号", max_length=30)
    person = models.ForeignKey(
        Person, verbose_name="申请人", on_delete=models.PROTECT, related_name="placements"
    )
    university = optional_fk(University, "所在高校", on_delete=models.PROTECT, related_name="+")
    discipline = optional_fk(Discipline, "学科", on_delete=models.PROTECT, related_name="+")
    degree = models.CharField("学位", max_length=20, choices=Degree.choices, blank=True)
    preferences = models.ManyToManyField(
        Host, verbose_name="志愿", through="Preference", related_name="+"
    )

    history = audited_history(
        excluded_fields=["updated_at"], table_name="talent_historicalplacementapplicant"
    )

    class Meta:
        db_table = "talent_placementapplicant"
        verbose_name = "分配申请人"
        verbose_name_plural = "分配申请人"
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="placement_unique_code"),
            models.UniqueConstraint(fields=["programme", "person"], name="placement_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.person.name}"


class Preference(models.Model):
    """An applicant's n-th choice of host (rank 1 = first choice)."""

    applicant = models.ForeignKey(
        PlacementApplicant, on_delete=models.CASCADE, related_name="choices"
    )
    host = models.ForeignKey(Host, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField("志愿顺序")

    class Meta:
        db_table = "talent_preference"
        ordering = ["applicant", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "host"], name="preference_unique_host"),
            models.UniqueConstraint(fields=["applicant", "rank"], name="preference_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} #{self.rank} {self.host_id}"


class HostRanking(models.Model):
    """A host's view of an applicant: a rank (1 = best) or a score (higher is better).
    An applicant a host neither ranks nor scores is unacceptable to it."""

    host = models.ForeignKey(Host, on_delete=models.CASCADE, related_name="rankings")
    applicant = models.ForeignKey(
        PlacementApplicant, on_delete=models.CASCADE, related_name="rankings"
    )
    rank = models.PositiveSmallIntegerField("排名", null=True, blank=True)
    score = models.DecimalField("评分", max_digits=6, decimal_places=2, null=True, blank=True)
    basis = models.CharField("依据", max_length=100, blank=True)

    class Meta:
        db_table = "talent_hostranking"
        ordering = ["host", "rank", "-score", "applicant__code"]
        constraints = [
            models.UniqueConstraint(fields=["host", "applicant"], name="ranking_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.host_id} → {self.applicant_id}"


class AllocationRun(models.Model):
    """One run of the engine, verified before its result was stored."""

    programme = models.ForeignKey(
        Programme, verbose_name="分配项目", on_delete=models.CASCADE, related_name="runs"
    )
    optimal = models.CharField("最优方", max_length=20, choices=Optimality.choices)
    stats = models.JSONField("统计", default=dict)
    run_by = models.ForeignKey(
        "core.User", verbose_name="执行人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    run_at = models.DateTimeField("执行时间", auto_now_add=True)

    class Meta:
        db_table = "talent_allocationrun"
        verbose_name = "分配运行"
        verbose_name_plural = "分配运行"
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.programme} {self.run_at:%Y-%m-%d %H:%M}"


class Assignment(models.Model):
    """Where an applicant is placed now (by the engine or by a manual adjustment)."""

    applicant = models.OneToOneField(
        PlacementApplicant, on_delete=models.CASCADE, related_name="assignment"
    )
    host = models.ForeignKey(
        Host, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    choice_rank = models.PositiveSmallIntegerField("志愿顺序", null=True, blank=True)
    manual = models.BooleanField("人工调整", default=False)

    class Meta:
        db_table = "talent_assignment"
        ordering = ["applicant__code"]

    def __str__(self) -> str:
        return f"{self.applicant_id} → {self.host_id}"


class AssignmentChange(models.Model):
    """A manual adjustment, with its reason, the blocking pairs it created and why the new
    pair is not a mutual choice, if it is not."""

    applicant = models.ForeignKey(
        PlacementApplicant, on_delete=models.CASCADE, related_name="changes"
    )
    from_host = models.ForeignKey(
        Host, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_host = models.ForeignKey(
        Host, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField("调整原因", max_length=200)
    blocking_pairs = models.JSONField("造成的不稳定对", default=list)
    # Why the new pair is not a mutual choice (the applicant did not list the unit, or the
    # unit did not rank the applicant), accepted by the person who made the move.
    not_mutual = models.JSONField("非互选情况", default=list, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("调整时间", auto_now_add=True)

    class Meta:
        db_table = "talent_assignmentchange"
        verbose_name = "人工调整"
        verbose_name_plural = "人工调整"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.applicant_id}: {self.from_host_id} → {self.to_host_id}"


class InternshipStatus(models.TextChoices):
    ACTIVE = "active", "实习中"
    COMPLETED = "completed", "已结业"
    HIRED = "hired", "已留用"
    LEFT = "left", "中途离开"


class Internship(Audited):
    """An intern placed at a host unit, with logs, feedback and whether they were hired."""

    talent = models.OneToOneField(
        Talent, verbose_name="实习生", on_delete=models.CASCADE, related_name="internship"
    )
    programme = optional_fk(
        Programme, "分配项目", on_delete=models.SET_NULL, related_name="internships"
    )
    host_unit = models.ForeignKey(
        Unit, verbose_name="接收单位", on_delete=models.PROTECT, related_name="internships"
    )
    university = optional_fk(University, "所在高校", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=InternshipStatus.choices, default=InternshipStatus.ACTIVE
    )
    hired_talent = optional_fk(
        Talent, "留用后人才记录", on_delete=models.SET_NULL, related_name="+"
    )
    status_note = models.CharField("说明", max_length=200, blank=True)

    history = audited_history(
        excluded_fields=["updated_at"], table_name="talent_historicalinternship"
    )

    class Meta:
        db_table = "talent_internship"
        verbose_name = "实习实训"
        verbose_name_plural = "实习实训"
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.talent.person.name} @ {self.host_unit.name}"


class InternLog(Audited):
    internship = models.ForeignKey(
        Internship, verbose_name="实习", on_delete=models.CASCADE, related_name="logs"
    )
    date = models.DateField("日期")
    hours = models.DecimalField("时长（小时）", max_digits=5, decimal_places=1)
    content = models.CharField("工作内容", max_length=300)

    class Meta:
        db_table = "talent_internlog"
        verbose_name = "实习日志"
        verbose_name_plural = "实习日志"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.content[:20]}"


class HostFeedback(Audited):
    internship = models.ForeignKey(
        Internship, verbose_name="实习", on_delete=models.CASCADE, related_name="feedback"
    )
    date = models.DateField("日期")
    score = models.PositiveSmallIntegerField("评价（1–5分）")
    comment = models.CharField("评语", max_length=300, blank=True)
    recommend_hire = models.BooleanField("建议留用", default=False)

    class Meta:
        db_table = "talent_hostfeedback"
        verbose_name = "接收单位评价"
        verbose_name_plural = "接收单位评价"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.score}分"
