"""The map (needs by industry, discipline and degree; the graph), the supply side, free-text
recommendation and the visit list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.excel import Column
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.listing import export_format, export_response, paginate, render_list
from yanzhen.core.views import require_perm
from yanzhen.demand import places, recommendations, selectors
from yanzhen.demand.forms import (
    NeedFilterForm,
    RecommendForm,
)
from yanzhen.demand.models import Expert, NeedDegree, NeedStatus
from yanzhen.demand.views.common import _query, need_list_url
from yanzhen.engines.retrieval import Need, Recommendation
from yanzhen.engines.stages import Stage
from yanzhen.reference.models import LocalIndustry
from yanzhen.reference.selectors import university_get, university_strengths

# The map -------------------------------------------------------------------------------------


class GraphUrls:
    """Where each node and edge of the graph leads, carrying the map's own filters."""

    def __init__(self, base: dict[str, str]) -> None:
        self.base = {
            k: v for k, v in base.items() if k in ("campaign", "status", "urgency", "degree")
        }

    def industry(self, code: str) -> str:
        return need_list_url(**self.base, industry=code)

    def discipline(self, code: str) -> str:
        return need_list_url(**self.base, discipline=code)

    def pair(self, industry: str, discipline: str) -> str:
        return need_list_url(**self.base, industry=industry, discipline=discipline)

    def university(self, pk: int, discipline: str) -> str:
        query = _query(discipline=discipline if discipline != "none" else "")
        return reverse("demand:university", kwargs={"pk": pk}) + (f"?{query}" if query else "")

    def expert(self, pk: int) -> str:
        return reverse("demand:expert_detail", kwargs={"pk": pk})


def demand_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Needs by industry chain → discipline → degree, their trend across surveys, and the
    graph industries ↔ disciplines ↔ universities ↔ experts; every figure links to records."""
    require_perm(request, "demand.view_talentneed")
    user = request.user
    form = NeedFilterForm(request.GET or None, campaigns=selectors.campaign_qs(user))
    filters = form.filters()
    rows = selectors.need_aggregates(user, filters)
    degrees = list(NeedDegree.choices)
    if fmt := export_format(request):
        require_perm(request, "demand.export_talentneed")
        columns = (
            Column("industry", "本地产业", width=22),
            Column("discipline", "学科", width=24),
            *(Column(value, f"{label}（人）", kind="int", width=10) for value, label in degrees),
            Column("needs", "需求条数", kind="int", width=10),
            Column("people", "需求人数", kind="int", width=10),
            Column("urgent", "其中急需（人）", kind="int", width=12),
        )
        flat = [(industry, discipline) for industry in rows for discipline in industry.disciplines]
        return export_response(
            fmt=fmt,
            title="人才需求图谱",
            columns=columns,
            objects=flat,
            row=lambda pair: (
                pair[0].name,
                f"{pair[1].code} {pair[1].name}" if pair[1].code != "none" else pair[1].name,
                *(
                    pair[1].by_degree[value].people if value in pair[1].by_degree else 0
                    for value, _ in degrees
                ),
                pair[1].total.needs,
                pair[1].total.people,
                pair[1].total.urgent,
            ),
        )
    campaigns, trend = selectors.need_trend(user, filters)
    needs = list(
        selectors.apply_need_filters(selectors.need_qs(user), filters)
        .select_related("enterprise", "enterprise__local_industry")
        .prefetch_related("disciplines")
    )
    base = filters.as_query()
    graph, universities = recommendations.need_graph(user=user, needs=needs, urls=GraphUrls(base))
    total_people = sum(r.total.people for r in rows)
    context = {
        "form": form,
        "filters": filters,
        "base": base,
        "rows": rows,
        "degrees": degrees,
        "campaigns": campaigns,
        "trend": trend,
        "graph": graph,
        "universities": universities,
        "query": urlencode(base),
        "query_urgent": urlencode({**base, "urgency": "urgent"}),
        "query_no_campaign": urlencode({k: v for k, v in base.items() if k != "campaign"}),
        "totals": {
            "needs": sum(r.total.needs for r in rows),
            "people": total_people,
            "urgent": sum(r.total.urgent for r in rows),
            "enterprises": len({n.enterprise_id for n in needs}),
        },
        "can_export": user.has_perm("demand.export_talentneed"),
    }
    return render(request, "demand/map.html", context)


# The supply side -----------------------------------------------------------------------------

GRADES = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-")


def supply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Universities' strength (双一流, 4th-round grades), distance and past cooperation."""
    user = request.user
    params = {k: request.GET.get(k, "").strip() for k in ("q", "province", "discipline", "grade")}
    dfc = request.GET.get("dfc", "") == "1"
    universities = recommendations.supply_universities(
        q=params["q"],
        province=params["province"],
        discipline=params["discipline"],
        grade=params["grade"] if params["grade"] in GRADES else "",
        dfc=dfc,
    )
    if fmt := export_format(request):
        columns = (
            Column("name", "高校", width=26),
            Column("province", "省份", width=12),
            Column("distance", "距本地（公里）", kind="int", width=12),
            Column("dfc", "“双一流”建设学科（2022）", kind="list", width=40),
            Column("grades", "第四轮学科评估", kind="list", width=50),
            Column("cooperations", "与本地合作（项）", kind="int", width=14),
            Column("experts", "专家（人）", kind="int", width=10),
        )
        rows = recommendations.supply_rows(user=user, universities=universities)
        return export_response(
            fmt=fmt,
            title="高校学科实力",
            columns=columns,
            objects=rows,
            row=lambda r: (
                r.university.name,
                r.university.province,
                round(r.distance_km) if r.distance_km is not None else None,
                r.dfc,
                [f"{code} {name} {grade}" for code, name, grade in r.grades],
                r.cooperation_count,
                r.expert_count,
            ),
        )
    page = paginate(request, universities)
    context = {
        "page": page,
        "rows": recommendations.supply_rows(user=user, universities=page.object_list),
        "params": params,
        "dfc": dfc,
        "grades": GRADES,
        "disciplines": recommendations.discipline_choices(),
        "home_province": places.home_province(),
    }
    return render_list(request, "demand/supply.html", context)


