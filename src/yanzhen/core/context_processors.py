"""Template context shared by every page: the navigation the user may see."""

from __future__ import annotations

from django.http import HttpRequest

from yanzhen.core.registry import domain_apps


def navigation(request: HttpRequest) -> dict[str, object]:
    """Menus by app (``AppConfig.nav_group`` / ``nav``), holding the pages the user may open."""
    user = request.user
    if not user.is_authenticated:
        return {}
    groups = []
    for app in sorted(domain_apps(), key=lambda a: getattr(a, "nav_order", 100)):
        items: list[tuple[str, str]] = []
        for name, label, perm in getattr(app, "nav", ()):
            # A page may be listed under several permissions: shown once, by its first label.
            if (perm is None or user.has_perm(perm)) and name not in dict(items):
                items.append((name, label))
        if items:
            groups.append((app.nav_group, items))  # type: ignore[attr-defined]
    # 三员分立: an administrator's first page is not the (business) dashboard; the roles are
    # read once per request already (accounts and notifications import core, hence here).
    from yanzhen.accounts.services import home, is_administrator
    from yanzhen.notifications.selectors import unread_count

    return {
        "nav_groups": groups,
        "unread_notifications": unread_count(user),
        "home_url": home(user),
        "is_administrator": is_administrator(user),
    }
