from __future__ import annotations

from django.apps import AppConfig

from yanzhen.core.checks import register


class CoreConfig(AppConfig):
    name = "yanzhen.core"
    label = "core"
    url_prefix = ""
    verbose_name = "基础"
    nav_group = "单位与人员"
    nav_order = 60
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("core:unit_list", "单位", "core.view_unit"),
        ("core:person_list", "人员", "core.view_person"),
        ("core:duplicate_list", "重复人员", "core.resolve_duplicate_person"),
        ("core:county_settings", "县级设置", "core.change_countysettings"),
    )

    def ready(self) -> None:
        # The integrity checks read the models: imported once the app registry is ready.
        from yanzhen.core import integrity

        register()
        integrity.connect_signals()
