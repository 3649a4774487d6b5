"""The squash of ``assessment``'s migrations ``0001`` to ``0004_score_appeals``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

Left out of the old files: ``0003_scoreitem_history``'s first version of each existing item.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
import yanzhen.assessment.models
from decimal import Decimal
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
                    name='Appeal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('reason', models.CharField(max_length=500, verbose_name='申诉理由')),
                        ('attachment', models.FileField(blank=True, upload_to=yanzhen.assessment.models._appeal_path, verbose_name='附件')),
                        ('state', models.CharField(choices=[('pending', '待处理'), ('upheld', '维持原分'), ('changed', '已改分')], default='pending', max_length=20, verbose_name='状态')),
                        ('original', models.DecimalField(decimal_places=4, max_digits=16, null=True, verbose_name='原分值')),
                        ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='调整后分值')),
                        ('decision_note', models.CharField(blank=True, max_length=200, verbose_name='处理意见')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appeals', to='assessment.scoreitem', verbose_name='指标得分')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='申诉单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '考核申诉',
                        'verbose_name_plural': '考核申诉',
                        'ordering': ['-created_at', '-id'],
                        'permissions': [('decide_appeal', '可以处理考核申诉')],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Dimension',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=50, verbose_name='维度')),
                        ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                        ('system', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dimensions', to='assessment.indicatorsystem')),
                    ],
                    options={
                        'verbose_name': '考核维度',
                        'verbose_name_plural': '考核维度',
                        'ordering': ['sort_order', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('system', 'name'), name='dimension_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='Entry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('manual', '人工评分'), ('correction', '更正'), ('appeal', '申诉改分')], max_length=20, verbose_name='类型')),
                        ('value', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='值')),
                        ('previous', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='原值')),
                        ('reason', models.CharField(max_length=300, verbose_name='理由')),
                        ('evidence', models.FileField(blank=True, upload_to=yanzhen.assessment.models._entry_path, verbose_name='佐证材料')),
                        ('entered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='填报时间')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                        ('active', models.BooleanField(default=True, verbose_name='有效')),
                        ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填报人')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='assessment.scoreitem')),
                    ],
                    options={
                        'verbose_name': '人工评分与更正',
                        'verbose_name_plural': '人工评分与更正',
                        'ordering': ['entered_at', 'id'],
                        'permissions': [('correct_entry', '可以更正自动计算的指标值'), ('review_entry', '可以审核人工评分和更正')],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Indicator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, verbose_name='指标代码')),
                        ('name', models.CharField(max_length=50, verbose_name='指标名称')),
                        ('weight', models.DecimalField(decimal_places=2, help_text='固定权重时即满分分值；各指标分值之和为总分', max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='分值')),
                        ('benefit', models.BooleanField(default=True, help_text='不勾选表示越低越好', verbose_name='越高越好')),
                        ('normalization', models.CharField(choices=[('target', '目标完成率'), ('minmax', '极差标准化'), ('rank', '排名标准化'), ('vector', '向量标准化')], default='target', max_length=20, verbose_name='标准化方法')),
                        ('source', models.CharField(choices=[('computed', '由记录自动计算'), ('manual', '人工评分')], default='computed', max_length=20, verbose_name='数据来源')),
                        ('source_code', models.CharField(blank=True, max_length=60, verbose_name='计算来源代码')),
                        ('target', models.DecimalField(blank=True, decimal_places=2, help_text='按目标完成率计分时使用；季度、月度考核按月数折算', max_digits=14, null=True, verbose_name='年度目标值')),
                        ('prorate', models.BooleanField(default=True, help_text='数量类指标勾选；比率类指标（%）不勾选', verbose_name='目标按月数折算')),
                        ('measure', models.CharField(blank=True, max_length=10, verbose_name='计量单位')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='计分说明')),
                        ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                        ('dimension', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='assessment.dimension', verbose_name='维度')),
                        ('system', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='assessment.indicatorsystem')),
                    ],
                    options={
                        'verbose_name': '考核指标',
                        'verbose_name_plural': '考核指标',
                        'ordering': ['dimension__sort_order', 'dimension_id', 'sort_order', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('system', 'code'), name='indicator_unique_code')],
                    },
                ),
                migrations.CreateModel(
                    name='IndicatorSystem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=100, verbose_name='指标体系名称')),
                        ('description', models.TextField(blank=True, verbose_name='说明')),
                        ('subject_kind', models.CharField(choices=[('base', '合作基地'), ('unit', '单位（部门、镇街等）')], default='base', max_length=20, verbose_name='考核对象')),
                        ('unit_kinds', models.JSONField(blank=True, default=list, help_text='考核对象为单位时：部门、镇、街道等', verbose_name='考核单位类型')),
                        ('aggregation', models.CharField(choices=[('weighted_sum', '加权求和'), ('topsis', 'TOPSIS（逼近理想解排序）')], default='weighted_sum', max_length=20, verbose_name='汇总方法')),
                        ('weighting', models.CharField(choices=[('fixed', '固定权重（按分值）'), ('ahp', '层次分析法（AHP）'), ('entropy', '熵权法'), ('combined', '主客观组合（分值或AHP与熵权）')], default='fixed', max_length=20, verbose_name='权重方法')),
                        ('alpha', models.DecimalField(decimal_places=2, default=Decimal('0.50'), help_text='主客观组合时主观权重所占比例（0–1）', max_digits=3, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='主观权重占比')),
                        ('cap', models.DecimalField(decimal_places=2, default=Decimal('1.20'), help_text='超额完成目标最多按此倍数计分', max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('1')), django.core.validators.MaxValueValidator(Decimal('5'))], verbose_name='目标完成率封顶')),
                        ('pairwise', models.JSONField(blank=True, default=list, verbose_name='AHP判断矩阵')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('owner_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicator_systems', to='core.unit', verbose_name='考核单位')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '指标体系',
                        'verbose_name_plural': '指标体系',
                        'ordering': ['-id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Period',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=50, verbose_name='考核期')),
                        ('kind', models.CharField(choices=[('month', '月度'), ('quarter', '季度'), ('year', '年度')], max_length=20, verbose_name='周期')),
                        ('start', models.DateField(verbose_name='开始日期')),
                        ('end', models.DateField(verbose_name='结束日期')),
                        ('state', models.CharField(choices=[('draft', '待计算'), ('review', '审核中'), ('published', '已发布')], default='draft', max_length=20, verbose_name='状态')),
                        ('config', models.JSONField(blank=True, default=dict, verbose_name='计分配置')),
                        ('problems', models.JSONField(blank=True, default=list, verbose_name='配置问题')),
                        ('computed_at', models.DateTimeField(blank=True, null=True, verbose_name='计算时间')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='发布时间')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='periods', to='assessment.indicatorsystem', verbose_name='指标体系')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': '考核期',
                        'verbose_name_plural': '考核期',
                        'ordering': ['-end', '-id'],
                        'permissions': [('compute_period', '可以计算考核结果'), ('publish_period', '可以发布考核结果')],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('system', 'name'), name='period_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='PeriodEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('create', '创建'), ('compute', '计算'), ('publish', '发布'), ('appeal', '申诉改分')], max_length=20, verbose_name='操作')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='assessment.period')),
                    ],
                    options={
                        'ordering': ['at', 'id'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),
                migrations.CreateModel(
                    name='Score',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='考核对象')),
                        ('sort_order', models.IntegerField(default=0)),
                        ('total', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=8, verbose_name='总分')),
                        ('subtotals', models.JSONField(default=list, verbose_name='维度得分')),
                        ('rank', models.PositiveIntegerField(default=0, verbose_name='排名')),
                        ('best_rank', models.PositiveIntegerField(default=0, verbose_name='权重±10%时最好排名')),
                        ('worst_rank', models.PositiveIntegerField(default=0, verbose_name='权重±10%时最差排名')),
                        ('flagged', models.BooleanField(default=False, verbose_name='排名对权重敏感')),
                        ('base', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='cooperation.base')),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='assessment.period')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='core.unit')),
                    ],
                    options={
                        'verbose_name': '考核得分',
                        'verbose_name_plural': '考核得分',
                        'ordering': ['rank', 'sort_order', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('base__isnull', False)), fields=('period', 'base'), name='score_unique_base'), models.UniqueConstraint(condition=models.Q(('unit__isnull', False)), fields=('period', 'unit'), name='score_unique_unit')],
                    },
                ),
                migrations.CreateModel(
                    name='ScoreItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, verbose_name='指标代码')),
                        ('name', models.CharField(max_length=50, verbose_name='指标')),
                        ('dimension', models.CharField(max_length=50, verbose_name='维度')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('manual', models.BooleanField(default=False, verbose_name='人工评分指标')),
                        ('source_code', models.CharField(blank=True, max_length=60, verbose_name='计算来源')),
                        ('measure', models.CharField(blank=True, max_length=10, verbose_name='计量单位')),
                        ('computed', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='计算值')),
                        ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='采用值')),
                        ('target', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='目标值')),
                        ('normalized', models.FloatField(default=0.0, verbose_name='标准化值')),
                        ('points', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=8, verbose_name='得分')),
                        ('status', models.CharField(choices=[('computed', '自动计算'), ('corrected', '已更正'), ('manual', '人工评分'), ('missing', '不可用')], max_length=20, verbose_name='状态')),
                        ('error', models.CharField(blank=True, max_length=300, verbose_name='不可用原因')),
                        ('records_url', models.CharField(blank=True, max_length=500, verbose_name='记录链接')),
                        ('score', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='assessment.score')),
                    ],
                    options={
                        'verbose_name': '指标得分',
                        'verbose_name_plural': '指标得分',
                        'ordering': ['position', 'id'],
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(fields=('score', 'code'), name='item_unique_code')],
                    },
                ),
                migrations.CreateModel(
                    name='Target',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('value', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='目标值')),
                        ('base', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cooperation.base')),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='assessment.indicator')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.unit')),
                    ],
                    options={
                        'verbose_name': '目标值',
                        'verbose_name_plural': '目标值',
                        'indexes': [],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('base__isnull', False)), fields=('indicator', 'base'), name='target_unique_base'), models.UniqueConstraint(condition=models.Q(('unit__isnull', False)), fields=('indicator', 'unit'), name='target_unique_unit')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAppeal',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('reason', models.CharField(max_length=500, verbose_name='申诉理由')),
                        ('attachment', models.TextField(blank=True, max_length=100, verbose_name='附件')),
                        ('state', models.CharField(choices=[('pending', '待处理'), ('upheld', '维持原分'), ('changed', '已改分')], default='pending', max_length=20, verbose_name='状态')),
                        ('original', models.DecimalField(decimal_places=4, max_digits=16, null=True, verbose_name='原分值')),
                        ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='调整后分值')),
                        ('decision_note', models.CharField(blank=True, max_length=200, verbose_name='处理意见')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('item', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessment.scoreitem', verbose_name='指标得分')),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='申诉单位')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
                    ],
                    options={
                        'verbose_name': 'historical 考核申诉',
                        'verbose_name_plural': 'historical 考核申诉',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalScore',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='考核对象')),
                        ('sort_order', models.IntegerField(default=0)),
                        ('total', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=8, verbose_name='总分')),
                        ('subtotals', models.JSONField(default=list, verbose_name='维度得分')),
                        ('rank', models.PositiveIntegerField(default=0, verbose_name='排名')),
                        ('best_rank', models.PositiveIntegerField(default=0, verbose_name='权重±10%时最好排名')),
                        ('worst_rank', models.PositiveIntegerField(default=0, verbose_name='权重±10%时最差排名')),
                        ('flagged', models.BooleanField(default=False, verbose_name='排名对权重敏感')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('base', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.base')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit')),
                        ('period', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessment.period')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                    ],
                    options={
                        'verbose_name': 'historical 考核得分',
                        'verbose_name_plural': 'historical 考核得分',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                        'indexes': [],
                        'constraints': [],
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalScoreItem',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                        ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                        ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                        ('code', models.CharField(max_length=40, verbose_name='指标代码')),
                        ('name', models.CharField(max_length=50, verbose_name='指标')),
                        ('dimension', models.CharField(max_length=50, verbose_name='维度')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('manual', models.BooleanField(default=False, verbose_name='人工评分指标')),
                        ('source_code', models.CharField(blank=True, max_length=60, verbose_name='计算来源')),
                        ('measure', models.CharField(blank=True, max_length=10, verbose_name='计量单位')),
                        ('computed', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='计算值')),
                        ('value', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='采用值')),
                        ('target', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='目标值')),
                        ('normalized', models.FloatField(default=0.0, verbose_name='标准化值')),
                        ('points', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=8, verbose_name='得分')),
                        ('status', models.CharField(choices=[('computed', '自动计算'), ('corrected', '已更正'), ('manual', '人工评分'), ('missing', '不可用')], max_length=20, verbose_name='状态')),
                        ('error', models.CharField(blank=True, max_length=300, verbose_name='不可用原因')),
                        ('records_url', models.CharField(blank=True, max_length=500, verbose_name='记录链接')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('score', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessment.score')),
                    ],
                    options={
                        'verbose_name': 'historical 指标得分',
                        'verbose_name_plural': 'historical 指标得分',
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
