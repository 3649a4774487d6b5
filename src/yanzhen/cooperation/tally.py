"""The stored running tally of the ledger's figures, and the facts each cooperation feeds it.

Amounts are stored in fen (integer hundredths of a 万元 figure) so that SQLite, which keeps
decimals as floating point, adds them exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from yanzhen.cooperation.models import (
    Cooperation,
    CooperationParty,
    CooperationTally,
    CooperationUniversity,
)
from yanzhen.core.models import Unit
from yanzhen.engines.ledger import (
    CoopFacts,
    FactColumns,
    TallyKey,
    TallyValue,
    sum_contributions,
)
from yanzhen.engines.stages import Stage

_FEN = Decimal(100)


def facts_of(cooperation: Cooperation, university_ids: Iterable[int]) -> CoopFacts:
    return CoopFacts(
        stage=Stage(cooperation.stage),
        intention_date=cooperation.intention_date,
        agreement_date=cooperation.agreement_date,
        landed_date=cooperation.landed_date,
        dropped_date=cooperation.dropped_date,
        channel=cooperation.channel,
        kind=cooperation.kind,
        industry=cooperation.local_industry.code if cooperation.local_industry else "",
        base=str(cooperation.base_id or ""),
        university_keys=tuple(str(u) for u in sorted(set(university_ids))),
        planned_investment=Decimal(cooperation.planned_investment),
        landed_investment=Decimal(cooperation.landed_investment),
        participants=cooperation.participants,
    )


FACT_FIELDS = (
    "pk",
    "stage",
    "intention_date",
    "agreement_date",
    "landed_date",
    "dropped_date",
    "channel",
    "kind",
    "local_industry__code",
    "base_id",
    "planned_investment",
    "landed_investment",
    "participants",
)


def facts_from_tuple(row: Sequence[Any], university_ids: Iterable[int]) -> CoopFacts:
    """Facts from a ``values_list(*FACT_FIELDS)`` row (the fast path for many cooperations)."""
    (
        _pk,
        stage,
        intention_date,
        agreement_date,
        landed_date,
        dropped_date,
        channel,
        kind,
        industry,
        base_id,
        planned,
        landed,
        participants,
    ) = row
    return CoopFacts(
        stage=Stage(str(stage)),
        intention_date=intention_date,
        agreement_date=agreement_date,
        landed_date=landed_date,
        dropped_date=dropped_date,
        channel=str(channel),
        kind=str(kind),
        industry=str(industry or ""),
        base=str(base_id) if base_id is not None else "",
        university_keys=tuple(str(u) for u in sorted(set(university_ids))),
        planned_investment=Decimal(str(planned)),
        landed_investment=Decimal(str(landed)),
        participants=int(participants),
    )


def facts_for(cooperation_ids: Iterable[int] | QuerySet[Any, Any] | None) -> dict[int, CoopFacts]:
    """Facts of the given cooperations (all of them when ``None``), in two queries.

    ``cooperation_ids`` may be a queryset of ids (``values("pk")``): it is then used as a
    subquery, so no list of ids travels to the database (nor hits its limit on parameters).
    """
    return dict(iter_facts(cooperation_ids))


def columns_for(cooperations: QuerySet[Cooperation]) -> FactColumns:
    """The facts of the given cooperations (e.g. those a user may see) column by column,
    read in one query with their universities joined: what a scoped dashboard sums."""
    rows = cooperations.order_by().values_list(*FACT_FIELDS, "universities__id")
    facts: dict[int, tuple[Any, ...]] = {}
    universities: dict[int, list[str]] = {}
    for *row, university in rows:
        pk = row[0]
        if pk not in facts:
            facts[pk] = tuple(row)
            universities[pk] = []
        if university is not None:
            universities[pk].append(str(university))
    if not facts:
        return FactColumns.of(())
    (pks, stage, intention, agreement, landed, dropped, channel, kind, industry, base,
     planned, landed_investment, participants) = zip(*facts.values(), strict=True)  # fmt: skip
    return FactColumns(
        stage=stage,
        intention_date=intention,
        agreement_date=agreement,
        landed_date=landed,
        dropped_date=dropped,
        channel=channel,
        kind=kind,
        industry=[code or "" for code in industry],
        base=["" if b is None else str(b) for b in base],
        university_keys=[universities[pk] for pk in pks],
        planned_investment=planned,
        landed_investment=landed_investment,
        participants=participants,
    )


def iter_facts(
    cooperation_ids: Iterable[int] | QuerySet[Any, Any] | None,
) -> Iterator[tuple[int, CoopFacts]]:
    """``facts_for`` as a stream of ``(id, facts)``, for sums over many cooperations."""
    rows = Cooperation.objects.order_by()
    links = CooperationUniversity.objects.order_by()
    if cooperation_ids is not None:
        ids = cooperation_ids if isinstance(cooperation_ids, QuerySet) else list(cooperation_ids)
        rows = rows.filter(pk__in=ids)
        links = links.filter(cooperation_id__in=ids)

    def fetch(qs: QuerySet[Any, Any]) -> Iterable[Any]:
        # The whole ledger streams in chunks (a server-side cursor on PostgreSQL); a user's
        # part of it is read at once, without the cursor's round trips.
        return qs.iterator(chunk_size=10_000) if cooperation_ids is None else qs

    universities: dict[int, list[int]] = defaultdict(list)
    for coop_id, uni_id in fetch(links.values_list("cooperation_id", "university_id")):
        universities[coop_id].append(uni_id)
    no_universities: tuple[int, ...] = ()
    for row in fetch(rows.values_list(*FACT_FIELDS)):
        yield row[0], facts_from_tuple(row, universities.get(row[0], no_universities))


def party_ids(cooperation_id: int) -> set[int]:
    return set(
        CooperationParty.objects.filter(cooperation_id=cooperation_id).values_list(
            "unit_id", flat=True
        )
    )


def apply_delta(delta: Mapping[TallyKey, TallyValue]) -> None:
    """Add ``delta`` to the stored tally (an upsert per key; must run inside the write's
    transaction)."""
    if not delta:
        return
    table = connection.ops.quote_name(CooperationTally._meta.db_table)
    q = connection.ops.quote_name
    columns = ["dimension", "key", "stage", "year", "count", "planned", "landed", "participants"]
    # Table and column names come from the model, never from input; values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({q('dimension')}, {q('key')}, {q('stage')}, {q('year')}) DO UPDATE SET "
        + ", ".join(
            f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}"
            for c in ("count", "planned", "landed", "participants")
        )
    )
    params = [
        (
            key[0],
            key[1],
            str(key[2]),
            key[3],
            value.count,
            int(value.planned * _FEN),
            int(value.landed * _FEN),
            value.participants,
        )
        for key, value in sorted(delta.items())
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def stored_rows(**filters: object) -> dict[TallyKey, TallyValue]:
    """The stored tally rows (optionally filtered), amounts back in 万元."""
    out: dict[TallyKey, TallyValue] = {}
    for row in CooperationTally.objects.filter(**filters).values_list(
        "dimension", "key", "stage", "year", "count", "planned", "landed", "participants"
    ):
        value = TallyValue(row[4], Decimal(row[5]) / _FEN, Decimal(row[6]) / _FEN, row[7])
        if not value.is_zero():
            out[(row[0], row[1], row[2], row[3])] = value
    return out


@transaction.atomic
def recount() -> int:
    """Rebuild the tally and the units' cooperation counts from the records themselves."""
    rows = sum_contributions(facts for _pk, facts in iter_facts(None))
    CooperationTally.objects.all().delete()
    CooperationTally.objects.bulk_create(
        (
            CooperationTally(
                dimension=k[0],
                key=k[1],
                stage=str(k[2]),
                year=k[3],
                count=v.count,
                planned=int(v.planned * _FEN),
                landed=int(v.landed * _FEN),
                participants=v.participants,
            )
            for k, v in rows.items()
        ),
        batch_size=5000,
    )
    counts: dict[int, int] = defaultdict(int)
    active = (
        CooperationParty.objects.exclude(cooperation__stage=Stage.DROPPED)
        .values_list("unit_id", flat=True)
        .iterator(chunk_size=10_000)
    )
    for unit_id in active:
        counts[unit_id] += 1
    Unit.objects.filter(cooperation_count__gt=0).update(cooperation_count=0)
    by_count: dict[int, list[int]] = defaultdict(list)
    for unit_id, n in counts.items():
        by_count[n].append(unit_id)
    for n, ids in by_count.items():
        for start in range(0, len(ids), 5000):
            Unit.objects.filter(pk__in=ids[start : start + 5000]).update(cooperation_count=n)
    return len(rows)
