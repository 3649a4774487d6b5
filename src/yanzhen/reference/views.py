"""Pages of the national reference lists: university search and detail, name suggestions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yanzhen.core.errors import DomainError
from yanzhen.core.excel import LIST_SEPARATORS, Column
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.reference import selectors
from yanzhen.reference.models import University

UNIVERSITY_COLUMNS = (
    Column("code", "学校标识码", width=14),
    Column("name", "学校名称", width=30),
    Column("province", "省份", width=12),
    Column("city", "所在地", width=12),
    Column("authority", "主管部门", width=18),
    Column("level", "办学层次", width=10),
    Column("flags", "985/211/双一流", width=16),
)


def university_list(request: HttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "").strip() for k in ("q", "province", "level", "flag")}
    try:
        universities = selectors.university_search(
            q=params["q"], province=params["province"], level=params["level"], flag=params["flag"]
        )
        error = ""
    except DomainError as exc:
        universities = University.objects.none()
        error = exc.message
    if fmt := export_format(request):
        return export_response(
            fmt=fmt,
            title="高校库",
            columns=UNIVERSITY_COLUMNS,
            objects=universities.iterator(chunk_size=2000),
            row=lambda u: (
                u.code,
                u.name,
                u.province or u.country,
                u.city,
                u.authority,
                u.level,
                "、".join(u.flags),
            ),
        )
    context = {"page": paginate(request, universities), "params": params, "error": error}
    return render_list(request, "reference/university_list.html", context)


def university_detail(request: HttpRequest, pk: int) -> HttpResponse:
    university = selectors.university_get(pk)
    context = {
        "university": university,
        "aliases": university.aliases.order_by("alias"),
        "strengths": selectors.university_strengths(university),
    }
    return render(request, "reference/university_detail.html", context)


def university_suggest(request: HttpRequest) -> HttpResponse:
    """``<option>``s for a datalist: the last name being typed in a 、-separated field."""
    text = next(
        (request.GET[k] for k in ("q", "universities", "university") if k in request.GET), ""
    )
    parts = [p for p in LIST_SEPARATORS.split(text) if p.strip()]
    typed = parts[-1].strip() if parts else ""
    names: list[str] = []
    if typed:
        names = list(selectors.university_search(q=typed, limit=15).values_list("name", flat=True))
    prefix = text[: len(text) - len(parts[-1])] if parts else ""
    options = [prefix + name for name in names]
    return render(request, "reference/suggest.html", {"options": options})
