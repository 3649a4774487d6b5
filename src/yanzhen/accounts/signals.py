"""Remember each login's session key, so that disabling a user ends all its sessions; mark a
logout so that its response clears the browser's copy of the site (Clear-Site-Data)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.http import HttpRequest

from yanzhen.accounts.middleware import CLEAR_SITE_DATA, LAST_SEEN, STARTED
from yanzhen.accounts.models import UserSession


def _logged_in(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    now = time.time()
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )


def _logged_out(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request is not None:
        setattr(request, CLEAR_SITE_DATA, True)
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="yanzhen-accounts-session")
    user_logged_out.connect(_logged_out, dispatch_uid="yanzhen-accounts-logout")
