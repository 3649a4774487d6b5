"""Template context of every page: the number of the user's unread notifications, read when
the page shows it, once (a page's view may give it itself: the dashboard counts it among its
to-dos, and its value is used, not counted again)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from django.http import HttpRequest

from yanzhen.notifications.selectors import unread_count

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def unread(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"unread_notifications": _unread(user)}


def _unread(user: AnyUser) -> Callable[[], int]:
    """The count, read when the template first asks for it (a template calls a callable
    variable)."""

    @cache
    def count() -> int:
        return unread_count(user)

    return count
