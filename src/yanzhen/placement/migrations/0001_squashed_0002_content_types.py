"""The squash of ``placement``'s migrations ``0001`` to ``0002_content_types``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

The moved models are created here, in their tables (``talent_*``). Left out of the old
files: ``0001_initial``'s state-only take-over and ``0002_content_types`` (moves existing
content types and permissions from ``talent``).
"""

import django.db.models.deletion
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
        ('core', '0001_squashed_0021_import_job'),
        ('reference', '0001_squashed_0002_undergraduate_majors'),
        ('talent', '0001_squashed_0011_placement_moved_out'),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name='AllocationRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('optimal', models.CharField(choices=[('applicant', '申请人最优'), ('unit', '接收单位最优')], max_length=20, verbose_name='最优方')),
                        ('stats', models.JSONField(default=dict, verbose_name='统计')),
                        ('run_at', models.DateTimeField(auto_now_add=True, verbose_name='执行时间')),
                        ('run_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='执行人')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='placement.programme', verbose_name='分配项目')),
                    ],
                    options={
                        'verbose_name': '分配运行',
                        'verbose_name_plural': '分配运行',
                        'db_table': 'talent_allocationrun',
                        'ordering': ['-run_at', '-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Assignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('choice_rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='志愿顺序')),
                        ('manual', models.BooleanField(default=False, verbose_name='人工调整')),
                        ('host', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assignments', to='placement.host')),
                        ('applicant', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='assignment', to='placement.placementapplicant')),
                    ],
                    options={
                        'db_table': 'talent_assignment',
                        'ordering': ['applicant__code'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='AssignmentChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(max_length=200, verbose_name='调整原因')),
                        ('blocking_pairs', models.JSONField(default=list, verbose_name='造成的不稳定对')),
                        ('not_mutual', models.JSONField(blank=True, default=list, verbose_name='非互选情况')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='调整时间')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('from_host', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='placement.host')),
                        ('to_host', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='placement.host')),
                        ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='placement.placementapplicant')),
                    ],
                    options={
                        'verbose_name': '人工调整',
                        'verbose_name_plural': '人工调整',
                        'db_table': 'talent_assignmentchange',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Host',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('capacity', models.PositiveIntegerField(verbose_name='接收名额')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='岗位说明')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='talent_hostings', to='core.unit', verbose_name='接收单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='hosts', to='placement.programme', verbose_name='分配项目')),
                    ],
                    options={
                        'verbose_name': '接收单位',
                        'verbose_name_plural': '接收单位',
                        'db_table': 'talent_host',
                        'ordering': ['programme', 'unit__sort_order', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('programme', 'unit'), name='host_unique_unit')],
                    },
                ),
                migrations.CreateModel(
                    name='HostFeedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('date', models.DateField(verbose_name='日期')),
                        ('score', models.PositiveSmallIntegerField(verbose_name='评价（1–5分）')),
                        ('comment', models.CharField(blank=True, max_length=300, verbose_name='评语')),
                        ('recommend_hire', models.BooleanField(default=False, verbose_name='建议留用')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('internship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='placement.internship', verbose_name='实习')),
                    ],
                    options={
                        'verbose_name': '接收单位评价',
                        'verbose_name_plural': '接收单位评价',
                        'db_table': 'talent_hostfeedback',
                        'ordering': ['-date', '-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='HostRanking',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='排名')),
                        ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='评分')),
                        ('basis', models.CharField(blank=True, max_length=100, verbose_name='依据')),
                        ('host', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rankings', to='placement.host')),
                        ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rankings', to='placement.placementapplicant')),
                    ],
                    options={
                        'db_table': 'talent_hostranking',
                        'ordering': ['host', 'rank', '-score', 'applicant__code'],
                        'constraints': [models.UniqueConstraint(fields=('host', 'applicant'), name='ranking_unique_pair')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='InternLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('date', models.DateField(verbose_name='日期')),
                        ('hours', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='时长（小时）')),
                        ('content', models.CharField(max_length=300, verbose_name='工作内容')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('internship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='logs', to='placement.internship', verbose_name='实习')),
                    ],
                    options={
                        'verbose_name': '实习日志',
                        'verbose_name_plural': '实习日志',
                        'db_table': 'talent_internlog',
                        'ordering': ['-date', '-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Internship',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('start_date', models.DateField(verbose_name='开始日期')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                        ('status', models.CharField(choices=[('active', '实习中'), ('completed', '已结业'), ('hired', '已留用'), ('left', '中途离开')], default='active', max_length=20, verbose_name='状态')),
                        ('status_note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('hired_talent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='talent.talent', verbose_name='留用后人才记录')),
                        ('host_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='internships', to='core.unit', verbose_name='接收单位')),
                        ('talent', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='internship', to='talent.talent', verbose_name='实习生')),
                        ('university', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.university', verbose_name='所在高校')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('programme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='internships', to='placement.programme', verbose_name='分配项目')),
                    ],
                    options={
                        'verbose_name': '实习实训',
                        'verbose_name_plural': '实习实训',
                        'db_table': 'talent_internship',
                        'ordering': ['-start_date', '-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='PlacementApplicant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('code', models.CharField(max_length=30, verbose_name='编号')),
                        ('degree', models.CharField(blank=True, choices=[('doctor', '博士'), ('master', '硕士'), ('bachelor', '学士'), ('associate', '大专'), ('other', '其他')], max_length=20, verbose_name='学位')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('discipline', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.discipline', verbose_name='学科')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='placements', to='core.person', verbose_name='申请人')),
                        ('university', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.university', verbose_name='所在高校')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('preferences', models.ManyToManyField(related_name='+', through='placement.Preference', to='placement.host', verbose_name='志愿')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='applicants', to='placement.programme', verbose_name='分配项目')),
                    ],
                    options={
                        'verbose_name': '分配申请人',
                        'verbose_name_plural': '分配申请人',
                        'db_table': 'talent_placementapplicant',
                        'ordering': ['programme', 'code'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('programme', 'code'), name='placement_unique_code'), models.UniqueConstraint(fields=('programme', 'person'), name='placement_unique_person')],
                    },
                ),
                migrations.CreateModel(
                    name='Preference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rank', models.PositiveSmallIntegerField(verbose_name='志愿顺序')),
                        ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='choices', to='placement.placementapplicant')),
                        ('host', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='preferences', to='placement.host')),
                    ],
                    options={
                        'db_table': 'talent_preference',
                        'ordering': ['applicant', 'rank'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('applicant', 'host'), name='preference_unique_host'), models.UniqueConstraint(fields=('applicant', 'rank'), name='preference_unique_rank')],
                    },
                ),
                migrations.CreateModel(
                    name='Programme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=100, verbose_name='项目名称')),
                        ('kind', models.CharField(choices=[('selected_graduate', '选调生分配'), ('medical_graduate', '医学毕业生分配'), ('intern', '实习实训'), ('other', '其他')], max_length=20, verbose_name='项目类型')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('start_date', models.DateField(verbose_name='到岗日期')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                        ('status', models.CharField(choices=[('collecting', '征集志愿'), ('allocated', '已分配'), ('confirmed', '已确认到岗')], default='collecting', max_length=20, verbose_name='状态')),
                        ('description', models.TextField(blank=True, verbose_name='说明')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='talent_programmes', to='core.unit', verbose_name='组织单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '分配项目',
                        'verbose_name_plural': '分配项目',
                        'db_table': 'talent_programme',
                        'ordering': ['-year', '-id'],
                        'permissions': [('allocate_programme', '可以运行分配、调整并确认结果')],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('owner_unit', 'name'), name='programme_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalInternship',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('start_date', models.DateField(verbose_name='开始日期')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                        ('status', models.CharField(choices=[('active', '实习中'), ('completed', '已结业'), ('hired', '已留用'), ('left', '中途离开')], default='active', max_length=20, verbose_name='状态')),
                        ('status_note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('hired_talent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='talent.talent', verbose_name='留用后人才记录')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('host_unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='接收单位')),
                        ('talent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='talent.talent', verbose_name='实习生')),
                        ('university', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.university', verbose_name='所在高校')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='placement.programme', verbose_name='分配项目')),
                    ],
                    options={
                        'verbose_name': 'historical 实习实训',
                        'verbose_name_plural': 'historical 实习实训',
                        'db_table': 'talent_historicalinternship',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalPlacementApplicant',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('code', models.CharField(max_length=30, verbose_name='编号')),
                        ('degree', models.CharField(blank=True, choices=[('doctor', '博士'), ('master', '硕士'), ('bachelor', '学士'), ('associate', '大专'), ('other', '其他')], max_length=20, verbose_name='学位')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('discipline', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.discipline', verbose_name='学科')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person', verbose_name='申请人')),
                        ('university', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reference.university', verbose_name='所在高校')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='placement.programme', verbose_name='分配项目')),
                    ],
                    options={
                        'verbose_name': 'historical 分配申请人',
                        'verbose_name_plural': 'historical 分配申请人',
                        'db_table': 'talent_historicalplacementapplicant',
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
