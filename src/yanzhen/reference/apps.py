from __future__ import annotations

from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "yanzhen.reference"
    label = "reference"
    verbose_name = "参考数据"

    def ready(self) -> None:
        # The import registers match universities' names through this app (core's port).
        from yanzhen.core.import_kit import university_lookup
        from yanzhen.reference.matching import match_universities

        university_lookup.install(match_universities)
