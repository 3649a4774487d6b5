"""Bases, the cooperation ledger, activities and secondments."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import AliveManager, Audited, Person, SoftDeletable, Unit, Versioned
from yanzhen.engines.stages import STAGE_LABELS, Stage
from yanzhen.reference.models import Industry, LocalIndustry, University


class BaseType(Versioned, Audited):
    """A kind of base the province defines (省定基地类型, e.g. 大学生实习实训基地): what it is
    for and what a base of the kind is expected to hold. The province keeps the catalogue;
    every county's bases take their type from it."""

    code = models.CharField("类型代码", max_length=20, unique=True)
    name = models.CharField("类型名称", max_length=50, unique=True)
    purpose = models.TextField("建设目的")
    expected_content = models.TextField("建设内容要求")
    sort_order = models.IntegerField("排序", default=0)

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "基地类型"
        verbose_name_plural = "基地类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Base(Versioned, Audited):
    """A cooperation base (合作基地) and its "four ones" (四个一)."""

    code = models.CharField("基地编号", max_length=20, unique=True)
    name = models.CharField("基地名称", max_length=100)
    county = models.ForeignKey(
        Unit, verbose_name="所属县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    leader = optional_fk(Person, "责任领导", on_delete=models.PROTECT, related_name="led_bases")
    lead_department = models.ForeignKey(
        Unit, verbose_name="牵头部门", on_delete=models.PROTECT, related_name="led_bases"
    )
    base_type = optional_fk(BaseType, "基地类型", on_delete=models.PROTECT, related_name="bases")
    description = models.TextField("基地简介", blank=True)
    sort_order = models.IntegerField("排序", default=0)

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "合作基地"
        verbose_name_plural = "合作基地"
        ordering = ["sort_order", "id"]
        # The ledger's base picker reads the first bases in this order (national: 33,600).
        indexes = [models.Index(fields=["sort_order", "id"], name="base_order_idx")]

    def __str__(self) -> str:
        return self.name


class TaskForceMember(Audited):
    """A member of a base's task force (落实专班)."""

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name="成员", on_delete=models.PROTECT, related_name="task_forces"
    )
    duty = models.CharField("专班职务", max_length=50, blank=True)
    sort_order = models.IntegerField("排序", default=0)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "专班成员"
        verbose_name_plural = "专班成员"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["base", "person"], name="taskforce_unique_member")
        ]


class Channel(models.TextChoices):
    INVITE = "invite", "领导上门邀"
    FIND = "find", "企业自主找"
    ATTRACT = "attract", "在外人才引"
    GATHER = "gather", "优势产业聚"
    OTHER = "other", "其他"


class CooperationKind(models.TextChoices):
    RESEARCH = "research", "联合研发"
    TRANSFER = "transfer", "成果转化"
    EXPERT_TEAM = "expert_team", "专家团队"
    INTERNSHIP = "internship", "实习实训基地"
    TRAINING = "training", "人才培训"
    TALENT = "talent", "人才引进"
    SECONDMENT = "secondment", "挂职交流"
    INTERNATIONAL = "international", "国际合作"


class StageChoices(models.TextChoices):
    INTENTION = Stage.INTENTION.value, STAGE_LABELS[Stage.INTENTION]
    AGREEMENT = Stage.AGREEMENT.value, STAGE_LABELS[Stage.AGREEMENT]
    LANDED = Stage.LANDED.value, STAGE_LABELS[Stage.LANDED]
    DROPPED = Stage.DROPPED.value, STAGE_LABELS[Stage.DROPPED]


def _alive_index(name: str, *fields: str) -> models.Index:
    """A partial index ``coop_alive_<name>`` over the cooperations not deleted."""
    return models.Index(
        fields=list(fields),
        condition=models.Q(deleted_at__isnull=True),
        name=f"coop_alive_{name}",
    )


def _alive_stage_indexes(name: str, column: str) -> tuple[models.Index, ...]:
    """The indexes of a filter column: with the intention date, and with each reached stage."""
    return (
        _alive_index(name, column, "intention_date"),
        _alive_index(f"{name}_agreement", column, "agreement_date", "intention_date", "id"),
        _alive_index(f"{name}_landed", column, "landed_date", "intention_date", "id"),
    )


