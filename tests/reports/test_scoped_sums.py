"""The scoped dashboard's sums are kept per data scope and ledger generation
(``reports.scoped_sums``), and the generation changes with every write they depend on, however
made (the database's triggers, ``cooperation/migrations/0017_ledger_generation.py``): what is
kept always equals what summing afresh gives."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, transaction
from django.db.models import F

from tests.conftest import Demo
from yanzhen.cooperation.models import (
    Cooperation,
    CooperationLink,
    CooperationUniversity,
    LedgerGeneration,
)
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.models import DataScope, Role, Unit, UnitClosure
from yanzhen.core.scope import forget_scope, scope_key
from yanzhen.engines import ledger
from yanzhen.reports import scoped_sums, selectors

tables = importlib.import_module("yanzhen.cooperation.migrations.0017_ledger_generation")
TODAY = dt.date(2026, 11, 27)
DELETED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SCOPED = ["base", "town", "enterprise"]
# Inside a test's transaction PostgreSQL's generation is not read (the demo was written in
# it, and it changes only at commit): nothing is kept, every sum is made afresh.
KEPT = connection.vendor == "sqlite"


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    scoped_sums.forget()
    yield
    scoped_sums.forget()


def _generation() -> int:
    return LedgerGeneration.objects.values_list("value", flat=True).get(pk=1)


def _visible(user_name: str, demo: Demo) -> Cooperation:
    return cooperation_qs(demo.users[user_name]).filter(approved=True).order_by("pk")[0]


@pytest.mark.parametrize("username", SCOPED)
def test_the_kept_sums_are_the_sums_made_afresh(demo_db: Demo, username: str) -> None:
    user = demo_db.users[username]
    first = scoped_sums.scoped_sums(user, counties=False)
    assert first == scoped_sums.compute(user, counties=False)
    assert first[ledger.TOTAL]
    again = scoped_sums.scoped_sums(user, counties=False)
    assert (again is first) is KEPT
    # With the counties: another entry, not the one without them.
    both = scoped_sums.scoped_sums(user, counties=True)
    assert both == scoped_sums.compute(user, counties=True)
    assert ledger.COUNTY in both
    assert ledger.COUNTY not in first


def test_users_of_one_scope_share_the_sums(demo_db: Demo) -> None:
    town = demo_db.users["town"]
    other = type(town).objects.get(pk=town.pk)  # another object of the same user
    assert scope_key(other) == scope_key(town)
    first = scoped_sums.scoped_sums(town, counties=False)
    assert (scoped_sums.scoped_sums(other, counties=False) is first) is KEPT
    assert scope_key(demo_db.users["enterprise"]) != scope_key(town)


def test_a_write_outside_the_services_is_seen_at_once(demo_db: Demo) -> None:
    """A bulk update bypasses the services and the stored tally; the kept sums still follow."""
    town = demo_db.users["town"]
    before = scoped_sums.scoped_sums(town, counties=False)
    cooperation = _visible("town", demo_db)
    Cooperation.objects.filter(pk=cooperation.pk).update(
        planned_investment=F("planned_investment") + 1000
    )
    after = scoped_sums.scoped_sums(town, counties=False)
    assert after == scoped_sums.compute(town, counties=False)
    assert after != before
    planned = sum(v.planned for v in after[ledger.TOTAL].values()) - sum(
        v.planned for v in before[ledger.TOTAL].values()
    )
    assert planned > 0


def test_a_rolled_back_write_leaves_the_kept_sums_valid(demo_db: Demo) -> None:
    town = demo_db.users["town"]
    before = scoped_sums.scoped_sums(town, counties=False)
    start = _generation()
    cooperation = _visible("town", demo_db)

    def deleted_then_undone() -> None:
        with transaction.atomic():
            Cooperation.objects.filter(pk=cooperation.pk).update(deleted_at=DELETED)
            if KEPT:
                assert _generation() != start
            inside = scoped_sums.scoped_sums(town, counties=False)
            assert inside == scoped_sums.compute(town, counties=False) != before
            raise RuntimeError

    with pytest.raises(RuntimeError):
        deleted_then_undone()
    assert _generation() == start
    again = scoped_sums.scoped_sums(town, counties=False)
    assert again == before == scoped_sums.compute(town, counties=False)
    assert (again is before) is KEPT


def test_a_changed_scope_is_seen_at_once(demo_db: Demo) -> None:
    """A custom role's units and the unit tree are part of the generation."""
    town = demo_db.users["town"]
    custom = Role.objects.create(code="custom-test", name="自定义测试", data_scope=DataScope.CUSTOM)
    town.roles.set([custom])
    forget_scope(town)
    nothing = scoped_sums.scoped_sums(town, counties=False)
    assert nothing == {}
    town_unit = town.unit
    assert town_unit is not None
    custom.custom_units.add(town_unit)
    forget_scope(town)
    own = scoped_sums.scoped_sums(town, counties=False)
    assert own == scoped_sums.compute(town, counties=False)
    assert own[ledger.TOTAL]
    # The town and below: its villages' and enterprises' cooperations too.
    Role.objects.filter(pk=custom.pk).update(data_scope=DataScope.UNIT_AND_BELOW)
    forget_scope(town)
    below = scoped_sums.scoped_sums(town, counties=False)
    assert below == scoped_sums.compute(town, counties=False) != own


