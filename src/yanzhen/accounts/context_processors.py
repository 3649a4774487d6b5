"""Template context of every page: the user's first page (三员分立: an administrator's is not
the business dashboard, and the dashboard link is hidden from administrators)."""

from __future__ import annotations

from django.http import HttpRequest

from yanzhen.accounts.services import home, is_administrator


def home_page(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"home_url": home(user), "is_administrator": is_administrator(user)}
