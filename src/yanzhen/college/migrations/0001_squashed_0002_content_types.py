"""The squash of ``college``'s migrations ``0001`` to ``0002_content_types``:
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
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name='Brand',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=50, verbose_name='品牌')),
                        ('description', models.TextField(blank=True, verbose_name='说明')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('college', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='brands', to='college.college', verbose_name='学院')),
                        ('major', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='brands', to='college.major', verbose_name='对应专业')),
                    ],
                    options={
                        'verbose_name': '品牌',
                        'verbose_name_plural': '品牌',
                        'db_table': 'talent_brand',
                        'ordering': ['id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('college', 'name'), name='brand_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='BrandStore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=100, verbose_name='门店名称')),
                        ('city', models.CharField(max_length=50, verbose_name='所在城市')),
                        ('opened_on', models.DateField(verbose_name='开业日期')),
                        ('operator', models.CharField(blank=True, max_length=50, verbose_name='经营者')),
                        ('is_active', models.BooleanField(default=True, verbose_name='营业中')),
                        ('brand', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stores', to='college.brand', verbose_name='品牌')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '品牌门店',
                        'verbose_name_plural': '品牌门店',
                        'db_table': 'talent_brandstore',
                        'ordering': ['brand', 'opened_on', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('brand', 'name'), name='store_unique_name')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='College',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='学院名称')),
                        ('established_on', models.DateField(blank=True, null=True, verbose_name='成立日期')),
                        ('description', models.TextField(blank=True, verbose_name='简介')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='talent_colleges', to='core.unit', verbose_name='主管单位')),
                        ('partner_universities', models.ManyToManyField(blank=True, db_table='talent_college_partner_universities', related_name='talent_colleges', to='reference.university', verbose_name='共建高校')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '培训学院',
                        'verbose_name_plural': '培训学院',
                        'db_table': 'talent_college',
                        'ordering': ['id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Course',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=100, verbose_name='课程')),
                        ('hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='学时')),
                        ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='courses', to='college.coursecategory', verbose_name='类别')),
                    ],
                    options={
                        'verbose_name': '课程',
                        'verbose_name_plural': '课程',
                        'db_table': 'talent_course',
                        'ordering': ['category', 'sort_order', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('category', 'name'), name='course_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='CourseCategory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=50, verbose_name='类别')),
                        ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('major', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='categories', to='college.major', verbose_name='专业')),
                    ],
                    options={
                        'verbose_name': '课程类别',
                        'verbose_name_plural': '课程类别',
                        'db_table': 'talent_coursecategory',
                        'ordering': ['major', 'sort_order', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('major', 'name'), name='category_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='Enrolment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('enrolled_on', models.DateField(verbose_name='报名日期')),
                        ('status', models.CharField(choices=[('enrolled', '在读'), ('completed', '已结业'), ('dropped', '退学')], default='enrolled', max_length=20, verbose_name='状态')),
                        ('completed_on', models.DateField(blank=True, null=True, verbose_name='结业日期')),
                        ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='成绩')),
                        ('certificate_no', models.CharField(blank=True, max_length=40, verbose_name='证书编号')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='enrolments', to='core.person', verbose_name='学员')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='所在单位（村、企业）')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('training_class', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enrolments', to='college.trainingclass', verbose_name='培训班')),
                    ],
                    options={
                        'verbose_name': '学员',
                        'verbose_name_plural': '学员',
                        'db_table': 'talent_enrolment',
                        'ordering': ['training_class', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('training_class', 'person'), name='enrolment_unique_person'), models.UniqueConstraint(condition=models.Q(('certificate_no', ''), _negated=True), fields=('certificate_no',), name='enrolment_unique_certificate')],
                    },
                ),
                migrations.CreateModel(
                    name='Major',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=50, verbose_name='专业')),
                        ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                        ('college', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='majors', to='college.college', verbose_name='学院')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '专业',
                        'verbose_name_plural': '专业',
                        'db_table': 'talent_major',
                        'ordering': ['college', 'sort_order', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('college', 'name'), name='major_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='TrainingClass',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=100, verbose_name='班级名称')),
                        ('start_date', models.DateField(verbose_name='开班日期')),
                        ('end_date', models.DateField(verbose_name='结业日期')),
                        ('teachers', models.CharField(blank=True, max_length=200, verbose_name='授课教师')),
                        ('location', models.CharField(blank=True, max_length=100, verbose_name='地点')),
                        ('capacity', models.PositiveIntegerField(default=0, verbose_name='计划人数')),
                        ('college', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='classes', to='college.college', verbose_name='学院')),
                        ('courses', models.ManyToManyField(blank=True, db_table='talent_trainingclass_courses', related_name='classes', to='college.course', verbose_name='课程')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('major', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='classes', to='college.major', verbose_name='专业')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '培训班',
                        'verbose_name_plural': '培训班',
                        'db_table': 'talent_trainingclass',
                        'ordering': ['-start_date', '-id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('college', 'name'), name='class_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalEnrolment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('enrolled_on', models.DateField(verbose_name='报名日期')),
                        ('status', models.CharField(choices=[('enrolled', '在读'), ('completed', '已结业'), ('dropped', '退学')], default='enrolled', max_length=20, verbose_name='状态')),
                        ('completed_on', models.DateField(blank=True, null=True, verbose_name='结业日期')),
                        ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, verbose_name='成绩')),
                        ('certificate_no', models.CharField(blank=True, max_length=40, verbose_name='证书编号')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.person', verbose_name='学员')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='所在单位（村、企业）')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                        ('training_class', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='college.trainingclass', verbose_name='培训班')),
                    ],
                    options={
                        'verbose_name': 'historical 学员',
                        'verbose_name_plural': 'historical 学员',
                        'db_table': 'talent_historicalenrolment',
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