class Cooperation(SoftDeletable, Versioned, Audited):
    """One cooperation of local parties with universities, from intention to landing."""

    objects: ClassVar[AliveManager[Cooperation]]
    all_objects: ClassVar[models.Manager[Cooperation]]

    code = models.CharField("合作编号", max_length=30, unique=True)
    title = models.CharField("合作名称", max_length=200)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="登记单位", on_delete=models.PROTECT, related_name="owned_cooperations"
    )
    parties = models.ManyToManyField(
        Unit, verbose_name="本地合作方", through="CooperationParty", related_name="cooperations"
    )
    universities = models.ManyToManyField(
        University,
        verbose_name="合作高校（院所）",
        through="CooperationUniversity",
        related_name="cooperations",
    )
    base = optional_fk(Base, "所属基地", on_delete=models.PROTECT, related_name="cooperations")
    channel = models.CharField("对接渠道", max_length=20, choices=Channel.choices)
    kind = models.CharField("合作类型", max_length=20, choices=CooperationKind.choices)
    local_industry = optional_fk(
        LocalIndustry, "本地产业", on_delete=models.PROTECT, related_name="cooperations"
    )
    industry = optional_fk(
        Industry, "国民经济行业", on_delete=models.PROTECT, related_name="cooperations"
    )
    stage = models.CharField(
        "阶段", max_length=20, choices=StageChoices.choices, default=Stage.INTENTION
    )
    intention_date = models.DateField("意向日期")
    agreement_date = models.DateField("签约日期", null=True, blank=True)
    landed_date = models.DateField("落地日期", null=True, blank=True)
    dropped_date = models.DateField("终止日期", null=True, blank=True)
    drop_reason = models.CharField("终止原因", max_length=200, blank=True)
    planned_investment = models.DecimalField(
        "计划投资（万元）", max_digits=14, decimal_places=2, default=0
    )
    landed_investment = models.DecimalField(
        "落地投资（万元）", max_digits=14, decimal_places=2, default=0
    )
    participants = models.PositiveIntegerField("参与学生（人）", default=0)
    online = models.BooleanField("云对接/云签约", default=False)
    description = models.TextField("合作内容", blank=True)
    # False while a lower unit's new entry waits for review: it counts in no figure. The
    # stage and dates above are always the approved ones; a pending move is a StageEvent.
    approved = models.BooleanField("已审核", default=True)

    # Each version keeps its parties and universities too (a revert restores them).
    HISTORY_RELATED: ClassVar[tuple[str, ...]] = ("parties", "universities")
    history = audited_history(related=True, excluded_fields=["updated_at", "version"])

    class Meta(SoftDeletable.Meta):
        verbose_name = "合作项目"
        verbose_name_plural = "合作项目"
        ordering = ["-intention_date", "-id"]
        permissions = [
            ("export_cooperation", "可以导出合作台账"),
            ("import_cooperation", "可以导入合作台账"),
            ("reassign_cooperation", "可以变更合作的登记单位和所属基地（县合作办）"),
            ("review_cooperation", "可以审核下级单位报送的合作和阶段变更"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "title"],
                condition=models.Q(deleted_at__isnull=True),
                name="coop_unique_title",
            )
        ]
        # Every figure of the dashboard links to the list filtered by a reached stage and year,
        # often with a channel, kind or local industry. For each such filter an index holds the
        # matching rows contiguously with the list's order (intention date, id), so the list's
        # total and the ids of a page are read from the index alone (bases are selective
        # enough with their one index). Lists and figures read only the cooperations that are
        # not deleted, and so do these (partial) indexes.
        indexes = [
            _alive_index("intention", "intention_date", "id"),
            _alive_index("agreement", "agreement_date", "intention_date", "id"),
            _alive_index("landed", "landed_date", "intention_date", "id"),
            _alive_index("stage", "stage", "intention_date"),
            *_alive_stage_indexes("channel", "channel"),
            *_alive_stage_indexes("kind", "kind"),
            *_alive_stage_indexes("industry", "local_industry"),
            _alive_index("base", "base", "intention_date"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CooperationParty(models.Model):
    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cooperation", "unit"], name="party_unique")]
        indexes = [models.Index(fields=["unit", "cooperation"])]

    def __str__(self) -> str:
        return f"{self.cooperation_id} ← {self.unit_id}"


class CooperationUniversity(models.Model):
    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="+")
    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "university"], name="coop_university_unique"
            )
        ]
        indexes = [models.Index(fields=["university", "cooperation"])]

    def __str__(self) -> str:
        return f"{self.cooperation_id} ↔ {self.university_id}"


class CooperationLink(models.Model):
    """Which units can see a cooperation: its owner, its parties, its base's lead department.

    Kept by the services; the data scope of cooperations is a lookup in this table.
    """

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "cooperation"], name="link_unique")]

    def __str__(self) -> str:
        return f"{self.cooperation_id} @ {self.unit_id}"


def _evidence_path(instance: StageEvent, filename: str) -> str:
    return f"cooperation/{instance.cooperation_id}/stages/{filename}"


