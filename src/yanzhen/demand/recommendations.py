"""Recommendations (reads): the supply side as engine profiles, the user's context, and the
rankings — for one need, for free text, for all needs of an industry (the visit list), and in
reverse for a university or an expert.

Profiles are built from the reference lists (双一流 disciplines, 4th-round grades), the
discipline terms in ``data/discipline_terms.csv`` and the experts; the engine is kept per
process and rebuilt when those tables change (a signature of counts and last ids). The
context — past cooperation counts — is computed per user through the cooperation ledger's
data scope; experts are returned only when the user may see them.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Cooperation, CooperationUniversity
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.filters import Filters, choice, flag, text
from yanzhen.demand import places
from yanzhen.demand.disciplines import discipline_choices, discipline_terms
from yanzhen.demand.models import Expert, NeedDegree, NeedStatus, TalentNeed
from yanzhen.demand.selectors import expert_qs, need_qs, visible_expert_keys
from yanzhen.engines.retrieval import (
    GRADE_VALUES,
    Context,
    Need,
    Outcome,
    Profile,
    Recommendation,
    Recommender,
    Weights,
    default_tokenizer,
)
from yanzhen.engines.stages import Stage
from yanzhen.reference.models import (
    DfcDiscipline,
    Discipline,
    DisciplineEvaluation,
    LocalIndustry,
    University,
)

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


@dataclass
class Engine:
    """The two recommenders (university-disciplines, experts) and what they were built from."""

    signature: tuple[object, ...]
    universities: Recommender
    experts: Recommender
    discipline_names: dict[str, str]
    distances: dict[str, float]
    university_ids: dict[str, int] = field(default_factory=dict)


_lock = threading.Lock()
_engines: dict[str, Engine] = {}


def _signature() -> tuple[object, ...]:
    parts: list[object] = []
    for model in (University, Discipline, DisciplineEvaluation, DfcDiscipline):
        parts.extend(model.objects.aggregate(n=Count("pk"), m=Max("pk")).values())
    parts.extend(
        Expert.objects.aggregate(
            n=Count("pk"), m=Max("pk"), u=Max("updated_at"), d=Count("disciplines")
        ).values()
    )
    parts.append(getattr(settings, "YANZHEN_HOME_COUNTY", "永济市"))
    return tuple(parts)


def engine() -> Engine:
    """The recommenders for the current data, built once per change of the supply side."""
    signature = _signature()
    with _lock:
        cached = _engines.get("default")
        if cached is not None and cached.signature == signature:
            return cached
    built = _build(signature)
    with _lock:
        _engines["default"] = built
    return built


def _degree_of(level: str, ranked: bool) -> str:
    if level == "专科":
        return "associate"
    return "doctor" if ranked else "master"


def _build(signature: tuple[object, ...]) -> Engine:
    terms = discipline_terms()
    names = {code: t.name for code, t in terms.items()}
    names.update({t.category_code: t.category_name for t in terms.values()})
    names.update(dict(Discipline.objects.values_list("code", "name")))
    # (university, discipline code) → grade and 双一流 flags.
    grades: dict[tuple[int, str], str] = {}
    evaluated_names: dict[str, str] = {}
    for university_id, code, name, grade in DisciplineEvaluation.objects.filter(
        university__isnull=False
    ).values_list("university_id", "discipline_code", "discipline_name", "grade"):
        key = (university_id, code)
        if GRADE_VALUES.get(grade, 0) > GRADE_VALUES.get(grades.get(key, ""), -1):
            grades[key] = grade
        evaluated_names.setdefault(code, name)
    dfc: dict[tuple[int, str], set[int]] = defaultdict(set)
    for university_id, code, round_ in DfcDiscipline.objects.filter(
        university__isnull=False, discipline__isnull=False
    ).values_list("university_id", "discipline__code", "round"):
        dfc[(university_id, code)].add(round_)
    experts = list(
        Expert.objects.select_related("university").prefetch_related("disciplines").order_by("pk")
    )
    directions: dict[tuple[int, str], list[str]] = defaultdict(list)
    for expert in experts:
        for discipline in expert.disciplines.all():
            directions[(expert.university_id, discipline.code)].append(expert.directions)
    pairs = sorted(set(grades) | set(dfc) | set(directions))
    universities = University.objects.in_bulk(
        {u for u, _code in pairs} | {e.university_id for e in experts}
    )
    distances: dict[str, float] = {}
    for pk, university in universities.items():
        km = places.distance_from_home(university.city, university.province)
        if km is not None:
            distances[str(pk)] = km

    def label(code: str) -> str:
        return names.get(code) or evaluated_names.get(code, "")

    profiles: list[Profile] = []
    for university_id, code in pairs:
        university = universities[university_id]
        ranked = (university_id, code) in grades or (university_id, code) in dfc
        info = terms.get(code)
        text = " ".join(
            [
                label(code),
                *(info.terms if info else ()),
                university.name,
                *directions.get((university_id, code), []),
            ]
        )
        rounds = dfc.get((university_id, code), set())
        profiles.append(
            Profile(
                key=f"u:{university_id}:{code}",
                kind="university",
                university_key=str(university_id),
                university=university.name,
                discipline_code=code,
                discipline=label(code),
                text=text,
                province=university.province,
                grade=grades.get((university_id, code), ""),
                dfc_2022=2022 in rounds,
                dfc_2017=2017 in rounds,
                max_degree=_degree_of(university.level, ranked),
            )
        )
    expert_profiles: list[Profile] = []
    for expert in experts:
        codes = sorted(d.code for d in expert.disciplines.all())
        best = max(
            codes,
            key=lambda c: (
                GRADE_VALUES.get(grades.get((expert.university_id, c), ""), 0),
                2022 in dfc.get((expert.university_id, c), set()),
            ),
            default="",
        )
        rounds = dfc.get((expert.university_id, best), set())
        text = " ".join(
            [
                expert.title,
                expert.honours,
                expert.department,
                expert.directions,
                *(label(c) for c in codes),
                expert.project_notes,
            ]
        )
        expert_profiles.append(
            Profile(
                key=f"e:{expert.pk}",
                kind="expert",
                university_key=str(expert.university_id),
                university=expert.university.name,
                discipline_code=best,
                discipline=label(best),
                text=text,
                province=expert.university.province,
                grade=grades.get((expert.university_id, best), ""),
                dfc_2022=2022 in rounds,
                dfc_2017=2017 in rounds,
                max_degree=_degree_of(
                    expert.university.level,
                    (expert.university_id, best) in grades or bool(rounds),
                ),
                expert=expert.name,
                title=expert.title,
                other_codes=tuple(c for c in codes if c != best),
            )
        )
    tokenizer = default_tokenizer()
    tokenizer.add_words([*(t for info in terms.values() for t in info.terms), *names.values()])
    return Engine(
        signature=signature,
        universities=Recommender(profiles, tokenizer=tokenizer),
        experts=Recommender(expert_profiles, tokenizer=tokenizer),
        discipline_names=names,
        distances=distances,
        university_ids={str(pk): pk for pk in universities},
    )


# Context -------------------------------------------------------------------------------------


def weights() -> Weights:
    """``settings.YANZHEN_RECOMMEND_WEIGHTS`` (a dict of parts → weight) over the defaults."""
    overrides = dict(getattr(settings, "YANZHEN_RECOMMEND_WEIGHTS", {}) or {})
    return Weights(**{**Weights().__dict__, **overrides})


def context_for(user: AnyUser | None, built: Engine | None = None) -> Context:
    """Home province, distances and past cooperation (non-dropped cooperations ``user`` may
    see; all of them for the command line, ``user=None``)."""
    built = built or engine()
    cooperations = Cooperation.objects.exclude(stage=Stage.DROPPED).filter(approved=True)
    if user is not None:
        cooperations = cooperations.filter(pk__in=cooperation_qs(user).values("pk"))
    counts: dict[str, int] = {
        str(university_id): n
        for university_id, n in CooperationUniversity.objects.filter(
            cooperation__in=cooperations.values("pk")
        )
        .values_list("university_id")
        .annotate(n=Count("cooperation_id", distinct=True))
    }
    through = Expert.projects.through
    for expert_id, n in (
        through.objects.filter(cooperation_id__in=cooperations.values("pk"))
        .values_list("expert_id")
        .annotate(n=Count("cooperation_id", distinct=True))
    ):
        counts[f"e:{expert_id}"] = n
    return Context(
        home_province=places.home_province(getattr(user, "unit", None)),
        distances_km=built.distances,
        cooperation=counts,
        weights=weights(),
        discipline_names=built.discipline_names,
    )


# Rankings ------------------------------------------------------------------------------------


def need_text(need: TalentNeed) -> str:
    return " ".join(p for p in (need.position, need.majors, need.description) if p)


def query_of(need: TalentNeed) -> Need:
    codes = tuple(d.code for d in need.disciplines.all())
    degree = "" if need.degree == NeedDegree.ANY else need.degree
    return Need(text=need_text(need), discipline_codes=codes, degree=degree)


@dataclass(frozen=True)
class Recommendations:
    universities: Outcome
    experts: Outcome


def recommend(
    *, user: AnyUser | None, need: Need, top: int = 10, built: Engine | None = None
) -> Recommendations:
    """Universities (one row per university, its best discipline) and experts for ``need``."""
    built = built or engine()
    context = context_for(user, built)
    universities = built.universities.recommend(need, context, top=top)
    if user is not None and not user.has_perm("demand.view_expert"):
        experts = Outcome((), universities.terms, (), _("您没有查看专家库的权限"))
    else:
        allowed = None if user is None else visible_expert_keys(user)
        experts = built.experts.recommend(
            need, context, top=top, per_university=False, allowed=allowed
        )
    return Recommendations(universities=universities, experts=experts)


def recommend_need(*, user: AnyUser, need: TalentNeed, top: int = 10) -> Recommendations:
    return recommend(user=user, need=query_of(need), top=top)


# The visit list: which universities to visit for what -------------------------------------------


@dataclass
class VisitNeed:
    need: TalentNeed
    rank: int
    score: float
    discipline: str


@dataclass
class VisitRow:
    university_id: int
    university: str
    province: str
    distance_km: float | None
    needs: list[VisitNeed]
    disciplines: list[str]
    experts: list[tuple[int, str, str]]  # (id, name, title)
    reasons: list[str]
    best: float
    people: int
    cooperation_count: int
    terms: list[str] = field(default_factory=list)

    @property
    def why(self) -> list[str]:
        """The reasons, once each: the need's words it matched, then disciplines, strength,
        province, cooperation."""
        matched = (
            [_("需求关键词命中：%(terms)s") % {"terms": "、".join(self.terms)}]
            if self.terms
            else []
        )
        return matched + self.reasons


def visit_list(
    *, user: AnyUser, industry: LocalIndustry | None, per_need: int = 5
) -> tuple[list[TalentNeed], list[VisitRow]]:
    """For the open needs of ``industry`` (all industries when None) that ``user`` sees, the
    universities to visit: each with the needs it fits (in its top ``per_need``), the matching
    disciplines, the experts to meet, and why; the universities fitting most needs first."""
    needs_qs = need_qs(user).filter(status=NeedStatus.OPEN)
    if industry is not None:
        needs_qs = needs_qs.filter(enterprise__local_industry=industry)
    needs = list(
        needs_qs.select_related("enterprise").prefetch_related("disciplines").order_by("code")
    )
    built = engine()
    context = context_for(user, built)
    allowed = visible_expert_keys(user)
    rows: dict[str, VisitRow] = {}
    for need in needs:
        query = query_of(need)
        found = built.universities.recommend(query, context, top=per_need)
        experts = built.experts.recommend(
            query, context, top=per_need, per_university=False, allowed=allowed
        )
        for item in found.items:
            key = item.profile.university_key
            row = rows.get(key)
            if row is None:
                row = rows[key] = VisitRow(
                    university_id=int(key),
                    university=item.profile.university,
                    province=item.profile.province,
                    distance_km=item.distance_km,
                    needs=[],
                    disciplines=[],
                    experts=[],
                    reasons=[],
                    best=0.0,
                    people=0,
                    cooperation_count=item.cooperation_count,
                )
            row.needs.append(VisitNeed(need, item.rank, item.score, item.profile.discipline))
            row.people += need.number
            row.best = max(row.best, item.score)
            label = f"{item.profile.discipline_code} {item.profile.discipline}"
            if label not in row.disciplines:
                row.disciplines.append(label)
            for term in item.matched_terms:
                if term not in row.terms:
                    row.terms.append(term)
            for part in item.parts:
                if part.name != "text" and part.reason and part.reason not in row.reasons:
                    row.reasons.append(part.reason)
            for expert in experts.items:
                if expert.profile.university_key == key and _relevant(expert):
                    entry = (
                        int(expert.profile.key[2:]),
                        expert.profile.expert,
                        expert.profile.title,
                    )
                    if entry not in row.experts:
                        row.experts.append(entry)
    ordered = sorted(
        rows.values(), key=lambda r: (-len(r.needs), -r.best, r.university, r.university_id)
    )
    return needs, ordered


def _relevant(item: Recommendation) -> bool:
    """An expert worth meeting for a need: in one of its disciplines, or close in text."""
    return item.part("discipline").value == 1.0 or item.part("text").value >= 0.5


# Reverse: which local needs fit a university or an expert ----------------------------------------


@dataclass
class Fit:
    need: TalentNeed
    recommendation: Recommendation


def fitting_needs(
    *,
    user: AnyUser,
    university: University | None = None,
    expert: Expert | None = None,
    limit: int = 50,
) -> list[Fit]:
    """The open needs ``user`` sees that ``university`` (or ``expert``) is a candidate for,
    best score first, each with its rank among all candidates for that need."""
    built = engine()
    context = context_for(user, built)
    needs = (
        need_qs(user)
        .filter(status=NeedStatus.OPEN)
        .select_related("enterprise")
        .prefetch_related("disciplines")
        .order_by("code")
    )
    fits: list[Fit] = []
    for need in needs:
        query = query_of(need)
        found: Recommendation | None
        if expert is not None:
            found = built.experts.fit_profile(query, context, f"e:{expert.pk}")
        elif university is not None:
            found = built.universities.fit(query, context, str(university.pk))
        else:
            found = None
        if found is not None:
            fits.append(Fit(need, found))
    fits.sort(key=lambda f: (-f.recommendation.score, f.recommendation.rank, f.need.code))
    return fits[:limit]


# The supply side ------------------------------------------------------------------------------


@dataclass
class SupplyRow:
    university: University
    distance_km: float | None
    dfc: list[str]
    grades: list[tuple[str, str, str]]  # (code, name, grade), best first
    cooperation_count: int
    expert_count: int


def supply_rows(
    *,
    user: AnyUser,
    universities: Iterable[University],
) -> list[SupplyRow]:
    """Strength, distance and past cooperation of each university (three queries)."""
    items = list(universities)
    ids = [u.pk for u in items]
    grades: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for university_id, code, name, grade in DisciplineEvaluation.objects.filter(
        university_id__in=ids
    ).values_list("university_id", "discipline_code", "discipline_name", "grade"):
        grades[university_id].append((code, name, grade))
    dfc: dict[int, list[str]] = defaultdict(list)
    for university_id, name, note in (
        DfcDiscipline.objects.filter(university_id__in=ids, round=2022)
        .order_by("discipline__code", "discipline_name")
        .values_list("university_id", "discipline_name", "note")
    ):
        dfc[university_id].append(name or note)
    visible = cooperation_qs(user).exclude(stage=Stage.DROPPED).filter(approved=True)
    counts = dict(
        CooperationUniversity.objects.filter(
            university_id__in=ids, cooperation__in=visible.values("pk")
        )
        .values_list("university_id")
        .annotate(n=Count("cooperation_id", distinct=True))
    )
    experts = dict(
        expert_qs(user)
        .filter(university_id__in=ids)
        .values_list("university_id")
        .annotate(n=Count("pk"))
    )
    order = {g: i for i, g in enumerate(GRADE_VALUES)}
    return [
        SupplyRow(
            university=u,
            distance_km=places.distance_from_home(u.city, u.province),
            dfc=dfc.get(u.pk, []),
            grades=sorted(grades.get(u.pk, []), key=lambda g: (order.get(g[2], 99), g[0])),
            cooperation_count=counts.get(u.pk, 0),
            expert_count=experts.get(u.pk, 0),
        )
        for u in items
    ]


@dataclass(frozen=True)
class SupplyFilters(Filters):
    q: str = text("高校")
    province: str = text("省份")
    discipline: str = choice("学科", lambda user: discipline_choices())
    grade: str = choice("评估结果不低于", [(g, g) for g in GRADE_VALUES], empty="不限")
    dfc: bool = flag("仅“双一流”高校")


class SupplyRows(Sequence[SupplyRow]):
    """The supply rows of filtered universities, made a page (or a chunk) at a time: three
    queries a page, whatever its length (:func:`supply_rows`)."""

    def __init__(self, user: AnyUser, universities: QuerySet[University]) -> None:
        self.user = user
        self.universities = universities

    def __len__(self) -> int:
        return self.universities.count()

    @overload
    def __getitem__(self, index: int) -> SupplyRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[SupplyRow]: ...

    def __getitem__(self, index: int | slice) -> SupplyRow | list[SupplyRow]:
        if isinstance(index, slice):
            return supply_rows(user=self.user, universities=self.universities[index])
        return supply_rows(user=self.user, universities=self.universities[index : index + 1])[0]

    def __iter__(self) -> Iterator[SupplyRow]:
        for start in range(0, len(self), 500):
            yield from self[start : start + 500]


def supply_list(*, user: AnyUser, filters: SupplyFilters) -> SupplyRows:
    """The universities of the supply side, filtered, with their strengths."""
    universities = supply_universities(
        q=filters.q,
        province=filters.province,
        discipline=filters.discipline,
        grade=filters.grade,
        dfc=filters.dfc,
    )
    return SupplyRows(user, universities)


def supply_universities(
    *, q: str = "", province: str = "", discipline: str = "", grade: str = "", dfc: bool = False
) -> QuerySet[University]:
    """Universities with a strength on record, filtered (a queryset, for paging)."""
    ranked = Q(pk__in=DisciplineEvaluation.objects.values("university_id")) | Q(
        pk__in=DfcDiscipline.objects.values("university_id")
    )
    qs = University.objects.filter(ranked)
    if q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(aliases__alias=q.strip())).distinct()
    if province.strip():
        qs = qs.filter(province__startswith=province.strip())
    if discipline:
        grades = list(GRADE_VALUES)
        wanted = grades[: grades.index(grade) + 1] if grade in grades else grades
        qs = qs.filter(
            Q(
                pk__in=DisciplineEvaluation.objects.filter(
                    discipline_code=discipline, grade__in=wanted
                ).values("university_id")
            )
            | (
                Q(
                    pk__in=DfcDiscipline.objects.filter(discipline__code=discipline).values(
                        "university_id"
                    )
                )
                if not grade
                else Q(pk__in=[])
            )
        )
    elif grade in GRADE_VALUES:
        grades = list(GRADE_VALUES)
        qs = qs.filter(
            pk__in=DisciplineEvaluation.objects.filter(
                grade__in=grades[: grades.index(grade) + 1]
            ).values("university_id")
        )
    if dfc:
        qs = qs.filter(is_dfc=True)
    return qs.order_by("code", "name")


# The graph: industries ↔ disciplines ↔ universities ↔ experts ------------------------------------


CATEGORIES = ("本地产业", "学科", "高校", "专家")


@dataclass
class GraphUniversity:
    """A university node of the graph: the needs of a discipline it is recommended for."""

    university_id: int
    university: str
    discipline_code: str
    discipline: str = ""
    needs: int = 0
    score: float = 0.0


def need_graph(
    *, user: AnyUser, needs: Sequence[TalentNeed], urls: Any, per_discipline: int = 3
) -> tuple[dict[str, object], list[GraphUniversity]]:
    """The ECharts graph of ``needs`` (already scoped and filtered) and, for the table under
    it, the universities recommended per discipline. ``urls`` gives each node its page:
    ``urls.industry(code)``, ``urls.discipline(code)``, ``urls.pair(industry, discipline)``,
    ``urls.university(id, discipline)`` and ``urls.expert(id)``."""
    built = engine()
    context = context_for(user, built)
    allowed = visible_expert_keys(user)
    nodes: dict[str, dict[str, object]] = {}
    links: dict[tuple[str, str], dict[str, object]] = {}

    def node(key: str, name: str, category: int, url: str, people: int = 0) -> None:
        entry = nodes.setdefault(
            key, {"id": key, "name": name, "category": category, "value": 0, "url": url}
        )
        entry["value"] = int(str(entry["value"])) + people

    def link(a: str, b: str, url: str, value: float) -> None:
        entry = links.setdefault((a, b), {"source": a, "target": b, "value": 0, "url": url})
        entry["value"] = round(float(str(entry["value"])) + value, 4)

    per: dict[str, dict[int, GraphUniversity]] = defaultdict(dict)
    expert_hits: dict[str, dict[int, tuple[float, Recommendation]]] = defaultdict(dict)
    for need in needs:
        industry = need.enterprise.local_industry
        industry_code = industry.code if industry else "none"
        industry_key = f"i:{industry_code}"
        node(
            industry_key,
            industry.name if industry else _("未归类"),
            0,
            urls.industry(industry_code),
            need.number,
        )
        codes = [d.code for d in need.disciplines.all()] or ["none"]
        query = query_of(need)
        found = built.universities.recommend(query, context, top=per_discipline)
        experts = built.experts.recommend(
            query, context, top=per_discipline, per_university=False, allowed=allowed
        )
        for code in codes:
            name = (
                built.discipline_names.get(code, _("未注明学科"))
                if code != "none"
                else _("未注明学科")
            )
            node(f"d:{code}", name, 1, urls.discipline(code), need.number)
            link(industry_key, f"d:{code}", urls.pair(industry_code, code), need.number)
            for item in found.items:
                if (
                    code != "none"
                    and item.profile.discipline_code != code
                    and code in query.discipline_codes
                ):
                    continue
                pk = int(item.profile.university_key)
                entry = per[code].setdefault(
                    pk,
                    GraphUniversity(
                        pk,
                        item.profile.university,
                        item.profile.discipline_code,
                        item.profile.discipline,
                    ),
                )
                entry.needs += 1
                entry.score = round(entry.score + item.score, 4)
            for item in experts.items:
                pk = int(item.profile.key[2:])
                best = expert_hits[code].get(pk)
                if best is None or item.score > best[0]:
                    expert_hits[code][pk] = (item.score, item)
    table: list[GraphUniversity] = []
    for code, entries in per.items():
        chosen = sorted(entries.values(), key=lambda g: (-g.needs, -g.score, g.university))[
            :per_discipline
        ]
        table.extend(chosen)
        for entry in chosen:
            key = f"u:{entry.university_id}"
            node(key, entry.university, 2, urls.university(entry.university_id, code))
            link(f"d:{code}", key, urls.university(entry.university_id, code), entry.score)
    for code, hits in expert_hits.items():
        ranked = sorted(hits.values(), key=lambda h: (-h[0], h[1].profile.key))[:per_discipline]
        for score, item in ranked:
            university_key = f"u:{item.profile.university_key}"
            if university_key not in nodes:
                node(
                    university_key,
                    item.profile.university,
                    2,
                    urls.university(int(item.profile.university_key), code),
                )
                link(
                    f"d:{code}",
                    university_key,
                    urls.university(int(item.profile.university_key), code),
                    score,
                )
            expert_key = f"e:{item.profile.key[2:]}"
            node(expert_key, item.profile.expert, 3, urls.expert(int(item.profile.key[2:])))
            link(university_key, expert_key, urls.expert(int(item.profile.key[2:])), score)
    graph = {
        "categories": [{"name": c} for c in CATEGORIES],
        "nodes": sorted(nodes.values(), key=lambda n: str(n["id"])),
        "links": [links[k] for k in sorted(links)],
    }
    table.sort(key=lambda g: (g.discipline_code, -g.needs, -g.score, g.university))
    return graph, table


def as_dict(item: Recommendation) -> dict[str, Any]:
    """A recommendation as plain data (the API and ``yanzhen recommend --json``)."""
    profile = item.profile
    expert = profile.kind == "expert"
    return {
        "rank": item.rank,
        "kind": profile.kind,
        "university": profile.university,
        "university_id": int(profile.university_key),
        "discipline": f"{profile.discipline_code} {profile.discipline}".strip(),
        "discipline_code": profile.discipline_code,
        "discipline_name": profile.discipline,
        "expert": profile.expert if expert else None,
        "expert_id": int(profile.key[2:]) if expert else None,
        "title": profile.title if expert else None,
        "score": item.score,
        "reasons": item.reasons,
        "parts": [
            {
                "name": p.name,
                "label": p.label,
                "value": round(p.value, 4),
                "weight": round(p.weight, 4),
                "points": round(p.points, 4),
                "reason": p.reason,
            }
            for p in item.parts
        ],
        "matched_terms": list(item.matched_terms),
        "grade": profile.grade or None,
        "dfc_2022": profile.dfc_2022,
        "province": profile.province,
        "distance_km": round(item.distance_km, 1) if item.distance_km is not None else None,
        "cooperation_count": item.cooperation_count,
        "other_disciplines": list(item.also),
    }
