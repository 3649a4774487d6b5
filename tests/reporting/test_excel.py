"""A unit's own Excel: downloaded pre-filled (drop-downs, protected structure, formulas kept
as text), filled in and uploaded back; a bad file is refused whole with every error named by
sheet, row, column and the field's label."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tests.reporting.conftest import World, create_task, post, put, submission_of
from yanzhen.reporting.models import Submission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA = '=HYPERLINK("http://evil.example","点我")'


def _prepared(world: World) -> int:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town1)
    values = {
        "intentions": 3,
        "kind": "科研",
        "note": FORMULA,
        "projects": [{"name": "示范园", "stage": "落地", "amount": "2.5"}],
    }
    assert (
        put(
            world.client("town1"), f"/api/v1/reporting/submissions/{pk}", {"values": values}
        ).status_code
        == 200
    )
    return pk


def _download(world: World, pk: int) -> Workbook:
    response = world.client("town1").get(f"/reporting/submissions/{pk}/excel/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def _upload(world: World, pk: int, book: Workbook) -> str:
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("填报表.xlsx", buffer.getvalue(), content_type=XLSX)
    response = world.client("town1").post(f"/reporting/submissions/{pk}/upload/", {"file": upload})
    if response.status_code == 302:
        return ""
    assert response.status_code == 200
    return response.content.decode()


def test_the_download_is_pre_filled_protected_with_drop_downs(world: World) -> None:
    pk = _prepared(world)
    book = _download(world, pk)
    assert book.sheetnames == ["填报", "选项", "重点项目", "说明"]
    main = book["填报"]
    rows = [[c.value for c in row[:3]] for row in main.iter_rows(min_row=1, max_row=7)]
    assert rows == [
        ["代码", "填报项目", "填报值"],
        ["intentions", "新增合作意向*", 3],
        ["investment", "落地投资额", None],
        ["note", "工作亮点", FORMULA],
        ["visited", "对接日期", None],
        ["kind", "合作类型", "科研"],
        ["channels", "合作渠道", None],
    ]
    note = main["C4"]
    assert (note.data_type, note.quotePrefix) == ("s", True)  # a text, never a formula
    assert main.protection.sheet is True
    assert (main["C2"].protection.locked, main["B2"].protection.locked) == (False, True)
    assert book.security is not None
    assert book.security.lockStructure is True
    lists = {str(v.sqref): v.formula1 for v in main.data_validations.dataValidation}
    assert lists["C6"] == "=选项!$A$1:$A$2"
    assert [book["选项"].cell(r, 1).value for r in (1, 2)] == ["科研", "人才"]
    bounds = [v for v in main.data_validations.dataValidation if str(v.sqref) == "C2"]
    assert [(v.type, v.formula1, v.formula2) for v in bounds] == [("whole", "0", "100")]
    table = book["重点项目"]
    assert [c.value for c in table[1]] == ["项目名称", "阶段", "投资额"]
    assert [c.value for c in table[2]] == ["示范园", "落地", 2.5]


def test_the_round_trip_saves_every_value(world: World) -> None:
    pk = _prepared(world)
    book = _download(world, pk)
    main = book["填报"]
    main["C2"] = 7
    main["C3"] = 12.5
    main["C5"] = "2021-12-01"
    main["C7"] = "邀、聚"
    table = book["重点项目"]
    table["A3"], table["B3"], table["C3"] = "新项目", "签约", 4
    assert _upload(world, pk, book) == ""
    submission = Submission.objects.get(pk=pk)
    assert submission.values == {
        "intentions": 7,
        "investment": "12.50",
        "note": FORMULA,
        "visited": "2021-12-01",
        "kind": "科研",
        "channels": ["邀", "聚"],
        "projects": [
            {"name": "示范园", "stage": "落地", "amount": "2.50"},
            {"name": "新项目", "stage": "签约", "amount": "4.00"},
        ],
    }
    assert submission.state == "draft"


def test_a_bad_file_is_refused_whole_naming_every_cell(world: World) -> None:
    pk = _prepared(world)
    before = Submission.objects.get(pk=pk).values
    book = _download(world, pk)
    book["填报"]["C2"] = 101
    book["填报"]["C6"] = "其他"
    table = book["重点项目"]
    table["A3"], table["C3"] = "新项目", "很多"
    table["B4"] = "签约"
    html = _upload(world, pk, book)
    assert "文件中有4处错误，未保存" in html
    assert "填报：第2行 C列（新增合作意向）：应在 0 到 100 之间" in html
    assert "填报：第6行 C列（合作类型）：应为 科研、人才 之一" in html
    assert "重点项目：第3行 C列（投资额）：“很多”不是数字" in html
    assert "重点项目：第4行 A列（项目名称）：必填项不能为空" in html
    assert Submission.objects.get(pk=pk).values == before


def test_a_workbook_of_another_unit_is_refused(world: World) -> None:
    pk = _prepared(world)
    other = submission_of(Submission.objects.get(pk=pk).task_id, world.town2)
    response = world.client("town2").get(f"/reporting/submissions/{other}/excel/")
    book = load_workbook(io.BytesIO(response.content))
    html = _upload(world, pk, book)
    assert "该文件是其他任务或其他单位的填报表" in html
    assert Submission.objects.get(pk=pk).values["intentions"] == 3


def test_an_approved_submission_takes_no_upload(world: World) -> None:
    pk = _prepared(world)
    book = _download(world, pk)
    post(world.client("town1"), f"/api/v1/reporting/submissions/{pk}/submit", {})
    post(
        world.client("office"),
        f"/api/v1/reporting/submissions/{pk}/review",
        {"decision": "approve"},
    )
    book["填报"]["C2"] = 9
    assert "该填报已审核通过，不能再修改" in _upload(world, pk, book)
    assert Submission.objects.get(pk=pk).values["intentions"] == 3
