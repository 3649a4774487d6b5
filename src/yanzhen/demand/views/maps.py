"""The map (needs by industry, discipline and degree; the graph), the supply side, free-text
recommendation and the visit list."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yanzhen.core.excel import Column
from yanzhen.core.filters import filter_form
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response
from yanzhen.core.pages import Col, TablePage, Tag, render_table, require_perm, url
from yanzhen.demand import places, recommendations, selectors
from yanzhen.demand.forms import RecommendForm
from yanzhen.demand.models import NeedDegree
from yanzhen.demand.recommendations import SupplyRow
from yanzhen.engines.retrieval import Need, Recommendation
from yanzhen.reference.selectors import university_get, university_strengths

# The map -------------------------------------------------------------------------------------

# The filters of the map itself; the others (a search, a source) are carried along.
MAP_FILTERS = ("industry", "discipline", "degree", "urgency", "status", "campaign")


class GraphUrls:
    """Where each node and edge of the graph leads, carrying the map's own filters."""

    def __init__(self, base: dict[str, str]) -> None:
        self.base = {
            k: v for k, v in base.items() if k in ("campaign", "status", "urgency", "degree")
        }

    def _needs(self, **more: str) -> str:
        return url("demand:need_list", query={**self.base, **more})

    def industry(self, code: str) -> str:
        return self._needs(industry=code)

    def discipline(self, code: str) -> str:
        return self._needs(discipline=code)

    def pair(self, industry: str, discipline: str) -> str:
        return self._needs(industry=industry, discipline=discipline)

    def university(self, pk: int, discipline: str) -> str:
        query = {"discipline": discipline} if discipline not in ("", "none") else None
        return url("demand:university", pk, query=query)

    def expert(self, pk: int) -> str:
        return url("demand:expert_detail", pk)


def _map_export(fmt: str, rows: list[selectors.IndustryRow]) -> HttpResponse:
    degrees = list(NeedDegree.choices)
    columns = (
        Column("industry", _("本地产业"), width=22),
        Column("discipline", _("学科"), width=24),
        *(
            Column(value, _("%(degree)s（人）") % {"degree": label}, kind="int", width=10)
            for value, label in degrees
        ),
        Column("needs", _("需求条数"), kind="int", width=10),
        Column("people", _("需求人数"), kind="int", width=10),
        Column("urgent", _("其中急需（人）"), kind="int", width=12),
    )
    flat = [(industry, discipline) for industry in rows for discipline in industry.disciplines]
    return export_response(
        fmt=fmt,
        title=_("人才需求图谱"),
        columns=columns,
        objects=flat,
        row=lambda pair: (
            pair[0].name,
            f"{pair[1].code} {pair[1].name}" if pair[1].code != "none" else pair[1].name,
            *(
                pair[1].by_degree[value].people if value in pair[1].by_degree else 0
                for value, _label in degrees
            ),
            pair[1].total.needs,
            pair[1].total.people,
            pair[1].total.urgent,
        ),
    )


