"""Access rules of the reports app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "reports:dashboard": "list",
    "reports:overview": "list",
    "reports:figure_records": "list",
    "reports:targets": "create",
    "api:get_dashboard": "list",
}
