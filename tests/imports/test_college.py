"""The training college's trainees (with certificates) and brand stores from its own sheets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import id_number, office_sheet, run_json, skipped, write
from yanzhen.college.models import BrandStore, Enrolment
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch

pytestmark = pytest.mark.usefixtures("demo_db")

CLASS = "2021年面食电商与直播培训班"
TRAINEE_HEADER = ["班级", "学员姓名", "身份证号码", "所在村", "报名时间", "结业时间", "考核成绩",
                  "证书号"]  # fmt: skip
STORE_HEADER = ["所属品牌", "店名", "城市", "开店日期", "店长", "是否营业"]


def trainees(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        [CLASS, "柳青", id_number("14088119950303122"), "东开张村", "2021.11.10", "", "", ""],
        [CLASS, "白杨", "", "普乐头村", "２０２１年１１月１２日", "2021.12.20", "９１", "ZS-0001"],
        *extra,
    ]
    return office_sheet("培训班学员花名册", TRAINEE_HEADER, rows)


def test_trainees_with_certificates_import_once(demo_db: Demo, tmp_path: Path) -> None:
    count = Enrolment.objects.count()
    path = write(tmp_path, "学员.xlsx", trainees())
    code, out = run_json("trainees", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 2,
        "valid": 2,
        "errors": [],
        "skipped": skipped(2),
        "mapping": {
            "班级": "training_class",
            "学员姓名": "name",
            "身份证号码": "id_number",
            "所在村": "unit",
            "报名时间": "enrolled_on",
            "结业时间": "completed_on",
            "考核成绩": "score",
            "证书号": "certificate_no",
        },
    }
    assert run_json("trainees", path, "--commit")[0] == 0
    bai = Enrolment.objects.get(person__name="白杨", training_class__name=CLASS)
    assert (bai.status, bai.completed_on, bai.score, bai.certificate_no) == (
        "completed", dt.date(2021, 12, 20), Decimal("91.0"), "ZS-0001",
    )  # fmt: skip
    liu = Enrolment.objects.get(person__name="柳青", training_class__name=CLASS)
    assert (liu.status, liu.enrolled_on, liu.unit.name) == (
        "enrolled", dt.date(2021, 11, 10), "东开张村",
    )  # fmt: skip
    assert run_json("trainees", path, "--commit")[1]["valid"] == 2
    assert Enrolment.objects.count() == count + 2
    batches = ImportBatch.objects.filter(register="trainees").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert Enrolment.objects.count() == count


def test_a_bad_trainee_cell_names_row_and_column(demo_db: Demo, tmp_path: Path) -> None:
    count = Enrolment.objects.count()
    bad: list[list[object]] = [["无此班", "周全", "", "东开张村", "2021.11.10", "", "", ""]]
    code, out = run_json("trainees", write(tmp_path, "b.xlsx", trainees(*bad)), "--commit")
    assert code == 1
    assert out["errors"] == [
        {"row": 5, "column": "B", "message": "找不到培训班“无此班”（或不在您的数据范围内）"}
    ]
    assert Enrolment.objects.count() == count


def stores(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        ["永济好面", "永济好面·郑州1号店", "郑州市", "2021.7.1", "马丽", "是"],
        ["永济好面", "永济好面·洛阳1号店", "洛阳市", "2021年8月8日", "", "√"],
        *extra,
    ]
    return office_sheet("永济好面门店统计表", STORE_HEADER, rows)


def test_brand_stores_import_once(demo_db: Demo, tmp_path: Path) -> None:
    count = BrandStore.objects.count()
    path = write(tmp_path, "门店.xlsx", stores())
    code, out = run_json("stores", path)
    assert (code, out["errors"]) == (0, [])
    assert (out["rows"], out["valid"], out["skipped"]) == (2, 2, skipped(2))
    assert out["mapping"] == {
        "所属品牌": "brand",
        "店名": "name",
        "城市": "city",
        "开店日期": "opened_on",
        "店长": "operator",
        "是否营业": "is_active",
    }
    assert run_json("stores", path, "--commit")[0] == 0
    store = BrandStore.objects.get(name="永济好面·郑州1号店")
    assert (store.city, store.opened_on, store.operator, store.is_active) == (
        "郑州市", dt.date(2021, 7, 1), "马丽", True,
    )  # fmt: skip
    assert run_json("stores", path, "--commit")[1]["valid"] == 2
    assert BrandStore.objects.count() == count + 2
    batches = ImportBatch.objects.filter(register="stores").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]
    bad: list[list[object]] = [["永济好面", "永济好面·开封1号店", "开封市", "2099.1.1", "", ""]]
    code, out = run_json("stores", write(tmp_path, "b.xlsx", stores(*bad)), "--commit")
    assert code == 1
    assert out["errors"] == [{"row": 5, "column": "E", "message": "开业日期不能晚于今天"}]
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert BrandStore.objects.count() == count
