"""The auditor's pages: the security log, the personal-data access log, the export log —
read-only, filterable and exportable."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from yanzhen.audit.models import AccessLog, ExportLog, SecurityEvent
from yanzhen.audit.services import verify_chain
from yanzhen.core.excel import Column
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.scope import scope_of
from yanzhen.core.trail import EventKind
from yanzhen.core.views import require_perm


def _dates(request: HttpRequest) -> tuple[dt.date | None, dt.date | None]:
    def parse(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    return parse("start"), parse("end")


def _between(qs: QuerySet[SecurityEvent], request: HttpRequest) -> QuerySet[SecurityEvent]:
    start, end = _dates(request)
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    return qs


def stamp(moment: dt.datetime) -> str:
    """A log's time as the county reads it, with its offset (``2026-11-27T16:30:00+08:00``)."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


EVENT_COLUMNS = (
    Column("id", "编号", kind="int", width=8),
    Column("time", "时间", width=26),
    Column("kind", "事件", width=14),
    Column("username", "账户", width=14),
    Column("unit", "单位", width=24),
    Column("ip", "IP地址", width=16),
    Column("path", "地址", width=30),
    Column("detail", "详情", width=40),
)


def event_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "audit.view_securityevent")
    kind = request.GET.get("kind", "")
    username = request.GET.get("username", "").strip()
    scope = scope_of(request.user)
    events = _between(SecurityEvent.objects.filter(scope.q("unit_id_value", None)), request)
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username=username)
    events = events.order_by("-id")
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="安全日志",
            columns=EVENT_COLUMNS,
            objects=events.iterator(chunk_size=2000),
            row=lambda e: (
                e.pk, stamp(e.created_at), e.get_kind_display(), e.username, e.unit, e.ip,
                e.path, ", ".join(f"{k}={v}" for k, v in sorted(e.detail.items())),
            ),
        )  # fmt: skip
    context = {
        "page": paginate(request, events),
        "kinds": EventKind.choices,
        "kind": kind,
        "username": username,
        "start": request.GET.get("start", ""),
        "end": request.GET.get("end", ""),
        "chain": verify_chain() if request.GET.get("verify") == "1" else None,
    }
    return render_list(request, "audit/event_list.html", context)


def access_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "audit.view_accesslog")
    rows = AccessLog.objects.filter(scope_of(request.user).q("user__unit", None))
    rows = rows.select_related("user").order_by("-id")
    username = request.GET.get("username", "").strip()
    if username:
        rows = rows.filter(user__username=username)
    if fmt := export_format(request):
        columns = (
            Column("time", "时间", width=26), Column("user", "账户", width=14),
            Column("action", "操作", width=12), Column("type", "记录类型", width=14),
            Column("id", "记录编号", kind="int"), Column("field", "字段", width=10),
            Column("ip", "IP地址", width=16),
        )  # fmt: skip
        return export_response(
            fmt=fmt, title="个人信息访问日志", columns=columns, objects=rows.iterator(),
            row=lambda a: (stamp(a.created_at), a.user.username, a.get_action_display(),
                           a.record_type, a.record_id, a.field, a.ip),
        )  # fmt: skip
    context = {"page": paginate(request, rows), "username": username}
    return render_list(request, "audit/access_list.html", context)


def export_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "audit.view_exportlog")
    rows = ExportLog.objects.filter(scope_of(request.user).q("user__unit", None))
    rows = rows.select_related("user").order_by("-id")
    username = request.GET.get("username", "").strip()
    if username:
        rows = rows.filter(user__username=username)
    if fmt := export_format(request):
        columns = (
            Column("time", "时间", width=26), Column("user", "账户", width=14),
            Column("title", "列表", width=16), Column("filters", "筛选条件", width=40),
            Column("rows", "行数", kind="int"), Column("sha256", "文件摘要", width=66),
            Column("unmasked", "含完整个人信息", kind="bool"),
        )  # fmt: skip
        return export_response(
            fmt=fmt, title="导出记录", columns=columns, objects=rows.iterator(),
            row=lambda e: (stamp(e.created_at), e.user.username, e.title,
                           ", ".join(f"{k}={v}" for k, v in sorted(e.filters.items())),
                           e.rows, e.sha256, e.unmasked),
        )  # fmt: skip
    context = {"page": paginate(request, rows), "username": username}
    return render_list(request, "audit/export_list.html", context)
