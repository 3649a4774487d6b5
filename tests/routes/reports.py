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
    "reports:assessment_circular": "object:period",
    "reports:info_list": "list",
    "reports:info_new": "create",
    "reports:info_detail": "object:work_info",
    "reports:info_edit": "object:work_info",
    "reports:info_adopt": "object:work_info",
    "reports:info_return": "object:work_info",
    "reports:info_photo": "object:work_info_photo",
    "reports:outgoing_list": "list",
    "reports:outgoing_new": "create",
    "api:list_work_info": "list",
    "api:submit_work_info": "create",
    "api:get_work_info": "object:work_info",
    "api:adopt_work_info": "object:work_info",
    "api:return_work_info": "object:work_info",
    "api:list_outgoing_reports": "list",
    "api:record_outgoing_report": "create",
}


def object_ids() -> dict[str, int]:
    """The demo's issued 工作简报 and one of its frozen figures."""
    # Models are imported once Django is set up (this module is read while collecting).
    from yanzhen.demo.reports import BULLETIN_TITLE
    from yanzhen.reports.models import Briefing, BriefingFigure, InfoState, WorkInfo, WorkInfoPhoto

    bulletin = Briefing.objects.get(title=BULLETIN_TITLE)
    figure = BriefingFigure.objects.filter(briefing=bulletin).order_by("pk").first()
    assert figure is not None
    waiting = WorkInfo.objects.filter(state=InfoState.SUBMITTED).order_by("pk").first()
    photo = WorkInfoPhoto.objects.order_by("pk").first()
    assert waiting is not None
    assert photo is not None
    return {
        "briefing": bulletin.pk,
        "briefing_figure": figure.pk,
        "work_info": waiting.pk,
        "work_info_photo": photo.pk,
    }
