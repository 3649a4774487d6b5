"""Template context shared by every page: the count of the review inbox (待审核) in the header
and the page's help link (帮助: its section of the operator's manual, ``core.manual``)
(the menu and breadcrumbs are the accounts app's ``context_processors``, over ``core.menu``;
the unread count the notifications app's).

The counts are read when the page shows them, once (a page's view may give them itself: the
dashboard counts both among its to-dos, and its values are used, not counted again)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from yanzhen.core.manual import help_url
from yanzhen.core.models import User
from yanzhen.core.workflow import flows, inbox_count


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    match = request.resolver_match
    return {
        "help_url": help_url(match.view_name if match is not None else ""),
        # None: the user decides no kind of review (no link in the header).
        "pending_reviews": _pending_reviews(user),
    }


def _pending_reviews(user: User) -> Callable[[], int | None]:
    """The inbox count, read when the template first asks for it (a template calls a callable
    variable)."""

    @cache
    def count() -> int | None:
        return inbox_count(user) if any(user.has_perm(f.permission) for f in flows()) else None

    return count