def demand_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Needs by industry chain → discipline → degree, their trend across surveys, and the
    graph industries ↔ disciplines ↔ universities ↔ experts; every figure links to records."""
    require_perm(request, "demand.view_talentneed")
    user = request.user
    form = filter_form(selectors.NeedFilters, shown=MAP_FILTERS)(request.GET or None, user=user)
    filters = form.filters()
    rows = selectors.need_aggregates(user, filters)
    if fmt := export_format(request):
        require_perm(request, "demand.export_talentneed")
        return _map_export(fmt, rows)
    campaigns, trend = selectors.need_trend(user, filters)
    needs = selectors.need_graph_rows(user=user, filters=filters)
    base = filters.as_query()
    graph, universities = recommendations.need_graph(user=user, needs=needs, urls=GraphUrls(base))
    context = {
        "form": form,
        "filters": filters,
        "base": base,
        "rows": rows,
        "degrees": list(NeedDegree.choices),
        "campaigns": campaigns,
        "trend": trend,
        "graph": graph,
        "universities": universities,
        "query": urlencode(base),
        "query_urgent": urlencode({**base, "urgency": "urgent"}),
        "query_no_campaign": urlencode({k: v for k, v in base.items() if k != "campaign"}),
        "totals": {
            "needs": sum(r.total.needs for r in rows),
            "people": sum(r.total.people for r in rows),
            "urgent": sum(r.total.urgent for r in rows),
            "enterprises": len({n.enterprise_id for n in needs}),
        },
        "can_export": user.has_perm("demand.export_talentneed"),
    }
    return render(request, "demand/map.html", context)


# The supply side -----------------------------------------------------------------------------


def _university_cell(row: SupplyRow, discipline: str) -> SafeString:
    u = row.university
    query = {"discipline": discipline} if discipline else None
    flags = format_html_join(" ", "{}", ((Tag(f),) for f in u.flags))
    link = format_html('<a href="{}">{}</a>', url("demand:university", u.pk, query=query), u.name)
    return format_html("{} {}", link, flags)


def _province_cell(row: SupplyRow, home: str) -> SafeString:
    u = row.university
    if u.province and u.province == home:
        return format_html("<strong>{}</strong>", u.province)
    return format_html("{}", u.province or u.country)


def _count_link(value: int, href: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', href, value) if value else format_html("{}", 0)


def supply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Universities' strength (双一流, 4th-round grades), distance and past cooperation."""
    user = request.user
    form = filter_form(recommendations.SupplyFilters)(request.GET or None, user=user)
    filters = form.filters()
    home = places.home_province(user.unit)
    columns: list[Col[SupplyRow]] = [
        Col(
            _("高校"),
            lambda r: r.university.name,
            width=26,
            html=lambda r: _university_cell(r, filters.discipline),
        ),
        Col(
            _("省份"),
            lambda r: r.university.province,
            width=12,
            html=partial(_province_cell, home=home),
        ),
        Col(
            _("距本地（公里）"),
            lambda r: round(r.distance_km) if r.distance_km is not None else None,
            kind="int",
            width=12,
        ),
        Col(
            _("“双一流”建设学科（2022）"), lambda r: r.dfc, tag=lambda r: "", kind="list", width=40
        ),
        Col(
            _("第四轮学科评估"),
            lambda r: [f"{code} {name} {grade}" for code, name, grade in r.grades],
            kind="list",
            width=50,
            page=False,
        ),
        Col(
            _("第四轮学科评估（A 类）"),
            lambda r: None,
            export=False,
            html=lambda r: (
                format_html_join(
                    "",
                    '<span class="tag" title="{}">{} {}</span>',
                    (
                        (code, name, grade)
                        for code, name, grade in r.grades
                        if grade.startswith("A")
                    ),
                )
                or format_html("{}", "—")
            ),
        ),
        Col(
            _("与本地合作（项）"),
            lambda r: r.cooperation_count,
            kind="int",
            width=14,
            html=lambda r: _count_link(
                r.cooperation_count,
                url("cooperation:cooperation_list", query={"university": str(r.university.pk)}),
            ),
        ),
        Col(
            _("专家（人）"),
            lambda r: r.expert_count,
            kind="int",
            width=10,
            html=lambda r: _count_link(
                r.expert_count,
                url("demand:expert_list", query={"university": str(r.university.pk)}),
            ),
        ),
    ]
    note = _(
        "“双一流”建设学科与第四轮学科评估结果；距离为到本地的大致直线距离；%(p)s高校在推荐中"
        "优先（省校合作）。与本地的合作按您可见的合作台账统计。"
    ) % {"p": home}
    return render_table(
        request,
        TablePage(
            title=_("高校学科实力"),
            columns=columns,
            rows=recommendations.supply_list(user=user, filters=filters),
            form=form,
            note=note,
            empty=_("没有符合条件的高校（需导入“双一流”名单和学科评估结果）"),
        ),
    )


