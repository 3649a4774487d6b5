from __future__ import annotations

from django.apps import AppConfig

from yanzhen.core.checks import register


class CoreConfig(AppConfig):
    name = "yanzhen.core"
    label = "core"
    url_prefix = ""
    verbose_name = "基础"

    def ready(self) -> None:
        # The integrity checks read the models: imported once the app registry is ready.
        from yanzhen.core import integrity

        register()
        integrity.connect_signals()
