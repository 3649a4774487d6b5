from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "yanzhen.portal"
    label = "portal"
    verbose_name = "云对接与云签约"
    url_prefix = "portal/"

    def ready(self) -> None:
        # The registration flow registers itself in the review inbox when its module loads.
        from yanzhen.portal import services  # noqa: F401