def university(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One university on the supply side: strengths, distance, past cooperation with the
    county, its experts, and — in reverse — the local needs it fits."""
    user = request.user
    item = university_get(pk)
    row = recommendations.supply_rows(user=user, universities=[item])[0]
    visible = cooperation_qs(user).exclude(stage=Stage.DROPPED)
    fits = (
        recommendations.fitting_needs(user=user, university=item)
        if user.has_perm("demand.view_talentneed")
        else []
    )
    discipline = request.GET.get("discipline", "")
    context = {
        "university": item,
        "row": row,
        "strengths": university_strengths(item),
        "cooperations": visible.filter(universities=item).order_by("-intention_date")[:50],
        "experts": selectors.expert_qs(user).filter(university=item).prefetch_related("disciplines")
        if user.has_perm("demand.view_expert")
        else Expert.objects.none(),
        "fits": fits,
        "discipline": discipline,
        "home_province": places.home_province(),
    }
    return render(request, "demand/university.html", context)


# Recommendation for free text, and the visit list ----------------------------------------------


def _recommendation_columns() -> tuple[Column, ...]:
    return (
        Column("rank", "排名", kind="int", width=6),
        Column("kind", "类型", width=8),
        Column("name", "高校/专家", width=28),
        Column("discipline", "学科", width=22),
        Column("score", "综合得分", kind="decimal", width=10),
        Column("reasons", "推荐理由", kind="list", width=80),
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
        "专家" if profile.kind == "expert" else "高校",
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
            title="高校专家推荐",
            columns=_recommendation_columns(),
            objects=[*result.universities.items, *result.experts.items],
            row=_recommendation_row,
        )
    return render(request, "demand/recommend.html", {"form": form, "result": result, "text": text})


def visit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """For all open needs of an industry: which universities to visit for what, with whom to
    meet and why — a list a delegation can print and take along."""
    require_perm(request, "demand.view_talentneed")
    user = request.user
    code = request.GET.get("industry", "")
    industry = LocalIndustry.objects.filter(code=code).first() if code else None
    if code and industry is None:
        raise Http404
    needs, rows = recommendations.visit_list(user=user, industry=industry) if code else ([], [])
    if code and (fmt := export_format(request)):
        columns = (
            Column("university", "高校", width=26),
            Column("province", "省份", width=10),
            Column("distance", "距本地（公里）", kind="int", width=12),
            Column("disciplines", "对口学科", kind="list", width=30),
            Column("needs", "对接需求", kind="list", width=60),
            Column("people", "需求人数", kind="int", width=10),
            Column("experts", "拟见专家", kind="list", width=30),
            Column("reasons", "推荐理由", kind="list", width=60),
        )
        return export_response(
            fmt=fmt,
            title=f"{industry.name if industry else ''}对接走访清单",
            columns=columns,
            objects=rows,
            row=lambda r: (
                r.university,
                r.province,
                round(r.distance_km) if r.distance_km is not None else None,
                r.disciplines,
                [
                    f"{v.need.enterprise.name}·{v.need.position}（{v.need.number}人，第{v.rank}名）"
                    for v in r.needs
                ],
                r.people,
                [f"{name}（{title}）" if title else name for _, name, title in r.experts],
                r.why,
            ),
        )
    counts = dict(
        selectors.need_qs(user)
        .filter(status=NeedStatus.OPEN)
        .values_list("enterprise__local_industry__code")
        .annotate(n=Count("pk"))
    )
    industries = [(i, counts.get(i.code, 0)) for i in LocalIndustry.objects.all()]
    context = {
        "industry": industry,
        "industries": industries,
        "needs": needs,
        "rows": rows,
        "today": timezone.localdate(),
    }
    return render(request, "demand/visit_list.html", context)
