"""Lists: pagination, exports of exactly the filtered rows, htmx partial rendering."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.core import export_jobs
from yanzhen.core.error_pages import export_too_large, too_many_requests
from yanzhen.core.excel import Column, write_table
from yanzhen.core.masking import (
    EXPORTS_PER_HOUR,
    FIELDS,
    Purpose,
    Unmasking,
    mask_id_number,
    mask_mobile,
    may_see_personal_data,
    unmasking,
)
from yanzhen.core.middleware import current_request
from yanzhen.core.models import User
from yanzhen.core.trail import AccessAction, audit_trail

M = TypeVar("M", bound=Model)
T = TypeVar("T")


# From this many rows on, a page is read in two steps (see ``LateLookupPaginator``).
LATE_LOOKUP_ROWS = 1000


if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:  # Django's Paginator is generic for the type checker only
    _Paginator = Paginator


class LateLookupPaginator(_Paginator):
    """Django's paginator, reading the page of a large queryset in two steps: the ids of the
    page first (``values_list("pk")`` with the same filters, order and slice), then those rows
    with their ``select_related`` and ``prefetch_related``, in the same order.

    A page of 20 out of 40,000 matching rows then sorts 40,000 ids, which an index can hold
    with the sort keys, instead of 40,000 whole rows joined to their related rows. Small
    querysets, and those that cannot be filtered again (distinct, combined, already sliced,
    ``values()``), are paginated as usual; the count is Django's exact ``COUNT(*)``.
    """

    def page(self, number: int | str) -> Page[Any]:
        items = self.object_list
        if not (isinstance(items, QuerySet) and _late_lookup_fits(items)):
            return super().page(number)
        number = self.validate_number(number)
        if self.count <= LATE_LOOKUP_ROWS:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(late_rows(items, bottom, top), number, self)


def late_rows(qs: QuerySet[M], bottom: int, top: int) -> list[M]:
    """Rows ``bottom`` to ``top`` of ``qs`` read in two steps (``LateLookupPaginator``): the
    ids of the slice, then those rows with their related rows, in the same order."""
    ids = list(qs.values_list("pk", flat=True)[bottom:top])
    rows = {row.pk: row for row in qs.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def slice_rows(qs: QuerySet[M], bottom: int, top: int, count: int) -> list[M]:
    """Rows ``bottom`` to ``top`` of ``qs`` (``count`` rows in all), as a page of a list
    reads them: in two steps when the query is large and can be (``late_rows``)."""
    if count > LATE_LOOKUP_ROWS and _late_lookup_fits(qs):
        return late_rows(qs, bottom, top)
    return list(qs[bottom:top])


def _late_lookup_fits(qs: QuerySet[Any, Any]) -> bool:
    query = qs.query
    return (
        qs._fields is None  # type: ignore[attr-defined]
        and not query.distinct
        and not query.is_sliced
        and query.combinator is None
        and qs.ordered
    )


def paginate(
    request: HttpRequest, qs: QuerySet[M] | Sequence[T], per_page: int | None = None
) -> Page[Any]:
    paginator = LateLookupPaginator(qs, per_page or settings.YANZHEN_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def export_format(request: HttpRequest) -> str | None:
    """``xlsx`` or ``csv`` when the request asks for an export of the list."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in ("xlsx", "csv") else None


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# A run of 11 or more digits (an ID number may end in X): an ID number, a mobile, or a part of
# one long enough to identify a person.
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{10,17}[0-9Xx](?![0-9A-Za-z])")


def mask_numbers(text: str) -> str:
    """``text`` with every ID number and mobile in it masked as everywhere else
    (``core.masking``): an 11-digit number as a mobile, any longer as an ID number."""

    def mask(match: re.Match[str]) -> str:
        value = match.group(0)
        return mask_mobile(value) if len(value) == 11 else mask_id_number(value)

    return _LONG_NUMBER.sub(mask, text)


def logged_filters(request: HttpRequest) -> dict[str, str]:
    """The filter of an export as the export log keeps it: the query without the export's own
    parameters, ID numbers and mobiles typed into it masked."""
    return {k: mask_numbers(str(v)) for k, v in request.GET.items() if k not in ("export", "page")}


