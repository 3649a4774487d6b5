"""``yanzhen purge_deleted [--days N]``: remove for good the records deleted long ago."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

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
                        record.delete()
                    removed += 1
                except ProtectedError:
                    kept += 1
            if removed or kept:
                label = model._meta.verbose_name
                self.stdout.write(
                    f"{label}：清除 {removed} 条" + (f"，{kept} 条仍被引用未清除" if kept else "")
                )
