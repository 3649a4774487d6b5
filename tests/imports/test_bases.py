"""The bases and their task forces from an office's own sheet (the office updates its bases;
creating one asks for the permission to add bases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import office_sheet, run_json, skipped, write
from yanzhen.cooperation.models import Base, TaskForceMember
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch, Unit
from yanzhen.core.services import person_create

pytestmark = pytest.mark.usefixtures("demo_db")

HEADER = ["编号", "基地", "所属县", "牵头单位", "专班成员", "基本情况"]


def members(base: Base) -> list[tuple[str, str]]:
    rows = TaskForceMember.objects.filter(base=base).order_by("sort_order", "pk")
    return [(m.person.name, m.duty) for m in rows]


def test_an_office_sheet_sets_the_task_force_once(demo_db: Demo, tmp_path: Path) -> None:
    unit = Unit.objects.get(name="永济市工业和信息化局")
    for name in ("甄专班", "贾联络"):
        person_create(actor=None, name=name, unit=unit)
    base = Base.objects.get(code="YJ-B01")
    before = (members(base), base.description)
    rows: list[list[object]] = [
        ["ＹＪ-Ｂ01", base.name, "永济市", "永济市工业和信息化局",
         "甄专班（组长）、贾联络（联络员）", "牵引电机、电器产学研合作"],
    ]  # fmt: skip
    path = write(tmp_path, "基地.xlsx", office_sheet("产学研基地及工作专班一览表", HEADER, rows))
    code, out = run_json("bases", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 1,
        "valid": 1,
        "errors": [],
        "skipped": skipped(1),
        "mapping": {
            "编号": "code",
            "基地": "name",
            "所属县": "county",
            "牵头单位": "lead_department",
            "专班成员": "members",
            "基本情况": "description",
        },
    }
    assert run_json("bases", path, "--commit")[0] == 0
    base.refresh_from_db()
    assert members(base) == [("甄专班", "组长"), ("贾联络", "联络员")]
    assert base.description == "牵引电机、电器产学研合作"
    assert run_json("bases", path, "--commit")[0] == 0
    batches = ImportBatch.objects.filter(register="bases").order_by("pk")
    assert [(b.created, b.updated, b.unchanged) for b in batches] == [(0, 1, 0), (0, 0, 1)]
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    base.refresh_from_db()
    assert base.description == before[1]


def test_a_bad_member_is_reported_and_a_new_base_undone(demo_db: Demo, tmp_path: Path) -> None:
    count = Base.objects.count()
    rows: list[list[object]] = [
        ["YJ-B01", "轨道交通与电机电器产学研基地", "永济市", "永济市工业和信息化局", "无此人", ""],
        ["YJ-B99", "新基地", "永济市", "永济市工业和信息化局", "", ""],
    ]
    path = write(tmp_path, "b.xlsx", office_sheet("基地", HEADER, rows))
    code, out = run_json("bases", path, "--commit")
    assert code == 1
    assert (out["rows"], out["valid"], out["errors"]) == (
        2,
        1,
        [{"row": 3, "column": "F", "message": "找不到人员“无此人”（请先登记人员）"}],
    )
    assert Base.objects.count() == count
    assert run_json("bases", path, "--commit", "--skip-invalid")[0] == 0
    assert Base.objects.get(code="YJ-B99").name == "新基地"
    batch_undo(actor=demo_db.users["office"], batch=ImportBatch.objects.get(register="bases"))
    assert Base.objects.count() == count
