"""The squash of ``notifications``'s migrations ``0001`` to ``0003_grant_robot_and_delivery_permissions``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

Left out of the old files, as they only change rows that exist:
``0002_events_robots_deliveries``'s conversion of existing notifications and deliveries,
``0003_grant_robot_and_delivery_permissions`` (grants to existing roles).
"""

import django.db.models.deletion
import django.utils.timezone
import yanzhen.core.crypto
from django.conf import settings
from django.db import migrations, models

from yanzhen.core.migration_operations import CreateModels
from yanzhen.core.migrations._replaced import REPLACED


class Migration(migrations.Migration):

    initial = True

    replaces = REPLACED

    dependencies = [
        ('core', '0001_squashed_0021_import_job'),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name='Delivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('email', '电子邮件'), ('webhook', '群机器人'), ('digest', '每日汇总邮件')], max_length=20, verbose_name='渠道')),
                        ('error', models.CharField(blank=True, max_length=300, verbose_name='错误')),
                        ('notifications', models.ManyToManyField(related_name='deliveries', to='notifications.notification')),
                        ('last_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='最近尝试')),
                        ('host', models.CharField(blank=True, max_length=200, verbose_name='主机')),
                        ('state', models.CharField(choices=[('pending', '待发送'), ('retrying', '等待重试'), ('sent', '已发送'), ('failed', '发送失败')], default='pending', max_length=20, verbose_name='状态')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='已尝试次数')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='下次尝试')),
                        ('occasion', models.CharField(blank=True, max_length=20, verbose_name='日期')),
                        ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                        ('robot', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deliveries', to='notifications.robot', verbose_name='群机器人')),
                    ],
                    options={
                        'verbose_name': '发送记录',
                        'verbose_name_plural': '发送记录',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['state', 'last_attempt_at'], name='notificatio_state_e5e86a_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('channel', 'digest')), fields=('recipient', 'occasion'), name='digest_once_a_day')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='内容')),
                        ('url', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                        ('kind', models.CharField(max_length=30, verbose_name='类别')),
                        ('subject', models.CharField(help_text='如 supervision.problem:12', max_length=120, verbose_name='对象')),
                        ('occasion', models.CharField(blank=True, max_length=80, verbose_name='事由')),
                    ],
                    options={
                        'verbose_name': '消息',
                        'verbose_name_plural': '消息',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='notificatio_recipie_564b1f_idx')],
                        'constraints': [models.UniqueConstraint(fields=('recipient', 'kind', 'subject', 'occasion'), name='notification_once')],
                    },
                ),
                migrations.CreateModel(
                    name='Preference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=30, verbose_name='类别')),
                        ('email', models.BooleanField(default=True, verbose_name='邮件')),
                        ('robot', models.BooleanField(default=True, verbose_name='群机器人')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
                    ],
                    options={
                        'verbose_name': '提醒设置',
                        'verbose_name_plural': '提醒设置',
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='preference_once')],
                    },
                ),
                migrations.CreateModel(
                    name='Robot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(help_text='如“城关镇工作群”', max_length=100, verbose_name='名称')),
                        ('kind', models.CharField(choices=[('wecom', '企业微信群机器人'), ('dingtalk', '钉钉群机器人')], max_length=20, verbose_name='类型')),
                        ('url', yanzhen.core.crypto.EncryptedCharField(help_text='群机器人的 Webhook 地址（含 key）', verbose_name='机器人地址')),
                        ('secret', yanzhen.core.crypto.EncryptedCharField(blank=True, help_text='钉钉机器人启用“加签”时填写', verbose_name='加签密钥')),
                        ('host', models.CharField(editable=False, max_length=200, verbose_name='主机')),
                        ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='robots', to='core.unit', verbose_name='所属单位')),
                    ],
                    options={
                        'verbose_name': '群机器人',
                        'verbose_name_plural': '群机器人',
                        'ordering': ['unit__sort_order', 'unit_id', 'name', 'id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),

            ]
        ),
    ]
