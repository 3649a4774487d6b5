"""Reads of the reference lists: university search and resolution, strengths, trees.

Reference data is public to every signed-in user, so these selectors take no user and apply no
data scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.filters import Filters, choice, text
from yanzhen.engines.names import NameEntry, NameIndex, normalize
from yanzhen.reference.models import (
    DfcDiscipline,
    Discipline,
    DisciplineEvaluation,
    Grade,
    University,
    UniversityAlias,
)

FLAGS = {"985": "is_985", "211": "is_211", "dfc": "is_dfc", "双一流": "is_dfc"}
GRADE_ORDER = {grade: index for index, grade in enumerate(Grade.values)}

# Ranks of a search match, best first.
EXACT, ALIAS, INITIALS, PREFIX, CONTAINS = range(5)


def university_search(
    *, q: str, province: str = "", level: str = "", flag: str = "", limit: int | None = None
) -> QuerySet[University]:
    """Universities whose name, alias or 学校标识码 contains ``q``, or whose pinyin or pinyin
    initials start with it (``zbdx`` → 中北大学, ``xajt`` → 西安交通大学, ``西交大`` → 西安交通大学).

    Exact names and codes come first, then exact aliases, then exact initials or pinyin, then
    prefixes, then the rest; within a rank by code. ``province`` matches the start of the
    province (山西 or 山西省), ``level`` is 本科/专科/成人, ``flag`` is 985, 211 or 双一流 (dfc).
    """
    universities = University.objects.all()
    if province.strip():
        universities = universities.filter(province__startswith=province.strip())
    if level.strip():
        universities = universities.filter(level=level.strip())
    if flag.strip():
        field = FLAGS.get(flag.strip().lower())
        if field is None:
            message = _("未知的高校类别“%(flag)s”，可选 985、211、双一流") % {"flag": flag}
            raise DomainError("invalid_flag", message, {"flag": message})
        universities = universities.filter(**{field: True})
    text = q.strip()
    if text:
        # 中国矿业大学(北京) written with half-width brackets finds the official full-width name.
        names = {text, text.replace("(", "（").replace(")", "）")}
        key = normalize(text)
        aliases = UniversityAlias.objects.filter(university=OuterRef("pk"))
        exact_name = Q(code=text)
        found = Q(code__contains=text)
        prefix = Q()
        for name in names:
            exact_name |= Q(name=name)
            found |= Q(name__icontains=name)
            prefix |= Q(name__startswith=name)
        found |= Q(Exists(aliases.filter(alias__icontains=text)))
        ranks = [
            When(exact_name, then=Value(EXACT)),
            When(Q(Exists(aliases.filter(alias=text))), then=Value(ALIAS)),
        ]
        if key.isascii() and key.replace("(", "").replace(")", "").isalnum():
            pinyin = Q(pinyin__startswith=key) | Q(initials__startswith=key)
            found |= pinyin
            ranks.append(When(Q(initials=key) | Q(pinyin=key), then=Value(INITIALS)))
            prefix |= pinyin
        ranks.append(When(prefix, then=Value(PREFIX)))
        universities = (
            universities.filter(found)
            .annotate(match_rank=Case(*ranks, default=Value(CONTAINS), output_field=IntegerField()))
            .order_by("match_rank", "code", "name")
        )
    else:
        universities = universities.order_by("code", "name")
    if limit is not None:
        universities = universities[:limit]
    return universities


LEVELS = (("本科", "本科"), ("专科", "专科"), ("成人", "成人"))
FLAG_CHOICES = (("985", "985"), ("211", "211"), ("双一流", "双一流"))


def _flags(user: object) -> Sequence[tuple[str, str]]:
    # Offered as a choice, checked by the search (which also takes ``dfc``, in any case).
    return FLAG_CHOICES


@dataclass(frozen=True)
class UniversityFilters(Filters):
    q: str = text("名称、简称、拼音首字母或学校标识码")
    province: str = text("省份")
    level: str = choice("办学层次", LEVELS)
    flag: str = choice("类别", _flags)


def university_list(*, filters: UniversityFilters) -> QuerySet[University]:
    """The universities the filters choose (a ``DomainError`` for an unknown category)."""
    return university_search(
        q=filters.q, province=filters.province, level=filters.level, flag=filters.flag
    ).prefetch_related("aliases")


def university_names(text: str, *, limit: int) -> list[str]:
    """The names of the first ``limit`` universities found for ``text`` (suggestions)."""
    return list(university_search(q=text, limit=limit).values_list("name", flat=True))


def university_get(pk: int) -> University:
    """The university ``pk``, or 404."""
    return get_object_or_404(University, pk=pk)


def university_find(pk: int) -> University | None:
    """The university ``pk``, or None (an API body names it; the caller reports the field)."""
    return University.objects.filter(pk=pk).first()


def discipline_find(code: str) -> Discipline | None:
    """The discipline of ``code``, or None."""
    return Discipline.objects.filter(code=code).first()


def top_disciplines() -> list[tuple[str, str]]:
    """``(code, name)`` of the disciplines at the top of the catalogue (门类)."""
    return list(Discipline.objects.filter(parent__isnull=True).values_list("code", "name"))


def university_aliases(university: University) -> list[str]:
    return sorted(a.alias for a in university.aliases.all())


def universities_by_id(ids: Iterable[int]) -> dict[int, University]:
    """The universities of ``ids``, by id (unknown ids left out)."""
    return University.objects.in_bulk(list(ids))


def university_resolver() -> NameIndex:
    """A resolver of written university names (code, name, alias) to ``str(pk)``; two queries.
    The names' pinyin is the one the loaders stored (3,000 names cost 0.4 s to transcribe)."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for university_id, alias in UniversityAlias.objects.values_list("university_id", "alias"):
        aliases[university_id].append(alias)
    return NameIndex.build(
        NameEntry(key=str(pk), name=name, code=code, aliases=tuple(aliases[pk]), pinyin=pinyin)
        for pk, name, code, pinyin in University.objects.values_list("pk", "name", "code", "pinyin")
    )


@dataclass(frozen=True)
class UniversityStrengths:
    """A university's 双一流 construction disciplines (by round) and its evaluation grades."""

    dfc_2022: list[DfcDiscipline]
    dfc_2017: list[DfcDiscipline]
    evaluations: list[DisciplineEvaluation]


def university_strengths(university: University) -> UniversityStrengths:
    """The 双一流 disciplines and 4th-round evaluation grades of ``university``, best first."""
    dfc = list(
        DfcDiscipline.objects.filter(university=university)
        .select_related("discipline")
        .order_by("round", "discipline__code", "discipline_name")
    )
    evaluations = sorted(
        DisciplineEvaluation.objects.filter(university=university),
        key=lambda e: (GRADE_ORDER.get(e.grade, len(GRADE_ORDER)), e.discipline_code),
    )
    return UniversityStrengths(
        dfc_2022=[d for d in dfc if d.round == 2022],
        dfc_2017=[d for d in dfc if d.round == 2017],
        evaluations=evaluations,
    )
