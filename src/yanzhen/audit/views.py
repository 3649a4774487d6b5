"""The auditor's pages: the security log, the personal-data access log, the export log —
read-only, filterable and exportable."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from yanzhen.audit import selectors
from yanzhen.audit.models import AccessLog, ExportLog, SecurityEvent
from yanzhen.audit.services import verify_chain
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest, require_perm
from yanzhen.core.pages import Action, Col, TablePage, render_table


def stamp(moment: dt.datetime) -> str:
    """A log's time as the county reads it, with its offset (``2026-11-27T16:30:00+08:00``)."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _pairs(values: dict[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(values.items()))


def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "audit.view_securityevent")
    form = filter_form(selectors.EventFilters)(request.GET or None)
    columns: list[Col[SecurityEvent]] = [
        Col(_("编号"), lambda e: e.pk, kind="int", width=8),
        Col(_("时间"), lambda e: stamp(e.created_at), width=26),
        Col(_("事件"), lambda e: e.get_kind_display(), width=14),
        Col(_("账户"), lambda e: e.username, width=14),
        Col(_("单位"), lambda e: e.unit, width=24),
        Col(_("IP地址"), lambda e: e.ip, width=16),
        Col(_("地址"), lambda e: e.path, width=30),
        Col(_("详情"), lambda e: _pairs(e.detail), width=40),
    ]
    chain = verify_chain() if request.GET.get("verify") == "1" else None
    return render_table(
        request,
        TablePage(
            title=_("安全日志"),
            columns=columns,
            rows=selectors.event_list(user=request.user, filters=form.filters()),
            form=form,
            actions=[Action(_("校验日志完整性"), "?verify=1")],
            above="audit/chain.html",
            context={"chain": chain},
        ),
    )


def access_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "audit.view_accesslog")
    form = filter_form(selectors.LogFilters)(request.GET or None)
    columns: list[Col[AccessLog]] = [
        Col(_("时间"), lambda a: stamp(a.created_at), width=26),
        Col(_("账户"), lambda a: a.user.username, width=14),
        Col(_("操作"), lambda a: a.get_action_display(), width=12),
        Col(_("记录类型"), lambda a: a.record_type, width=14),
        Col(_("记录编号"), lambda a: a.record_id, kind="int"),
        Col(_("字段"), lambda a: a.field, width=10),
        Col(_("IP地址"), lambda a: a.ip, width=16),
    ]
    return render_table(
        request,
        TablePage(
            title=_("个人信息访问日志"),
            columns=columns,
            rows=selectors.access_list(user=request.user, filters=form.filters()),
            form=form,
        ),
    )


def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "audit.view_exportlog")
    form = filter_form(selectors.LogFilters)(request.GET or None)
    columns: list[Col[ExportLog]] = [
        Col(_("时间"), lambda e: stamp(e.created_at), width=26),
        Col(_("账户"), lambda e: e.user.username, width=14),
        Col(_("列表"), lambda e: e.title, width=16),
        Col(_("筛选条件"), lambda e: _pairs(e.filters), width=40),
        Col(_("行数"), lambda e: e.rows, kind="int"),
        Col(_("文件摘要"), lambda e: e.sha256, width=66, page=False),
        Col(_("文件摘要"), lambda e: Truncator(e.sha256).chars(20), export=False),
        Col(_("含完整个人信息"), lambda e: e.unmasked, kind="bool"),
    ]
    return render_table(
        request,
        TablePage(
            title=_("导出记录"),
            columns=columns,
            rows=selectors.export_list(user=request.user, filters=form.filters()),
            form=form,
        ),
    )
