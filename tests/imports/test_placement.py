"""A placement programme's interns and the hosts' rankings from the office's own sheets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import office_sheet, run_json, skipped, write
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch, Unit
from yanzhen.placement.models import HostRanking, PlacementApplicant, Programme
from yanzhen.placement.services import programmes as placement

pytestmark = pytest.mark.usefixtures("demo_db")

NAME = "2022年寒假实习实训"
INTERN_HEADER = ["项目", "学号", "学生姓名", "性别", "学校", "学历", "意向单位"]
RANKING_HEADER = ["项目", "实习单位", "编号", "名次", "面试成绩"]


@pytest.fixture
def programme(demo_db: Demo) -> Programme:
    office = Unit.objects.get(name="永济市省校合作办公室")
    found = placement.programme_create(
        actor=None, name=NAME, kind="intern", owner_unit=office, year=2022,
        start_date=dt.date(2022, 1, 10), end_date=dt.date(2022, 2, 10),
    )  # fmt: skip
    for name in ("开张镇", "永济市农业农村局"):
        placement.host_create(
            actor=None, programme=found, unit=Unit.objects.get(name=name), capacity=2
        )
    return found


def interns(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        [NAME, "ＨＪ001", "林可", "女", "山西农业大学", "本科", "开张镇、永济市农业农村局"],
        [NAME, "HJ002", "高远", "男", "西交大", "硕士", "永济市农业农村局"],
        *extra,
    ]
    return office_sheet("寒假实习实训报名表", INTERN_HEADER, rows)


def test_interns_and_rankings_import_once(
    demo_db: Demo, programme: Programme, tmp_path: Path
) -> None:
    path = write(tmp_path, "实习.xlsx", interns())
    code, out = run_json("interns", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 2,
        "valid": 2,
        "errors": [],
        "skipped": skipped(2),
        "mapping": {
            "项目": "programme",
            "学号": "code",
            "学生姓名": "name",
            "性别": "gender",
            "学校": "university",
            "学历": "degree",
            "意向单位": "preferences",
        },
    }
    assert run_json("interns", path, "--commit")[0] == 0
    lin = PlacementApplicant.objects.get(programme=programme, code="HJ001")
    hosts = [c.host.unit.name for c in lin.choices.order_by("rank")]
    assert (lin.person.name, lin.degree, hosts) == (
        "林可", "bachelor", ["开张镇", "永济市农业农村局"],
    )  # fmt: skip
    assert run_json("interns", path, "--commit")[1]["valid"] == 2
    assert PlacementApplicant.objects.filter(programme=programme).count() == 2
    batches = ImportBatch.objects.filter(register="interns").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]

    rows: list[list[object]] = [
        [NAME, "永济市农业农村局", "HJ002", "１", "88.5"],
        [NAME, "永济市农业农村局", "HJ001", 2, ""],
    ]
    ranks = write(tmp_path, "排名.xlsx", office_sheet("接收单位排名", RANKING_HEADER, rows))
    code, out = run_json("host-rankings", ranks, "--commit")
    assert (code, out["rows"], out["valid"], out["skipped"]) == (0, 2, 2, skipped(2))
    rankings = HostRanking.objects.filter(host__programme=programme).order_by("rank")
    assert [(r.applicant.code, r.rank, r.score) for r in rankings] == [
        ("HJ002", 1, Decimal("88.50")),
        ("HJ001", 2, None),
    ]
    assert run_json("host-rankings", ranks, "--commit")[0] == 0
    assert HostRanking.objects.filter(host__programme=programme).count() == 2
    batch_undo(actor=demo_db.users["office"], batch=ImportBatch.objects.filter(
        register="host-rankings").earliest("pk"))  # fmt: skip
    assert HostRanking.objects.filter(host__programme=programme).count() == 0
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert PlacementApplicant.objects.filter(programme=programme).count() == 0


def test_bad_cells_are_reported_with_row_and_column(
    demo_db: Demo, programme: Programme, tmp_path: Path
) -> None:
    bad: list[list[object]] = [
        [NAME, "HJ003", "宋词", "女", "", "", "城西街道"],
        [NAME, "HJ001", "林可", "女", "", "", ""],
    ]
    code, out = run_json("interns", write(tmp_path, "b.xlsx", interns(*bad)), "--commit")
    assert code == 1
    assert out["errors"] == [
        {"row": 5, "column": "H", "message": "“城西街道”不是本项目的接收单位"},
        {"row": 6, "column": "C", "message": "与第3行编号重复"},
    ]
    assert not PlacementApplicant.objects.filter(programme=programme).exists()
