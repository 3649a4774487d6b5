"""``yanzhen purge_deleted [--days N]``: remove for good the records deleted long ago, and
the change history of every record removed with them (a purged record leaves no copy of its
data in its history tables)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import models, router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from yanzhen.core.models import SoftDeletable


class Command(BaseCommand):
    help = "彻底清除删除时间早于保留期（默认365天）的业务记录；仍被引用的记录保留并列出"

    def add_arguments(self, parser: CommandParser) -> None:
        default = int(getattr(settings, "YANZHEN_DELETED_RETENTION_DAYS", 365))
        parser.add_argument("--days", type=int, default=default)

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(days=options["days"])
        for model in apps.get_models():
            if not issubclass(model, SoftDeletable):
                continue
            doomed = model.all_objects.filter(deleted_at__lt=cutoff)
            removed, kept = 0, 0
            for record in doomed.iterator():
                try:
                    with transaction.atomic():
                        purge(record)
                    removed += 1
                except ProtectedError:
                    kept += 1
            if removed or kept:
                label = model._meta.verbose_name
                self.stdout.write(
                    f"{label}：清除 {removed} 条" + (f"，{kept} 条仍被引用未清除" if kept else "")
                )


def purge(record: models.Model) -> None:
    """Delete ``record`` (and what cascades with it) and the history rows of all of them."""
    collector = Collector(using=router.db_for_write(type(record)))
    collector.collect([record])
    histories = []
    for model, instances in collector.data.items():
        try:
            history = get_history_model_for_model(model)
        except NotHistoricalModelError:
            continue
        histories.append((history, [obj.pk for obj in instances]))
    record.delete()
    for history, keys in histories:
        history.objects.filter(id__in=keys).delete()
