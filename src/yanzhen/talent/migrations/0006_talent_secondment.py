
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0011_activity_plans_minutes_participants'),
        ('core', '0013_grant_approval_permissions'),
        ('reference', '0001_initial'),
        ('talent', '0005_change_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaltalent',
            name='secondment',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cooperation.secondment', verbose_name='挂职交流记录'),
        ),
        migrations.AddField(
            model_name='talent',
            name='secondment',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='talent', to='cooperation.secondment', verbose_name='挂职交流记录'),
        ),
    ]