def test_every_dashboard_is_the_same_kept_or_made_afresh(demo_db: Demo) -> None:
    for username in SCOPED:
        user = demo_db.users[username]
        kept = selectors.dashboard(user=user, year=None, today=TODAY)
        again = selectors.dashboard(user=user, year=None, today=TODAY)
        scoped_sums.forget()
        fresh = selectors.dashboard(user=user, year=None, today=TODAY)
        assert kept == again == fresh
        assert kept.figures[0].value > 0


def test_each_table_changes_the_generation(demo_db: Demo) -> None:
    if not KEPT:
        pytest.skip("PostgreSQL's generation changes at commit: the test below")
    cooperation = _visible("town", demo_db)
    town_unit = demo_db.users["town"].unit
    assert town_unit is not None
    role = Role.objects.create(code="c2", name="c2", data_scope=DataScope.CUSTOM)
    writes: dict[str, Callable[[], object]] = {
        "cooperation_cooperation": lambda: Cooperation.objects.filter(pk=cooperation.pk).update(
            title="改"
        ),
        "cooperation_cooperationuniversity": lambda: CooperationUniversity.objects.filter(
            cooperation=cooperation
        ).delete(),
        "cooperation_cooperationlink": lambda: CooperationLink.objects.filter(
            cooperation=cooperation
        ).delete(),
        "core_unit": lambda: Unit.objects.filter(pk=town_unit.pk).update(name="改名"),
        "core_unitclosure": lambda: UnitClosure.objects.filter(
            descendant_id=town_unit.pk, depth=0
        ).update(depth=0),
        "core_role_custom_units": lambda: Role.custom_units.through.objects.create(
            role=role, unit=town_unit
        ),
    }
    assert sorted(writes) == sorted(tables.TABLES)
    for table, write in writes.items():
        start = _generation()
        write()
        assert _generation() != start, table


def test_the_store_is_bounded_by_rows(demo_db: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The least recently used scope's sums go first once the rows kept exceed the bound; one
    scope's are kept whatever their size."""
    if not KEPT:
        pytest.skip("nothing is kept inside a PostgreSQL test's transaction")
    town, base = demo_db.users["town"], demo_db.users["base"]
    rows = {
        name: sum(len(part) for part in scoped_sums.compute(user, counties=False).values())
        for name, user in (("town", town), ("base", base))
    }
    monkeypatch.setattr(scoped_sums, "KEPT_ROWS", rows["town"] + rows["base"] - 1)
    first = scoped_sums.scoped_sums(town, counties=False)
    assert scoped_sums.kept_rows() == rows["town"]
    scoped_sums.scoped_sums(base, counties=False)  # over the bound: the town's go
    assert scoped_sums.kept_rows() == rows["base"]
    again = scoped_sums.scoped_sums(town, counties=False)
    assert again is not first
    assert again == first
    assert scoped_sums.kept_rows() == rows["town"]
    monkeypatch.setattr(scoped_sums, "KEPT_ROWS", 1)
    scoped_sums.forget()
    assert scoped_sums.kept_rows() == 0
    assert scoped_sums.scoped_sums(town, counties=False) is scoped_sums.scoped_sums(
        town, counties=False
    )
