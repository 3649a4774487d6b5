"""People from an office's own roster: the ID number's keyed hash as the natural key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import id_number, office_sheet, run_json, skipped, write
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch, Person

pytestmark = pytest.mark.usefixtures("demo_db")

HEADER = ["姓名", "性别", "身份证号码", "联系电话", "工作单位", "学历", "专业技术职称", "现任职务"]
FIRST = id_number("14088119850305122")
SECOND = id_number("14088119900101233")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def roster(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        ["赵敏", "女", full_width(FIRST), "１３９１２３４５６７８", "东开张村", "本科", "", "村主任"],
        ["钱进", "男性", SECOND, "13800001111", "山西长荣农业科技股份有限公司", "硕士",
         "高级工程师", "技术总监"],
        ["孙立", "", "", "", "东开张村", "", "", "会计"],
        *extra,
    ]  # fmt: skip
    return office_sheet("永济市人才花名册（2021年）", HEADER, rows)


def test_an_office_roster_imports_once(demo_db: Demo, tmp_path: Path) -> None:
    count = Person.all_objects.count()
    path = write(tmp_path, "花名册.xlsx", roster())
    code, out = run_json("people", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 3,
        "valid": 3,
        "errors": [],
        "skipped": skipped(3),
        "mapping": {
            "姓名": "name",
            "性别": "gender",
            "身份证号码": "id_number",
            "联系电话": "mobile",
            "工作单位": "unit",
            "学历": "degree",
            "专业技术职称": "title",
            "现任职务": "position",
        },
    }
    assert Person.all_objects.count() == count
    code, out = run_json("people", path, "--commit")
    assert (code, out["valid"]) == (0, 3)
    zhao = Person.objects.get(name="赵敏")
    assert (zhao.id_number, zhao.mobile, zhao.gender, zhao.degree, zhao.unit.name) == (
        FIRST, "13912345678", "F", "bachelor", "东开张村",
    )  # fmt: skip
    assert Person.all_objects.count() == count + 3
    code, out = run_json("people", path, "--commit")
    assert code == 0
    assert Person.all_objects.count() == count + 3
    assert [(b.created, b.updated, b.unchanged) for b in ImportBatch.objects.order_by("pk")] == [
        (3, 0, 0),
        (0, 0, 3),
    ]


def test_a_changed_row_is_updated_and_the_batch_undone(demo_db: Demo, tmp_path: Path) -> None:
    count = Person.all_objects.count()
    assert run_json("people", write(tmp_path, "a.xlsx", roster()), "--commit")[0] == 0
    rows: list[list[object]] = [
        ["赵敏", "女", FIRST, "13912345678", "东开张村", "本科", "", "村党支部书记"],
    ]
    path = write(tmp_path, "b.xlsx", office_sheet("花名册", HEADER, rows))
    code, out = run_json("people", path, "--commit")
    assert (code, out["valid"]) == (0, 1)
    assert Person.objects.get(name="赵敏").position == "村党支部书记"
    batch = ImportBatch.objects.latest("pk")
    assert (batch.created, batch.updated) == (0, 1)
    batch_undo(actor=demo_db.users["office"], batch=batch)
    assert Person.objects.get(name="赵敏").position == "村主任"
    batch_undo(actor=demo_db.users["office"], batch=ImportBatch.objects.earliest("pk"))
    assert Person.objects.count() == count
    assert not Person.objects.filter(name="钱进").exists()


def test_bad_cells_are_every_one_reported_with_row_and_column(
    demo_db: Demo, tmp_path: Path
) -> None:
    count = Person.all_objects.count()
    bad: list[list[object]] = [
        ["周扬", "男", "140881198503051230", "12345", "不存在的村", "", "", ""],
        ["赵敏", "女", FIRST, "", "东开张村", "", "", ""],
    ]
    path = write(tmp_path, "c.xlsx", roster(*bad))
    code, out = run_json("people", path, "--commit")
    assert code == 1
    assert out["errors"] == [
        {"row": 6, "column": "D", "message": "身份证号校验码不正确"},
        {"row": 6, "column": "F", "message": "找不到单位“不存在的村”（或不在您的数据范围内）"},
        {"row": 7, "column": "D", "message": "与第3行是同一个人（身份证号相同）"},
    ]
    assert (out["rows"], out["valid"]) == (5, 3)
    assert Person.all_objects.count() == count
    code, out = run_json("people", path, "--commit", "--skip-invalid")
    assert code == 0
    assert Person.all_objects.count() == count + 3


def test_a_town_imports_only_into_its_own_units(demo_db: Demo, tmp_path: Path) -> None:
    count = Person.all_objects.count()
    rows: list[list[object]] = [
        ["何田", "", "", "", "东开张村", "", "", "村委委员"],
        ["吕川", "", "", "", "永济市省校合作办公室", "", "", "科员"],
    ]
    path = write(tmp_path, "d.xlsx", office_sheet("花名册", HEADER, rows))
    code, out = run_json("people", path, "--commit", "--as", "town")
    assert (code, out["errors"]) == (
        1,
        [
            {
                "row": 4,
                "column": "F",
                "message": "找不到单位“永济市省校合作办公室”（或不在您的数据范围内）",
            }
        ],
    )
    assert Person.all_objects.count() == count
    code, out = run_json("people", path, "--commit", "--skip-invalid", "--as", "town")
    assert code == 0
    assert Person.objects.get(name="何田").unit.name == "东开张村"
    assert not Person.objects.filter(name="吕川").exists()
