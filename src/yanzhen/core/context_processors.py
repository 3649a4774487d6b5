"""Template context shared by every page: the navigation the user may see (the accounts and
notifications apps add the user's first page and unread count: their ``context_processors``),
and the count of the review inbox (待审核) beside it."""

from __future__ import annotations

from django.http import HttpRequest

from yanzhen.core.registry import domain_apps
from yanzhen.core.workflow import flows, inbox_count


def navigation(request: HttpRequest) -> dict[str, object]:
    """Menus by app (``AppConfig.nav_group`` / ``nav``), holding the pages the user may open;
    apps of one group (the talent work: registry, benefits, placement, college) share a menu."""
    user = request.user
    if not user.is_authenticated:
        return {}
    groups: dict[str, list[tuple[str, str]]] = {}
    for app in sorted(domain_apps(), key=lambda a: getattr(a, "nav_order", 100)):
        items = groups.setdefault(app.nav_group, []) if hasattr(app, "nav") else []  # type: ignore[attr-defined]
        for name, label, perm in getattr(app, "nav", ()):
            # A page may be listed under several permissions: shown once, by its first label.
            if (perm is None or user.has_perm(perm)) and name not in dict(items):
                items.append((name, label))
    return {
        "nav_groups": [(group, items) for group, items in groups.items() if items],
        # None: the user decides no kind of review (no link in the header).
        "pending_reviews": (
            inbox_count(user) if any(user.has_perm(f.permission) for f in flows()) else None
        ),
    }
