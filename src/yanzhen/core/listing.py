"""Lists: pagination, exports of exactly the filtered rows, htmx partial rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yanzhen.core.excel import Column, write_table

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def paginate(request: HttpRequest, qs: QuerySet[M], per_page: int | None = None) -> Page[M]:
    paginator = Paginator(qs, per_page or settings.YANZHEN_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def export_format(request: HttpRequest) -> str | None:
    """``xlsx`` or ``csv`` when the request asks for an export of the list."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in ("xlsx", "csv") else None


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_response(
    *,
    fmt: str,
    title: str,
    columns: Sequence[Column],
    objects: Iterable[T],
    row: Callable[[T], Sequence[Any]],
) -> HttpResponse:
    """The filtered list as an XLSX or CSV file named after the list and the time."""
    limit = settings.YANZHEN_EXPORT_MAX_ROWS
    rows = (row(obj) for i, obj in enumerate(objects) if i < limit)
    content, content_type = write_table(fmt, title, columns, rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(content, content_type, f"{title}-{stamp}.{fmt}")


def render_list(
    request: HttpRequest, template: str, context: dict[str, Any], partial: str = "rows"
) -> HttpResponse:
    """The whole page, or only its ``partial`` for an htmx request."""
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    return render(request, name, context)