def university(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One university on the supply side: strengths, distance, past cooperation with the
    county, its experts, and — in reverse — the local needs it fits."""
    user = request.user
    item = university_get(pk)
    row = recommendations.supply_rows(user=user, universities=[item])[0]
    fits = (
        recommendations.fitting_needs(user=user, university=item)
        if user.has_perm("demand.view_talentneed")
        else []
    )
    context = {
        "university": item,
        "row": row,
        "strengths": university_strengths(item),
        "cooperations": selectors.university_cooperations(user, item),
        "experts": selectors.experts_at(user, item),
        "fits": fits,
        "discipline": request.GET.get("discipline", ""),
        "home_province": places.home_province(user.unit),
    }
    return render(request, "demand/university.html", context)


# Recommendation for free text, and the visit list ----------------------------------------------


def _recommendation_columns() -> tuple[Column, ...]:
    return (
        Column("rank", _("排名"), kind="int", width=6),
        Column("kind", _("类型"), width=8),
        Column("name", _("高校/专家"), width=28),
        Column("discipline", _("学科"), width=22),
        Column("score", _("综合得分"), kind="decimal", width=10),
        Column("reasons", _("推荐理由"), kind="list", width=80),
    )


def _recommendation_row(item: Recommendation) -> tuple[object, ...]:
    profile = item.profile
    who = (
        f"{profile.expert}（{profile.university}）"
        if profile.kind == "expert"
        else profile.university
    )
    return (
        item.rank,
        _("专家") if profile.kind == "expert" else _("高校"),
        who,
        f"{profile.discipline_code} {profile.discipline}".strip(),
        round(item.score, 4),
        item.reasons,
    )


def recommend(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_perm(request, "demand.view_talentneed")
    user = request.user
    form = RecommendForm(request.GET or None)
    text = (form.value("q") or "").strip()
    discipline = form.value("discipline") or ""
    degree = form.value("degree") or ""
    top = form.value("top") or 10
    result = None
    if text or discipline:
        result = recommendations.recommend(
            user=user,
            need=Need(
                text=text, discipline_codes=(discipline,) if discipline else (), degree=degree
            ),
            top=top,
        )
    if result is not None and (fmt := export_format(request)):
        return export_response(
            fmt=fmt,
            title=_("高校专家推荐"),
            columns=_recommendation_columns(),
            objects=[*result.universities.items, *result.experts.items],
            row=_recommendation_row,
        )
    return render(request, "demand/recommend.html", {"form": form, "result": result, "text": text})


VISIT_COLUMNS = (
    Column("university", "高校", width=26),
    Column("province", "省份", width=10),
    Column("distance", "距本地（公里）", kind="int", width=12),
    Column("disciplines", "对口学科", kind="list", width=30),
    Column("needs", "对接需求", kind="list", width=60),
    Column("people", "需求人数", kind="int", width=10),
    Column("experts", "拟见专家", kind="list", width=30),
    Column("reasons", "推荐理由", kind="list", width=60),
)


def visit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """For all open needs of an industry: which universities to visit for what, with whom to
    meet and why — a list a delegation can print and take along."""
    require_perm(request, "demand.view_talentneed")
    user = request.user
    code = request.GET.get("industry", "")
    industry = selectors.industry_get(code) if code else None
    needs, rows = recommendations.visit_list(user=user, industry=industry) if industry else ([], [])
    if industry is not None and (fmt := export_format(request)):
        return export_response(
            fmt=fmt,
            title=_("%(industry)s对接走访清单") % {"industry": industry.name},
            columns=VISIT_COLUMNS,
            objects=rows,
            row=lambda r: (
                r.university,
                r.province,
                round(r.distance_km) if r.distance_km is not None else None,
                r.disciplines,
                [
                    _("%(unit)s·%(position)s（%(n)s人，第%(rank)s名）")
                    % {
                        "unit": v.need.enterprise.name,
                        "position": v.need.position,
                        "n": v.need.number,
                        "rank": v.rank,
                    }
                    for v in r.needs
                ],
                r.people,
                [f"{name}（{title}）" if title else name for _id, name, title in r.experts],
                r.why,
            ),
        )
    context = {
        "industry": industry,
        "industries": selectors.visit_industries(user),
        "needs": needs,
        "rows": rows,
        "today": timezone.localdate(),
    }
    return render(request, "demand/visit_list.html", context)
