"""Pages of the national reference lists: university search and detail, name suggestions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from yanzhen.core.excel import LIST_SEPARATORS
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.pages import Col, TablePage, render_table, url
from yanzhen.reference import selectors
from yanzhen.reference.models import University


def university_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = filter_form(selectors.UniversityFilters)(request.GET or None, user=request.user)
    columns: list[Col[University]] = [
        Col(_("学校标识码"), lambda u: u.code, width=14),
        Col(
            _("学校名称"),
            lambda u: u.name,
            lambda u: url("reference:university_detail", u.pk),
            width=30,
        ),
        Col(_("省份"), lambda u: u.province or u.country, width=12),
        Col(_("所在地"), lambda u: u.city, width=12),
        Col(_("主管部门"), lambda u: u.authority, width=18, page=False),
        Col(_("办学层次"), lambda u: u.level, width=10),
        Col(_("985/211/双一流"), lambda u: "、".join(u.flags), width=16, page=False),
        Col(_("类别"), lambda u: u.flags, tag=lambda u: "", export=False),
    ]
    return render_table(
        request,
        TablePage(
            title=_("高校库"),
            columns=columns,
            rows=selectors.university_list(filters=form.filters()),
            form=form,
            empty=_("没有找到高校"),
        ),
    )


def university_detail(request: HttpRequest, pk: int) -> HttpResponse:
    university = selectors.university_get(pk)
    context = {
        "university": university,
        "aliases": selectors.university_aliases(university),
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
        names = selectors.university_names(typed, limit=15)
    prefix = text[: len(text) - len(parts[-1])] if parts else ""
    options = [prefix + name for name in names]
    return render(request, "reference/suggest.html", {"options": options})
