"""The figures of the cooperation ledger, defined once.

Pure Python. Every dashboard figure is a sum of *contributions*: each cooperation contributes
rows ``(dimension, key, stage, year) → (count, planned, landed, participants)``. The platform
keeps a running tally of these rows for the whole ledger (updated in the same transaction as
every write: subtract the old contributions, add the new), and for a scoped user sums the
contributions of the visible cooperations directly. Both use :func:`contributions`, so the
figures cannot drift apart, and a full recount is the sum over all cooperations.

Semantics: a cooperation counts as an intention, agreement or landed project in the year
its date of that stage falls in ("reached" counts, which is how the offices report: 2021年
签约81项), whether or not it later went further or was dropped. Current-state dimensions
(year 0) describe the ledger as it is now: the current stage, and the open intentions and
agreements by the month they have been waiting since.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from itertools import islice
from operator import attrgetter

from yanzhen.engines.stages import Stage

PIPELINE = (Stage.INTENTION, Stage.AGREEMENT, Stage.LANDED)

# Dimensions of the tally.
TOTAL = "total"
CHANNEL = "channel"
KIND = "kind"
INDUSTRY = "industry"
BASE = "base"
MONTH = "month"
UNIVERSITY = "university"
SIGN_LAG = "sign_lag"
CURRENT = "current"
OPEN_SINCE = "open_since"
DROPPED = "dropped"
# Per county (key: the county's id): the amounts of each stage, the dropped; and the
# universities of each county's intentions (key ``<county>:<university>``).
COUNTY = "county"
COUNTY_UNIVERSITY = "county_university"

# Days from intention to agreement, bucketed: (label key, lowest day, highest day or None).
LAG_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    ("181-", 181, None),
)


def lag_bucket(days: int) -> str:
    for key, low, high in LAG_BUCKETS:
        if days >= low and (high is None or days <= high):
            return key
    return LAG_BUCKETS[0][0]


@dataclass(frozen=True)
class CoopFacts:
    """What the figures need to know about one cooperation."""

    stage: Stage
    intention_date: dt.date
    agreement_date: dt.date | None
    landed_date: dt.date | None
    dropped_date: dt.date | None
    channel: str
    kind: str
    industry: str
    base: str
    university_keys: tuple[str, ...]
    planned_investment: Decimal = Decimal(0)
    landed_investment: Decimal = Decimal(0)
    participants: int = 0
    county: str = ""  # the id of the owner's county ("" when it is in none)


TallyKey = tuple[str, str, str, int]


@dataclass
class TallyValue:
    count: int = 0
    planned: Decimal = Decimal(0)
    landed: Decimal = Decimal(0)
    participants: int = 0

    def add(self, other: TallyValue, sign: int = 1) -> None:
        self.count += sign * other.count
        self.planned += sign * other.planned
        self.landed += sign * other.landed
        self.participants += sign * other.participants

    def is_zero(self) -> bool:
        return self.count == 0 and self.planned == 0 and self.landed == 0 and self.participants == 0


def contributions(facts: CoopFacts) -> Iterator[tuple[TallyKey, TallyValue]]:
    """The tally rows one cooperation contributes (defined by :func:`sum_contributions`)."""
    yield from sum_contributions((facts,)).items()


_FACT_NAMES = tuple(f.name for f in fields(CoopFacts))


@dataclass(frozen=True)
class FactColumns:
    """The facts of many cooperations column by column: item ``i`` of every column is
    cooperation ``i`` (the fields of :class:`CoopFacts`, in their order)."""

    stage: Sequence[str]
    intention_date: Sequence[dt.date]
    agreement_date: Sequence[dt.date | None]
    landed_date: Sequence[dt.date | None]
    dropped_date: Sequence[dt.date | None]
    channel: Sequence[str]
    kind: Sequence[str]
    industry: Sequence[str]
    base: Sequence[str]
    university_keys: Sequence[Sequence[str]]
    planned_investment: Sequence[Decimal]
    landed_investment: Sequence[Decimal]
    participants: Sequence[int]
    county: Sequence[str] = ()

    @classmethod
    def of(cls, cooperations: Iterable[CoopFacts]) -> FactColumns:
        columns = list(zip(*map(attrgetter(*_FACT_NAMES), cooperations), strict=True))
        return cls(*(columns or [()] * len(_FACT_NAMES)))


def sum_contributions(cooperations: Iterable[CoopFacts]) -> dict[TallyKey, TallyValue]:
    """The tally rows of a set of cooperations: the sum of what each one contributes.

    Each cooperation contributes, for each stage it reached, in that stage's year: a row of
    the dimension ``total`` and of its ``kind`` with its amounts, and a count of one for its
    channel, local industry, base, month and each of its universities; its signing lag (in
    the agreement's year); its current stage (year 0); the year it was dropped; and, while
    it is an open intention or agreement, the month it has been waiting since (year 0).
    """
    rows: dict[TallyKey, TallyValue] = {}
    chunks = iter(cooperations)
    while chunk := list(islice(chunks, 10_000)):
        for key, value in sum_columns(FactColumns.of(chunk)).items():
            if key in rows:
                rows[key].add(value)
            else:
                rows[key] = value
    return rows


def sum_columns(c: FactColumns) -> dict[TallyKey, TallyValue]:
    """:func:`sum_contributions` of cooperations given column by column.

    Every contribution counts one cooperation, so no row of a sum is zero. Each dimension is
    counted over a whole column at once (``Counter`` of the column zipped with the years),
    the amounts summed per kind and year, and the totals are the sums of the kinds: the
    scoped dashboard sums thousands of cooperations per request and the recount a million.
    """
    counted: Counter[TallyKey] = Counter()
    rows: dict[TallyKey, TallyValue] = {}
    pipeline = zip(PIPELINE, (c.intention_date, c.agreement_date, c.landed_date), strict=True)
    for stage, dates in pipeline:
        reached = [i for i, date in enumerate(dates) if date is not None]
        on = [date for date in dates if date is not None]
        years = [date.year for date in on]
        for dimension, column in ((CHANNEL, c.channel), (INDUSTRY, c.industry), (BASE, c.base)):
            values = [column[i] for i in reached]
            for (value, year), n in Counter(zip(values, years, strict=True)).items():
                counted[(dimension, value, stage, year)] = n
        for (year, month), n in Counter((date.year, date.month) for date in on).items():
            counted[(MONTH, f"{year:04d}-{month:02d}", stage, year)] = n
        universities = Counter(
            (key, year)
            for i, year in zip(reached, years, strict=True)
            for key in set(c.university_keys[i])
        )
        for (key, year), n in universities.items():
            counted[(UNIVERSITY, key, stage, year)] = n
        by_kind: dict[tuple[str, int], TallyValue] = {}
        for i, year in zip(reached, years, strict=True):
            sums = by_kind.get((c.kind[i], year))
            if sums is None:
                sums = by_kind[(c.kind[i], year)] = TallyValue()
            sums.count += 1
            sums.planned += c.planned_investment[i]
            sums.landed += c.landed_investment[i]
            sums.participants += c.participants[i]
        totals: dict[int, TallyValue] = {}
        for (kind, year), sums in by_kind.items():
            rows[(KIND, kind, stage, year)] = sums
            totals.setdefault(year, TallyValue()).add(sums)
        for year, sums in totals.items():
            rows[(TOTAL, "", stage, year)] = sums
        if c.county:
            by_county: dict[tuple[str, int], TallyValue] = {}
            for i, year in zip(reached, years, strict=True):
                county = c.county[i]
                if not county:
                    continue
                sums = by_county.get((county, year))
                if sums is None:
                    sums = by_county[(county, year)] = TallyValue()
                sums.count += 1
                sums.planned += c.planned_investment[i]
                sums.landed += c.landed_investment[i]
                sums.participants += c.participants[i]
            for (county, year), sums in by_county.items():
                rows[(COUNTY, county, stage, year)] = sums
            if stage == Stage.INTENTION:
                pairs = Counter(
                    (f"{c.county[i]}:{key}", year)
                    for i, year in zip(reached, years, strict=True)
                    if c.county[i]
                    for key in set(c.university_keys[i])
                )
                for (key, year), n in pairs.items():
                    counted[(COUNTY_UNIVERSITY, key, stage, year)] = n
    lags = Counter(
        ((agreed - intended).days, agreed.year)
        for intended, agreed in zip(c.intention_date, c.agreement_date, strict=True)
        if agreed is not None
    )
    for (days, year), n in lags.items():
        counted[(SIGN_LAG, lag_bucket(days), Stage.AGREEMENT, year)] += n
    for current, n in Counter(c.stage).items():
        counted[(CURRENT, current, current, 0)] = n
    dropped = Counter(
        date.year
        for current, date in zip(c.stage, c.dropped_date, strict=True)
        if current == Stage.DROPPED and date is not None
    )
    for year, n in dropped.items():
        counted[(DROPPED, "", Stage.DROPPED, year)] = n
    if c.county:
        dropped_by_county = Counter(
            (county, date.year)
            for current, date, county in zip(c.stage, c.dropped_date, c.county, strict=True)
            if current == Stage.DROPPED and date is not None and county
        )
        for (county, year), n in dropped_by_county.items():
            counted[(COUNTY, county, Stage.DROPPED, year)] = n
    waiting = Counter(
        (current, since.year, since.month)
        for current, intended, agreed in zip(
            c.stage, c.intention_date, c.agreement_date, strict=True
        )
        if (
            since := intended
            if current == Stage.INTENTION
            else agreed
            if current == Stage.AGREEMENT
            else None
        )
        is not None
    )
    for (current, year, month), n in waiting.items():
        counted[(OPEN_SINCE, f"{year:04d}-{month:02d}", current, 0)] = n
    rows.update((key, TallyValue(n)) for key, n in counted.items())
    return rows


@dataclass
class Tally:
    """A sum of contributions: the whole ledger, or the cooperations a user can see."""

    rows: dict[TallyKey, TallyValue] = field(default_factory=lambda: defaultdict(TallyValue))

    @classmethod
    def of(cls, cooperations: Iterable[CoopFacts]) -> Tally:
        tally = cls()
        for facts in cooperations:
            tally.add(facts)
        return tally

    def add(self, facts: CoopFacts, sign: int = 1) -> None:
        for key, value in contributions(facts):
            self.rows[key].add(value, sign)

    def delta(self, old: CoopFacts | None, new: CoopFacts | None) -> dict[TallyKey, TallyValue]:
        """The rows that change when a cooperation goes from ``old`` to ``new`` (either None)."""
        change: dict[TallyKey, TallyValue] = defaultdict(TallyValue)
        if old is not None:
            for key, value in contributions(old):
                change[key].add(value, -1)
        if new is not None:
            for key, value in contributions(new):
                change[key].add(value)
        return {k: v for k, v in change.items() if not v.is_zero()}

    def nonzero(self) -> dict[TallyKey, TallyValue]:
        return {k: v for k, v in self.rows.items() if not v.is_zero()}


def ledger_delta(old: CoopFacts | None, new: CoopFacts | None) -> dict[TallyKey, TallyValue]:
    return Tally().delta(old, new)


@dataclass(frozen=True)
class Funnel:
    intentions: int
    agreements: int
    landed: int
    universities: int
    dropped: int
    planned_investment: Decimal
    landed_investment: Decimal


def as_stored(amount: Decimal) -> Decimal:
    """An amount written as the stored tally gives it back (fen over 100: ``56369``, not
    ``56369.00``), so that a scoped sum and a stored one read the same."""
    return Decimal(int(amount * 100)) / 100


def in_year(key: TallyKey, year: int | None) -> bool:
    return year is None or key[3] == year


def funnel(rows: Mapping[TallyKey, TallyValue], *, year: int | None) -> Funnel:
    """The funnel's figures, in one pass over the rows."""
    totals: dict[str, TallyValue] = {stage.value: TallyValue() for stage in PIPELINE}
    universities: set[str] = set()
    dropped = 0
    for key, value in rows.items():
        dimension, item, stage, _ = key
        if not in_year(key, year):
            continue
        if dimension == TOTAL:
            if stage in totals:
                totals[stage].add(value)
        elif dimension == UNIVERSITY:
            if stage == Stage.INTENTION and value.count > 0:
                universities.add(item)
        elif dimension == DROPPED:
            dropped += value.count
    return Funnel(
        intentions=totals[Stage.INTENTION].count,
        agreements=totals[Stage.AGREEMENT].count,
        landed=totals[Stage.LANDED].count,
        universities=len(universities),
        dropped=dropped,
        planned_investment=as_stored(totals[Stage.INTENTION].planned),
        landed_investment=as_stored(totals[Stage.LANDED].landed),
    )


def county_funnels(rows: Mapping[TallyKey, TallyValue], *, year: int | None) -> dict[str, Funnel]:
    """Per county (its id), the funnel's figures, from the rows of the county dimensions."""
    totals: dict[str, dict[str, TallyValue]] = {}
    universities: dict[str, set[str]] = {}
    for key, value in rows.items():
        dimension, item, stage, _ = key
        if not in_year(key, year):
            continue
        if dimension == COUNTY:
            totals.setdefault(item, {}).setdefault(stage, TallyValue()).add(value)
        elif dimension == COUNTY_UNIVERSITY and value.count > 0:
            county, _sep, university = item.partition(":")
            universities.setdefault(county, set()).add(university)
    return county_funnels_of(totals, {c: len(u) for c, u in universities.items()})


def county_funnels_of(
    totals: Mapping[str, Mapping[str, TallyValue]], universities: Mapping[str, int]
) -> dict[str, Funnel]:
    """Per county (its id), the funnel's figures from its sums per stage and its number of
    universities (summed by :func:`county_funnels`, or by the database from the stored tally)."""
    out: dict[str, Funnel] = {}
    for county in sorted(totals.keys() | universities.keys()):
        stages = totals.get(county, {})
        zero = TallyValue()
        out[county] = Funnel(
            intentions=stages.get(Stage.INTENTION, zero).count,
            agreements=stages.get(Stage.AGREEMENT, zero).count,
            landed=stages.get(Stage.LANDED, zero).count,
            universities=universities.get(county, 0),
            dropped=stages.get(Stage.DROPPED, zero).count,
            planned_investment=as_stored(stages.get(Stage.INTENTION, zero).planned),
            landed_investment=as_stored(stages.get(Stage.LANDED, zero).landed),
        )
    return out


def by_dimension(
    rows: Mapping[TallyKey, TallyValue],
) -> dict[str, dict[TallyKey, TallyValue]]:
    """The rows split by dimension, so that each figure reads only its own rows."""
    out: dict[str, dict[TallyKey, TallyValue]] = defaultdict(dict)
    for key, value in rows.items():
        out[key[0]][key] = value
    return dict(out)


def breakdown(
    rows: Mapping[TallyKey, TallyValue], dimension: str, *, year: int | None
) -> dict[str, dict[str, int]]:
    """``{key: {stage: count}}`` for one dimension, summed over the selected year(s)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, value in rows.items():
        if key[0] == dimension and (key[3] == 0 or in_year(key, year)) and value.count:
            out[key[1]][key[2]] += value.count
    return {k: dict(v) for k, v in out.items()}


def months_between(since: str, today: dt.date) -> int:
    """Whole months from ``YYYY-MM`` to ``today``'s month."""
    year, month = (int(p) for p in since.split("-"))
    return (today.year - year) * 12 + today.month - month


# Waiting time of open intentions and agreements, in whole months since the stage's month.
WAIT_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-1", 0, 1),
    ("2-3", 2, 3),
    ("4-6", 4, 6),
    ("7-", 7, None),
)


def wait_bucket(months: int) -> str:
    for key, low, high in WAIT_BUCKETS:
        if months >= low and (high is None or months <= high):
            return key
    return WAIT_BUCKETS[0][0]


def waiting(rows: Mapping[TallyKey, TallyValue], *, today: dt.date) -> dict[str, dict[str, int]]:
    """Open intentions / agreements by how long they have waited: ``{stage: {bucket: n}}``."""
    out: dict[str, dict[str, int]] = {
        Stage.INTENTION: {b[0]: 0 for b in WAIT_BUCKETS},
        Stage.AGREEMENT: {b[0]: 0 for b in WAIT_BUCKETS},
    }
    for key, value in rows.items():
        if key[0] == OPEN_SINCE and value.count:
            out[key[2]][wait_bucket(months_between(key[1], today))] += value.count
    return out
