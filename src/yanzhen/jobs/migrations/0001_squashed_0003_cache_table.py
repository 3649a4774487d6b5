"""The squash of ``jobs``'s migrations ``0001`` to ``0003_cache_table``:
the schema the old files build, written from their final state: every model of the
app created with its final fields, options, indexes and constraints, in one
``CreateModels`` (the project rendered once: ``yanzhen.core.migration_operations``).
It replaces every old migration of every app (``_replaced.REPLACED`` in ``core``), so
Django runs it on a new database, marks it applied on a fully migrated one and runs
the old files on anything in between.

Kept of the old files besides the tables: the cache table of ``CACHES``
(``0003_cache_table``, taken from that file).
"""

from importlib import import_module

import django.utils.timezone
from django.db import migrations, models

from yanzhen.core.migration_operations import CreateModels
from yanzhen.core.migrations._replaced import REPLACED

CACHE_TABLE = import_module("yanzhen.jobs.migrations.0003_cache_table")


class Migration(migrations.Migration):

    initial = True

    replaces = REPLACED

    dependencies = [
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name='PeriodicRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('job', models.CharField(max_length=50, verbose_name='任务')),
                        ('slot', models.DateTimeField(verbose_name='计划时间')),
                        ('enqueued', models.BooleanField(default=True, help_text='否：首次见到该任务时记下的起点，不运行', verbose_name='已排队')),
                        ('task_id', models.CharField(blank=True, max_length=64, verbose_name='任务编号')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='记录时间')),
                    ],
                    options={
                        'verbose_name': '定时任务运行',
                        'verbose_name_plural': '定时任务运行',
                        'ordering': ['-slot', 'job'],
                        'constraints': [models.UniqueConstraint(fields=('job', 'slot'), name='periodic_run_once')],
                        'indexes': [],
                    },
                ),
                migrations.CreateModel(
                    name='WorkerHeartbeat',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('worker_id', models.CharField(max_length=64, unique=True, verbose_name='进程编号')),
                        ('host', models.CharField(max_length=200, verbose_name='主机')),
                        ('pid', models.PositiveIntegerField(verbose_name='进程号')),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='启动时间')),
                        ('seen_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='最近心跳')),
                    ],
                    options={
                        'verbose_name': '后台任务进程',
                        'verbose_name_plural': '后台任务进程',
                        'ordering': ['-seen_at'],
                        'indexes': [],
                        'constraints': [],
                    },
                ),

            ]
        ),
        migrations.RunPython(CACHE_TABLE.create_cache_table, migrations.RunPython.noop),
    ]
