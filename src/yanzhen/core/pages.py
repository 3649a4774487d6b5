"""One way to write a page: a list is a :class:`TablePage` of columns (:class:`Col`) over the
rows a selector gives; a form page is :func:`submit` (the service, its ``DomainError`` beside
the fields) and :func:`form_page`. See docs/architecture.md, "Writing a page".

One column definition gives the table on the page, its links, and the XLSX/CSV export of
exactly the filtered rows (``core.listing``: paginated, watermarked, logged, personal data
masked). htmx requests (the live filter form, ``includes/filters.html``) get only the rows
(``core/list.html#rows``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.excel import Column, Kind
from yanzhen.core.filters import DataclassFilterForm
from yanzhen.core.forms import FilterForm, apply_domain_error
from yanzhen.core.http import require_perm
from yanzhen.core.listing import export_format, export_response, paginate
from yanzhen.core.masking import mask_id_number, mask_mobile

T = TypeVar("T")
M = TypeVar("M", bound=Model)
R = TypeVar("R")

__all__ = [
    "Action",
    "Cell",
    "Chart",
    "Col",
    "Export",
    "Figure",
    "TablePage",
    "Tag",
    "cell_text",
    "confirm_delete",
    "delete_page",
    "form_page",
    "form_view",
    "initial_of",
    "post_button",
    "render_table",
    "require_perm",
    "require_true",
    "restore_page",
    "submit",
    "trash_columns",
    "url",
]


def url(name: str, *args: Any, query: dict[str, str] | None = None) -> str:
    """The path of the URL ``name`` (with ``args``), and ``query`` as its parameters."""
    base = reverse(name, args=args)
    return f"{base}?{urlencode(query)}" if query else base


def cell_text(value: Any) -> str:
    """A value as a table shows it: "—" for nothing, 是/否, dates, amounts, lists with "、"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


@dataclass(frozen=True)
class Tag:
    """A small label (``<span class="tag css">``): a stage, "逾期", a discipline."""

    text: str
    css: str = ""
    title: str = ""

    def __html__(self) -> SafeString:
        if self.title:
            return format_html(
                '<span class="tag {}" title="{}">{}</span>', self.css, self.title, self.text
            )
        return format_html('<span class="tag {}">{}</span>', self.css, self.text)


@dataclass(frozen=True)
class Col(Generic[T]):
    """A column of a list: its header, its value (exported as is) and, on the page, how the
    value is shown. Everything after ``value`` is optional:

    * ``link(row)`` — the value opens this URL (None: no link in this row);
    * ``kind``, ``width`` — the type and width of the exported column (``core.excel``);
    * ``pii`` — "id" or "mobile": masked on the page, and in exports unless asked by a user
      who may see it;
    * ``tag(row)`` — the value shown as a tag of that CSS class (a list value: each item);
    * ``note(row)`` — a second, smaller line under the value (page only);
    * ``marks(row)`` — tags after the value, e.g. ``[Tag("逾期", "gap")]`` (page only);
    * ``html(row)`` — the cell's own markup (``format_html``), for what the rest cannot say;
    * ``sort`` — an ordering of the selector's queryset (``"deadline"``): the header sorts
      by it (``?sort=deadline``, again for ``-deadline``);
    * ``page``, ``export`` — False to leave the column off the page or out of the file.
    """

    header: str
    value: Callable[[T], Any]
    link: Callable[[T], str | None] | None = None
    kind: Kind = "text"
    width: int = 16
    pii: Literal["id", "mobile"] | None = None
    tag: Callable[[T], str] | None = None
    note: Callable[[T], Any] | None = None
    marks: Callable[[T], Iterable[Tag]] | None = None
    html: Callable[[T], SafeString] | None = None
    sort: str = ""
    page: bool = True
    export: bool = True

    def cell(self, row: T) -> Cell:
        """The cell of ``row`` on the page."""
        if self.html is not None:
            return Cell(self.html(row))
        value = self.value(row)
        if self.pii == "id":
            value = mask_id_number(str(value or "")) or None
        elif self.pii == "mobile":
            value = mask_mobile(str(value or "")) or None
        if self.tag is not None and isinstance(value, list | tuple):
            css = self.tag(row)
            shown: Any = format_html_join("", "{}", ((Tag(str(v), css),) for v in value))
            shown = shown or "—"
        elif self.tag is not None and value not in (None, ""):
            shown = Tag(cell_text(value), self.tag(row))
        else:
            shown = cell_text(value)
        href = self.link(row) if self.link is not None else None
        content = format_html('<a href="{}">{}</a>', href, shown) if href else shown
        marks = list(self.marks(row)) if self.marks is not None else []
        if marks:
            content = format_html(
                "{} {}", content, format_html_join(" ", "{}", ((m,) for m in marks))
            )
        note = self.note(row) if self.note is not None else None
        if note not in (None, ""):
            content = format_html("{}<br><small>{}</small>", content, cell_text(note))
        return Cell(format_html("{}", content))


