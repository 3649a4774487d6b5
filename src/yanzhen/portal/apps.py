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
        # Universities and experts live in the portal's frame (menu, error pages); the
        # module is imported here for that, once the apps are loaded.
        from django.urls import reverse

        from yanzhen.core.menu import Frame, install_frame
        from yanzhen.portal import call_services, services  # noqa: F401
        from yanzhen.portal.middleware import portal_path

        install_frame(
            Frame(services.is_outside, "portal/base.html", lambda n: portal_path(reverse(n)))
        )
