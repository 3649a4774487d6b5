"""The error pages: 400, 403, 404, 429 and a refused CSRF check answer in Chinese, in the
platform's layout with a way back (the 500 page is a page of its own, ``templates/500.html``,
that needs neither the database nor a context processor). Under ``/api/`` they answer in the API's error
envelope instead, and to an htmx request (``HX-Request``) with a short fragment
(``errors/fragment.html``)."""

from __future__ import annotations

import sys

from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from yanzhen.core import menu

API_PREFIX = "/api/"


def _answer(request: HttpRequest, status: int, code: str, title: str, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        body = {"error": {"code": code, "message": message, "fields": {}}}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 of a host name not served here: no link back to it
        host = ""
    back = referer if host and url_has_allowed_host_and_scheme(referer, {host}) else ""
    context = {"status": status, "title": title, "message": message, "back": back}
    if _is_htmx(request):
        return _fragment(context, status)
    # A request refused before the middleware ran (a host name not served here) has no user:
    # the page without the layout's header, which needs one.
    if not hasattr(request, "user"):
        return HttpResponse(render_to_string("errors/bare.html", context), status=status)
    frame = menu.frame_of(request.user)
    context["base_template"] = frame.template if frame is not None else "base.html"
    return render(request, "errors/page.html", context, status=status)


def _is_htmx(request: HttpRequest) -> bool:
    """An htmx request (``HX-Request: true``): it swaps a part of a page, so a refusal answers
    with a short fragment, not a whole page inside that part."""
    return request.headers.get("HX-Request") == "true"


def _fragment(context: dict[str, object], status: int) -> HttpResponse:
    # Rendered without the request: no context processor, so it also serves the 500 and 503.
    return HttpResponse(render_to_string("errors/fragment.html", context), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(
        request, 400, "bad_request", _("请求有误"), _("请求的格式不正确，请返回上一页重新操作。")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(
        request,
        403,
        "forbidden",
        _("没有权限"),
        _("您的账户没有执行此操作或查看此页面的权限。如确需办理，请联系本单位管理员或合作办。"),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(
        request,
        404,
        "not_found",
        _("页面不存在"),
        _("您访问的页面或记录不存在，或不在您的数据范围内。"),
    )


def too_many_requests(request: HttpRequest, message: str = "") -> HttpResponse:
    """429: the user has done something too often (exports in an hour, password checks)."""
    return _answer(
        request,
        429,
        "too_many_requests",
        _("操作过于频繁"),
        message or _("您的操作过于频繁，请稍后再试。"),
    )


def export_too_large(request: HttpRequest, rows: int, limit: int) -> HttpResponse:
    """422: the filtered list is longer than one export may be (``YANZHEN_EXPORT_MAX_ROWS``):
    a file of a million rows takes minutes to write, longer than a request may run."""
    return _answer(
        request,
        422,
        "export_too_large",
        _("导出行数过多"),
        _(
            "筛选结果共 %(rows)s 行，超过单次导出的上限 %(limit)s 行，未导出。"
            "请按年份、阶段或单位等条件筛选后分批导出。"
        )
        % {"rows": f"{rows:,}", "limit": f"{limit:,}"},
    )


def gone(request: HttpRequest, title: str, message: str) -> HttpResponse:
    """410: what was here is no longer (a background export's file after its 24 hours)."""
    return _answer(request, 410, "gone", title, message)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _answer(
        request,
        403,
        "csrf_failed",
        _("页面已过期"),
        _("为保护您的账户，表单需要有效的安全令牌。页面可能已过期：请刷新页面后重新提交。"),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database is away (a restart of PostgreSQL, a lost connection): a
    page that needs neither the database nor a context processor, with ``Retry-After``. The
    next request connects again (``CONN_HEALTH_CHECKS``), nothing needs a restart."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        status, code = 503, "unavailable"
        title = _("服务暂时不可用")
        message = _(
            "数据库暂时无法连接（可能正在重启或维护），您的操作未被保存。请稍候片刻后刷新页面重试。"
        )
    else:
        status, code, title = 500, "server_error", _("服务器出错")
        message = _(
            "处理您的请求时发生错误，错误已记录。请稍后重试；如果问题持续，请联系系统管理员。"
        )
    if request.path.startswith(API_PREFIX):
        body = {"error": {"code": code, "message": message, "fields": {}}}
        response: HttpResponse = JsonResponse(
            body, status=status, json_dumps_params={"ensure_ascii": False}
        )
    elif _is_htmx(request):
        response = _fragment({"status": status, "title": title, "message": message}, status)
    elif status == 500:  # as Django's own handler did
        response = HttpResponse(render_to_string("500.html"), status=500)
    else:
        context = {"status": status, "title": title, "message": message}
        response = HttpResponse(render_to_string("errors/bare.html", context), status=status)
    if status == 503:
        response["Retry-After"] = "10"
    return response
