"""The squash of ``reference``'s migrations ``0001`` to ``0002_undergraduate_majors``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

The old files only create and change tables: nothing else to keep.
"""

import django.db.models.deletion
from django.db import migrations, models

from yanzhen.core.migration_operations import CreateModels
from yanzhen.core.migrations._replaced import REPLACED


class Migration(migrations.Migration):

    initial = True

    replaces = REPLACED

    dependencies = [
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name='DfcDiscipline',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('discipline_name', models.CharField(blank=True, max_length=50, verbose_name='学科名称')),
                        ('round', models.PositiveSmallIntegerField(verbose_name='轮次（年）')),
                        ('note', models.CharField(blank=True, max_length=100, verbose_name='备注')),
                        ('discipline', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reference.discipline')),
                        ('university', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dfc_disciplines', to='reference.university')),
                    ],
                    options={
                        'verbose_name': '双一流建设学科',
                        'verbose_name_plural': '双一流建设学科',
                        'constraints': [models.UniqueConstraint(fields=('university', 'round', 'discipline_name'), name='dfc_unique')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='Discipline',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=6, unique=True, verbose_name='代码')),
                        ('name', models.CharField(max_length=50, verbose_name='名称')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='reference.discipline', verbose_name='门类')),
                    ],
                    options={
                        'verbose_name': '学科',
                        'verbose_name_plural': '学科',
                        'ordering': ['code'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='DisciplineEvaluation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('school_name', models.CharField(max_length=100, verbose_name='参评单位')),
                        ('discipline_code', models.CharField(max_length=6, verbose_name='学科代码')),
                        ('discipline_name', models.CharField(max_length=50, verbose_name='学科名称')),
                        ('grade', models.CharField(choices=[('A+', 'A+'), ('A', 'A'), ('A-', 'A-'), ('B+', 'B+'), ('B', 'B'), ('B-', 'B-'), ('C+', 'C+'), ('C', 'C'), ('C-', 'C-')], max_length=2, verbose_name='评估结果')),
                        ('round', models.PositiveSmallIntegerField(default=4, verbose_name='轮次')),
                        ('discipline', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='reference.discipline')),
                        ('university', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='reference.university')),
                    ],
                    options={
                        'verbose_name': '学科评估结果',
                        'verbose_name_plural': '学科评估结果',
                        'constraints': [models.UniqueConstraint(fields=('round', 'school_name', 'discipline_code'), name='evaluation_unique')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='Division',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=12, unique=True, verbose_name='区划代码')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('level', models.PositiveSmallIntegerField(verbose_name='层级')),
                        ('parent_code', models.CharField(blank=True, db_index=True, max_length=12, verbose_name='上级代码')),
                    ],
                    options={
                        'verbose_name': '行政区划',
                        'verbose_name_plural': '行政区划',
                        'ordering': ['code'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Industry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=5, unique=True, verbose_name='代码')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('level', models.CharField(choices=[('section', '门类'), ('division', '大类'), ('group', '中类'), ('class', '小类')], max_length=10, verbose_name='层级')),
                        ('section', models.CharField(max_length=1, verbose_name='门类')),
                        ('note', models.TextField(blank=True, verbose_name='说明')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='reference.industry')),
                    ],
                    options={
                        'verbose_name': '国民经济行业',
                        'verbose_name_plural': '国民经济行业',
                        'ordering': ['code'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='LocalIndustry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=20, unique=True, verbose_name='代码')),
                        ('name', models.CharField(max_length=50, verbose_name='名称')),
                        ('group', models.CharField(choices=[('leading', '工业“六强五新”'), ('agriculture', '农产品加工集群'), ('culture', '文化旅游')], max_length=20, verbose_name='类别')),
                        ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                        ('industries', models.ManyToManyField(blank=True, related_name='local_industries', to='reference.industry', verbose_name='对应国民经济行业')),
                    ],
                    options={
                        'verbose_name': '本地产业',
                        'verbose_name_plural': '本地产业',
                        'ordering': ['sort_order', 'code'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='UndergraduateMajor',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=10, unique=True, verbose_name='专业代码')),
                        ('name', models.CharField(max_length=50, verbose_name='专业名称')),
                        ('class_code', models.CharField(max_length=4, verbose_name='专业类代码')),
                        ('class_name', models.CharField(max_length=50, verbose_name='专业类')),
                        ('category_code', models.CharField(max_length=2, verbose_name='门类代码')),
                        ('category_name', models.CharField(max_length=20, verbose_name='门类')),
                        ('is_special', models.BooleanField(default=False, verbose_name='特设专业')),
                        ('is_controlled', models.BooleanField(default=False, verbose_name='国家控制布点专业')),
                        ('catalogue_year', models.PositiveSmallIntegerField(verbose_name='目录年份')),
                    ],
                    options={
                        'verbose_name': '本科专业',
                        'verbose_name_plural': '本科专业',
                        'ordering': ['code'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='University',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(blank=True, max_length=10, verbose_name='学校标识码')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='学校名称')),
                        ('english_name', models.CharField(blank=True, max_length=200, verbose_name='英文名称')),
                        ('category', models.CharField(choices=[('regular', '普通高等学校'), ('adult', '成人高等学校'), ('foreign', '境外高校'), ('institute', '科研院所')], default='regular', max_length=20, verbose_name='类别')),
                        ('country', models.CharField(default='中国', max_length=50, verbose_name='国家（地区）')),
                        ('province', models.CharField(blank=True, max_length=20, verbose_name='省份')),
                        ('city', models.CharField(blank=True, max_length=50, verbose_name='所在地')),
                        ('authority', models.CharField(blank=True, max_length=50, verbose_name='主管部门')),
                        ('level', models.CharField(blank=True, max_length=10, verbose_name='办学层次')),
                        ('remark', models.CharField(blank=True, max_length=50, verbose_name='备注')),
                        ('is_985', models.BooleanField(default=False, verbose_name='985')),
                        ('is_211', models.BooleanField(default=False, verbose_name='211')),
                        ('is_dfc', models.BooleanField(default=False, verbose_name='双一流')),
                        ('pinyin', models.CharField(blank=True, db_index=True, max_length=300, verbose_name='拼音')),
                        ('initials', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='拼音首字母')),
                    ],
                    options={
                        'verbose_name': '高校',
                        'verbose_name_plural': '高校',
                        'ordering': ['code', 'name'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('code', ''), _negated=True), fields=('code',), name='university_unique_code')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='UniversityAlias',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('alias', models.CharField(db_index=True, max_length=100, verbose_name='别名')),
                        ('university', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aliases', to='reference.university')),
                    ],
                    options={
                        'verbose_name': '高校别名',
                        'verbose_name_plural': '高校别名',
                        'constraints': [models.UniqueConstraint(fields=('university', 'alias'), name='alias_unique_pair')],
                        'indexes': [],
                    },
                ),

            ]
        ),
    ]