def export_limit_message() -> str:
    return _("为保护数据安全，每个账户每小时最多导出 %(limit)s 次。请稍后再试。") % {
        "limit": EXPORTS_PER_HOUR
    }


def export_quota_response(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when the user has made ``EXPORTS_PER_HOUR`` exports in the last hour."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and audit_trail().exports_in_last_hour(user) >= EXPORTS_PER_HOUR:
        return too_many_requests(request, export_limit_message())
    return None


@dataclass(frozen=True)
class Unmasked:
    """An export that shows full values, under the approval ``approval_id`` (None when the
    second person is turned off)."""

    approval_id: int | None = None


def export_unmasking(request: HttpRequest | None, *, title: str) -> Unmasked | HttpResponse | None:
    """Whether the export of the list ``title`` shows full ID numbers and mobiles: only when
    asked for (``?unmasked=1``) by a holder of ``core.view_personal_data`` with a second
    person's approval to export that list (``core.masking.unmasking``). Without one the
    answer is the refusal page (403: why, and a link to ask), and nothing is exported; a
    user without the permission gets the masked file as before (None)."""
    user = getattr(request, "user", None)
    if request is None or request.GET.get("unmasked") != "1":
        return None
    if not isinstance(user, User) or not may_see_personal_data(user):
        return None
    decision = unmasking(user, purpose=Purpose.EXPORT, list_title=title)
    if decision.allowed:
        return Unmasked(decision.approval_id)
    return approval_required(request, decision, request.path, request.GET)


def approval_required(
    request: HttpRequest, decision: Unmasking, path: str, query: QueryDict
) -> HttpResponse:
    """The refusal page of an export of full values without a second person's approval
    (403): why, a link to ask, and the same list's masked export (``path`` with ``query``
    less ``unmasked``)."""
    masked = query.copy()
    masked.pop("unmasked", None)
    context = {
        "message": decision.message,
        "ask_url": decision.ask_url,
        "masked_url": f"{path}?{masked.urlencode()}",
    }
    return render(request, "includes/pii_approval_required.html", context, status=403)


def unmasked_export_logged(
    request: HttpRequest, *, export_id: int, fields: str, approval_id: int | None
) -> None:
    """The access-log row of an export holding full values: which export (its export-log
    row), which fields, under which approval."""
    audit_trail().access_logged(
        request=request,
        action=AccessAction.REVEAL,
        record_type="export",
        record_id=export_id,
        field=fields,
        approval_id=approval_id,
    )


def watermark_text(request: HttpRequest | None) -> str:
    who = getattr(getattr(request, "user", None), "username", "") if request is not None else ""
    now = timezone.localtime()
    return f"雁阵导出 · {who} · {now:%Y-%m-%d %H:%M:%S %z} · 内部资料 注意保密"


def export_file(
    request: HttpRequest,
    *,
    title: str,
    fmt: str,
    content: bytes,
    content_type: str,
    filename: str,
    rows: int,
    unmasked: bool = False,
) -> HttpResponse:
    """A file exported in a layout of its own (a circular, a payment list, a programme's
    data), counted, logged and limited like every list export. The caller checks the quota
    first (:func:`export_quota_response`) and watermarks the file (:func:`watermark_text`)."""
    if isinstance(request.user, User):
        audit_trail().export_logged(
            request=request,
            title=title[:100],
            filters=logged_filters(request),
            fmt=fmt,
            rows=rows,
            content=content,
            unmasked=unmasked,
        )
    return download(content, content_type, filename)


def _size(objects: Iterable[Any]) -> int | None:
    """How many rows an export would have (a query's count, a list's length), when known
    before reading them."""
    if isinstance(objects, QuerySet):
        return objects.count()
    return len(objects) if isinstance(objects, Sized) else None


def export_response(
    *,
    fmt: str,
    title: str,
    columns: Sequence[Column],
    objects: Iterable[T],
    row: Callable[[T], Sequence[Any]],
    rows_of: Callable[[Any], Iterable[Sequence[Any]]] | None = None,
) -> HttpResponse:
    """The filtered list as an XLSX or CSV file named after the list and the time.

    ``rows_of``, when ``objects`` is a query, makes the rows ``row`` would make of its objects
    straight from the query (plain values, no model instance).

    Every export is watermarked with who and when, logged (user, filter, row count, file
    hash), limited to ``EXPORTS_PER_HOUR`` per user and to ``YANZHEN_EXPORT_MAX_ROWS`` rows (a
    longer list is refused with a page asking to filter, nothing exported), and masks the
    columns marked ``pii``
    unless the user may see personal data and a second person approved the export of this
    list (:func:`export_unmasking`); such an export also leaves an access-log row naming the
    approval.

    A list of more than ``YANZHEN_EXPORT_BACKGROUND_ROWS`` rows is checked here as every export
    (quota, limit, approval), then written by the background worker (``core.export_jobs``,
    which replays the list's view and so this function): the answer is the job's page."""
    request = current_request()
    user = getattr(request, "user", None)
    replay = export_jobs.replay_of(request)  # the worker writing a queued export
    if (
        replay is None
        and request is not None
        and isinstance(user, User)
        and audit_trail().exports_in_last_hour(user) >= EXPORTS_PER_HOUR
    ):
        return too_many_requests(request, export_limit_message())
    limit = settings.YANZHEN_EXPORT_MAX_ROWS
    total = _size(objects)
    if request is not None and total is not None and total > limit:
        return export_too_large(request, total, limit)
    # Masked by default; full values only when asked for (?unmasked=1) by a user who may,
    # with a second person's approval.
    pii_fields = ",".join(dict.fromkeys(FIELDS[c.pii] for c in columns if c.pii))
    if replay is not None:  # decided in the request that queued it, not asked again
        decision: Unmasked | HttpResponse | None = (
            Unmasked(replay.approval_id) if replay.unmasked and pii_fields else None
        )
    else:
        decision = export_unmasking(request, title=title) if pii_fields else None
    if isinstance(decision, HttpResponse):
        return decision
    if (
        replay is None
        and request is not None
        and isinstance(user, User)
        and total is not None
        and total > export_jobs.background_rows()
    ):
        job = export_jobs.job_submit(
            request,
            user=user,
            title=title,
            fmt=fmt,
            rows=total,
            unmasked=decision is not None,
            approval_id=decision.approval_id if decision is not None else None,
        )
        return redirect("core:export_job_detail", pk=job.pk)
    unmasked = decision is not None
    maskers = {
        i: (mask_id_number if c.pii == "id" else mask_mobile)
        for i, c in enumerate(columns)
        if c.pii and not unmasked
    }
    count = 0

    def rows() -> Iterator[Sequence[Any]]:
        nonlocal count
        made: Iterable[Sequence[Any]]
        if isinstance(objects, QuerySet):
            made = rows_of(objects) if rows_of else map(row, objects.iterator(chunk_size=2000))
        else:
            made = map(row, objects)
        for made_row in made:
            if count >= limit:
                break
            count += 1
            values = list(made_row)
            for index, mask in maskers.items():
                values[index] = mask(str(values[index] or ""))
            yield values

    now = timezone.localtime()
    who = getattr(user, "username", "") if user is not None else ""
    watermark = f"雁阵导出 · {who} · {now:%Y-%m-%d %H:%M:%S %z} · 内部资料 注意保密"
    content, content_type = write_table(fmt, title, columns, rows(), watermark=watermark)
    if request is not None and isinstance(user, User):
        log = audit_trail().export_logged(
            request=request,
            title=title,
            filters=logged_filters(request),
            fmt=fmt,
            rows=count,
            content=content,
            unmasked=unmasked,
        )
        if decision is not None:
            unmasked_export_logged(
                request, export_id=log.pk, fields=pii_fields, approval_id=decision.approval_id
            )
    filename = f"{title}-{now:%Y%m%d-%H%M}.{fmt}"
    if replay is not None:
        replay.rows, replay.filename, replay.content = count, filename, content
    return download(content, content_type, filename)


def render_list(
    request: HttpRequest, template: str, context: dict[str, Any], partial: str = "rows"
) -> HttpResponse:
    """The whole page, or only its ``partial`` for an htmx request."""
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    return render(request, name, context)
