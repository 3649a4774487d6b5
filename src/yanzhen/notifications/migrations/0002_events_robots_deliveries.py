"""Notifications per event (kind, subject, occasion: once per recipient), the robots of each
unit, deliveries sent by the worker with retries, and each user's preferences.

Existing notifications keep their text: their category becomes the matching kind and each is
its own subject (they are never repeated). Existing delivery attempts become deliveries sent
or failed once, showing their host only."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import yanzhen.core.crypto

KINDS = {
    "escalation": "escalation",
    "reminder": "reminder",
    "talent_reminder": "talent.reminder",
    "person_duplicate": "person.duplicate",
    "需求调查": "survey.reminder",
}


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for notice in Notification.objects.all().only("pk", "kind").iterator():
        Notification.objects.filter(pk=notice.pk).update(
            kind=KINDS.get(notice.kind, "reminder"), subject=f"legacy:{notice.pk}", occasion=""
        )
    Delivery = apps.get_model("notifications", "Delivery")
    for delivery in Delivery.objects.all().iterator():
        host = delivery.target.rsplit("@", 1)[-1][:200]
        Delivery.objects.filter(pk=delivery.pk).update(
            host=host,
            state="sent" if delivery.ok else "failed",
            attempts=1,
            created_at=delivery.last_attempt_at,
            sent_at=delivery.last_attempt_at if delivery.ok else None,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0013_grant_approval_permissions"),
        ("notifications", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Notifications: kind, subject, occasion
        migrations.RemoveConstraint(model_name="notification", name="notification_once"),
        migrations.RenameField(model_name="notification", old_name="category", new_name="kind"),
        migrations.AddField(
            model_name="notification",
            name="subject",
            field=models.CharField(
                default="", help_text="如 supervision.problem:12", max_length=120, verbose_name="对象"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="occasion",
            field=models.CharField(blank=True, max_length=80, verbose_name="事由"),
        ),
        # Deliveries: new columns first (the old rows are carried over below)
        migrations.RenameField(model_name="delivery", old_name="sent_at", new_name="last_attempt_at"),
        migrations.AddField(
            model_name="delivery",
            name="host",
            field=models.CharField(blank=True, max_length=200, verbose_name="主机"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="state",
            field=models.CharField(
                choices=[("pending", "待发送"), ("retrying", "等待重试"), ("sent", "已发送"), ("failed", "发送失败")],
                default="pending",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="已尝试次数"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="创建时间"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="发送时间"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="key"),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("recipient", "kind", "subject", "occasion"), name="notification_once"
            ),
        ),
        migrations.RemoveField(model_name="delivery", name="ok"),
        migrations.RemoveField(model_name="delivery", name="target"),
        migrations.AlterField(
            model_name="delivery",
            name="channel",
            field=models.CharField(
                choices=[("email", "电子邮件"), ("webhook", "群机器人"), ("digest", "每日汇总邮件")],
                max_length=20,
                verbose_name="渠道",
            ),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="last_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近尝试"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="下次尝试"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="occasion",
            field=models.CharField(blank=True, max_length=20, verbose_name="日期"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="recipient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="接收人",
            ),
        ),
        migrations.AlterModelOptions(
            name="delivery",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "发送记录",
                "verbose_name_plural": "发送记录",
            },
        ),
        # Robots of each unit
        migrations.CreateModel(
            name="Robot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                ("name", models.CharField(help_text="如“城关镇工作群”", max_length=100, verbose_name="名称")),
                ("kind", models.CharField(choices=[("wecom", "企业微信群机器人"), ("dingtalk", "钉钉群机器人")], max_length=20, verbose_name="类型")),
                ("url", yanzhen.core.crypto.EncryptedCharField(help_text="群机器人的 Webhook 地址（含 key）", verbose_name="机器人地址")),
                ("secret", yanzhen.core.crypto.EncryptedCharField(blank=True, help_text="钉钉机器人启用“加签”时填写", verbose_name="加签密钥")),
                ("host", models.CharField(editable=False, max_length=200, verbose_name="主机")),
                ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                ("created_by", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="创建人")),
                ("updated_by", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="更新人")),
                ("unit", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="robots", to="core.unit", verbose_name="所属单位")),
            ],
            options={
                "verbose_name": "群机器人",
                "verbose_name_plural": "群机器人",
                "ordering": ["unit__sort_order", "unit_id", "name", "id"],
            },
        ),
        migrations.AddField(
            model_name="delivery",
            name="robot",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="deliveries",
                to="notifications.robot",
                verbose_name="群机器人",
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                condition=models.Q(("channel", "digest")),
                fields=("recipient", "occasion"),
                name="digest_once_a_day",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["state", "last_attempt_at"], name="notificatio_state_e5e86a_idx"),
        ),
        # Preferences
        migrations.CreateModel(
            name="Preference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=30, verbose_name="类别")),
                ("email", models.BooleanField(default=True, verbose_name="邮件")),
                ("robot", models.BooleanField(default=True, verbose_name="群机器人")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notification_preferences", to=settings.AUTH_USER_MODEL, verbose_name="用户")),
            ],
            options={"verbose_name": "提醒设置", "verbose_name_plural": "提醒设置"},
        ),
        migrations.AddConstraint(
            model_name="preference",
            constraint=models.UniqueConstraint(fields=("user", "kind"), name="preference_once"),
        ),
    ]
