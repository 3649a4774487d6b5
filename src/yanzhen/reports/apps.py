from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yanzhen.reports"
    label = "reports"
    url_prefix = ""
    verbose_name = "统计报表"

    def ready(self) -> None:
        # The records behind a figure need the permission of their kind: links to them are
        # shown only to readers who have it (core.links). Registered once the models are ready.
        from yanzhen.reports import links  # noqa: F401
