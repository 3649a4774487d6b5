"""``yanzhen recount_ledger``: the stored figures of the ledger (the dashboard's tally and each
unit's cooperation count) rebuilt from the records, every change reported as old → new;
``--check`` reports and fails without writing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Demo
from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Cooperation, CooperationTally
from yanzhen.cooperation.services import cooperation_delete
from yanzhen.core.models import Unit

pytestmark = pytest.mark.usefixtures("demo_db")


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("recount_ledger", *args, stdout=out)
    return out.getvalue().splitlines()


def sql(statement: str, params: list[int | str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def intentions_of_2021() -> int:
    return CooperationTally.objects.get(
        dimension="total", key="", stage="intention", year=2021
    ).count


def test_a_corrupted_tally_row_is_rebuilt_and_reported(demo_db: Demo) -> None:
    table = CooperationTally._meta.db_table
    sql(
        f"UPDATE {table} SET count = %s, planned = planned + %s "
        "WHERE dimension = %s AND key = %s AND stage = %s AND year = %s",
        [119, 150, "total", "", "intention", 2021],
    )
    assert intentions_of_2021() == 119
    assert run() == [
        "汇总[合计，意向，2021年] 数量：119 → 120",
        f"汇总[合计，意向，2021年] 计划投资（万元）：{planned_2021() + Decimal('1.5'):.2f} → {planned_2021():.2f}",
        "已按记录重建：修正 2 处",
    ]
    assert intentions_of_2021() == 120
    assert run() == ["合作台账汇总和各单位合作数均与记录一致"]


def planned_2021() -> Decimal:
    return sum(
        (c.planned_investment for c in Cooperation.objects.filter(intention_date__year=2021)),
        Decimal(0),
    )


def test_check_reports_a_wrong_coverage_count_and_writes_nothing(demo_db: Demo) -> None:
    town = Unit.objects.get(name="开张镇")
    right = town.cooperation_count
    sql(f"UPDATE {Unit._meta.db_table} SET cooperation_count = %s WHERE id = %s", [0, town.pk])
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("recount_ledger", "--check", stdout=out)
    assert caught.value.returncode == 1
    assert str(caught.value) == "发现 1 处与记录不一致（仅检查，未写入）"
    assert out.getvalue().splitlines() == [f"单位“开张镇”（编号 {town.pk}）合作数：0 → {right}"]
    assert Unit.objects.get(pk=town.pk).cooperation_count == 0
    assert run() == [
        f"单位“开张镇”（编号 {town.pk}）合作数：0 → {right}",
        "已按记录重建：修正 1 处",
    ]
    assert Unit.objects.get(pk=town.pk).cooperation_count == right


def test_the_recount_leaves_out_deleted_cooperations_as_the_services_do(demo_db: Demo) -> None:
    cooperation = Cooperation.objects.filter(stage="landed").order_by("pk")[0]
    parties = list(cooperation.parties.values_list("pk", flat=True))
    cooperation_delete(actor=None, cooperation=cooperation)
    kept = dict(Unit.objects.filter(pk__in=parties).values_list("pk", "cooperation_count"))
    assert tally.differences() == []
    tally.recount()
    assert dict(Unit.objects.filter(pk__in=parties).values_list("pk", "cooperation_count")) == kept


def test_the_whole_ledger_is_read_with_each_owners_county_and_no_subquery_per_row() -> None:
    """The whole ledger's facts (``recount``) take each owner's county from one read of the
    unit tree; before, a subquery per cooperation made ``recount`` run for over an hour on the
    ledger benchmark's million cooperations. The facts are those of the per-record path."""
    approved = list(Cooperation.objects.filter(approved=True).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        whole = dict(tally.iter_facts(None))
    assert whole == dict(tally.iter_facts(approved))
    assert len(whole) == len(approved) == 120  # the demo's 121 but one awaiting review
    assert len({facts.county for facts in whole.values()} - {""}) == 1
    reads = [q["sql"] for q in queries.captured_queries if '"cooperation_cooperation"' in q["sql"]]
    assert reads
    assert not [sql for sql in reads if "core_unitclosure" in sql]
