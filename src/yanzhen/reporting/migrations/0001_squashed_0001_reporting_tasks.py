"""The squash of ``reporting``'s migrations ``0001`` to ``0001_reporting_tasks``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

The old files only create and change tables: nothing else to keep.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
import yanzhen.reporting.models
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
                    name='Submission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('state', models.CharField(choices=[('not_started', '未填报'), ('draft', '填报中'), ('submitted', '已提交待审核'), ('returned', '已退回'), ('approved', '已通过')], db_index=True, default='not_started', max_length=20, verbose_name='状态')),
                        ('values', models.JSONField(blank=True, default=dict, verbose_name='填报内容')),
                        ('comment', models.CharField(blank=True, max_length=500, verbose_name='审核意见')),
                        ('field_comments', models.JSONField(blank=True, default=dict, verbose_name='逐项意见')),
                        ('rounds', models.PositiveIntegerField(default=0, verbose_name='提交次数')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='提交时间')),
                        ('late', models.BooleanField(default=False, verbose_name='逾期提交')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                        ('reviewer_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='审核单位')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='提交人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='填报单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='submissions', to='reporting.task', verbose_name='填报任务')),
                    ],
                    options={
                        'verbose_name': '填报',
                        'verbose_name_plural': '填报',
                        'ordering': ['task', 'unit__sort_order', 'unit_id'],
                        'permissions': [('review_submission', '可以审核填报')],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('task', 'unit'), name='submission_unique_unit')],
                    },
                ),
                migrations.CreateModel(
                    name='SubmissionFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=40, verbose_name='字段')),
                        ('file', models.FileField(upload_to=yanzhen.reporting.models._file_path, verbose_name='文件')),
                        ('name', models.CharField(max_length=200, verbose_name='文件名')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                        ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='reporting.submission', verbose_name='填报')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '填报附件',
                        'verbose_name_plural': '填报附件',
                        'ordering': ['id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Task',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('title', models.CharField(max_length=100, verbose_name='任务名称')),
                        ('description', models.TextField(blank=True, verbose_name='填报说明')),
                        ('fields', models.JSONField(default=list, verbose_name='表单字段')),
                        ('target_kinds', models.JSONField(blank=True, default=list, verbose_name='填报单位类型')),
                        ('period_start', models.DateField(verbose_name='统计期起')),
                        ('period_end', models.DateField(verbose_name='统计期止')),
                        ('deadline', models.DateField(verbose_name='截止日期')),
                        ('recurrence', models.CharField(choices=[('none', '不重复'), ('monthly', '每月'), ('quarterly', '每季度')], default='none', max_length=10, verbose_name='重复')),
                        ('state', models.CharField(choices=[('draft', '未下发'), ('issued', '已下发')], default='draft', max_length=10, verbose_name='状态')),
                        ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='下发时间')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='下发单位')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='repeats', to='reporting.task', verbose_name='首期任务')),
                        ('target_units', models.ManyToManyField(blank=True, related_name='+', to='core.unit', verbose_name='指定填报单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '填报任务',
                        'verbose_name_plural': '填报任务',
                        'ordering': ['-deadline', '-id'],
                        'permissions': [('issue_task', '可以下发填报任务和催报')],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalSubmission',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('state', models.CharField(choices=[('not_started', '未填报'), ('draft', '填报中'), ('submitted', '已提交待审核'), ('returned', '已退回'), ('approved', '已通过')], db_index=True, default='not_started', max_length=20, verbose_name='状态')),
                        ('values', models.JSONField(blank=True, default=dict, verbose_name='填报内容')),
                        ('comment', models.CharField(blank=True, max_length=500, verbose_name='审核意见')),
                        ('field_comments', models.JSONField(blank=True, default=dict, verbose_name='逐项意见')),
                        ('rounds', models.PositiveIntegerField(default=0, verbose_name='提交次数')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='提交时间')),
                        ('late', models.BooleanField(default=False, verbose_name='逾期提交')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                        ('reviewer_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='审核单位')),
                        ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='提交人')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='填报单位')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('task', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reporting.task', verbose_name='填报任务')),
                    ],
                    options={
                        'verbose_name': 'historical 填报',
                        'verbose_name_plural': 'historical 填报',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalTask',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('title', models.CharField(max_length=100, verbose_name='任务名称')),
                        ('description', models.TextField(blank=True, verbose_name='填报说明')),
                        ('fields', models.JSONField(default=list, verbose_name='表单字段')),
                        ('target_kinds', models.JSONField(blank=True, default=list, verbose_name='填报单位类型')),
                        ('period_start', models.DateField(verbose_name='统计期起')),
                        ('period_end', models.DateField(verbose_name='统计期止')),
                        ('deadline', models.DateField(verbose_name='截止日期')),
                        ('recurrence', models.CharField(choices=[('none', '不重复'), ('monthly', '每月'), ('quarterly', '每季度')], default='none', max_length=10, verbose_name='重复')),
                        ('state', models.CharField(choices=[('draft', '未下发'), ('issued', '已下发')], default='draft', max_length=10, verbose_name='状态')),
                        ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='下发时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('owner_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='下发单位')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reporting.task', verbose_name='首期任务')),
                    ],
                    options={
                        'verbose_name': 'historical 填报任务',
                        'verbose_name_plural': 'historical 填报任务',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),

            ]
        ),
    ]
