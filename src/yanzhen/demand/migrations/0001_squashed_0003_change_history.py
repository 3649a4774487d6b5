"""The squash of ``demand``'s migrations ``0001`` to ``0003_change_history``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

The old files only create and change tables: nothing else to keep.
"""

import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
import simple_history.models
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
        ('reference', '0001_squashed_0002_undergraduate_majors'),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name='CampaignTarget',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='填报时间')),
                        ('no_needs', models.BooleanField(default=False, verbose_name='本次无需求')),
                        ('reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='最近催报')),
                        ('reminders', models.PositiveIntegerField(default=0, verbose_name='催报次数')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='调查对象')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='demand.surveycampaign')),
                    ],
                    options={
                        'verbose_name': '调查对象',
                        'verbose_name_plural': '调查对象',
                        'ordering': ['campaign', 'enterprise__sort_order', 'enterprise_id'],
                        'indexes': [models.Index(fields=['enterprise', 'campaign'], name='demand_camp_enterpr_da9216_idx')],
                        'constraints': [models.UniqueConstraint(fields=('campaign', 'enterprise'), name='target_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='Expert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=50, verbose_name='姓名')),
                        ('department', models.CharField(blank=True, max_length=100, verbose_name='院系')),
                        ('title', models.CharField(blank=True, max_length=50, verbose_name='职称')),
                        ('honours', models.CharField(blank=True, max_length=100, verbose_name='人才称号')),
                        ('directions', models.TextField(verbose_name='研究方向')),
                        ('project_notes', models.TextField(blank=True, verbose_name='其他合作经历')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('disciplines', models.ManyToManyField(blank=True, related_name='demand_experts', to='reference.discipline', verbose_name='学科')),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='登记单位')),
                        ('projects', models.ManyToManyField(blank=True, related_name='demand_experts', to='cooperation.cooperation', verbose_name='参与的本地合作')),
                        ('university', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='demand_experts', to='reference.university', verbose_name='所在高校（院所）')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='删除时间')),
                        ('deleted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                    ],
                    options={
                        'verbose_name': '专家',
                        'verbose_name_plural': '专家',
                        'ordering': ['university__code', 'name', 'id'],
                        'permissions': [('export_expert', '可以导出专家'), ('import_expert', '可以导入专家')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('deleted_at__isnull', True)), fields=('owner_unit', 'university', 'name'), name='expert_unique_name')],
                        'indexes': [],
                        'base_manager_name': 'all_objects',
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('all_objects', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='HeldRow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('need', '人才需求'), ('expert', '专家')], max_length=20, verbose_name='导入类型')),
                        ('filename', models.CharField(max_length=200, verbose_name='文件')),
                        ('row_number', models.PositiveIntegerField(verbose_name='行号')),
                        ('values', models.JSONField(verbose_name='行内容')),
                        ('pending', models.JSONField(verbose_name='待确认的高校名称')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='导入时间')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                        ('outcome', models.CharField(blank=True, max_length=200, verbose_name='处理结果')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='导入单位')),
                    ],
                    options={
                        'verbose_name': '待确认导入行',
                        'verbose_name_plural': '待确认导入行',
                        'ordering': ['-created_at', 'row_number', 'id'],
                        'indexes': [models.Index(fields=['unit', 'resolved_at'], name='demand_held_unit_id_3622a5_idx')],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='SurveyCampaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('title', models.CharField(max_length=100, verbose_name='调查名称')),
                        ('opens_on', models.DateField(verbose_name='开始日期')),
                        ('deadline', models.DateField(verbose_name='截止日期')),
                        ('closed', models.BooleanField(default=False, verbose_name='已结束')),
                        ('description', models.TextField(blank=True, verbose_name='调查说明')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('enterprises', models.ManyToManyField(related_name='+', through='demand.CampaignTarget', to='core.unit', verbose_name='调查对象')),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='组织单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '需求调查',
                        'verbose_name_plural': '需求调查',
                        'ordering': ['-opens_on', '-id'],
                        'permissions': [('remind_surveycampaign', '可以催报需求调查')],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('owner_unit', 'title'), name='campaign_unique_title')],
                    },
                ),
                migrations.CreateModel(
                    name='TalentNeed',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('code', models.CharField(max_length=20, unique=True, verbose_name='需求编号')),
                        ('position', models.CharField(max_length=100, verbose_name='岗位名称')),
                        ('majors', models.CharField(blank=True, max_length=200, verbose_name='专业要求')),
                        ('degree', models.CharField(choices=[('doctor', '博士'), ('master', '硕士'), ('bachelor', '本科'), ('associate', '大专'), ('any', '不限')], max_length=20, verbose_name='学历要求')),
                        ('number', models.PositiveIntegerField(default=1, verbose_name='需求人数')),
                        ('urgency', models.CharField(choices=[('urgent', '急需'), ('normal', '一般'), ('reserve', '储备')], default='normal', max_length=20, verbose_name='紧迫程度')),
                        ('salary_min', models.DecimalField(blank=True, decimal_places=1, max_digits=7, null=True, verbose_name='年薪下限（万元）')),
                        ('salary_max', models.DecimalField(blank=True, decimal_places=1, max_digits=7, null=True, verbose_name='年薪上限（万元）')),
                        ('deadline', models.DateField(blank=True, null=True, verbose_name='到岗期限')),
                        ('description', models.TextField(blank=True, verbose_name='需求描述')),
                        ('status', models.CharField(choices=[('open', '征集中'), ('met', '已满足'), ('closed', '已关闭')], default='open', max_length=20, verbose_name='状态')),
                        ('source', models.CharField(choices=[('enterprise', '单位自行填报'), ('office', '代为录入'), ('import', '调查表导入'), ('api', '接口')], default='office', max_length=20, verbose_name='来源')),
                        ('reported_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='填报日期')),
                        ('campaign', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='needs', to='demand.surveycampaign', verbose_name='所属调查')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('disciplines', models.ManyToManyField(blank=True, related_name='talent_needs', to='reference.discipline', verbose_name='学科')),
                        ('enterprise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='talent_needs', to='core.unit', verbose_name='需求单位')),
                        ('preferred_universities', models.ManyToManyField(blank=True, related_name='talent_needs', to='reference.university', verbose_name='意向高校')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='删除时间')),
                        ('deleted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                    ],
                    options={
                        'verbose_name': '人才需求',
                        'verbose_name_plural': '人才需求',
                        'ordering': ['-reported_on', '-id'],
                        'permissions': [('export_talentneed', '可以导出人才需求'), ('import_talentneed', '可以导入人才需求')],
                        'indexes': [models.Index(fields=['enterprise', 'status'], name='demand_tale_enterpr_ed1034_idx'), models.Index(fields=['status', 'urgency'], name='demand_tale_status_059a70_idx'), models.Index(fields=['campaign', 'enterprise'], name='demand_tale_campaig_92710e_idx'), models.Index(fields=['reported_on', 'id'], name='demand_tale_reporte_b4e182_idx')],
                        'constraints': [],
                        'base_manager_name': 'all_objects',
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('all_objects', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='HistoricalExpert',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('name', models.CharField(max_length=50, verbose_name='姓名')),
                        ('department', models.CharField(blank=True, max_length=100, verbose_name='院系')),
                        ('title', models.CharField(blank=True, max_length=50, verbose_name='职称')),
                        ('honours', models.CharField(blank=True, max_length=100, verbose_name='人才称号')),
                        ('directions', models.TextField(verbose_name='研究方向')),
                        ('project_notes', models.TextField(blank=True, verbose_name='其他合作经历')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('owner_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='登记单位')),
                        ('university', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.university', verbose_name='所在高校（院所）')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='删除时间')),
                        ('deleted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                    ],
                    options={
                        'verbose_name': 'historical 专家',
                        'verbose_name_plural': 'historical 专家',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalSurveyCampaign',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('title', models.CharField(max_length=100, verbose_name='调查名称')),
                        ('opens_on', models.DateField(verbose_name='开始日期')),
                        ('deadline', models.DateField(verbose_name='截止日期')),
                        ('closed', models.BooleanField(default=False, verbose_name='已结束')),
                        ('description', models.TextField(blank=True, verbose_name='调查说明')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('owner_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='组织单位')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': 'historical 需求调查',
                        'verbose_name_plural': 'historical 需求调查',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalTalentNeed',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('code', models.CharField(db_index=True, max_length=20, verbose_name='需求编号')),
                        ('position', models.CharField(max_length=100, verbose_name='岗位名称')),
                        ('majors', models.CharField(blank=True, max_length=200, verbose_name='专业要求')),
                        ('degree', models.CharField(choices=[('doctor', '博士'), ('master', '硕士'), ('bachelor', '本科'), ('associate', '大专'), ('any', '不限')], max_length=20, verbose_name='学历要求')),
                        ('number', models.PositiveIntegerField(default=1, verbose_name='需求人数')),
                        ('urgency', models.CharField(choices=[('urgent', '急需'), ('normal', '一般'), ('reserve', '储备')], default='normal', max_length=20, verbose_name='紧迫程度')),
                        ('salary_min', models.DecimalField(blank=True, decimal_places=1, max_digits=7, null=True, verbose_name='年薪下限（万元）')),
                        ('salary_max', models.DecimalField(blank=True, decimal_places=1, max_digits=7, null=True, verbose_name='年薪上限（万元）')),
                        ('deadline', models.DateField(blank=True, null=True, verbose_name='到岗期限')),
                        ('description', models.TextField(blank=True, verbose_name='需求描述')),
                        ('status', models.CharField(choices=[('open', '征集中'), ('met', '已满足'), ('closed', '已关闭')], default='open', max_length=20, verbose_name='状态')),
                        ('source', models.CharField(choices=[('enterprise', '单位自行填报'), ('office', '代为录入'), ('import', '调查表导入'), ('api', '接口')], default='office', max_length=20, verbose_name='来源')),
                        ('reported_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='填报日期')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('enterprise', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='需求单位')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('campaign', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='demand.surveycampaign', verbose_name='所属调查')),
                        ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='删除时间')),
                        ('deleted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                    ],
                    options={
                        'verbose_name': 'historical 人才需求',
                        'verbose_name_plural': 'historical 人才需求',
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
