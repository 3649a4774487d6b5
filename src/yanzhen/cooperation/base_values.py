"""The bases of the API's list as plain values: one query for the bases (with their county,
leader, lead department and kind), one for their task forces, one for their pipeline counts
summed by the database from the stored tally (all bases' for the whole list of a reader who
sees everything, an index read in order; the chosen bases' otherwise) — three queries
whatever the number of bases, no model instance built (a national reader's 33,600 bases on
the benchmark's data)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, QuerySet, Sum
from django.db.models.functions import Cast

from yanzhen.cooperation.models import Base, CooperationTally, TaskForceMember
from yanzhen.cooperation.selectors import BaseFilters, base_list
from yanzhen.core.scope import scope_of
from yanzhen.engines import ledger

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser

# The figure of each stage a base's cooperations reached (the API's field names).
STAGE_FIELDS = {"intention": "intentions", "agreement": "agreements", "landed": "landed"}
# Up to this many bases are passed to the next queries by id (a list of parameters).
IDS_LISTED = 1000
_COLUMNS = (
    "pk",
    "code",
    "name",
    "county_id",
    "county__name",
    "leader_id",
    "leader__name",
    "lead_department_id",
    "lead_department__name",
    "base_type__code",
    "base_type__name",
)


def base_values(
    *, user: AnyUser, filters: BaseFilters, offset: int = 0, limit: int | None = None
) -> list[dict[str, Any]]:
    """The bases ``user`` sees, filtered and in the list's order, from ``offset``, at most
    ``limit`` of them (all when None), each as the API gives a base (``BaseOut``)."""
    bases: QuerySet[Base] = base_list(
        user=user, q=filters.q, base_type=filters.base_type, county=filters.county
    )
    if limit is not None:
        bases = bases[offset : offset + limit]
    elif offset:
        bases = bases[offset:]
    rows = list(bases.values_list(*_COLUMNS))
    if not rows:
        return []
    # The bases' ids as a list when there are few: the planner reads a subquery of a scoped
    # list (its lead department or county in the scope) as 25,000 bases where there are 12, and
    # then sums the whole base dimension of the tally (408,401 index rows on the benchmark's
    # million: 77 ms) instead of looking up the 12 bases' keys.
    few = len(rows) <= IDS_LISTED
    chosen: Any = [row[0] for row in rows] if few else bases.values("pk")
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for base_id, person_id, person_name in (
        TaskForceMember.objects.filter(base_id__in=chosen)
        .order_by("base_id", "sort_order", "id")
        .values_list("base_id", "person_id", "person__name")
    ):
        members[base_id].append({"id": person_id, "name": person_name})
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    tally = CooperationTally.objects.filter(dimension=ledger.BASE, stage__in=list(STAGE_FIELDS))
    if limit is not None or not scope_of(user).everything:
        tally = tally.filter(
            key__in=[str(pk) for pk in chosen]
            if few
            else bases.annotate(key=Cast("pk", CharField())).values("key")
        )
    # Grouped in the index's order (dimension, stage, key): summed as the index is read.
    for stage, key, count in tally.order_by().values_list("stage", "key").annotate(n=Sum("count")):
        counts[key][STAGE_FIELDS[stage]] = count
    out: list[dict[str, Any]] = []
    for pk, code, name, county, county_name, leader, leader_name, dept, dept_name, t, tn in rows:
        figures = counts.get(str(pk), {})
        out.append(
            {
                "id": pk,
                "code": code,
                "name": name,
                "county": {"id": county, "name": county_name},
                "leader": {"id": leader, "name": leader_name} if leader is not None else None,
                "lead_department": {"id": dept, "name": dept_name},
                "base_type": {"code": t, "name": tn} if t is not None else None,
                "members": members.get(pk, []),
                **{field: figures.get(field, 0) for field in STAGE_FIELDS.values()},
            }
        )
    return out
