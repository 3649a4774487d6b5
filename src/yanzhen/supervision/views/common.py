"""What the pages of closed-loop supervision share: file downloads, counts that open their
records, units shown by their short label, and the links to filtered lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404
from django.utils.html import format_html
from django.utils.safestring import SafeString

from yanzhen.core.models import Unit
from yanzhen.core.pages import (
    Col,
    Tag,
    url,
)
from yanzhen.supervision.selectors import (
    MilestoneFilters,
    ProblemFilters,
)


def file_response(field: Any, name: str = "") -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name or Path(field.name).name)


def count_link(n: int, href: str, alarm: bool = False) -> SafeString:
    """A figure opening its records; a non-zero alarm (overdue, missing) as a red tag."""
    return format_html('<a href="{}">{}</a>', href, Tag(str(n), "gap") if alarm and n else n)


def unit_col(header: str, unit: Callable[[Any], Unit | None], width: int = 20) -> Col[Any]:
    """A unit: its short label on the page, its full name in the file."""
    return Col(
        header,
        lambda r: u.name if (u := unit(r)) else "",
        html=lambda r: format_html("{}", u.label if (u := unit(r)) else "—"),
        width=width,
    )


def annotated(row: object, name: str) -> int:
    """A count the selector annotated on ``row``."""
    return int(getattr(row, name))


def milestones_url(**filters: Any) -> str:
    return url("supervision:milestone_list", query=MilestoneFilters(**filters).as_query())


def problems_url(**filters: Any) -> str:
    return url("supervision:problem_list", query=ProblemFilters(**filters).as_query())