class EventStatus(models.TextChoices):
    APPROVED = "approved", "已生效"
    PENDING = "pending", "待审核"
    RETURNED = "returned", "已退回"


class StageEvent(models.Model):
    """One move of a cooperation between stages, with its date, reason and evidence. A move
    reported by a lower unit is ``pending`` until reviewed (``cooperation.review``)."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="stage_events"
    )
    from_stage = models.CharField("原阶段", max_length=20, choices=StageChoices.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, choices=StageChoices.choices)
    date = models.DateField("日期", null=True, blank=True)
    reason = models.CharField("原因/说明", max_length=200, blank=True)
    evidence = models.FileField("佐证材料", upload_to=_evidence_path, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    status = models.CharField(
        "审核状态", max_length=20, choices=EventStatus.choices, default=EventStatus.APPROVED
    )

    class Meta:
        verbose_name = "阶段变更"
        verbose_name_plural = "阶段变更"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '新建'} → {self.to_stage}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"cooperation/{instance.cooperation_id}/files/{filename}"


class Attachment(Audited):
    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField("名称", max_length=100)
    file = models.FileField("文件", upload_to=_attachment_path)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]


class LedgerGeneration(models.Model):
    """One row whose value changes whenever a write could change what a scoped dashboard sums:
    the cooperations, their universities, who may see them (links), the unit tree and the
    custom units of roles. The database's triggers set it (migration 0017), for every write
    however made — the services, the imports' plain inserts, a bulk update, a maintenance
    command — so that sums kept per value (``reports.scoped_sums``) are never stale. Each change takes
    a new random value (53 bits on PostgreSQL, 64 on SQLite), so that neither a rolled-back
    change nor a restored backup brings back a value some process has kept sums under."""

    value = models.BigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "台账版本"
        verbose_name_plural = "台账版本"

    def __str__(self) -> str:
        return str(self.value)


class CooperationTally(models.Model):
    """The running sum of the ledger's figures (see ``yanzhen.engines.ledger``)."""

    dimension = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    stage = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)
    planned = models.BigIntegerField(default=0)  # in fen (1/100 of 万元)
    landed = models.BigIntegerField(default=0)
    participants = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "stage", "year"], name="tally_unique"
            )
        ]
        # The dashboard's reads across keys (the top bases, the distinct universities) are
        # grouped scans of one dimension and stage, read from this index alone.
        indexes = [models.Index(fields=["dimension", "stage", "key", "year", "count"])]

    def __str__(self) -> str:
        return f"{self.dimension}/{self.key}/{self.stage}/{self.year}: {self.count}"


class ActivityKind(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", "常委会研究"
    DELEGATION = "delegation", "带队赴高校对接"
    PROMOTION = "promotion", "推介会"
    VISIT = "visit", "走访调研"
    ONLINE = "online", "云对接"
    OTHER = "other", "其他"


class ActivityStatus(models.TextChoices):
    """An activity is planned ahead (a delegation next month), then held or called off. Only
    held activities count in the figures; a planned one whose date has passed is overdue."""

    PLANNED = "planned", "计划中"
    HELD = "held", "已举办"
    CANCELLED = "cancelled", "已取消"


class ActivityTiming(models.TextChoices):
    """Where an activity stands on a given day (the list's tabs): derived, never stored."""

    UPCOMING = "upcoming", "即将举办"
    OVERDUE = "overdue", "逾期未举办"
    HELD = "held", "已举办"
    CANCELLED = "cancelled", "已取消"


class Activity(SoftDeletable, Versioned, Audited):
    """A meeting, a delegation to universities, a promotion meeting or a visit: planned ahead,
    then held (with its minutes, participants and files) or cancelled."""

    objects: ClassVar[AliveManager[Activity]]
    all_objects: ClassVar[models.Manager[Activity]]

    kind = models.CharField("活动类型", max_length=30, choices=ActivityKind.choices)
    title = models.CharField("活动名称", max_length=200)
    status = models.CharField(
        "状态", max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.HELD
    )
    date = models.DateField("日期", help_text="计划中的活动填计划日期，已举办的填举办日期")
    planned_date = models.DateField(
        "计划日期", null=True, blank=True, editable=False, help_text="登记计划时定下的日期"
    )
    organizer_unit = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="activities"
    )
    leader = optional_fk(Person, "带队领导", on_delete=models.PROTECT, related_name="+")
    location = models.CharField("地点", max_length=100, blank=True)
    universities = models.ManyToManyField(
        University, verbose_name="对接高校", blank=True, related_name="activities"
    )
    cooperations = models.ManyToManyField(
        Cooperation, verbose_name="促成的合作", blank=True, related_name="activities"
    )
    summary = models.TextField("内容摘要", blank=True)
    minutes = models.TextField("纪要", blank=True)

    # Each version keeps its universities and cooperations too (a revert restores them).
    HISTORY_RELATED: ClassVar[tuple[str, ...]] = ("universities", "cooperations")
    history = audited_history(related=True, excluded_fields=["updated_at", "version"])

    class Meta:
        base_manager_name = "all_objects"
        verbose_name = "对接活动"
        verbose_name_plural = "对接活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    def timing_on(self, today: dt.date) -> ActivityTiming:
        """Where the activity stands on ``today`` (lists compute the same in the database:
        ``selectors.timing_of``)."""
        if self.status == ActivityStatus.HELD:
            return ActivityTiming.HELD
        if self.status == ActivityStatus.CANCELLED:
            return ActivityTiming.CANCELLED
        return ActivityTiming.OVERDUE if self.date < today else ActivityTiming.UPCOMING


