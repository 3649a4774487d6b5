"""The JSON API: /api/v1/, one router per app, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from yanzhen.core.errors import DomainError
from yanzhen.core.registry import modules


class _API(NinjaAPI):
    """The schema of ``/api/v1/openapi.json`` is built once per path prefix: every router is
    added when this module is imported (:func:`_register`), so it is the same for every request,
    and building it (pydantic's JSON schemas of every operation) took about a second each time.
    Each caller gets its own copy."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._schemas: dict[str, OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._schemas:
            self._schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        # The copy shares the API object the schema refers to (``OpenAPISchema.api``).
        return copy.deepcopy(self._schemas[path_prefix], memo={id(self): self})


api = _API(
    title="雁阵 API",
    version="1",
    description="县域省校合作与人才工作平台的 JSON 接口。所有接口需要登录，并按用户的数据范围返回数据。",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"error": exc.as_dict()}, status=exc.status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    body = {"error": {"code": "not_found", "message": "记录不存在或无权访问", "fields": {}}}
    return api.create_response(request, body, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    body = {"error": {"code": "forbidden", "message": "没有执行此操作的权限", "fields": {}}}
    return api.create_response(request, body, status=403)


@api.exception_handler(OverflowError)
def _out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number too large for the database (an id or a filter): the request is wrong."""
    body = {"error": {"code": "invalid", "message": "数值超出范围", "fields": {}}}
    return api.create_response(request, body, status=400)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"error": {"code": "unauthenticated", "message": "请先登录", "fields": {}}}
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own errors in the envelope: 400 is a body that is not JSON (a form sent
    to the API)."""
    if exc.status_code == 400:
        error = {"code": "invalid", "message": "请求体应为 JSON", "fields": {}}
    else:
        error = {"code": "error", "message": str(exc), "fields": {}}
    return api.create_response(request, {"error": error}, status=exc.status_code)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "payload", "query")]
        fields[".".join(loc) or "__all__"] = _message(error)
    message = "；".join(f"{k}: {v}" for k, v in fields.items())
    body = {"error": {"code": "invalid", "message": f"请求数据不正确：{message}", "fields": fields}}
    return api.create_response(request, body, status=422)


def _message(error: dict[str, object]) -> str:
    kind = str(error.get("type", ""))
    return {
        "missing": "必填",
        "extra_forbidden": "不允许的字段",
        "int_parsing": "应为整数",
        "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
        "date_parsing": "应为日期（YYYY-MM-DD）",
        "decimal_parsing": "应为数字",
        "string_too_long": "过长",
        "literal_error": "取值不在允许范围内",
        "enum": "取值不在允许范围内",
    }.get(kind, str(error.get("msg", "不正确")))


def _register() -> None:
    """Add the ``router`` of every domain app's ``api.py`` (see core.registry)."""
    for _app, module in modules("api"):
        api.add_router("", module.router)


_register()


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URL patterns. The operations an app declares open (``OPEN_OPERATIONS`` in
    its ``api.py``, e.g. the portal's registration) need no login: their views are marked as
    ``login_not_required`` marks a view (deny by default stays the rule for every other)."""
    patterns, app_name, namespace = api.urls
    names = {n for _app, module in modules("api") for n in getattr(module, "OPEN_OPERATIONS", ())}
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name in names:
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return list(patterns), app_name, namespace