@dataclass(frozen=True)
class Cell:
    """A cell on the page: its markup, escaped."""

    content: SafeString

    def __html__(self) -> SafeString:
        return self.content

    def __str__(self) -> str:
        return str(self.content)


@dataclass(frozen=True)
class Action:
    """A button in the list's toolbar (a page to open: a new record, a related list)."""

    label: str
    href: str
    primary: bool = False
    secondary: bool = False  # a quieter button (the trash)


@dataclass(frozen=True)
class Figure:
    """A number shown above a list, opening the list of its records."""

    label: str
    value: Any
    href: str = ""


_CHART_IDS = itertools.count(1)


@dataclass(frozen=True)
class Chart:
    """A chart above a list, drawn by ``static/yanzhen/charts.js`` (ECharts, vendored):
    ``kind`` "bar" with ``data`` ``{"categories": [...], "series": [{"name", "data",
    "urls"}]}`` (see ``reports.selectors`` ``as_chart``) or "funnel" with ``data``
    ``[{"name", "value", "url"}]``; every bar opens its records. Drawn on a full page load
    (the live filter replaces only the rows)."""

    title: str
    data: Any
    kind: Literal["bar", "funnel"] = "bar"
    id: str = field(default_factory=lambda: f"chart-{next(_CHART_IDS)}")


@dataclass(frozen=True)
class Export(Generic[T]):
    """An export laid out otherwise than the page (e.g. the columns of an import template):
    the file's columns and each row's values; ``values``, when given, makes the same rows
    from the list's query directly (plain values rather than model instances: cheaper for an
    export of thousands of rows)."""

    columns: Sequence[Column]
    row: Callable[[T], Sequence[Any]]
    values: Callable[[Any], Iterable[Sequence[Any]]] | None = None


@dataclass
class TablePage(Generic[T]):
    """A list page. ``rows`` come from the selector (the data scope, prefetched: the page
    runs the same number of queries for 1 row as for 30 — ``tests/test_query_counts.py``);
    ``form`` is its filter form (``core.filters.filter_form``), shown live above the rows.

    ``export_perm`` (None: whoever sees the list) allows ``?export=xlsx|csv``; ``export``
    lays the file out otherwise than ``columns``; ``exportable=False`` offers no export.
    ``above`` is a template included above the filters (a form to add a record, a legend)
    with ``context``; ``template`` a template extending ``core/list.html`` (its block
    ``above``) for a page with more around the list."""

    title: str
    columns: Sequence[Col[T]]
    rows: QuerySet[Any] | Sequence[T]
    form: FilterForm | None = None
    list_url: str = ""
    actions: list[Action] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    export_perm: str | None = None
    exportable: bool = True
    export: Export[T] | None = None
    empty: str = "没有符合条件的记录"
    note: str = ""
    per_page: int | None = None
    above: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    template: str = "core/list.html"


@dataclass(frozen=True)
class Header:
    text: str
    href: str = ""
    arrow: str = ""


def _sorted(request: HttpRequest, page_spec: TablePage[T]) -> tuple[Any, str]:
    """The rows in the order the user asked for (a column's ``sort``), and that order."""
    asked = request.GET.get("sort", "")
    keys = {c.sort for c in page_spec.columns if c.sort}
    if asked.removeprefix("-") in keys and isinstance(page_spec.rows, QuerySet):
        return page_spec.rows.order_by(asked, "-pk" if asked.startswith("-") else "pk"), asked
    return page_spec.rows, ""


