"""The talent registry from an office's own sheet: a person by the ID number's keyed hash,
with a talent type and an arrival date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import id_number, office_sheet, run_json, skipped, write
from tests.imports.test_people import full_width
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch, Person
from yanzhen.talent.models import Talent

pytestmark = pytest.mark.usefixtures("demo_db")

HEADER = ["姓名", "身份证号码", "人才类别", "接收单位", "引进方式", "到岗时间", "学历", "毕业院校",
          "备注"]  # fmt: skip
FIRST = id_number("14088119880808121")
SECOND = id_number("14088119920202222")


def sheet(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        ["郑和平", full_width(FIRST), "全职", "山西长荣农业科技股份有限公司", "公开招聘",
         "2021.3.5", "硕士", "西交大", ""],
        ["冯雪", SECOND, "柔性引进专家", "山西长荣农业科技股份有限公司", "柔性引才",
         "２０２１年６月１日", "博士", "西北农林科技大学", "每年服务60天"],
        *extra,
    ]  # fmt: skip
    return office_sheet("2021年引进人才统计表", HEADER, rows)


def test_an_office_talent_sheet_imports_once(demo_db: Demo, tmp_path: Path) -> None:
    count = Talent.objects.count()
    path = write(tmp_path, "人才.xlsx", sheet())
    code, out = run_json("talents", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 2,
        "valid": 2,
        "errors": [],
        "skipped": skipped(2),
        "mapping": {
            "姓名": "name",
            "身份证号码": "id_number",
            "人才类别": "talent_type",
            "接收单位": "employer",
            "引进方式": "channel",
            "到岗时间": "start_date",
            "学历": "degree",
            "毕业院校": "university",
            "备注": "note",
        },
    }
    assert Talent.objects.count() == count
    assert run_json("talents", path, "--commit")[0] == 0
    zheng = Talent.objects.get(person__name="郑和平")
    assert (zheng.talent_type, zheng.channel, zheng.start_date, str(zheng.university)) == (
        "full_time", "open", dt.date(2021, 3, 5), "西安交通大学",
    )  # fmt: skip
    assert zheng.person.id_number == FIRST
    assert Talent.objects.get(person__name="冯雪").start_date == dt.date(2021, 6, 1)
    assert Talent.objects.count() == count + 2
    code, out = run_json("talents", path, "--commit")
    assert (code, out["valid"]) == (0, 2)
    assert Talent.objects.count() == count + 2
    batches = ImportBatch.objects.filter(register="talents").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert Talent.objects.count() == count
    assert Person.objects.filter(name="郑和平").count() == 1  # the person stays on the roster


def test_bad_cells_give_chinese_messages_with_row_and_column(demo_db: Demo, tmp_path: Path) -> None:
    count = Talent.objects.count()
    bad: list[list[object]] = [
        ["褚明", "", "宇航员", "山西长荣农业科技股份有限公司", "公开招聘", "2021.13.5", "", "",
         ""],
    ]  # fmt: skip
    code, out = run_json("talents", write(tmp_path, "b.xlsx", sheet(*bad)), "--commit")
    assert code == 1
    assert [(e["row"], e["column"]) for e in out["errors"]] == [(5, "D"), (5, "G")]
    assert out["errors"][0]["message"].startswith("“宇航员”不在可选值中")
    assert out["errors"][1]["message"] == (
        "“2021.13.5”不是有效日期（可写成 2021-03-05、2021.3.5、2021/03/05 或 2021年3月5日）"
    )
    assert Talent.objects.count() == count
