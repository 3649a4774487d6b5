"""The request of a signed-in user, typed (as healthchecks' ``AuthenticatedHttpRequest``).

Every page and API route but the login pages and the health check requires a signed-in user
(``LoginRequiredMiddleware``, the API's session authentication; ``tests/test_access.py`` proves
it for every URL), so its view takes an ``AuthenticatedHttpRequest``: ``request.user`` is a
``User`` and ``actor=request.user`` type-checks, with no helper and no ``type: ignore``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from yanzhen.core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def require_perm(request: HttpRequest, perm: str) -> None:
    """403 unless the user holds ``perm``."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
