"""The stored running tally of the ledger's figures, and the facts each cooperation feeds it.

Amounts are stored in fen (integer hundredths of a 万元 figure) so that SQLite, which keeps
decimals as floating point, adds them exactly.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import StrIndex, Substr

from yanzhen.cooperation.models import (
    Cooperation,
    CooperationParty,
    CooperationTally,
    CooperationUniversity,
)
from yanzhen.core.models import Unit, UnitClosure, UnitKind
from yanzhen.engines import ledger
from yanzhen.engines.ledger import (
    BASE,
    CHANNEL,
    CURRENT,
    DROPPED,
    INDUSTRY,
    KIND,
    MONTH,
    OPEN_SINCE,
    SIGN_LAG,
    TOTAL,
    UNIVERSITY,
    CoopFacts,
    FactColumns,
    TallyKey,
    TallyValue,
    sum_contributions,
)
from yanzhen.engines.stages import STAGE_LABELS, Stage

_FEN = Decimal(100)


def county_subquery() -> Subquery:
    """The id of the county a cooperation's owner is in (a subquery over the unit tree)."""
    return Subquery(
        UnitClosure.objects.filter(
            descendant_id=OuterRef("owner_unit_id"), ancestor__kind=UnitKind.COUNTY
        ).values("ancestor_id")[:1]
    )


def county_of_units() -> dict[int, int]:
    """Every unit's county (units below no county left out), in one read of the unit tree: what
    ``county_subquery`` finds for one owner, for all of them at once."""
    rows = UnitClosure.objects.filter(ancestor__kind=UnitKind.COUNTY).order_by()
    return dict(rows.values_list("descendant_id", "ancestor_id").iterator(chunk_size=50_000))


def county_key(owner_unit_id: int) -> str:
    county = (
        UnitClosure.objects.filter(descendant_id=owner_unit_id, ancestor__kind=UnitKind.COUNTY)
        .values_list("ancestor_id", flat=True)
        .first()
    )
    return "" if county is None else str(county)


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
        county=county_key(cooperation.owner_unit_id),
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
    "county",  # annotated: ``county_subquery``
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
        county,
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
        county="" if county is None else str(county),
    )


def facts_for(cooperation_ids: Iterable[int] | QuerySet[Any, Any] | None) -> dict[int, CoopFacts]:
    """Facts of the given cooperations (all of them when ``None``), in two queries.

    ``cooperation_ids`` may be a queryset of ids (``values("pk")``): it is then used as a
    subquery, so no list of ids travels to the database (nor hits its limit on parameters).
    """
    return dict(iter_facts(cooperation_ids))


def columns_for(cooperations: QuerySet[Cooperation], *, counties: bool = True) -> FactColumns:
    """The facts of the given cooperations (e.g. those a user may see) column by column,
    read in one query with their universities joined (and a second for their owners'
    counties): what a scoped dashboard sums. ``counties=False``: without the counties (no
    county dimension is summed), for a dashboard that compares no counties."""
    # Each owner's county is read once per owner afterwards, not by a subquery per row (on
    # the benchmark's million, a county's 3,295 cooperations: 4,270 subqueries, 60,000 index
    # pages, half the query's time).
    rows = (
        cooperations.filter(approved=True)
        .order_by()
        .values_list(
            *(f for f in FACT_FIELDS if f != "county"), "owner_unit_id", "universities__id"
        )
    )
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
    owners = {row[-1] for row in facts.values()} if counties else set()
    county_of = dict(
        UnitClosure.objects.filter(descendant_id__in=owners, ancestor__kind=UnitKind.COUNTY)
        .order_by("ancestor_id")
        .values_list("descendant_id", "ancestor_id")
        if owners
        else ()
    )
    (pks, stage, intention, agreement, landed, dropped, channel, kind, industry, base,
     planned, landed_investment, participants, owner) = zip(*facts.values(), strict=True)  # fmt: skip
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
        county=[str(county_of.get(o, "")) for o in owner] if counties else [],
    )


def ledger_generation() -> int | None:
    """The ledger's generation (:class:`LedgerGeneration`): sums of the ledger computed while
    it holds this value may be kept and reused while it does. None when they may not be kept:
    the row is missing (a database emptied by a test's flush), or, on PostgreSQL, this
    transaction has written something already (its generation changes only at its commit, so
    what it reads now may be rows no one else sees yet)."""
    with connection.cursor() as cursor:
        cursor.execute(_READ_GENERATION.get(connection.vendor, _READ_GENERATION["sqlite"]))
        row = cursor.fetchone()
    return None if row is None else int(row[0])


_READ_GENERATION = {
    "postgresql": "SELECT value FROM cooperation_ledgergeneration "
    "WHERE id = 1 AND txid_current_if_assigned() IS NULL",
    "sqlite": "SELECT value FROM cooperation_ledgergeneration WHERE id = 1",
}


