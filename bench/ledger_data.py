"""A national-scale ledger, generated straight into the database with bulk inserts.

The tree: 31 provinces → 10 cities each → 2,800 counties, and in every county 100 units
(20 departments, a development zone, 8 towns and 2 streets with 5 villages each, and 18
enterprises of which 12 are leading enterprises of a local industry). 3,000 universities.
12 bases per county, each led by one of the county's departments. 1,000,000 cooperations
over five calendar years (the current one up to today), each with its parties (units of
its county), one or two universities, and the visibility links the services keep (owner,
parties, the base's lead department). Stages and dates follow ``engines.stages``: the
dates of the reached stages are set and ordered, none lies after today, a dropped
cooperation keeps the dates of the stages it reached and has a drop date and a reason.

Rows go in with ``executemany`` on SQLite and ``COPY`` on PostgreSQL (never through the
per-row services); then the closure table and the tally are built with the project's own
``closure_rebuild()`` and ``recount()``. The generator is seeded: the same arguments and
the same ``today`` give the same ledger.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.db import connection, transaction
from django.db.models import DateTimeField, Model
from django.utils import timezone

from yanzhen.cooperation.models import (
    Activity,
    ActivityKind,
    Base,
    Channel,
    Cooperation,
    CooperationKind,
    CooperationLink,
    CooperationParty,
    CooperationUniversity,
)
from yanzhen.core.models import Unit, UnitKind
from yanzhen.engines.stages import Stage
from yanzhen.reference.loaders.industries import load_local_industries
from yanzhen.reference.models import LocalIndustry, University

PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
)  # fmt: skip
CITIES_PER_PROVINCE = 10
DEPARTMENTS = (
    "县委组织部", "县委宣传部", "人才工作办公室", "省校合作办公室", "发展和改革局", "科学技术局",
    "教育局", "工业和信息化局", "农业农村局", "人力资源和社会保障局", "商务局", "文化和旅游局",
    "卫生健康局", "财政局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局",
    "市场监督管理局", "统计局",
)  # fmt: skip
TOWNS_PER_COUNTY = 8
STREETS_PER_COUNTY = 2
VILLAGES_PER_TOWN = 5
LEADING_PER_COUNTY = 12
OTHER_ENTERPRISES_PER_COUNTY = 6
BASES_PER_COUNTY = 12
ACTIVITIES_PER_COUNTY = 5
UNIVERSITY_SUFFIXES = (
    "大学", "理工大学", "师范大学", "农业大学", "医科大学", "工业大学", "科技大学",
    "财经大学", "交通大学", "职业技术学院", "学院", "科学院研究所",
)  # fmt: skip
# Characters of the made-up place names (two per name; 64 × 63 pairs, more than needed).
NAME_CHARS = (
    "永济安平河东临汾运城长治阳泉晋中忻州吕梁朔大同太原清徐古交阳曲娄烦寿武乡沁源襄垣屯留"
    "黎城壶关高平陵川泽沁水芮城万荣闻喜稷山新绛绛县垣曲夏解盐湖"
)
CHANNEL_WEIGHTS = (
    (Channel.INVITE.value, 30),
    (Channel.FIND.value, 35),
    (Channel.ATTRACT.value, 15),
    (Channel.GATHER.value, 15),
    (Channel.OTHER.value, 5),
)
KIND_WEIGHTS = (
    (CooperationKind.RESEARCH.value, 25),
    (CooperationKind.TRANSFER.value, 20),
    (CooperationKind.EXPERT_TEAM.value, 12),
    (CooperationKind.INTERNSHIP.value, 12),
    (CooperationKind.TRAINING.value, 12),
    (CooperationKind.TALENT.value, 10),
    (CooperationKind.SECONDMENT.value, 6),
    (CooperationKind.INTERNATIONAL.value, 1.5),
)
WITH_PARTICIPANTS = {
    CooperationKind.INTERNSHIP.value,
    CooperationKind.TRAINING.value,
    CooperationKind.INTERNATIONAL.value,
}
ACTIVITY_KINDS = (
    ActivityKind.STANDING_COMMITTEE.value,
    ActivityKind.DELEGATION.value,
    ActivityKind.PROMOTION.value,
    ActivityKind.VISIT.value,
    ActivityKind.ONLINE.value,
)
KIND_LABELS = dict(CooperationKind.choices)
ACTIVITY_LABELS = dict(ActivityKind.choices)
CHUNK = 25_000


@dataclass(frozen=True)
class Sizes:
    counties: int = 2800
    universities: int = 3000
    cooperations: int = 1_000_000
    years: int = 5
    seed: int = 2021


@dataclass
class County:
    """The ids of one county's units and bases (what the cooperations are drawn from)."""

    id: int
    name: str
    departments: list[int] = field(default_factory=list)
    zone: int = 0
    towns: list[int] = field(default_factory=list)
    villages: list[int] = field(default_factory=list)
    enterprises: list[int] = field(default_factory=list)
    enterprise_industry: dict[int, int | None] = field(default_factory=dict)
    bases: list[int] = field(default_factory=list)
    base_lead: dict[int, int] = field(default_factory=dict)


