"""The squash of ``supervision``'s migrations ``0001`` to ``0005_report_review``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

The old files only create and change tables: nothing else to keep.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
import yanzhen.supervision.models
from django.conf import settings
from django.db import migrations, models

from yanzhen.core.migration_operations import CreateModels
from yanzhen.core.migrations._replaced import REPLACED


class Migration(migrations.Migration):

    initial = True

    replaces = REPLACED

    dependencies = [
        ('cooperation', '0001_squashed_0016_purged_with_the_cooperation'),
        ('core', '0001_squashed_0021_import_job'),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name='ActionItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('meeting_title', models.CharField(max_length=200, verbose_name='会议名称')),
                        ('meeting_date', models.DateField(verbose_name='会议日期')),
                        ('decision', models.TextField(verbose_name='决定事项')),
                        ('deadline', models.DateField(verbose_name='完成时限')),
                        ('state', models.CharField(choices=[('open', '待转办'), ('converted', '已转办')], default='open', max_length=20, verbose_name='状态')),
                        ('base', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='cooperation.base', verbose_name='基地')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='cooperation.activity', verbose_name='会议')),
                        ('milestone', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_item', to='supervision.milestone', verbose_name='转为节点任务')),
                        ('responsible_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='action_items', to='core.unit', verbose_name='责任单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('problem', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_item', to='supervision.problem', verbose_name='转为问题')),
                    ],
                    options={
                        'verbose_name': '会议决定事项',
                        'verbose_name_plural': '会议决定事项',
                        'ordering': ['-meeting_date', 'id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Escalation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.PositiveSmallIntegerField(choices=[(1, '督办责任单位'), (2, '报责任领导督办')], verbose_name='级别')),
                        ('due_date', models.DateField(verbose_name='到期日期')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='督办时间')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                        ('leader', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.person', verbose_name='责任领导')),
                        ('milestone', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='escalations', to='supervision.milestone')),
                        ('unit', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='责任单位')),
                        ('problem', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='escalations', to='supervision.problem')),
                    ],
                    options={
                        'verbose_name': '督办',
                        'verbose_name_plural': '督办',
                        'ordering': ['created_at', 'id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('problem__isnull', False)), fields=('problem', 'level', 'due_date'), name='escalation_once_per_problem_level'), models.UniqueConstraint(condition=models.Q(('milestone__isnull', False)), fields=('milestone', 'level', 'due_date'), name='escalation_once_per_milestone_level'), models.CheckConstraint(condition=models.Q(('problem__isnull', True), ('milestone__isnull', True), _connector='XOR'), name='escalation_one_target')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='Evidence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(upload_to=yanzhen.supervision.models._evidence_path, verbose_name='佐证材料')),
                        ('name', models.CharField(max_length=200, verbose_name='文件名')),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='上传时间')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='supervision.reportitem')),
                    ],
                    options={
                        'verbose_name': '佐证材料',
                        'verbose_name_plural': '佐证材料',
                        'ordering': ['uploaded_at', 'id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Milestone',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('title', models.CharField(max_length=200, verbose_name='节点任务')),
                        ('due_date', models.DateField(verbose_name='完成时限')),
                        ('deliverable', models.CharField(blank=True, max_length=200, verbose_name='预期成果')),
                        ('status', models.CharField(choices=[('not_started', '未开始'), ('in_progress', '推进中'), ('done', '已完成')], default='not_started', max_length=20, verbose_name='状态')),
                        ('done_date', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                        ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                        ('base', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='cooperation.base', verbose_name='基地')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('owner_person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.person', verbose_name='责任人')),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='milestones', to='core.unit', verbose_name='责任单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '节点任务',
                        'verbose_name_plural': '节点任务',
                        'ordering': ['due_date', 'sort_order', 'id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Problem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('title', models.CharField(max_length=200, verbose_name='问题')),
                        ('description', models.TextField(blank=True, verbose_name='问题描述')),
                        ('source', models.CharField(choices=[('round', '工作调度'), ('meeting', '会议决定'), ('direct', '直接提出')], max_length=20, verbose_name='来源')),
                        ('deadline', models.DateField(blank=True, null=True, verbose_name='办理时限')),
                        ('state', models.CharField(choices=[('raised', '待交办'), ('assigned', '已交办'), ('in_progress', '办理中'), ('resolved', '已办结待验收'), ('closed', '已验收销号'), ('returned', '已退回')], default='raised', max_length=20, verbose_name='状态')),
                        ('resolved_on', models.DateField(blank=True, null=True, verbose_name='办结日期')),
                        ('closed_on', models.DateField(blank=True, null=True, verbose_name='销号日期')),
                        ('escalation_level', models.PositiveSmallIntegerField(default=0, verbose_name='督办级别')),
                        ('base', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='problems', to='cooperation.base', verbose_name='基地')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('raised_by_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='raised_problems', to='core.unit', verbose_name='提出单位')),
                        ('responsible_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='problems', to='core.unit', verbose_name='责任单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('round', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='problems', to='supervision.round', verbose_name='来源调度')),
                    ],
                    options={
                        'verbose_name': '问题',
                        'verbose_name_plural': '问题清单',
                        'ordering': ['-created_at', '-id'],
                        'permissions': [('assign_problem', '可以交办问题'), ('verify_problem', '可以验收或退回问题'), ('escalate_problem', '可以督办')],
                        'indexes': [models.Index(fields=['state', 'deadline'], name='supervision_state_9ab0e1_idx')],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='ProblemEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('raise', '提出'), ('assign', '交办'), ('start', '开始办理'), ('resolve', '办结'), ('verify', '验收销号'), ('return', '退回'), ('escalate', '督办')], max_length=20, verbose_name='操作')),
                        ('from_state', models.CharField(blank=True, choices=[('raised', '待交办'), ('assigned', '已交办'), ('in_progress', '办理中'), ('resolved', '已办结待验收'), ('closed', '已验收销号'), ('returned', '已退回')], max_length=20, verbose_name='原状态')),
                        ('to_state', models.CharField(choices=[('raised', '待交办'), ('assigned', '已交办'), ('in_progress', '办理中'), ('resolved', '已办结待验收'), ('closed', '已验收销号'), ('returned', '已退回')], max_length=20, verbose_name='新状态')),
                        ('deadline', models.DateField(blank=True, null=True, verbose_name='办理时限')),
                        ('note', models.TextField(blank=True, verbose_name='说明')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                        ('problem', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='supervision.problem')),
                        ('responsible_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='责任单位')),
                    ],
                    options={
                        'verbose_name': '问题办理记录',
                        'verbose_name_plural': '问题办理记录',
                        'ordering': ['at', 'id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('summary', models.TextField(blank=True, verbose_name='总体进展')),
                        ('submitted_at', models.DateTimeField(verbose_name='首次报送时间')),
                        ('late', models.BooleanField(default=False, verbose_name='逾期报送')),
                        ('base', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='cooperation.base', verbose_name='基地')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='supervision.round', verbose_name='调度')),
                        ('review', models.CharField(choices=[('submitted', '待审核'), ('accepted', '已采用'), ('returned', '已退回')], default='accepted', max_length=20, verbose_name='审核')),
                    ],
                    options={
                        'verbose_name': '调度报告',
                        'verbose_name_plural': '调度报告',
                        'ordering': ['round', 'base__sort_order', 'base_id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('round', 'base'), name='report_unique_base')],
                        'permissions': [('review_report', '可以审核调度报告（采用或退回）')],
                    },
                ),
                migrations.CreateModel(
                    name='ReportItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('percent', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='完成进度（%）')),
                        ('progress', models.TextField(blank=True, verbose_name='进展情况')),
                        ('milestone', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_items', to='supervision.milestone', verbose_name='节点任务')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='supervision.report')),
                    ],
                    options={
                        'verbose_name': '节点进展',
                        'verbose_name_plural': '节点进展',
                        'ordering': ['milestone__due_date', 'milestone__sort_order', 'milestone_id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('report', 'milestone'), name='report_item_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='Round',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('title', models.CharField(max_length=100, verbose_name='调度名称')),
                        ('kind', models.CharField(choices=[('weekly', '周调度'), ('monthly', '月调度'), ('adhoc', '专项调度')], max_length=20, verbose_name='调度类型')),
                        ('opened_on', models.DateField(verbose_name='发起日期')),
                        ('deadline', models.DateField(verbose_name='报送截止日期')),
                        ('state', models.CharField(choices=[('open', '报送中'), ('closed', '已结束')], default='open', max_length=20, verbose_name='状态')),
                        ('note', models.TextField(blank=True, verbose_name='调度要求')),
                        ('bases', models.ManyToManyField(related_name='rounds', to='cooperation.base', verbose_name='参加基地')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '工作调度',
                        'verbose_name_plural': '工作调度',
                        'ordering': ['-opened_on', '-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='WorkPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('title', models.CharField(max_length=200, verbose_name='方案名称')),
                        ('adopted_on', models.DateField(blank=True, null=True, verbose_name='印发日期')),
                        ('document', models.FileField(blank=True, upload_to=yanzhen.supervision.models._plan_path, verbose_name='方案文件')),
                        ('summary', models.TextField(blank=True, verbose_name='主要内容')),
                        ('base', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='work_plan', to='cooperation.base', verbose_name='基地')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '工作方案',
                        'verbose_name_plural': '工作方案',
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalMilestone',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('title', models.CharField(max_length=200, verbose_name='节点任务')),
                        ('due_date', models.DateField(verbose_name='完成时限')),
                        ('deliverable', models.CharField(blank=True, max_length=200, verbose_name='预期成果')),
                        ('status', models.CharField(choices=[('not_started', '未开始'), ('in_progress', '推进中'), ('done', '已完成')], default='not_started', max_length=20, verbose_name='状态')),
                        ('done_date', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                        ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('base', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.base', verbose_name='基地')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('owner_person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person', verbose_name='责任人')),
                        ('owner_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='责任单位')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                    ],
                    options={
                        'verbose_name': 'historical 节点任务',
                        'verbose_name_plural': 'historical 节点任务',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalRound',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('title', models.CharField(max_length=100, verbose_name='调度名称')),
                        ('kind', models.CharField(choices=[('weekly', '周调度'), ('monthly', '月调度'), ('adhoc', '专项调度')], max_length=20, verbose_name='调度类型')),
                        ('opened_on', models.DateField(verbose_name='发起日期')),
                        ('deadline', models.DateField(verbose_name='报送截止日期')),
                        ('state', models.CharField(choices=[('open', '报送中'), ('closed', '已结束')], default='open', max_length=20, verbose_name='状态')),
                        ('note', models.TextField(blank=True, verbose_name='调度要求')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': 'historical 工作调度',
                        'verbose_name_plural': 'historical 工作调度',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalWorkPlan',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('title', models.CharField(max_length=200, verbose_name='方案名称')),
                        ('adopted_on', models.DateField(blank=True, null=True, verbose_name='印发日期')),
                        ('document', models.TextField(blank=True, max_length=100, verbose_name='方案文件')),
                        ('summary', models.TextField(blank=True, verbose_name='主要内容')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('base', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.base', verbose_name='基地')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': 'historical 工作方案',
                        'verbose_name_plural': 'historical 工作方案',
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
