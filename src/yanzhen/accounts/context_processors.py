"""Template context of every page: the user's first page (三员分立: an administrator's is not
the business dashboard), and the sidebar's menu and breadcrumbs (``core.menu``) holding only
the pages the user may open — an administrator is shown no business page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import resolve, reverse

from yanzhen.accounts.separation import admin_may_open
from yanzhen.accounts.services import home, is_administrator
from yanzhen.core.menu import menu_for


def _admin_opens(url_name: str) -> bool:
    return admin_may_open(resolve(reverse(url_name)))


def _anyone(url_name: str) -> bool:
    return True


def home_page(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    administrator = is_administrator(user)
    match = request.resolver_match
    view_name = match.view_name if match is not None else ""
    groups, crumbs = menu_for(user, view_name, _admin_opens if administrator else _anyone)
    return {
        "home_url": home(user),
        "is_administrator": administrator,
        "menu_groups": groups,
        "breadcrumbs": crumbs,
    }