def iter_facts(
    cooperation_ids: Iterable[int] | QuerySet[Any, Any] | None,
) -> Iterator[tuple[int, CoopFacts]]:
    """``facts_for`` as a stream of ``(id, facts)``, for sums over many cooperations."""
    # Pending ones count nowhere.
    rows = Cooperation.objects.filter(approved=True).order_by()
    links = CooperationUniversity.objects.filter(cooperation__approved=True).order_by()
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
    if cooperation_ids is not None:
        for row in fetch(rows.annotate(county=county_subquery()).values_list(*FACT_FIELDS)):
            yield row[0], facts_from_tuple(row, universities.get(row[0], no_universities))
        return
    # The whole ledger: each owner's county from one read of the unit tree, not a subquery
    # per cooperation (on the ledger benchmark's million, loaded machine: ~1 min per 10,000 rows).
    counties = county_of_units()
    fields = (*FACT_FIELDS[:-1], "owner_unit_id")
    for *row, owner in fetch(rows.values_list(*fields)):
        row.append(counties.get(owner))
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


def stored_county_funnels(year: int | None) -> dict[str, ledger.Funnel]:
    """Per county (its id), the funnel of the stored tally's county dimension summed by the
    database — a few thousand rows back whatever the size of the ledger — **without** its
    universities (0: :func:`stored_county_universities` counts them for the counties shown).
    The other figures are those of ``ledger.county_funnels(stored_rows(...))``."""
    rows = CooperationTally.objects.filter(dimension=ledger.COUNTY).order_by()
    if year is not None:
        rows = rows.filter(year=year)
    totals: dict[str, dict[str, TallyValue]] = defaultdict(dict)
    # Grouped in the index's order (dimension, stage, key): summed as the index is read.
    sums = rows.values_list("stage", "key").annotate(
        n=Sum("count"), p=Sum("planned"), l=Sum("landed"), a=Sum("participants")
    )
    for stage, key, count, planned, landed, participants in sums:
        value = TallyValue(count, Decimal(planned) / _FEN, Decimal(landed) / _FEN, participants)
        if not value.is_zero():
            totals[key][stage] = value
    return ledger.county_funnels_of(totals, {})


@functools.cache
def _bytewise(alias: str) -> bool:
    """Whether the database compares text byte by byte (SQLite; PostgreSQL with a C
    collation), so that a range of keys is a prefix's keys and an index finds them."""
    if connections[alias].vendor == "sqlite":
        return True
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        row = cursor.fetchone()
    return row is not None and str(row[0]) in ("C", "POSIX", "C.UTF-8", "C.utf8")


def stored_county_universities(
    year: int | None, counties: Sequence[int] | None = None
) -> dict[str, int]:
    """Per county (its id): how many universities its cooperations have (of ``year``, or of
    all years), from the stored tally's ``county_university`` rows — of ``counties`` only
    (an index range each: a page of them in milliseconds), or of all (a million rows counted
    on the benchmark's data: about a second)."""
    rows = CooperationTally.objects.filter(dimension=ledger.COUNTY_UNIVERSITY, count__gt=0)
    if year is not None:
        rows = rows.filter(year=year)
    if counties is not None:
        if not counties:
            return {}
        ranges = Q()
        for pk in counties:
            # The key of a county's university is "<county id>:<university id>".
            prefix = Q(key__startswith=f"{pk}:")
            if _bytewise(rows.db):
                prefix &= Q(key__gte=f"{pk}:", key__lt=f"{pk};")
            ranges |= prefix
        rows = rows.filter(ranges)
    county = Substr("key", 1, StrIndex("key", Value(":")) - 1)
    counted = (
        rows.order_by()
        .annotate(county=county)
        .values_list("county")
        .annotate(n=Count("key", distinct=True))
        .values_list("county", "n")
    )
    return {str(key): n for key, n in counted}


# The stored columns of a tally row: count, planned and landed (in fen), participants.
Stored = tuple[int, int, int, int]


def _stored_value(value: TallyValue) -> Stored:
    return (
        value.count,
        int(value.planned * _FEN),
        int(value.landed * _FEN),
        value.participants,
    )


def expected_rows() -> dict[TallyKey, Stored]:
    """The tally as the records make it (every live cooperation's contributions)."""
    rows = sum_contributions(facts for _pk, facts in iter_facts(None))
    return {key: _stored_value(value) for key, value in rows.items()}


