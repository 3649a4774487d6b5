from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse


class PortalConfig(AppConfig):
    name = "yanzhen.portal"
    label = "portal"
    verbose_name = "云对接与云签约"
    url_prefix = "portal/"

    def ready(self) -> None:
        # Imported once the apps are loaded: the registration and call flows register
        # themselves in the review inbox when their modules load, and universities and experts
        # get the portal's frame (the menu, the error pages).
        from yanzhen.core.menu import Frame, install_frame
        from yanzhen.portal import call_services, services  # noqa: F401
        from yanzhen.portal.middleware import portal_path

        install_frame(
            Frame(services.is_outside, "portal/base.html", lambda n: portal_path(reverse(n)))
        )
