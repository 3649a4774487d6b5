"""The talent app's lists: one column definition gives the page's table, its links and the
XLSX/CSV export of exactly the filtered rows (``core.listing`` underneath)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import urlencode

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from yanzhen.core.excel import Column, Kind
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.masking import mask_id_number, mask_mobile
from yanzhen.core.views import require_perm

T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class Col(Generic[T]):
    """A column: its header, its value (exported as is) and, on the page, an optional link."""

    header: str
    value: Callable[[T], Any]
    link: Callable[[T], str | None] | None = None
    kind: Kind = "text"
    width: int = 16
    pii: Literal["id", "mobile"] | None = None  # masked on the page; in exports per core.listing


def cell_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def _shown(column: Col[T], obj: T) -> str:
    value = column.value(obj)
    if column.pii == "id":
        return mask_id_number(str(value or "")) or "—"
    if column.pii == "mobile":
        return mask_mobile(str(value or "")) or "—"
    return cell_text(value)


def url(name: str, *args: Any, query: dict[str, str] | None = None) -> str:
    base = reverse(name, args=args)
    return f"{base}?{urlencode(query)}" if query else base


@dataclass
class Action:
    label: str
    href: str
    primary: bool = False


@dataclass
class Figure:
    """A number shown above a list, opening the list of its records."""

    label: str
    value: Any
    href: str = ""


@dataclass
class TablePage(Generic[T]):
    title: str
    columns: Sequence[Col[T]]
    rows: QuerySet[T] | list[T]
    form: forms.Form | None = None
    list_url: str = ""
    actions: list[Action] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    export_perm: str | None = None
    empty: str = "没有符合条件的记录"
    note: str = ""
    per_page: int | None = None


def render_table(request: HttpRequest, page_spec: TablePage[T]) -> HttpResponse:
    """The whole list page (or its rows for htmx), or its export when ``?export=xlsx|csv``.
    Personal data is always masked on the page; exports mask it unless a user who may see it
    asks for it (``core.listing.export_response``, which also watermarks and logs)."""
    if fmt := export_format(request):
        if page_spec.export_perm:
            require_perm(request, page_spec.export_perm)
        columns = [
            Column(f"c{i}", c.header, kind=c.kind, width=c.width, pii=c.pii)
            for i, c in enumerate(page_spec.columns)
        ]
        objects: Iterable[T] = (
            page_spec.rows.iterator(chunk_size=2000)
            if isinstance(page_spec.rows, QuerySet)
            else page_spec.rows
        )
        return export_response(
            fmt=fmt,
            title=page_spec.title,
            columns=columns,
            objects=objects,
            row=lambda obj: [c.value(obj) for c in page_spec.columns],
        )
    rows = page_spec.rows
    page = paginate(request, rows, page_spec.per_page)  # type: ignore[arg-type]
    table = [
        [(_shown(c, obj), c.link(obj) if c.link else None) for c in page_spec.columns]
        for obj in page
    ]
    can_export = page_spec.export_perm is None or request.user.has_perm(page_spec.export_perm)
    context = {
        "spec": page_spec,
        "page": page,
        "table": table,
        "headers": [c.header for c in page_spec.columns],
        "can_export": can_export,
    }
    return render_list(request, "talent/list.html", context)
