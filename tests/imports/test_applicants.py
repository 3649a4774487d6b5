"""A recruitment campaign's sign-up sheet from the organiser's own spreadsheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import id_number, office_sheet, run_json, skipped, write
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch
from yanzhen.talent.models import Applicant

pytestmark = pytest.mark.usefixtures("demo_db")

CAMPAIGN = "2021年永济市事业单位公开招聘高层次人才"
HEADER = ["考生姓名", "身份证号码", "联系电话", "招聘批次", "应聘岗位", "报名时间", "毕业学校",
          "学历"]  # fmt: skip
FIRST = id_number("61010319970512331")


def sheet(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        ["韩笑", FIRST, "13700001234", CAMPAIGN, "产业经济分析岗", "2021.4.2", "西交大", "硕士"],
        ["杨帆", "", "", CAMPAIGN, "开张镇/乡村振兴工作岗", "２０２１年４月３日",
         "山西农业大学", "硕士"],
        *extra,
    ]  # fmt: skip
    return office_sheet("公开招聘报名汇总表", HEADER, rows)


def test_a_sign_up_sheet_imports_once(demo_db: Demo, tmp_path: Path) -> None:
    count = Applicant.objects.count()
    path = write(tmp_path, "报名.xlsx", sheet())
    code, out = run_json("applicants", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 2,
        "valid": 2,
        "errors": [],
        "skipped": skipped(2),
        "mapping": {
            "考生姓名": "name",
            "身份证号码": "id_number",
            "联系电话": "mobile",
            "招聘批次": "campaign",
            "应聘岗位": "position",
            "报名时间": "applied_on",
            "毕业学校": "university",
            "学历": "degree",
        },
    }
    assert run_json("applicants", path, "--commit")[0] == 0
    han = Applicant.objects.get(person__name="韩笑")
    assert (han.position.title, han.applied_on, han.stage, str(han.university)) == (
        "产业经济分析岗", dt.date(2021, 4, 2), "applied", "西安交通大学",
    )  # fmt: skip
    yang = Applicant.objects.get(person__name="杨帆")
    assert (yang.position.unit.name, yang.applied_on) == ("开张镇", dt.date(2021, 4, 3))
    code, out = run_json("applicants", path, "--commit")
    assert (code, out["valid"]) == (0, 2)
    assert Applicant.objects.count() == count + 2
    batches = ImportBatch.objects.filter(register="applicants").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert Applicant.objects.count() == count


def test_an_ambiguous_position_names_row_and_column(demo_db: Demo, tmp_path: Path) -> None:
    count = Applicant.objects.count()
    bad: list[list[object]] = [
        ["秦岭", "", "", CAMPAIGN, "乡村振兴工作岗", "2021.4.5", "", ""],
    ]
    code, out = run_json("applicants", write(tmp_path, "b.xlsx", sheet(*bad)), "--commit")
    assert code == 1
    assert out["errors"] == [
        {
            "row": 5,
            "column": "F",
            "message": f"招聘活动“{CAMPAIGN}”有2个“乡村振兴工作岗”岗位，请写成“用人单位/乡村振兴工作岗”",
        }
    ]
    assert Applicant.objects.count() == count
