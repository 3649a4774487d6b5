"""In-platform notifications and their deliveries through e-mail and group robots."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """One message to one user (notices to a unit are fanned out to its users)."""

    recipient = models.ForeignKey(
        "core.User", verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField("类别", max_length=30)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField(
        "去重键", max_length=200, blank=True, help_text="同一接收人同一键只提醒一次"
    )
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="notification_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "群机器人"


class Delivery(models.Model):
    """One attempt to send notifications out of the platform."""

    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    target = models.CharField("目标", max_length=300)
    notifications = models.ManyToManyField(Notification, related_name="deliveries")
    ok = models.BooleanField("成功", default=False)
    error = models.CharField("错误", max_length=300, blank=True)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"
