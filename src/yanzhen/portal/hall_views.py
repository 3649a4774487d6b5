"""Pages of the portal's halls (read): 需求大厅 (technology and talent needs), 成果大厅 and the
expert directory, each with a search (BM25) and filters by field and discipline, and the
detail pages. Needs and results are written through ``/api/v1/portal/…``."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.portal import hall_selectors as selectors
from yanzhen.reference.models import Discipline


def _query(request: AuthenticatedHttpRequest) -> selectors.HallQuery:
    get = request.GET
    return selectors.HallQuery(
        q=get.get("q", "").strip()[:100],
        field=get.get("field", "").strip()[:50],
        discipline=get.get("discipline", "").strip()[:6],
    )


def _disciplines() -> list[tuple[str, str]]:
    return list(Discipline.objects.filter(parent__isnull=True).values_list("code", "name"))


def need_hall(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _query(request)
    user = request.user
    return render(
        request,
        "portal/need_hall.html",
        {
            "query": query,
            "fields": selectors.tech_need_fields(user),
            "disciplines": _disciplines(),
            "tech_needs": selectors.tech_need_list(user=user, query=query),
            "talent_needs": selectors.talent_need_list(user=user, query=query),
        },
    )


def tech_need_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = selectors.tech_need_get(request.user, pk)
    return render(request, "portal/tech_need_detail.html", {"need": need})


def talent_need_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = selectors.talent_need_get(request.user, pk)
    return render(request, "portal/talent_need_detail.html", {"need": need})


def result_hall(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _query(request)
    return render(
        request,
        "portal/result_hall.html",
        {
            "query": query,
            "disciplines": _disciplines(),
            "results": selectors.result_list(user=request.user, query=query),
        },
    )


def result_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    result = selectors.result_get(request.user, pk)
    return render(request, "portal/result_detail.html", {"result": result})


def expert_directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _query(request)
    return render(
        request,
        "portal/expert_directory.html",
        {
            "query": query,
            "disciplines": _disciplines(),
            "experts": selectors.directory_list(user=request.user, query=query),
        },
    )
