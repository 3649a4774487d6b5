"""The squash of ``audit``'s migrations ``0001`` to ``0010_portal_event``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

Kept of the old files besides the tables, taken from them so that each stays one text: the
database guards of the logs (triggers: ``0002_append_only``, ``0004_log_guards``) and the
genesis checkpoint with the heads of the keyed chains (``0003_keyed_chains``).
"""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from yanzhen.core.migration_operations import CreateModels
from yanzhen.core.migrations._replaced import REPLACED

APPEND_ONLY = import_module("yanzhen.audit.migrations.0002_append_only")
KEYED_CHAINS = import_module("yanzhen.audit.migrations.0003_keyed_chains")
LOG_GUARDS = import_module("yanzhen.audit.migrations.0004_log_guards")


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
                    name='AccessLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                        ('action', models.CharField(choices=[('open', '查看记录'), ('reveal', '显示完整信息')], max_length=10, verbose_name='操作')),
                        ('record_type', models.CharField(max_length=50, verbose_name='记录类型')),
                        ('record_id', models.BigIntegerField(verbose_name='记录编号')),
                        ('field', models.CharField(blank=True, max_length=30, verbose_name='字段')),
                        ('ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('hash', models.CharField(blank=True, max_length=64)),
                        ('prev_hash', models.CharField(blank=True, max_length=64)),
                        ('approval', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.approvalrequest', verbose_name='批准的申请')),
                    ],
                    options={
                        'verbose_name': '个人信息访问日志',
                        'verbose_name_plural': '个人信息访问日志',
                        'ordering': ['-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='ChainHead',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('last_hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
                        ('anchor_hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
                        ('purged_through', models.BigIntegerField(default=0)),
                        ('chain', models.CharField(choices=[('security', '安全日志'), ('access', '个人信息访问日志'), ('export', '导出记录'), ('checkpoint', '检查点')], default='security', max_length=20, unique=True)),
                        ('last_id', models.BigIntegerField(default=0)),
                        ('mac', models.CharField(blank=True, max_length=64)),
                    ],
                    options={
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Checkpoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.IntegerField(unique=True, verbose_name='序号')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                        ('kind', models.CharField(choices=[('genesis', '起点'), ('periodic', '定期')], max_length=10, verbose_name='类型')),
                        ('body', models.TextField(verbose_name='内容')),
                        ('signature', models.CharField(max_length=100, verbose_name='签名')),
                        ('digest', models.CharField(max_length=64, unique=True, verbose_name='摘要')),
                    ],
                    options={
                        'verbose_name': '日志检查点',
                        'verbose_name_plural': '日志检查点',
                        'ordering': ['-number'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='DeniedWindow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('actor', models.CharField(max_length=200)),
                        ('route', models.CharField(max_length=300)),
                        ('started_at', models.DateTimeField()),
                        ('last_at', models.DateTimeField()),
                        ('suppressed', models.IntegerField(default=0)),
                        ('username', models.CharField(blank=True, max_length=150)),
                        ('user_id_value', models.BigIntegerField(blank=True, null=True)),
                        ('ip', models.CharField(blank=True, max_length=45)),
                        ('path', models.CharField(blank=True, max_length=300)),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('actor', 'route'), name='audit_denied_window_once')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='ExportLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                        ('title', models.CharField(max_length=100, verbose_name='列表')),
                        ('filters', models.JSONField(blank=True, default=dict, verbose_name='筛选条件')),
                        ('fmt', models.CharField(max_length=10, verbose_name='格式')),
                        ('rows', models.IntegerField(verbose_name='行数')),
                        ('sha256', models.CharField(max_length=64, verbose_name='文件摘要')),
                        ('unmasked', models.BooleanField(default=False, verbose_name='含完整个人信息')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('hash', models.CharField(blank=True, max_length=64)),
                        ('prev_hash', models.CharField(blank=True, max_length=64)),
                    ],
                    options={
                        'verbose_name': '导出记录',
                        'verbose_name_plural': '导出记录',
                        'ordering': ['-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='SecurityEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                        ('kind', models.CharField(choices=[('login', '登录成功'), ('login_failed', '登录失败'), ('logout', '退出登录'), ('lockout', '账户锁定'), ('unlock', '解除锁定'), ('password_change', '修改密码'), ('password_reset', '重置密码'), ('otp_failed', '动态口令错误'), ('otp_lockout', '动态口令锁定'), ('otp_enrolled', '绑定动态口令'), ('role_change', '角色或权限变更'), ('user_change', '账户变更'), ('permission_denied', '越权访问被拒绝'), ('export', '导出数据'), ('import', '导入数据'), ('backup', '备份'), ('restore', '恢复'), ('purge', '清理过期日志'), ('session_expired', '会话超时'), ('admin_change', '后台管理变更'), ('checkpoint', '日志检查点'), ('audit_alert', '日志校验失败'), ('integrity_check', '数据完整性校验'), ('integrity_failed', '数据完整性校验失败'), ('version_conflict', '编辑冲突（记录已被他人修改）'), ('review', '审核'), ('briefing', '简报审核与签发'), ('portal', '门户发布与对接洽谈')], db_index=True, max_length=30, verbose_name='事件')),
                        ('username', models.CharField(blank=True, db_index=True, max_length=150, verbose_name='账户')),
                        ('user_id_value', models.BigIntegerField(blank=True, null=True, verbose_name='账户编号')),
                        ('unit', models.CharField(blank=True, max_length=100, verbose_name='单位')),
                        ('unit_id_value', models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='单位编号')),
                        ('ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('path', models.CharField(blank=True, max_length=300, verbose_name='地址')),
                        ('detail', models.JSONField(blank=True, default=dict, verbose_name='详情')),
                        ('prev_hash', models.CharField(max_length=64)),
                        ('hash', models.CharField(max_length=64, unique=True)),
                    ],
                    options={
                        'verbose_name': '安全日志',
                        'verbose_name_plural': '安全日志',
                        'ordering': ['-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),

            ]
        ),
        # The security log's guards (0002), the genesis checkpoint (0003), the guards of the
        # access and export logs and of the checkpoints (0004), in the old files' order.
        migrations.RunPython(
            APPEND_ONLY._run({"sqlite": APPEND_ONLY.SQLITE, "postgresql": APPEND_ONLY.POSTGRES}),
            APPEND_ONLY._run(
                {"sqlite": APPEND_ONLY.SQLITE_DROP, "postgresql": APPEND_ONLY.POSTGRES_DROP}
            ),
        ),
        migrations.RunPython(KEYED_CHAINS.start_keyed_chains, KEYED_CHAINS.drop_new_heads),
        migrations.RunPython(
            LOG_GUARDS._run({"sqlite": LOG_GUARDS._sqlite(), "postgresql": LOG_GUARDS._postgres()}),
            LOG_GUARDS._run(
                {"sqlite": LOG_GUARDS._sqlite_drop(), "postgresql": LOG_GUARDS._postgres_drop()}
            ),
        ),
    ]