@dataclass
class Generated:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    busiest_county: int = 0
    busiest_county_cooperations: int = 0


class BulkWriter:
    """Inserts rows given as tuples of DB-ready values; the columns left out get the
    model's defaults (audit timestamps: now). ``executemany`` on SQLite, ``COPY`` on
    PostgreSQL."""

    def __init__(self) -> None:
        self.now = timezone.now()
        connection.ensure_connection()

    def insert(
        self, model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> int:
        given = set(columns)
        tail_columns: list[str] = []
        tail: list[Any] = []
        for f in model._meta.concrete_fields:
            if f.column is None or f.column in given or f.primary_key:
                continue
            value = f.get_default()
            if value is None and not f.null and isinstance(f, DateTimeField):
                value = self.now
            tail_columns.append(f.column)
            tail.append(f.get_db_prep_save(value, connection))
        all_columns = [*columns, *tail_columns]
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in all_columns)
        suffix = tuple(tail)
        count = 0
        if connection.vendor == "postgresql":
            raw = connection.connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + suffix)
                    count += 1
            return count
        marks = ", ".join(["?"] * len(all_columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"

        def counted() -> Iterator[tuple[Any, ...]]:
            nonlocal count
            for row in rows:
                count += 1
                yield row + suffix

        connection.connection.executemany(sql, counted())
        return count

    @contextmanager
    def bulk_load(self, models: Sequence[type[Model]]) -> Iterator[None]:
        """On PostgreSQL, load ``models``' tables without their secondary indexes and unique
        constraints (created again afterwards, which sorts once instead of updating every
        B-tree per row) and, when the role may, without firing the foreign-key triggers (the
        generated rows are consistent by construction). Elsewhere: nothing."""
        if connection.vendor != "postgresql":
            yield
            return
        again: list[str] = []
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'u'",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                    again.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND "
                    "indexname NOT IN (SELECT conname FROM pg_constraint "
                    "WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f'DROP INDEX "{name}"')
                    again.append(definition)
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = bool(cursor.fetchone()[0])
            if superuser:
                cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                if superuser:
                    cursor.execute("SET session_replication_role = DEFAULT")
                for sql in again:
                    cursor.execute(sql)

    def reset_sequences(self, models: Sequence[type[Model]]) -> None:
        from django.core.management.color import no_style

        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _place_names(rng: random.Random, count: int) -> list[str]:
    chars = list(dict.fromkeys(NAME_CHARS))
    pairs = [a + b for a in chars for b in chars if a != b]
    rng.shuffle(pairs)
    while len(pairs) < count:
        pairs.extend(p + "新" for p in list(pairs))
    return pairs[:count]


def _timed(out: Generated, name: str, fn: Callable[[], int]) -> None:
    start = time.perf_counter()
    n = fn()
    out.seconds[name] = time.perf_counter() - start
    out.rows[name] = n
    print(f"  {name}: {n:,} rows in {out.seconds[name]:.1f} s", flush=True)


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Callable[[], Any]:
    values = [v for v, _ in pairs]
    cum = list(accumulate(w for _, w in pairs))

    def pick() -> Any:
        return rng.choices(values, cum_weights=cum)[0]

    return pick


def generate(sizes: Sizes, *, today: dt.date) -> Generated:
    """Fill an empty, migrated database with the ledger; returns row counts and timings."""
    rng = random.Random(sizes.seed)
    out = Generated()
    writer = BulkWriter()
    load_local_industries(require_gbt=False)
    industries = list(LocalIndustry.objects.order_by("sort_order").values_list("pk", flat=True))

    with transaction.atomic():
        _timed(out, "universities", lambda: _universities(writer, rng, sizes.universities))
    counties: list[County] = []
    with transaction.atomic():
        _timed(out, "units", lambda: _units(writer, rng, sizes.counties, industries, counties))
    with transaction.atomic():
        _timed(out, "bases", lambda: _bases(writer, counties))
    with transaction.atomic():
        _timed(
            out,
            "activities",
            lambda: _activities(writer, rng, counties, sizes.universities, today, sizes.years),
        )
    big = [Cooperation, CooperationParty, CooperationUniversity, CooperationLink]
    with writer.bulk_load(big):
        _timed(
            out,
            "cooperations",
            lambda: _cooperations(writer, rng, counties, industries, sizes, today, out),
        )
        start = time.perf_counter()
    out.seconds["indexes"] = time.perf_counter() - start  # indexes built again on PostgreSQL
    writer.reset_sequences([Unit, University, Base, Cooperation, Activity])
    return out


def _universities(writer: BulkWriter, rng: random.Random, count: int) -> int:
    prefixes = _place_names(rng, count)
    rows = []
    for i in range(count):
        name = f"{prefixes[i]}{UNIVERSITY_SUFFIXES[i % len(UNIVERSITY_SUFFIXES)]}"
        province = PROVINCES[i % len(PROVINCES)]
        rows.append((i + 1, f"41{i + 1:08d}", name, province, "本科", i < 39, i < 115, i < 147))
    columns = ("id", "code", "name", "province", "level", "is_985", "is_211", "is_dfc")
    return writer.insert(University, columns, rows)


def _units(
    writer: BulkWriter,
    rng: random.Random,
    n_counties: int,
    industries: Sequence[int],
    counties: list[County],
) -> int:
    """The tree, in id order (parents first)."""
    columns = ("id", "name", "kind", "parent_id", "local_industry_id", "is_leading", "sort_order")
    rows: list[tuple[Any, ...]] = []
    next_id = 1

    def add(name: str, kind: str, parent: int | None, order: int, **extra: Any) -> int:
        nonlocal next_id
        uid = next_id
        next_id += 1
        rows.append(
            (uid, name, kind, parent, extra.get("industry"), extra.get("leading", False), order)
        )
        return uid

    names = _place_names(rng, n_counties + 10 * n_counties + len(PROVINCES) * CITIES_PER_PROVINCE)
    name_iter = iter(names)
    province_ids = [add(p, UnitKind.PROVINCE, None, i) for i, p in enumerate(PROVINCES)]
    city_ids = [
        add(f"{next(name_iter)}市", UnitKind.CITY, pid, j)
        for pid in province_ids
        for j in range(CITIES_PER_PROVINCE)
    ]
    for c in range(n_counties):
        city = city_ids[c % len(city_ids)]
        county_name = f"{next(name_iter)}县"
        county = County(id=add(county_name, UnitKind.COUNTY, city, c), name=county_name)
        county.departments = [
            add(d, UnitKind.DEPARTMENT, county.id, i) for i, d in enumerate(DEPARTMENTS)
        ]
        county.zone = add(f"{county_name}经济技术开发区", UnitKind.ZONE, county.id, 50)
        for t in range(TOWNS_PER_COUNTY + STREETS_PER_COUNTY):
            town_name = next(name_iter)
            street = t >= TOWNS_PER_COUNTY
            tid = add(
                f"{town_name}{'街道' if street else '镇'}",
                UnitKind.STREET if street else UnitKind.TOWN,
                county.id,
                60 + t,
            )
            county.towns.append(tid)
            county.villages.extend(
                add(f"{town_name}第{v + 1}{'社区' if street else '村'}", UnitKind.VILLAGE, tid, v)
                for v in range(VILLAGES_PER_TOWN)
            )
        for e in range(LEADING_PER_COUNTY + OTHER_ENTERPRISES_PER_COUNTY):
            leading = e < LEADING_PER_COUNTY
            industry: int | None = (
                industries[(c + e) % len(industries)] if leading or rng.random() < 0.5 else None
            )
            parent = county.zone if e % 2 == 0 else county.towns[e % len(county.towns)]
            eid = add(
                f"{county_name}第{e + 1}{'实业' if leading else '科技'}有限公司",
                UnitKind.ENTERPRISE,
                parent,
                e,
                industry=industry,
                leading=leading,
            )
            county.enterprises.append(eid)
            county.enterprise_industry[eid] = industry
        counties.append(county)
    return writer.insert(Unit, columns, rows)


def _bases(writer: BulkWriter, counties: list[County]) -> int:
    rows = []
    next_id = 1
    for c, county in enumerate(counties):
        for b in range(BASES_PER_COUNTY):
            lead = county.departments[(4 + b) % len(county.departments)]
            rows.append(
                (
                    next_id,
                    f"B{c + 1:05d}{b + 1:02d}",
                    f"{county.name}第{b + 1}合作基地",
                    county.id,
                    lead,
                    b,
                )
            )
            county.bases.append(next_id)
            county.base_lead[next_id] = lead
            next_id += 1
    columns = ("id", "code", "name", "county_id", "lead_department_id", "sort_order")
    return writer.insert(Base, columns, rows)


def _span(today: dt.date, years: int) -> tuple[dt.date, int]:
    start = dt.date(today.year - years + 1, 1, 1)
    return start, (today - start).days + 1


def _activities(
    writer: BulkWriter,
    rng: random.Random,
    counties: list[County],
    n_universities: int,
    today: dt.date,
    years: int,
) -> int:
    start, days = _span(today, years)
    rows: list[tuple[Any, ...]] = []
    links: list[tuple[int, int]] = []
    next_id = 1
    for county in counties:
        for a in range(ACTIVITIES_PER_COUNTY):
            kind = ACTIVITY_KINDS[a % len(ACTIVITY_KINDS)]
            date = start + dt.timedelta(days=rng.randrange(days))
            organizer = county.id if a < 2 else rng.choice(county.departments)
            title = f"{county.name}{ACTIVITY_LABELS[kind]}（{date:%Y%m%d}-{a + 1}）"
            rows.append((next_id, kind, title, date, organizer))
            chosen = {rng.randrange(n_universities) + 1 for _ in range(rng.randint(1, 2))}
            links.extend((next_id, u) for u in sorted(chosen))
            next_id += 1
    n = writer.insert(Activity, ("id", "kind", "title", "date", "organizer_unit_id"), rows)
    writer.insert(Activity.universities.through, ("activity_id", "university_id"), links)
    return n


def _cooperations(
    writer: BulkWriter,
    rng: random.Random,
    counties: list[County],
    industries: Sequence[int],
    sizes: Sizes,
    today: dt.date,
    out: Generated,
) -> int:
    start, days = _span(today, sizes.years)
    channel = _weighted(rng, CHANNEL_WEIGHTS)
    kind_of = _weighted(rng, KIND_WEIGHTS)
    # Some counties cooperate far more than others; universities are Zipf-popular.
    county_cum = list(accumulate(rng.lognormvariate(0, 0.6) for _ in counties))
    uni_ids = list(range(1, sizes.universities + 1))
    uni_cum = list(accumulate(1 / (rank + 20) for rank in range(sizes.universities)))
    unit_names = dict(Unit.objects.values_list("pk", "name"))
    uni_names = dict(University.objects.values_list("pk", "name"))
    per_county: dict[int, int] = {}
    codes: dict[int, int] = {}
    coop_columns = (
        "id", "code", "title", "owner_unit_id", "base_id", "channel", "kind",
        "local_industry_id", "stage", "intention_date", "agreement_date", "landed_date",
        "dropped_date", "drop_reason", "planned_investment", "landed_investment",
        "participants", "online",
    )  # fmt: skip
    links = {"parties": 0, "university_links": 0, "links": 0}
    coop_id = 0
    for chunk_start in range(0, sizes.cooperations, CHUNK):
        coops: list[tuple[Any, ...]] = []
        parties: list[tuple[int, int]] = []
        unis: list[tuple[int, int]] = []
        visible: list[tuple[int, int]] = []
        picked = rng.choices(
            counties, cum_weights=county_cum, k=min(CHUNK, sizes.cooperations - chunk_start)
        )
        for county in picked:
            coop_id += 1
            per_county[county.id] = per_county.get(county.id, 0) + 1
            roll = rng.random()
            if roll < 0.40:
                owner = rng.choice(county.enterprises)
            elif roll < 0.65:
                owner = rng.choice(county.departments)
            elif roll < 0.85:
                owner = rng.choice(county.towns)
            elif roll < 0.95:
                owner = rng.choice(county.villages)
            else:
                owner = county.zone
            pool = rng.choice((county.enterprises, county.villages, county.towns))
            extra = rng.choices((0, 1, 2), weights=(50, 35, 15))[0]
            party_set = {rng.choice(pool) for _ in range(extra)}
            if owner not in county.departments or not party_set:
                party_set.add(owner)
            elif rng.random() < 0.25:  # the county itself signs (市校合作)
                party_set.add(county.id)
            base = rng.choice(county.bases) if rng.random() < 0.6 else None
            industry = next(
                (
                    county.enterprise_industry[p]
                    for p in sorted(party_set)
                    if county.enterprise_industry.get(p) is not None
                ),
                None,
            )
            if industry is None and rng.random() < 0.5:
                industry = rng.choice(industries)
            coop_unis = set(
                rng.choices(uni_ids, cum_weights=uni_cum, k=1 if rng.random() < 0.7 else 2)
            )
            kind = kind_of()
            intention = start + dt.timedelta(days=rng.randrange(days))
            agreement = landed = dropped = None
            if rng.random() < 0.68:
                agreement = intention + dt.timedelta(days=int(rng.expovariate(1 / 75)))
                if agreement > today:
                    agreement = None
            if agreement is not None and rng.random() < 0.78:
                landed = agreement + dt.timedelta(days=30 + int(rng.expovariate(1 / 120)))
                if landed > today:
                    landed = None
            stage = Stage.LANDED if landed else Stage.AGREEMENT if agreement else Stage.INTENTION
            reason = ""
            if stage != Stage.LANDED and rng.random() < 0.12:
                last = agreement or intention
                dropped = last + dt.timedelta(days=15 + int(rng.expovariate(1 / 150)))
                if dropped > today:
                    dropped = None
                else:
                    stage, reason = Stage.DROPPED, "合作方调整方向，暂缓推进"
            planned_fen = rng.randrange(1, 5_000_000) if rng.random() < 0.7 else 0
            landed_fen = planned_fen * rng.randint(60, 120) // 100 if landed and planned_fen else 0
            year = intention.year
            codes[year] = codes.get(year, 0) + 1
            code = f"HZ{year}{codes[year]:06d}"
            first_uni = uni_names[min(coop_unis)]
            coops.append(
                (
                    coop_id,
                    code,
                    f"{unit_names[owner]}与{first_uni}{KIND_LABELS[kind]}（{code}）",
                    owner,
                    base,
                    channel(),
                    kind,
                    industry,
                    stage.value,
                    intention,
                    agreement,
                    landed,
                    dropped,
                    reason,
                    Decimal(planned_fen) / 100,
                    Decimal(landed_fen) / 100,
                    rng.randrange(5, 60) if kind in WITH_PARTICIPANTS else 0,
                    rng.random() < 0.15,
                )
            )
            parties.extend((coop_id, p) for p in sorted(party_set))
            unis.extend((coop_id, u) for u in sorted(coop_unis))
            seen = {owner, *party_set}
            if base is not None:
                seen.add(county.base_lead[base])
            visible.extend((coop_id, u) for u in sorted(seen))
        with transaction.atomic():
            writer.insert(Cooperation, coop_columns, coops)
            links["parties"] += writer.insert(
                CooperationParty, ("cooperation_id", "unit_id"), parties
            )
            links["university_links"] += writer.insert(
                CooperationUniversity, ("cooperation_id", "university_id"), unis
            )
            links["links"] += writer.insert(CooperationLink, ("cooperation_id", "unit_id"), visible)
        if (chunk_start // CHUNK) % 8 == 7:
            print(f"    … {coop_id:,} cooperations", flush=True)
    out.rows.update(links)
    out.busiest_county, out.busiest_county_cooperations = max(
        per_county.items(), key=lambda kv: (kv[1], -kv[0])
    )
    return coop_id
