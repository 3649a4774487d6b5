"""Access rules of the reports app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "reports:dashboard": "list",
    "reports:overview": "list",
    "reports:figure_records": "list",
    "reports:targets": "create",
    "reports:search": "list",
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
    """The demo's issued 工作简报 and one of its frozen figures."""
    # Models are imported once Django is set up (this module is read while collecting).
    from yanzhen.demo.reports import BULLETIN_TITLE
    from yanzhen.reports.models import Briefing, BriefingFigure

    bulletin = Briefing.objects.get(title=BULLETIN_TITLE)
    figure = BriefingFigure.objects.filter(briefing=bulletin).order_by("pk").first()
    assert figure is not None
    return {"briefing": bulletin.pk, "briefing_figure": figure.pk}