def _headers(request: HttpRequest, columns: Sequence[Col[T]], order: str) -> list[Header]:
    out = []
    for c in columns:
        if not c.sort:
            out.append(Header(c.header))
            continue
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{c.sort}" if order == c.sort else c.sort
        arrow = " ↑" if order == c.sort else " ↓" if order == f"-{c.sort}" else ""
        out.append(Header(c.header, f"?{query.urlencode()}", arrow))
    return out


def render_table(request: HttpRequest, page_spec: TablePage[T]) -> HttpResponse:
    """The whole list page, its rows for htmx, or its export when ``?export=xlsx|csv``.
    Personal data is always masked on the page; exports mask it unless a user who may see it
    asks for it (``core.listing.export_response``, which also watermarks, logs and limits)."""
    rows, order = _sorted(request, page_spec)
    if page_spec.exportable and (fmt := export_format(request)):
        if page_spec.export_perm:
            require_perm(request, page_spec.export_perm)
        return _export(page_spec, rows, fmt)
    columns = [c for c in page_spec.columns if c.page]
    page = paginate(request, rows, page_spec.per_page)
    can_export = page_spec.exportable and (
        page_spec.export_perm is None or request.user.has_perm(page_spec.export_perm)
    )
    form = page_spec.form
    context = {
        **page_spec.context,
        "spec": page_spec,
        "page": page,
        "table": [[c.cell(row) for c in columns] for row in page],
        "headers": _headers(request, columns, order),
        "can_export": can_export,
        "list_url": page_spec.list_url or request.path,
        "active": form.active() if isinstance(form, DataclassFilterForm) else [],
    }
    if getattr(request, "htmx", False):
        return render(request, "core/list.html#rows", context)
    return render(request, page_spec.template, context)


def _export(page_spec: TablePage[T], rows: Any, fmt: str) -> HttpResponse:
    objects: Iterable[T] = rows  # a query is counted, then read in chunks by export_response
    if page_spec.export is not None:
        return export_response(
            fmt=fmt,
            title=page_spec.title,
            columns=page_spec.export.columns,
            objects=objects,
            row=page_spec.export.row,
            rows_of=page_spec.export.values,
        )
    exported = [c for c in page_spec.columns if c.export]
    columns = [
        Column(f"c{i}", c.header, kind=c.kind, width=c.width, pii=c.pii)
        for i, c in enumerate(exported)
    ]
    return export_response(
        fmt=fmt,
        title=page_spec.title,
        columns=columns,
        objects=objects,
        row=lambda obj: [c.value(obj) for c in exported],
    )


# Forms ---------------------------------------------------------------------------------------


def require_true(allowed: bool) -> None:
    """403 for a record the user sees but may not change (a campaign of another organiser)."""
    if not allowed:
        raise PermissionDenied


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], R],
    done: Callable[[R], HttpResponse],
    message: str | Callable[[R], str] = "已保存",
) -> HttpResponse | None:
    """A POST with a valid form calls ``save`` (the service) and answers ``done(result)``
    (a redirect) with ``message``; a ``DomainError`` goes beside its fields and None is
    returned, as for a GET or an invalid form: the caller then shows the form again::

        done = submit(request, form, lambda: services.x_create(actor=..., **form.cleaned_data),
                      lambda x: redirect("app:x_detail", pk=x.pk))
        return done or form_page(request, form, title="新增…", back=url("app:x_list"))
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return done(result)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back: str = "",
    submit_label: str = "",
    intro: str = "",
    warnings: list[str] | None = None,
    facts: list[tuple[str, Any]] | None = None,
    template: str = "core/form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page of a form (``core/form.html``): the title, a back link, an introduction,
    facts about the record (label, value), warnings, the fields, and the submit button.
    ``template`` (extending ``core/form.html``) and ``context`` add to it."""
    page = {
        **(context or {}),
        "form": form,
        "title": title,
        "back": back,
        "submit": submit_label,
        "intro": intro,
        "warnings": warnings or [],
        "facts": facts or [],
    }
    return render(request, template, page)


