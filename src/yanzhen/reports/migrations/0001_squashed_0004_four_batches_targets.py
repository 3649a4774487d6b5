"""The squash of ``reports``'s migrations ``0001`` to ``0004_four_batches_targets``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

Left out of the old files: ``0003_briefing_requests_in_review_inbox`` (completes existing
open requests).
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
import yanzhen.reports.models
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
                    name='AnnualTarget',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('kind', models.CharField(choices=[('intention', '意向'), ('agreement', '签约'), ('landed', '落地'), ('talent', '引才'), ('intern', '实习'), ('demo_site', '示范点'), ('high_talent', '高层次人才'), ('platform', '创新平台'), ('project', '产业项目')], max_length=20, verbose_name='目标类型')),
                        ('value', models.PositiveIntegerField(verbose_name='目标值')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='annual_targets', to='core.unit', verbose_name='单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '年度目标',
                        'verbose_name_plural': '年度目标',
                        'ordering': ['unit', 'year', 'kind'],
                        'constraints': [models.UniqueConstraint(fields=('unit', 'year', 'kind'), name='annual_target_unique')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='Briefing',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('kind', models.CharField(choices=[('bulletin', '工作简报'), ('summary', '工作总结'), ('report', '专题报告')], max_length=20, verbose_name='文种')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('start', models.DateField(verbose_name='统计起始日期')),
                        ('end', models.DateField(verbose_name='统计截止日期')),
                        ('text', models.TextField(verbose_name='正文模板')),
                        ('issue', models.PositiveIntegerField(blank=True, null=True, verbose_name='期号')),
                        ('masthead', models.CharField(max_length=50, verbose_name='发文机关标志（版头）')),
                        ('number', models.CharField(blank=True, max_length=50, verbose_name='发文字号')),
                        ('recipients', models.CharField(blank=True, max_length=200, verbose_name='主送机关')),
                        ('report_to', models.CharField(blank=True, max_length=200, verbose_name='报送')),
                        ('copy_to', models.CharField(blank=True, max_length=200, verbose_name='抄送')),
                        ('signature', models.CharField(max_length=100, verbose_name='署名（编印单位）')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                        ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='印发时间')),
                        ('issued_on', models.DateField(blank=True, null=True, verbose_name='成文日期')),
                        ('frozen_text', models.TextField(blank=True, editable=False, verbose_name='印发时的正文')),
                        ('snapshot_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='快照校验值')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('drafter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='拟稿人')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                        ('signed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签发人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='briefings', to='core.unit', verbose_name='单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('template', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reports.briefingtemplate', verbose_name='所用模板')),
                    ],
                    options={
                        'verbose_name': '简报',
                        'verbose_name_plural': '简报',
                        'ordering': ['-end', '-id'],
                        'permissions': [('review_briefing', '审核简报'), ('sign_briefing', '签发简报')],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('issue__isnull', False)), fields=('masthead', 'issue'), name='briefing_issue_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='BriefingFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=100, verbose_name='指标')),
                        ('value', models.CharField(blank=True, max_length=50, verbose_name='数值')),
                        ('raw', models.CharField(blank=True, max_length=50, verbose_name='原值')),
                        ('definition', models.CharField(max_length=300, verbose_name='口径')),
                        ('filter', models.JSONField(default=dict, verbose_name='筛选条件')),
                        ('computed_at', models.DateTimeField(verbose_name='计算时间')),
                        ('model', models.CharField(blank=True, max_length=100, verbose_name='记录类型')),
                        ('records', models.JSONField(default=list, verbose_name='记录及版本')),
                        ('records_hash', models.CharField(max_length=64, verbose_name='记录校验值')),
                        ('briefing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='figures', to='reports.briefing')),
                    ],
                    options={
                        'verbose_name': '简报指标快照',
                        'verbose_name_plural': '简报指标快照',
                        'ordering': ['briefing', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('briefing', 'key'), name='briefing_figure_unique')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='BriefingTemplate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='模板名称')),
                        ('kind', models.CharField(choices=[('bulletin', '工作简报'), ('summary', '工作总结'), ('report', '专题报告')], max_length=20, verbose_name='文种')),
                        ('title', models.CharField(help_text='可含“{年度}”“{单位}”', max_length=200, verbose_name='标题')),
                        ('text', models.TextField(verbose_name='正文模板')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '简报模板',
                        'verbose_name_plural': '简报模板',
                        'ordering': ['name'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='OutgoingReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('recipient', models.CharField(max_length=200, verbose_name='报送对象')),
                        ('sent_on', models.DateField(verbose_name='报送日期')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='备注')),
                        ('briefing', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outgoing_reports', to='reports.briefing', verbose_name='报送期次')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outgoing_reports', to='core.unit', verbose_name='报送单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '专报报送记录',
                        'verbose_name_plural': '专报报送记录',
                        'ordering': ['-sent_on', '-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='WorkInfo',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                        ('title', models.CharField(max_length=100, verbose_name='标题')),
                        ('text', models.TextField(max_length=5000, verbose_name='正文')),
                        ('date', models.DateField(verbose_name='信息日期')),
                        ('state', models.CharField(choices=[('submitted', '待处理'), ('adopted', '已采用'), ('returned', '已退回')], default='submitted', max_length=20, verbose_name='状态')),
                        ('submitted_at', models.DateTimeField(verbose_name='报送时间')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                        ('adopted_on', models.DateField(blank=True, null=True, verbose_name='采用日期')),
                        ('comment', models.CharField(blank=True, max_length=500, verbose_name='处理意见')),
                        ('base', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='work_info', to='cooperation.base', verbose_name='所属基地')),
                        ('briefing', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='adopted_info', to='reports.briefing', verbose_name='采用期次')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                        ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报送人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='work_info', to='core.unit', verbose_name='报送单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '工作信息',
                        'verbose_name_plural': '工作信息',
                        'ordering': ['-date', '-id'],
                        'permissions': [('adopt_workinfo', '采用或退回工作信息')],
                        'indexes': [],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('state', 'adopted'), _negated=True), models.Q(('adopted_on__isnull', False), ('briefing__isnull', False)), _connector='OR'), name='work_info_adopted_has_issue')],
                    },
                ),
                migrations.CreateModel(
                    name='WorkInfoPhoto',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.FileField(upload_to=yanzhen.reports.models._photo_path, verbose_name='图片')),
                        ('name', models.CharField(max_length=200, verbose_name='文件名')),
                        ('width', models.PositiveIntegerField(verbose_name='宽（像素）')),
                        ('height', models.PositiveIntegerField(verbose_name='高（像素）')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                        ('info', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='reports.workinfo', verbose_name='工作信息')),
                    ],
                    options={
                        'verbose_name': '信息图片',
                        'verbose_name_plural': '信息图片',
                        'ordering': ['id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAnnualTarget',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('kind', models.CharField(choices=[('intention', '意向'), ('agreement', '签约'), ('landed', '落地'), ('talent', '引才'), ('intern', '实习'), ('demo_site', '示范点'), ('high_talent', '高层次人才'), ('platform', '创新平台'), ('project', '产业项目')], max_length=20, verbose_name='目标类型')),
                        ('value', models.PositiveIntegerField(verbose_name='目标值')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='单位')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': 'historical 年度目标',
                        'verbose_name_plural': 'historical 年度目标',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalBriefing',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('kind', models.CharField(choices=[('bulletin', '工作简报'), ('summary', '工作总结'), ('report', '专题报告')], max_length=20, verbose_name='文种')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('start', models.DateField(verbose_name='统计起始日期')),
                        ('end', models.DateField(verbose_name='统计截止日期')),
                        ('text', models.TextField(verbose_name='正文模板')),
                        ('issue', models.PositiveIntegerField(blank=True, null=True, verbose_name='期号')),
                        ('masthead', models.CharField(max_length=50, verbose_name='发文机关标志（版头）')),
                        ('number', models.CharField(blank=True, max_length=50, verbose_name='发文字号')),
                        ('recipients', models.CharField(blank=True, max_length=200, verbose_name='主送机关')),
                        ('report_to', models.CharField(blank=True, max_length=200, verbose_name='报送')),
                        ('copy_to', models.CharField(blank=True, max_length=200, verbose_name='抄送')),
                        ('signature', models.CharField(max_length=100, verbose_name='署名（编印单位）')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                        ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='印发时间')),
                        ('issued_on', models.DateField(blank=True, null=True, verbose_name='成文日期')),
                        ('frozen_text', models.TextField(blank=True, editable=False, verbose_name='印发时的正文')),
                        ('snapshot_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='快照校验值')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('drafter', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='拟稿人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                        ('signed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签发人')),
                        ('template', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reports.briefingtemplate', verbose_name='所用模板')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='单位')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': 'historical 简报',
                        'verbose_name_plural': 'historical 简报',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalWorkInfo',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('title', models.CharField(max_length=100, verbose_name='标题')),
                        ('text', models.TextField(max_length=5000, verbose_name='正文')),
                        ('date', models.DateField(verbose_name='信息日期')),
                        ('state', models.CharField(choices=[('submitted', '待处理'), ('adopted', '已采用'), ('returned', '已退回')], default='submitted', max_length=20, verbose_name='状态')),
                        ('submitted_at', models.DateTimeField(verbose_name='报送时间')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                        ('adopted_on', models.DateField(blank=True, null=True, verbose_name='采用日期')),
                        ('comment', models.CharField(blank=True, max_length=500, verbose_name='处理意见')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('base', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.base', verbose_name='所属基地')),
                        ('briefing', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reports.briefing', verbose_name='采用期次')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submitted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报送人')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='报送单位')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': 'historical 工作信息',
                        'verbose_name_plural': 'historical 工作信息',
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
