"""Access rules of the reports app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "reports:dashboard": "list",
    "reports:overview": "list",
    "reports:figure_records": "list",
    "reports:targets": "create",
    "reports:briefing_list": "list",
    "reports:briefing_new": "create",
    "reports:briefing_detail": "object:briefing",
    "reports:briefing_edit": "object:briefing",
    "reports:briefing_submit": "object:briefing",
    "reports:briefing_decide": "object:briefing",
    "reports:briefing_docx": "object:briefing",
    "reports:briefing_pdf": "object:briefing",
    "reports:briefing_figure": "object:briefing:briefing_figure",
    "api:get_dashboard": "list",
}


def object_ids() -> dict[str, int]:
    """The demo's 2021 annual summary (a draft: it has no frozen figure yet, so the figure's
    id is one that the briefing would own; the outsider is turned away at the briefing)."""
    from yanzhen.reports.models import Briefing

    briefing = Briefing.objects.get(title="永济市2021年省校合作工作总结")
    return {"briefing": briefing.pk, "briefing_figure": 1}
