"""Template context shared by every page: the count of the review inbox (待审核) in the header
(the menu and breadcrumbs are the accounts app's ``context_processors``, over ``core.menu``;
the unread count the notifications app's)."""

from __future__ import annotations

from django.http import HttpRequest

from yanzhen.core.workflow import flows, inbox_count


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        # None: the user decides no kind of review (no link in the header).
        "pending_reviews": (
            inbox_count(user) if any(user.has_perm(f.permission) for f in flows()) else None
        ),
    }
