"""The office's activity log (delegations, promotions, visits) from its own sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import office_sheet, run_json, skipped, write
from yanzhen.cooperation.models import Activity
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch

pytestmark = pytest.mark.usefixtures("demo_db")

HEADER = ["活动主题", "形式", "活动时间", "主办单位", "活动地点", "对接院校", "成效"]


def log(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        ["赴西安交通大学对接电机研发", "带队对接", "2021.4.12", "永济市省校合作办公室",
         "西安", "西交大", "达成联合研发意向2项"],
        ["冬枣产业推介会", "推介", "２０２１年１０月８日", "永济市省校合作办公室", "永济",
         "西北农林科技大学、山西农业大学", ""],
        *extra,
    ]  # fmt: skip
    return office_sheet("2021年省校合作对接活动登记表", HEADER, rows)


def test_an_office_activity_log_imports_once(demo_db: Demo, tmp_path: Path) -> None:
    count = Activity.objects.count()
    path = write(tmp_path, "活动.xlsx", log())
    code, out = run_json("activities", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 2,
        "valid": 2,
        "errors": [],
        "skipped": skipped(2),
        "mapping": {
            "活动主题": "title",
            "形式": "kind",
            "活动时间": "date",
            "主办单位": "organizer_unit",
            "活动地点": "location",
            "对接院校": "universities",
            "成效": "summary",
        },
    }
    assert run_json("activities", path, "--commit")[0] == 0
    trip = Activity.objects.get(title="赴西安交通大学对接电机研发")
    assert (trip.kind, trip.date, trip.status) == ("delegation", dt.date(2021, 4, 12), "held")
    assert [u.name for u in trip.universities.all()] == ["西安交通大学"]
    promo = Activity.objects.get(title="冬枣产业推介会")
    assert (promo.kind, promo.date, promo.universities.count()) == (
        "promotion", dt.date(2021, 10, 8), 2,
    )  # fmt: skip
    code, out = run_json("activities", path, "--commit")
    assert (code, out["valid"]) == (0, 2)
    assert Activity.objects.count() == count + 2
    batches = ImportBatch.objects.filter(register="activities").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert Activity.objects.count() == count


def test_bad_cells_are_reported_with_row_and_column(demo_db: Demo, tmp_path: Path) -> None:
    count = Activity.objects.count()
    bad: list[list[object]] = [
        ["走访企业", "走访", "2021.2.30", "永济市省校合作办公室", "", "", ""],
        ["走访高校", "吃饭", "2021.3.1", "无此单位", "", "", ""],
    ]
    code, out = run_json("activities", write(tmp_path, "b.xlsx", log(*bad)), "--commit")
    assert code == 1
    assert [(e["row"], e["column"]) for e in out["errors"]] == [(5, "D"), (6, "C"), (6, "E")]
    assert out["errors"][2]["message"] == "找不到单位“无此单位”（或不在您的数据范围内）"
    assert out["errors"][1]["message"].startswith("“吃饭”不在可选值中")
    assert Activity.objects.count() == count
