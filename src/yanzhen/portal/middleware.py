"""The portal's two confinements, one list of what answers:

* on the portal's host names (``YANZHEN_PORTAL_HOSTS``) only the portal (``/portal/…``,
  ``/api/v1/portal/…``), sign-in, the second factor, the first-login password change, the
  language switch and static files answer — anything else is a 404, as if the intranet's
  pages did not exist there;
* a university's or an expert's account gets 403 on every other page on any host name (its
  home, the dashboard, is sent to the portal's home): the county's ledger, supervision,
  assessment and personal data are never theirs.

On one machine both run in one process: the intranet's host names serve everything."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from yanzhen.portal.services import is_outside

PREFIXES = ("/portal/", "/api/v1/portal/")
# The pages of signing in that answer on the portal too, and the manual (its portal chapter).
NAMES = (
    "core:help",
    "core:login",
    "core:logout",
    "accounts:otp",
    "accounts:password_change",
    "set_language",
)


@cache
def _paths() -> tuple[tuple[str, ...], frozenset[str]]:
    static = str(settings.STATIC_URL)
    prefixes = (*PREFIXES, static if static.startswith("/") else f"/{static}")
    return prefixes, frozenset(reverse(name) for name in NAMES)


def portal_path(path: str) -> bool:
    """Whether ``path`` answers on the portal."""
    prefixes, exact = _paths()
    return path.startswith(prefixes) or path in exact


def portal_hosts() -> frozenset[str]:
    return frozenset(h.lower() for h in getattr(settings, "YANZHEN_PORTAL_HOSTS", ()))


def on_portal_host(request: HttpRequest) -> bool:
    hosts = portal_hosts()
    if not hosts:
        return False
    host = request.get_host().rsplit(":", 1)[0].lower()
    return host in hosts


class PortalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not portal_path(path):
            if on_portal_host(request):
                raise Http404
            user = request.user
            if user.is_authenticated and is_outside(user):
                if request.method == "GET" and path in ("/", reverse("reports:dashboard")):
                    return HttpResponseRedirect(reverse("portal:home"))
                raise PermissionDenied
        return self.get_response(request)