class ActivityParticipant(Audited):
    """Someone who took part in an activity: from a local unit, or from outside (a university,
    an enterprise elsewhere), named with their post."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField("姓名", max_length=50)
    unit = optional_fk(Unit, "所在单位（本地）", on_delete=models.PROTECT, related_name="+")
    organization = models.CharField("所在单位（外地）", max_length=100, blank=True)
    title = models.CharField("职务/职称", max_length=100, blank=True)
    sort_order = models.IntegerField("排序", default=0)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "活动参加人员"
        verbose_name_plural = "活动参加人员"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_name(self) -> str:
        return self.unit.name if self.unit is not None else self.organization


def _activity_file_path(instance: ActivityAttachment, filename: str) -> str:
    return f"cooperation/activities/{instance.activity_id}/files/{filename}"


class ActivityAttachment(Audited):
    """A file of an activity (the notice, the minutes as signed, photos, the agreement)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("名称", max_length=100)
    file = models.FileField("文件", upload_to=_activity_file_path)

    class Meta:
        verbose_name = "活动附件"
        verbose_name_plural = "活动附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Secondment(SoftDeletable, Versioned, Audited):
    """University staff seconded into a local post (挂职): the one record of a secondment. The
    talent registry's entry of the secondee (``talent.Talent.secondment``) follows it."""

    objects: ClassVar[AliveManager[Secondment]]
    all_objects: ClassVar[models.Manager[Secondment]]

    person = models.ForeignKey(
        Person, verbose_name="挂职人员", on_delete=models.PROTECT, related_name="secondments"
    )
    university = models.ForeignKey(
        University, verbose_name="派出高校", on_delete=models.PROTECT, related_name="secondments"
    )
    host_unit = models.ForeignKey(
        Unit, verbose_name="挂职单位", on_delete=models.PROTECT, related_name="secondments"
    )
    post = models.CharField("挂职岗位", max_length=100)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    cooperation = optional_fk(
        Cooperation, "相关合作", on_delete=models.SET_NULL, related_name="secondments"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    history = audited_history(excluded_fields=["updated_at", "version"])

    class Meta:
        base_manager_name = "all_objects"
        verbose_name = "挂职交流"
        verbose_name_plural = "挂职交流"
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.post}"


class FollowUpReview(models.TextChoices):
    """The office's review of a lower unit's follow-up (``core.workflow``)."""

    SUBMITTED = "submitted", "待审核"
    ACCEPTED = "accepted", "已采用"
    RETURNED = "returned", "已退回"


class FollowUp(Audited):
    """The yearly follow-up of a landed cooperation (落地项目年度跟踪): what it yielded in a
    year, entered by its unit; a lower unit's figures count once the office accepts them."""

    # Part of the cooperation's record: purged with it once its retention has passed.
    cooperation = models.ForeignKey(
        Cooperation, verbose_name="合作项目", on_delete=models.CASCADE, related_name="follow_ups"
    )
    year = models.PositiveSmallIntegerField("年度")
    output_value = models.DecimalField("产值（万元）", max_digits=14, decimal_places=2, default=0)
    jobs = models.PositiveIntegerField("带动就业（人）", default=0)
    patents = models.PositiveIntegerField("专利（件）", default=0)
    tax = models.DecimalField("税收（万元）", max_digits=14, decimal_places=2, default=0)
    note = models.CharField("备注", max_length=200, blank=True)
    review = models.CharField(
        "审核", max_length=20, choices=FollowUpReview.choices, default=FollowUpReview.ACCEPTED
    )

    class Meta:
        verbose_name = "落地项目年度跟踪"
        verbose_name_plural = "落地项目年度跟踪"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "year"], name="follow_up_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.cooperation.title} {self.year}年跟踪"
