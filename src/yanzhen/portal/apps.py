from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "yanzhen.portal"
    label = "portal"
    verbose_name = "云对接与云签约"
    url_prefix = "portal/"
    nav_group = "省校合作"
    nav_order = 11
    nav: tuple[tuple[str, str, str | None], ...] = (
        ("portal:registration_list", "门户注册", "portal.review_registration"),
    )

    def ready(self) -> None:
        # The registration flow registers itself in the review inbox when its module loads.
        from yanzhen.portal import services  # noqa: F401
