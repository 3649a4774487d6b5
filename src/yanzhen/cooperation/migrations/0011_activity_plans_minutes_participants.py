
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
import yanzhen.cooperation.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0010_change_history'),
        ('core', '0013_grant_approval_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='activity',
            name='minutes',
            field=models.TextField(blank=True, verbose_name='纪要'),
        ),
        migrations.AddField(
            model_name='activity',
            name='planned_date',
            field=models.DateField(blank=True, editable=False, help_text='登记计划时定下的日期', null=True, verbose_name='计划日期'),
        ),
        migrations.AddField(
            model_name='activity',
            name='status',
            field=models.CharField(choices=[('planned', '计划中'), ('held', '已举办'), ('cancelled', '已取消')], default='held', max_length=20, verbose_name='状态'),
        ),
        migrations.AddField(
            model_name='historicalactivity',
            name='history_related',
            field=models.JSONField(blank=True, null=True, verbose_name='关联记录'),
        ),
        migrations.AddField(
            model_name='historicalactivity',
            name='minutes',
            field=models.TextField(blank=True, verbose_name='纪要'),
        ),
        migrations.AddField(
            model_name='historicalactivity',
            name='planned_date',
            field=models.DateField(blank=True, editable=False, help_text='登记计划时定下的日期', null=True, verbose_name='计划日期'),
        ),
        migrations.AddField(
            model_name='historicalactivity',
            name='status',
            field=models.CharField(choices=[('planned', '计划中'), ('held', '已举办'), ('cancelled', '已取消')], default='held', max_length=20, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='date',
            field=models.DateField(help_text='计划中的活动填计划日期，已举办的填举办日期', verbose_name='日期'),
        ),
        migrations.AlterField(
            model_name='historicalactivity',
            name='date',
            field=models.DateField(help_text='计划中的活动填计划日期，已举办的填举办日期', verbose_name='日期'),
        ),
        migrations.CreateModel(
            name='ActivityAttachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('title', models.CharField(max_length=100, verbose_name='名称')),
                ('file', models.FileField(upload_to=yanzhen.cooperation.models._activity_file_path, verbose_name='文件')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='cooperation.activity')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
            ],
            options={
                'verbose_name': '活动附件',
                'verbose_name_plural': '活动附件',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='ActivityParticipant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('name', models.CharField(max_length=50, verbose_name='姓名')),
                ('organization', models.CharField(blank=True, max_length=100, verbose_name='所在单位（外地）')),
                ('title', models.CharField(blank=True, max_length=100, verbose_name='职务/职称')),
                ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='cooperation.activity')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.unit', verbose_name='所在单位（本地）')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
            ],
            options={
                'verbose_name': '活动参加人员',
                'verbose_name_plural': '活动参加人员',
                'ordering': ['sort_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalActivityParticipant',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_ip', models.CharField(blank=True, max_length=45, verbose_name='IP地址')),
                ('history_unit_id', models.BigIntegerField(blank=True, null=True, verbose_name='操作单位编号')),
                ('history_unit_name', models.CharField(blank=True, max_length=100, verbose_name='操作单位')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                ('name', models.CharField(max_length=50, verbose_name='姓名')),
                ('organization', models.CharField(blank=True, max_length=100, verbose_name='所在单位（外地）')),
                ('title', models.CharField(blank=True, max_length=100, verbose_name='职务/职称')),
                ('sort_order', models.IntegerField(default=0, verbose_name='排序')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('activity', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.activity')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.unit', verbose_name='所在单位（本地）')),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人')),
            ],
            options={
                'verbose_name': 'historical 活动参加人员',
                'verbose_name_plural': 'historical 活动参加人员',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
