"""Global search (``/search/?q=``): cooperations (by code or name), units, people, talents,
needs, experts and universities — by Chinese name, alias, full pinyin or its initials
(``xajtdx`` finds 西安交通大学) — grouped by kind, each kind read through its app's scoped
queryset (a kind the user may not list is not searched at all).

Personal numbers are never searched as text: an ID number or a mobile matches only when typed
exactly, by a holder of the personal-data permission, through the keyed hashes (blind
indexes), so the search cannot be used to guess a number digit by digit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.crypto import keyed_hash
from yanzhen.core.masking import may_see_personal_data
from yanzhen.core.selectors import person_qs, unit_qs
from yanzhen.demand.selectors import expert_qs, need_qs
from yanzhen.engines.idcard import normalize_id_number
from yanzhen.engines.names import pinyin_keys
from yanzhen.reference.models import University
from yanzhen.talent.selectors.registry import talent_qs

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

MAX_QUERY = 50
PER_KIND = 10
CANDIDATES = 50  # read per kind, of which the closest PER_KIND are shown
# Names compared by pinyin in Python per kind (no stored pinyin but the universities'): a
# county's units, people, talents, needs and experts are a few thousand at most.
PINYIN_SCAN = 5000
_PINYIN = re.compile(r"^[a-z]{2,}$")
_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1\d{10}$")


@dataclass(frozen=True)
class Hit:
    label: str
    detail: str
    href: str


@dataclass(frozen=True)
class Group:
    kind: str
    hits: list[Hit]
    more: bool


@lru_cache(maxsize=50_000)
def _keys(name: str) -> tuple[str, str]:
    return pinyin_keys(name)


def _pinyin_pks(rows: Iterable[tuple[int, str]], query: str) -> list[int]:
    found = []
    for pk, name in rows:
        full, initials = _keys(name)
        if full.startswith(query) or initials.startswith(query) or query in full:
            found.append(pk)
    return found


def _closeness(label: str, query: str) -> int:
    if label.lower() == query:
        return 0
    return 1 if query in _keys(label) else 2


@dataclass(frozen=True)
class Kind:
    label: str
    perm: str | None
    queryset: Callable[[AnyUser], QuerySet[Any]]
    text: Callable[[str], Q]  # the match on name, alias or code
    name_field: str  # compared by pinyin
    hit: Callable[[Any], Hit]


def _unit_hit(u: Any) -> Hit:
    return Hit(u.name, u.get_kind_display(), reverse("core:unit_detail", args=[u.pk]))


def _named_hit(url_name: str, *details: str) -> Callable[[Any], Hit]:
    """A hit titled by the record's name, described by its ``details`` that are filled in
    (joined by " · "), linking to its page ``url_name``."""

    def hit(row: Any) -> Hit:
        parts = (getattr(row, detail) for detail in details)
        return Hit(row.name, " · ".join(x for x in parts if x), reverse(url_name, args=[row.pk]))

    return hit


def _kinds() -> tuple[Kind, ...]:
    return (
        Kind(
            "合作项目",
            "cooperation.view_cooperation",
            cooperation_qs,
            lambda q: Q(code__icontains=q) | Q(title__icontains=q),
            "title",
            lambda c: Hit(
                c.title,
                f"{c.code} · {c.get_stage_display()}",
                reverse("cooperation:cooperation_detail", args=[c.pk]),
            ),
        ),
        Kind(
            "单位",
            "core.view_unit",
            unit_qs,
            lambda q: Q(name__icontains=q) | Q(short_name__icontains=q),
            "name",
            _unit_hit,
        ),
        Kind(
            "人员",
            "core.view_person",
            person_qs,
            lambda q: Q(name__icontains=q),
            "name",
            _named_hit("core:person_detail", "title", "position"),
        ),
        Kind(
            "人才",
            "talent.view_talent",
            talent_qs,
            lambda q: Q(person__name__icontains=q),
            "person__name",
            lambda t: Hit(
                t.person.name,
                t.get_talent_type_display(),
                reverse("talent:talent_detail", args=[t.pk]),
            ),
        ),
        Kind(
            "人才需求",
            "demand.view_talentneed",
            need_qs,
            lambda q: (
                Q(code__icontains=q) | Q(position__icontains=q) | Q(enterprise__name__icontains=q)
            ),
            "position",
            lambda n: Hit(
                n.position,
                f"{n.code} · {n.enterprise.name}",
                reverse("demand:need_detail", args=[n.pk]),
            ),
        ),
        Kind(
            "专家",
            "demand.view_expert",
            expert_qs,
            lambda q: Q(name__icontains=q),
            "name",
            _named_hit("demand:expert_detail", "title", "department"),
        ),
        Kind(
            "高校",
            None,
            lambda user: University.objects.all(),
            lambda q: Q(name__icontains=q) | Q(aliases__alias__icontains=q),
            "name",
            _named_hit("reference:university_detail", "city", "level"),
        ),
    )


_RELATED = {"人才": ("person",), "人才需求": ("enterprise",)}


def _matches(kind: Kind, qs: QuerySet[Any], query: str) -> QuerySet[Any]:
    if not _PINYIN.match(query):
        return qs.filter(kind.text(query))
    if kind.label == "高校":  # pinyin and initials stored with the national list
        return qs.filter(
            kind.text(query) | Q(pinyin__startswith=query) | Q(initials__startswith=query)
        )
    rows = qs.order_by().values_list("pk", kind.name_field)[:PINYIN_SCAN]
    return qs.filter(kind.text(query) | Q(pk__in=_pinyin_pks(rows, query)))


def _numbers(user: AnyUser, query: str) -> Group | None:
    """An exact ID number or mobile, for a holder of the personal-data permission."""
    number = normalize_id_number(query)
    if not (_ID_NUMBER.match(number) or _MOBILE.match(number)):
        return None
    if not may_see_personal_data(user) or not user.has_perm("core.view_person"):
        return Group("人员", [], more=False)
    digest = keyed_hash(number)
    people = person_qs(user).filter(Q(id_number_hash=digest) | Q(mobile_hash=digest))[:PER_KIND]
    hits = [Hit(p.name, p.position, reverse("core:person_detail", args=[p.pk])) for p in people]
    return Group("人员", hits, more=False)


def search(*, user: AnyUser, query: str) -> list[Group]:
    """The hits of ``query`` by kind (kinds the user may list, with at least one hit)."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return []
    number = _numbers(user, query)
    if number is not None:  # a personal number is looked up as such, never as text
        return [number] if number.hits else []
    folded = query.lower()
    groups = []
    for kind in _kinds():
        if kind.perm is not None and not user.has_perm(kind.perm):
            continue
        qs = _matches(kind, kind.queryset(user), folded if _PINYIN.match(folded) else query)
        qs = qs.select_related(*_RELATED.get(kind.label, ())).distinct()
        found = [kind.hit(x) for x in qs.order_by("pk")[:CANDIDATES]]
        # The closest first: the name itself, then its pinyin or initials exactly, then the
        # shortest names (西安交通大学 before 西安交通大学城市学院).
        found.sort(key=lambda h: (_closeness(h.label, folded), len(h.label)))
        if found:
            groups.append(Group(kind.label, found[:PER_KIND], len(found) > PER_KIND))
    return groups
