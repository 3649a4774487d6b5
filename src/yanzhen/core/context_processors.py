"""Template context shared by every page: the navigation the user may see (the accounts and
notifications apps add the user's first page and unread count: their ``context_processors``)."""

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
    return {"nav_groups": groups}
