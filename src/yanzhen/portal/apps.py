from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "yanzhen.portal"
    label = "portal"
    verbose_name = "云对接与云签约"
    url_prefix = "portal/"

    def ready(self) -> None:
        # The registration and call flows register themselves in the review inbox when
        # their modules load.
        from yanzhen.portal import call_services, services  # noqa: F401
