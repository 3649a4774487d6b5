"""The bases' work-plan milestones from an office's own task list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import office_sheet, run_json, skipped, write
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch
from yanzhen.supervision.models import Milestone

pytestmark = pytest.mark.usefixtures("demo_db")

HEADER = ["所属基地", "重点任务", "责任部门", "时间节点", "工作目标", "完成情况", "办结时间"]


def tasks(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        ["YJ-B01", "牵引电机联合实验室挂牌", "永济市工业和信息化局", "2021.6.30",
         "实验室挂牌运行", "已完成", "２０２１年６月２８日"],
        ["新材料与精细化工产学研基地", "精细化工中试平台选址", "永济市工业和信息化局",
         "2021年12月31日", "", "推进", ""],
        *extra,
    ]  # fmt: skip
    return office_sheet("2021年产学研基地重点任务分解表", HEADER, rows)


def test_an_office_task_list_imports_once(demo_db: Demo, tmp_path: Path) -> None:
    count = Milestone.objects.count()
    path = write(tmp_path, "任务.xlsx", tasks())
    code, out = run_json("milestones", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 2,
        "valid": 2,
        "errors": [],
        "skipped": skipped(2),
        "mapping": {
            "所属基地": "base",
            "重点任务": "title",
            "责任部门": "owner_unit",
            "时间节点": "due_date",
            "工作目标": "deliverable",
            "完成情况": "status",
            "办结时间": "done_date",
        },
    }
    assert run_json("milestones", path, "--commit")[0] == 0
    done = Milestone.objects.get(title="牵引电机联合实验室挂牌")
    assert (done.base.code, done.status, done.due_date, done.done_date) == (
        "YJ-B01", "done", dt.date(2021, 6, 30), dt.date(2021, 6, 28),
    )  # fmt: skip
    assert Milestone.objects.get(title="精细化工中试平台选址").status == "in_progress"
    code, out = run_json("milestones", path, "--commit")
    assert (code, out["valid"]) == (0, 2)
    assert Milestone.objects.count() == count + 2
    batches = ImportBatch.objects.filter(register="milestones").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert Milestone.objects.count() == count


def test_bad_cells_are_reported_with_row_and_column(demo_db: Demo, tmp_path: Path) -> None:
    count = Milestone.objects.count()
    bad: list[list[object]] = [
        ["不存在的基地", "任务甲", "永济市工业和信息化局", "2021.6.30", "", "", ""],
        ["YJ-B01", "任务乙", "永济市工业和信息化局", "2021.6.30", "", "已完成", ""],
    ]
    code, out = run_json("milestones", write(tmp_path, "b.xlsx", tasks(*bad)), "--commit")
    assert code == 1
    assert out["errors"] == [
        {"row": 5, "column": "B", "message": "找不到基地“不存在的基地”（或不在您的数据范围内）"},
        {"row": 6, "column": "H", "message": "请填写完成日期"},
    ]
    assert Milestone.objects.count() == count
