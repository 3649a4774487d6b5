"""Access rules of the notifications app (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "notifications:list": "list",
    "notifications:mark_all_read": "create",
}
