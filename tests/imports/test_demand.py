"""Needs and experts from an office's own sheets through the one import flow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import Demo
from tests.imports.office import office_sheet, run_json, skipped, write
from yanzhen.core.importing import batch_undo
from yanzhen.core.models import ImportBatch
from yanzhen.demand.models import Expert, TalentNeed

pytestmark = pytest.mark.usefixtures("demo_db")

NEED_HEADER = ["企业名称", "需求岗位", "学历", "人数", "紧急程度", "所需专业", "年薪下限",
               "到岗时间", "意向院校", "备注"]  # fmt: skip
EXPERT_HEADER = ["专家姓名", "所在院校", "学院", "职称", "研究领域", "学科"]


def needs(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        ["山西久联宏远化工有限公司", "危化品安全管理员", "本科", "２", "急需", "安全工程",
         "8", "2021.9.1", "太原理工大学", "急招"],
        ["山西阳煤千军汽车部件有限责任公司", "模具设计师", "大专", 3, "一般", "模具设计",
         "", "2021年10月1日", "", ""],
        *extra,
    ]  # fmt: skip
    return office_sheet("2021年企业人才需求调查汇总表", NEED_HEADER, rows)


def test_an_office_needs_sheet_imports_once(demo_db: Demo, tmp_path: Path) -> None:
    count = TalentNeed.objects.count()
    path = write(tmp_path, "需求.xlsx", needs())
    code, out = run_json("needs", path)
    assert (code, out["errors"]) == (0, [])
    assert out == {
        "rows": 2,
        "valid": 2,
        "errors": [],
        "skipped": skipped(2),
        "mapping": {
            "企业名称": "enterprise",
            "需求岗位": "position",
            "学历": "degree",
            "人数": "number",
            "紧急程度": "urgency",
            "所需专业": "majors",
            "年薪下限": "salary_min",
            "到岗时间": "deadline",
            "意向院校": "preferred_universities",
        },
    }
    assert run_json("needs", path, "--commit")[0] == 0
    need = TalentNeed.objects.get(position="危化品安全管理员")
    assert (need.number, need.urgency, need.degree, need.deadline, str(need.salary_min)) == (
        2, "urgent", "bachelor", dt.date(2021, 9, 1), "8.0",
    )  # fmt: skip
    assert [u.name for u in need.preferred_universities.all()] == ["太原理工大学"]
    assert need.source == "import"
    assert TalentNeed.objects.count() == count + 2
    code, out = run_json("needs", path, "--commit")
    assert (code, out["valid"]) == (0, 2)
    assert TalentNeed.objects.count() == count + 2
    batches = ImportBatch.objects.filter(register="needs").order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(2, 0), (0, 2)]
    batch_undo(actor=demo_db.users["office"], batch=batches[0])
    assert TalentNeed.objects.count() == count


def test_a_bad_need_cell_names_row_and_column(demo_db: Demo, tmp_path: Path) -> None:
    count = TalentNeed.objects.count()
    bad: list[list[object]] = [
        ["山西久联宏远化工有限公司", "化验员", "本科", 0, "", "", "", "", "", ""],
        ["山西久联宏远化工有限公司", "危化品安全管理员", "本科", 1, "", "", "", "", "", ""],
    ]
    code, out = run_json("needs", write(tmp_path, "b.xlsx", needs(*bad)), "--commit")
    assert code == 1
    assert out["errors"] == [
        {"row": 5, "column": "E", "message": "需求人数至少为 1"},
        {"row": 6, "column": "C", "message": "与第3行是同一需求"},
    ]
    assert TalentNeed.objects.count() == count


def experts(*extra: list[object]) -> bytes:
    rows: list[list[object]] = [
        ["吴启明", "西交大", "电气工程学院", "教授", "电力电子与电机控制", "0808"],
        ["陈静", "中国农业大学", "食品学院", "副教授", "果蔬保鲜", "食品科学与工程"],
        *extra,
    ]
    return office_sheet("合作高校专家名单", EXPERT_HEADER, rows)


def test_an_office_expert_list_imports_once(demo_db: Demo, tmp_path: Path) -> None:
    count = Expert.objects.count()
    path = write(tmp_path, "专家.xlsx", experts())
    code, out = run_json("experts", path)
    assert (code, out["errors"]) == (0, [])
    assert (out["rows"], out["valid"], out["skipped"]) == (2, 2, skipped(2))
    assert out["mapping"] == {
        "专家姓名": "name",
        "所在院校": "university",
        "学院": "department",
        "职称": "title",
        "研究领域": "directions",
        "学科": "disciplines",
    }
    assert run_json("experts", path, "--commit")[0] == 0
    wu = Expert.objects.get(name="吴启明")
    assert (wu.university.name, [d.code for d in wu.disciplines.all()]) == ("西安交通大学",
                                                                           ["0808"])  # fmt: skip
    code, out = run_json("experts", path, "--commit")
    assert (code, out["valid"]) == (0, 2)
    assert Expert.objects.count() == count + 2
    assert [(b.created, b.unchanged) for b in ImportBatch.objects.order_by("pk")] == [
        (2, 0),
        (0, 2),
    ]


def test_an_uncertain_university_is_an_error_naming_candidates(
    demo_db: Demo, tmp_path: Path
) -> None:
    count = Expert.objects.count()
    bad: list[list[object]] = [["周文", "山大", "", "", "材料", "第九学科"]]
    code, out = run_json("experts", write(tmp_path, "b.xlsx", experts(*bad)), "--commit")
    assert code == 1
    assert [(e["row"], e["column"]) for e in out["errors"]] == [(5, "C"), (5, "G")]
    assert "山东大学" in out["errors"][0]["message"]
    assert "山西大学" in out["errors"][0]["message"]
    assert out["errors"][1]["message"] == "无法识别学科“第九学科”，请写一级学科代码或名称"
    assert Expert.objects.count() == count
