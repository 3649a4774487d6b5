"""The ledger import's bulk path (issue 16, speed): the preview checks without writing and
answers as the commit does, chunk after chunk; the plain inserts store what ``bulk_create``
stores, with the integrity tags and the history rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from tests.conftest import Demo
from tests.imports.sheets import ledger_row, office_ledger
from yanzhen.cooperation import services
from yanzhen.cooperation.importers import CooperationRegister
from yanzhen.cooperation.models import Cooperation, StageEvent
from yanzhen.cooperation.services import bulk
from yanzhen.core import importing, integrity
from yanzhen.core.import_writes import _preparer, insert_rows, large_cache
from yanzhen.core.models import ImportBatch, ImportBatchItem, IntegrityTag

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def rows() -> list[list[object]]:
    """Seven rows; the sixth has the first one's title and owner (another intention date: not
    the same record for the file, but the same name for the rule of the services)."""
    out = [ledger_row(n, f"提速测试合作{n}") for n in range(1, 8)]
    out[5] = ledger_row(6, "提速测试合作1", 意向时间="2021.6.1")
    return out


def run(demo: Demo, *, commit: bool) -> importing.ImportResult:
    return importing.run(
        CooperationRegister(), user=demo.users["office"], data=office_ledger(rows()),
        filename="台账.xlsx", sheet="2021年台账", commit=commit, skip_invalid=commit,
    )  # fmt: skip


def test_a_preview_writes_nothing_and_answers_chunk_after_chunk_as_the_commit(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "PROGRESS_STEP", 3)  # the sixth row is in the second chunk
    before = Cooperation.all_objects.count()
    with CaptureQueriesContext(connection) as queries:
        preview = run(demo_db, commit=False)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert Cooperation.all_objects.count() == before
    message = "永济市省校合作办公室已登记过同名合作“提速测试合作1”"
    assert [(e.row, e.column, e.message) for e in preview.errors] == [(10, "B", message)]
    assert (preview.rows, preview.created) == (7, 6)

    done = run(demo_db, commit=True)
    assert [(e.row, e.column, e.message) for e in done.errors] == [(10, "B", message)]
    assert (done.created, done.committed) == (6, True)
    made = list(
        Cooperation.objects.filter(title__startswith="提速测试合作")
        .order_by("pk")
        .values_list("title", "code")
    )
    numbers = [int(code[-6:]) for _t, code in made]
    assert [t for t, _c in made] == [f"提速测试合作{n}" for n in (1, 2, 3, 4, 5, 7)]
    assert numbers == list(range(numbers[0], numbers[0] + 6))  # no gap between the chunks
    events = StageEvent.objects.filter(cooperation__title__startswith="提速测试合作")
    assert (
        sorted(events.values_list("from_stage", "to_stage", "reason", "status"))
        == [("", "intention", "新建登记", "approved")] * 6
    )
    assert done.batch_id is not None
    batch = ImportBatch.objects.get(pk=done.batch_id)
    assert sorted(batch.items.values_list("action", "history_id")) == [("created", None)] * 6


def test_plain_inserts_store_what_bulk_create_stores(demo_db: Demo) -> None:
    cooperation = Cooperation.objects.order_by("pk").first()
    assert cooperation is not None
    office = demo_db.users["office"]
    values = {"from_stage": "intention", "to_stage": "agreement", "date": dt.date(2021, 3, 5),
              "reason": "签约", "created_by": office}  # fmt: skip
    StageEvent.objects.bulk_create([StageEvent(cooperation=cooperation, **values)])
    insert_rows(
        StageEvent,
        ["cooperation_id", "from_stage", "to_stage", "date"],
        [(cooperation.pk, "intention", "agreement", dt.date(2021, 3, 5))],
        same={"reason": "签约", "created_by_id": office.pk},
    )
    fields = ["from_stage", "to_stage", "date", "reason", "created_by", "created_at", "status",
              "evidence"]  # fmt: skip
    first, second = StageEvent.objects.filter(cooperation=cooperation, reason="签约").order_by("pk")
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]
    assert second.created_at == dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
    assert second.status == "approved"


def test_a_cooperations_history_row_is_written_with_its_relations(demo_db: Demo) -> None:
    result = run(demo_db, commit=True)
    assert result.created == 6
    made = Cooperation.objects.get(title="提速测试合作2")
    row = made.history.get()
    assert (row.history_type, row.history_user_id, row.history_change_reason) == (
        "+", demo_db.users["office"].pk, ""
    )  # fmt: skip
    assert (row.history_unit_name, row.intention_date, row.planned_investment) == (
        "永济市省校合作办公室", dt.date(2021, 3, 5), Decimal("1200.00")
    )  # fmt: skip
    assert row.history_related == {
        "parties": list(made.parties.values_list("pk", flat=True)),
        "universities": list(made.universities.values_list("pk", flat=True)),
    }
    assert row.history_date == dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
    assert ImportBatchItem.objects.filter(batch_id=result.batch_id).count() == 6
    made_all = list(Cooperation.objects.filter(title__startswith="提速测试合作"))
    assert len(made_all) == 6
    assert integrity.check(made_all) == []  # every tag written and matching
    assert (
        IntegrityTag.objects.filter(
            model="cooperation.cooperation", object_id__in=[c.pk for c in made_all]
        ).count()
        == 6
    )


def test_the_next_code_is_read_once_per_prefix_not_once_per_chunk(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each chunk used to read the last code of its prefix back from the database (on SQLite
    a Python REGEXP over every code of the prefix, the rows just written included): a cost
    that grew with the import. The seven rows in three chunks share one prefix."""
    monkeypatch.setattr(importing, "PROGRESS_STEP", 3)
    asked: list[str] = []
    original = services._next_number

    def next_number(prefix: str) -> int:
        asked.append(prefix)
        return original(prefix)

    monkeypatch.setattr(bulk, "_next_number", next_number)
    done = run(demo_db, commit=True)
    assert done.created == 6
    assert len(asked) == 1


def test_a_moments_preparer_gives_what_the_field_gives() -> None:
    """The shortcut for aware datetimes gives the field's own prepared value; anything else
    (a text, a naive datetime) goes through the field as before."""
    field = StageEvent._meta.get_field("created_at")
    assert isinstance(field, models.DateTimeField)
    prepare = _preparer(field, connection)
    china = dt.timezone(dt.timedelta(hours=8))
    values = [None, dt.datetime(2021, 3, 5, 9, 30, tzinfo=dt.UTC),
              dt.datetime(2021, 3, 5, 9, 30, 15, 250, tzinfo=china), "2021-03-05 09:30:00+08:00"]  # fmt: skip
    assert [prepare(v) for v in values] == [field.get_db_prep_save(v, connection) for v in values]


def test_a_large_import_raises_sqlites_page_cache_and_restores_it(demo_db: Demo) -> None:
    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return int(cursor.fetchone()[0])

    if connection.vendor != "sqlite":
        with large_cache():
            pass  # nothing asked of another database
        return
    before = cache_size()
    with large_cache():
        assert cache_size() == -32768
    assert (before, cache_size()) == (-2000, -2000)