def initial_of(record: Model, *fields: str) -> dict[str, Any]:
    """The values of ``fields`` of ``record`` as an edit form starts from them (a reference as
    its id): ``initial_of(campaign, "name", "owner_unit", "year")``."""
    values = {}
    for name in fields:
        field = record._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{name} is a reverse relation of {type(record).__name__}")
        values[name] = field.value_from_object(record)
    return values


def form_view(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], R],
    done: Callable[[R], HttpResponse],
    message: str | Callable[[R], str] = "已保存",
    *,
    title: str,
    **page: Any,
) -> HttpResponse:
    """A new or edit view's answer: :func:`submit` (the service ``save``, then ``done``), or
    else the form again, :func:`form_page` with ``title`` and ``page`` (``back``, ``intro``…)::

        return form_view(request, form, lambda: services.x_create(actor=user, **form.cleaned_data),
                         lambda x: redirect("app:x_detail", pk=x.pk), title="新增…", back=...)
    """
    return submit(request, form, save, done, message) or form_page(
        request, form, title=title, **page
    )


def confirm_delete(request: HttpRequest, obj: object, *, back: str, note: str = "") -> HttpResponse:
    """The page asking to confirm the deletion of ``obj`` (the view deletes on POST);
    ``note`` says what follows from it."""
    return render(request, "core/confirm_delete.html", {"object": obj, "back": back, "note": note})


def delete_page(
    request: HttpRequest,
    obj: object,
    *,
    delete: Callable[[], object],
    done: str,
    message: str,
    back: str,
    note: str = "",
) -> HttpResponse:
    """A delete view's answer: the page asking to confirm (GET, :func:`confirm_delete`), or on
    POST the deletion (``delete``: the service), ``message`` and a redirect to ``done``::

        return delete_page(request, need, delete=lambda: services.need_delete(actor=user,
                           need=need), done=url("demand:need_list"), message=..., back=...)
    """
    if request.method != "POST":
        return confirm_delete(request, obj, back=back, note=note)
    delete()
    messages.success(request, message)
    return redirect(done)


def restore_page(
    request: HttpRequest, *, restore: Callable[[], object], done: str, trash: str, message: str
) -> HttpResponse:
    """A restore view's answer (POST): the record back from the trash (``restore``: the
    service) with ``message`` and a redirect to ``done``; a ``DomainError`` (its code taken
    meanwhile) is shown on the trash again."""
    try:
        restore()
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(trash)
    messages.success(request, message)
    return redirect(done)


def post_button(
    request: HttpRequest, href: str, label: str, *, fields: dict[str, str] | None = None
) -> SafeString:
    """A button in a cell that POSTs to ``href`` (with the CSRF token and ``fields``): restore
    a record from the trash, unlock an account."""
    hidden = format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        [("csrfmiddlewaretoken", get_token(request)), *(fields or {}).items()],
    )
    return format_html(
        '<form method="post" action="{}" class="inline">{}'
        '<button type="submit" class="small">{}</button></form>',
        href,
        hidden,
        label,
    )


def trash_columns(request: HttpRequest, restore: str, *, allowed: bool = True) -> list[Col[Any]]:
    """The columns a trash ends with (its rows ``SoftDeletable``): when and by whom each was
    deleted, and, when ``allowed``, a button restoring it (a POST to the URL named
    ``restore``, with the record's key)."""

    def button(row: Any) -> SafeString:
        if not allowed:
            return format_html("{}", "")
        return post_button(request, url(restore, row.pk), _("恢复"))

    return [
        Col(
            _("删除时间"),
            lambda r: (
                timezone.localtime(r.deleted_at).strftime("%Y-%m-%d %H:%M")
                if r.deleted_at
                else None
            ),
            width=18,
        ),
        Col(_("删除人"), lambda r: str(r.deleted_by) if r.deleted_by else None, width=12),
        Col("", lambda r: None, html=button, export=False),
    ]