def stored_raw() -> dict[TallyKey, Stored]:
    """The tally as stored, rows of zeros left out (a row that sums to nothing is no figure)."""
    out: dict[TallyKey, Stored] = {}
    for dimension, key, stage, year, *values in CooperationTally.objects.values_list(
        "dimension", "key", "stage", "year", "count", "planned", "landed", "participants"
    ).iterator(chunk_size=10_000):
        if any(values):
            out[(dimension, key, stage, year)] = (values[0], values[1], values[2], values[3])
    return out


def expected_unit_counts() -> dict[int, int]:
    """Per unit, the live cooperations not dropped that it is a party to (what the services
    keep in ``Unit.cooperation_count``; units with none are left out)."""
    counts: dict[int, int] = defaultdict(int)
    active = (
        CooperationParty.objects.filter(
            cooperation__deleted_at__isnull=True, cooperation__approved=True
        )
        .exclude(cooperation__stage=Stage.DROPPED)
        .values_list("unit_id", flat=True)
        .iterator(chunk_size=10_000)
    )
    for unit_id in active:
        counts[unit_id] += 1
    return dict(counts)


DIMENSION_LABELS = {
    TOTAL: "合计",
    CHANNEL: "对接渠道",
    KIND: "合作类型",
    INDUSTRY: "本地产业",
    BASE: "所属基地",
    MONTH: "月份",
    UNIVERSITY: "合作高校",
    SIGN_LAG: "签约用时（天）",
    CURRENT: "当前阶段",
    OPEN_SINCE: "待推进自",
    DROPPED: "终止",
    ledger.COUNTY: "县（市、区）",
    ledger.COUNTY_UNIVERSITY: "县（市、区）合作高校",
}
COLUMN_LABELS = ("数量", "计划投资（万元）", "落地投资（万元）", "参与学生（人）")


def row_label(key: TallyKey) -> str:
    """A tally row as the report names it: ``汇总[对接渠道=invite，意向，2021年]``."""
    dimension, item, stage, year = key
    try:
        stage_label = STAGE_LABELS[Stage(stage)]
    except ValueError:
        stage_label = str(stage)
    what = DIMENSION_LABELS.get(dimension, dimension) + (f"={item}" if item else "")
    return f"汇总[{what}，{stage_label}，{f'{year}年' if year else '当前'}]"


def _column(index: int, value: int) -> str:
    return f"{Decimal(value) / _FEN:.2f}" if index in (1, 2) else str(value)


@dataclass(frozen=True)
class Difference:
    """One stored figure that is not what the records make it."""

    figure: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.figure}：{self.old} → {self.new}"


def differences() -> list[Difference]:
    """Every stored figure of the ledger that differs from a recount of the records: tally
    rows (per column) first, in the order of their keys, then units' cooperation counts."""
    out: list[Difference] = []
    stored, expected = stored_raw(), expected_rows()
    zero: Stored = (0, 0, 0, 0)
    for key in sorted(stored.keys() | expected.keys()):
        old, new = stored.get(key, zero), expected.get(key, zero)
        for index, label in enumerate(COLUMN_LABELS):
            if old[index] != new[index]:
                out.append(
                    Difference(
                        f"{row_label(key)} {label}",
                        _column(index, old[index]),
                        _column(index, new[index]),
                    )
                )
    counts = expected_unit_counts()
    wrong = Unit.objects.filter(~Q(cooperation_count=0) | Q(pk__in=list(counts)))
    for pk, name, count in wrong.order_by("pk").values_list("pk", "name", "cooperation_count"):
        if count != counts.get(pk, 0):
            out.append(
                Difference(f"单位“{name}”（编号 {pk}）合作数", str(count), str(counts.get(pk, 0)))
            )
    return out


def lock_tally() -> None:
    """Hold back the writes of the ledger while the tally is rebuilt (PostgreSQL; SQLite
    serialises writers anyway): a write waiting on the lock then adds its delta to the
    rebuilt rows, which it did not change yet."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(CooperationTally._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


@transaction.atomic
def recount() -> int:
    """Rebuild the tally and the units' cooperation counts from the records themselves."""
    lock_tally()
    rows = expected_rows()
    CooperationTally.objects.all().delete()
    CooperationTally.objects.bulk_create(
        (
            CooperationTally(
                dimension=k[0],
                key=k[1],
                stage=str(k[2]),
                year=k[3],
                count=v[0],
                planned=v[1],
                landed=v[2],
                participants=v[3],
            )
            for k, v in rows.items()
        ),
        batch_size=5000,
    )
    counts = expected_unit_counts()
    Unit.objects.filter(cooperation_count__gt=0).update(cooperation_count=0)
    by_count: dict[int, list[int]] = defaultdict(list)
    for unit_id, n in counts.items():
        by_count[n].append(unit_id)
    for n, ids in by_count.items():
        for start in range(0, len(ids), 5000):
            Unit.objects.filter(pk__in=ids[start : start + 5000]).update(cooperation_count=n)
    return len(rows)
