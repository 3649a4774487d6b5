"""In-platform notifications, their deliveries by e-mail and to group robots, the robots of
each unit, and each user's choices."""

from __future__ import annotations

import urllib.parse

from django.db import models
from django.utils import timezone

from yanzhen.core.crypto import EncryptedCharField
from yanzhen.core.fields import optional_fk
from yanzhen.core.models import Audited
from yanzhen.notifications.events import KIND_LABELS


class Notification(models.Model):
    """One message to one user about one event: at most one per recipient, kind, subject
    (the record it is about) and occasion (what makes a new event of the same record: a
    deadline, a day, a level)."""

    recipient = models.ForeignKey(
        "core.User", verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    # An ``Event`` (no choices on the column: a new kind needs no migration).
    kind = models.CharField("类别", max_length=30)
    subject = models.CharField("对象", max_length=120, help_text="如 supervision.problem:12")
    occasion = models.CharField("事由", max_length=80, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject", "occasion"], name="notification_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class RobotKind(models.TextChoices):
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class Robot(Audited):
    """A unit's group robot (its WeCom or DingTalk group): notifications to the unit's users,
    and to units below it that have none, are posted there. The address and the signing
    secret are keys: stored encrypted, shown only by their host."""

    unit = models.ForeignKey(
        "core.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="robots"
    )
    name = models.CharField("名称", max_length=100, help_text="如“城关镇工作群”")
    kind = models.CharField("类型", max_length=20, choices=RobotKind.choices)
    url = EncryptedCharField("机器人地址", help_text="群机器人的 Webhook 地址（含 key）")
    secret = EncryptedCharField("加签密钥", blank=True, help_text="钉钉机器人启用“加签”时填写")
    host = models.CharField("主机", max_length=200, editable=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["unit__sort_order", "unit_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.host = (urllib.parse.urlsplit(self.url).hostname or "")[:200]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "群机器人"
    DIGEST = "digest", "每日汇总邮件"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    RETRYING = "retrying", "等待重试"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """Notifications to send out of the platform through one channel: an e-mail to one
    recipient, a message to one robot, or a recipient's daily digest. Sent by the worker,
    retried with backoff; what it records of a failure (channel, host, error, attempts,
    times) never holds a title or a body."""

    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(
        "core.User",
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    robot = optional_fk(Robot, "群机器人", on_delete=models.SET_NULL, related_name="deliveries")
    host = models.CharField("主机", max_length=200, blank=True)
    occasion = models.CharField("日期", max_length=20, blank=True)
    notifications = models.ManyToManyField(Notification, related_name="deliveries")
    state = models.CharField(
        "状态", max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_attempt_at = models.DateTimeField("最近尝试", null=True, blank=True)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "occasion"],
                condition=models.Q(channel="digest"),
                name="digest_once_a_day",
            )
        ]
        indexes = [models.Index(fields=["state", "last_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.host}"


DIGEST = "digest"  # the preference of the daily digest (not an event)


class Preference(models.Model):
    """A user's choice for one kind of notification: by e-mail at once, to the group robot
    (in the platform it always comes). Without a row, the kind's defaults apply."""

    user = models.ForeignKey(
        "core.User",
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField("类别", max_length=30)  # an ``Event`` or DIGEST
    email = models.BooleanField("邮件", default=True)
    robot = models.BooleanField("群机器人", default=True)

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
