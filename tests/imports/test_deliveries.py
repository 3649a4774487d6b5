"""The paying unit's own ledger of benefits delivered (visits, check-ups …)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import office_sheet, run_json, skipped, write
from yanzhen.benefits.models import Delivery, Entitlement
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch

pytestmark = pytest.mark.usefixtures("demo_db")

HEADER = ["享受人", "服务项目", "发放时间", "金额", "备注"]


def office_date(day: dt.date) -> str:
    return f"{day.year}.{day.month}.{day.day}"


def visited() -> Entitlement:
    """An active visit of a talent whose name no other visited talent has."""
    rows = Entitlement.objects.filter(benefit__name="人才走访慰问", status="active")
    names = [e.talent.person.name for e in rows.select_related("talent__person")]
    return next(e for e in rows if names.count(e.talent.person.name) == 1)


def test_a_delivery_ledger_imports_once(demo_db: Demo, tmp_path: Path) -> None:
    entitlement = visited()
    name = entitlement.talent.person.name
    day = entitlement.start_date + dt.timedelta(days=3)
    count = Delivery.objects.count()
    rows: list[list[object]] = [[name, "人才走访慰问", office_date(day), "５００", "春节慰问"]]
    path = write(tmp_path, "兑现.xlsx", office_sheet("人才待遇兑现台账", HEADER, rows))
    code, out = run_json("deliveries", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 1,
        "valid": 1,
        "errors": [],
        "skipped": skipped(1),
        "mapping": {
            "享受人": "name",
            "服务项目": "benefit",
            "发放时间": "date",
            "金额": "amount",
            "备注": "note",
        },
    }
    assert run_json("deliveries", path, "--commit")[0] == 0
    delivery = Delivery.objects.get(entitlement=entitlement, date=day)
    assert (delivery.amount, delivery.note, delivery.period) == (
        Decimal("500.00"),
        "春节慰问",
        None,
    )
    assert run_json("deliveries", path, "--commit")[1]["valid"] == 1
    assert Delivery.objects.count() == count + 1
    batches = ImportBatch.objects.filter(register="deliveries").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(1, 0), (0, 1)]
    changed: list[list[object]] = [[name, "人才走访慰问", office_date(day), "600", ""]]
    code, out = run_json(
        "deliveries", write(tmp_path, "c.xlsx", office_sheet("台账", HEADER, changed))
    )
    assert (code, [(e["row"], e["column"]) for e in out["errors"]]) == (1, [(3, "E")])
    assert out["errors"][0]["message"] == (
        f"该笔已于{day:%Y-%m-%d}兑现500.00元，与表中不同；已兑现记录请在页面更正"
    )
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert Delivery.objects.count() == count


def test_a_talent_without_the_benefit_names_row_and_column(demo_db: Demo, tmp_path: Path) -> None:
    count = Delivery.objects.count()
    rows: list[list[object]] = [["无此人", "人才走访慰问", "2021.5.1", "500", ""]]
    code, out = run_json(
        "deliveries", write(tmp_path, "b.xlsx", office_sheet("台账", HEADER, rows))
    )
    assert code == 1
    assert out["errors"] == [
        {"row": 3, "column": "C", "message": "无此人没有“人才走访慰问”待遇（或不在您的数据范围内）"}
    ]
    assert Delivery.objects.count() == count
