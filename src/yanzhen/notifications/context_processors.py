"""Template context of every page: the number of the user's unread notifications."""

from __future__ import annotations

from django.http import HttpRequest

from yanzhen.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
