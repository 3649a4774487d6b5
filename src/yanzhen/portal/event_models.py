"""云对接会 (online matchmaking events): an event a county office organises, with its agenda,
time slots and rooms (each with the video-meeting link the organiser enters: the platform runs
no video server), the parties registered (enterprises on one side, universities and experts on
the other), their requests for 1:1 meetings, the schedule the meeting engine computes
(``engines.meetings``), the minutes of each meeting and the cooperations that came out of it.

Imported by ``portal/models.py`` (the models of the portal app)."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from yanzhen.core.fields import optional_fk
from yanzhen.core.models import Unit, User, Versioned

# Only http(s): the link is opened by the parties' browsers.
video_url_validator = URLValidator(
    schemes=["http", "https"], message="视频会议链接须为以 http:// 或 https:// 开头的网址"
)


class MatchEventState(models.TextChoices):
    OPEN = "open", "报名中"
    PUBLISHED = "published", "排期已发布"


class MatchPartyKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校（科研院所）"
    EXPERT = "expert", "专家"


class MatchEvent(Versioned, models.Model):
    """A 云对接会 of a county, organised by its office (edits version-checked)."""

    title = models.CharField("名称", max_length=100)
    county = models.ForeignKey(
        Unit, verbose_name="所属县", on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        Unit, verbose_name="主办单位", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("举办日期")
    description = models.TextField("简介", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=MatchEventState.choices, default=MatchEventState.OPEN
    )
    scheduled_at = models.DateTimeField("排期时间", null=True, blank=True)
    bound = models.PositiveIntegerField("可安排场数上界", null=True, blank=True)
    optimal = models.BooleanField("排期最优", null=True, blank=True)
    published_at = models.DateTimeField("排期发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "云对接会"
        verbose_name_plural = "云对接会"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    event = models.ForeignKey(
        MatchEvent, verbose_name="云对接会", on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField("顺序")
    time = models.CharField("时间", max_length=30)
    title = models.CharField("议程", max_length=200)

    class Meta:
        verbose_name = "议程"
        verbose_name_plural = "议程"
        ordering = ["event", "position"]

    def __str__(self) -> str:
        return f"{self.time} {self.title}"


class EventSlot(models.Model):
    """A time slot of the 1:1 meetings (in the order of ``position``)."""

    event = models.ForeignKey(
        MatchEvent, verbose_name="云对接会", on_delete=models.CASCADE, related_name="slots"
    )
    position = models.PositiveSmallIntegerField("顺序")
    label = models.CharField("时段", max_length=30)

    class Meta:
        verbose_name = "约见时段"
        verbose_name_plural = "约见时段"
        ordering = ["event", "position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "label"], name="portal_slot_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


class EventRoom(models.Model):
    """A (video-meeting) room: one meeting at a time."""

    event = models.ForeignKey(
        MatchEvent, verbose_name="云对接会", on_delete=models.CASCADE, related_name="rooms"
    )
    position = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("会议室", max_length=50)
    video_url = models.CharField("视频会议链接", max_length=500, validators=[video_url_validator])

    class Meta:
        verbose_name = "会议室"
        verbose_name_plural = "会议室"
        ordering = ["event", "position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="portal_room_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EventParty(models.Model):
    """A party registered for an event: an enterprise or a university (its unit), or an
    expert (the expert's portal account, of its university's unit)."""

    event = models.ForeignKey(
        MatchEvent, verbose_name="云对接会", on_delete=models.CASCADE, related_name="parties"
    )
    kind = models.CharField("类型", max_length=20, choices=MatchPartyKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="单位（机构）", on_delete=models.PROTECT, related_name="+"
    )
    account = optional_fk(User, "专家账户", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    unavailable = models.ManyToManyField(
        EventSlot, verbose_name="不能参会的时段", blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        User, verbose_name="报名人", on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField("报名时间", default=timezone.now)

    class Meta:
        verbose_name = "参会方"
        verbose_name_plural = "参会方"
        ordering = ["event", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "unit"],
                condition=models.Q(account__isnull=True),
                name="portal_party_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["event", "account"],
                condition=models.Q(account__isnull=False),
                name="portal_party_account_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"

    @property
    def key(self) -> str:
        """The party's id in the engine's input."""
        return f"p{self.pk}"


class MeetingRequest(models.Model):
    """A requested 1:1 meeting: ``a`` an enterprise, ``b`` a university or an expert. A pair
    is requested once; when the other side asks too the request becomes mutual."""

    event = models.ForeignKey(
        MatchEvent, verbose_name="云对接会", on_delete=models.CASCADE, related_name="requests"
    )
    a = models.ForeignKey(
        EventParty, verbose_name="企业", on_delete=models.CASCADE, related_name="requests_as_a"
    )
    b = models.ForeignKey(
        EventParty,
        verbose_name="高校或专家",
        on_delete=models.CASCADE,
        related_name="requests_as_b",
    )
    requested_by = models.ForeignKey(
        EventParty, verbose_name="提出方", on_delete=models.CASCADE, related_name="+"
    )
    mutual = models.BooleanField("双方互约", default=False)
    topic = models.CharField("约见事由", max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("提出时间", default=timezone.now)

    class Meta:
        verbose_name = "约见请求"
        verbose_name_plural = "约见请求"
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "a", "b"], name="portal_request_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.a.name} — {self.b.name}"


class EventMeeting(models.Model):
    """A scheduled meeting: its request, slot and room; its minutes afterwards, and the
    cooperations of the ledger that came out of it."""

    event = models.ForeignKey(
        MatchEvent, verbose_name="云对接会", on_delete=models.CASCADE, related_name="meetings"
    )
    request = models.OneToOneField(
        MeetingRequest, verbose_name="约见请求", on_delete=models.CASCADE, related_name="meeting"
    )
    slot = models.ForeignKey(
        EventSlot, verbose_name="时段", on_delete=models.CASCADE, related_name="meetings"
    )
    room = models.ForeignKey(
        EventRoom, verbose_name="会议室", on_delete=models.CASCADE, related_name="meetings"
    )
    minutes = models.TextField("会议纪要", blank=True)
    minutes_by = optional_fk(User, "纪要记录人", on_delete=models.PROTECT, related_name="+")
    minutes_at = models.DateTimeField("纪要时间", null=True, blank=True)
    cooperations = models.ManyToManyField(
        "cooperation.Cooperation",
        verbose_name="促成的合作",
        blank=True,
        related_name="event_meetings",
    )

    class Meta:
        verbose_name = "约见"
        verbose_name_plural = "约见"
        ordering = ["event", "slot__position", "room__position"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "room"], name="portal_meeting_room_unique")
        ]

    def __str__(self) -> str:
        return f"{self.slot.label} {self.room.name}"
