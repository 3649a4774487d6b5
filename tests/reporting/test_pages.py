"""The pages: the office designs a task (its fields one per line) and issues it; a town fills
it in online (a table, a file) and submits it; the office returns it with comments per field
or approves it; the roll-up and its Excel."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.reporting.conftest import World, create_task, post, put, submission_of
from yanzhen.reporting.models import Submission, Task

LINES = "\n".join(
    [
        "intentions | 新增合作意向 | 整数 | 是 | 0 | 100 | 项 |  | 按意向日期 | cooperation.intentions",
        "channels | 合作渠道 | 多选 | 否 |  |  |  | 邀、找 |  | ",
        "projects | 重点项目 | 表格 | 否 |  |  |  | name:项目名称:文本:是、stage:阶段:单选=签约/落地 |  | ",
    ]
)


def test_the_office_designs_and_issues_a_task(world: World) -> None:
    office = world.client("office")
    assert office.get("/reporting/new/").status_code == 200
    response = office.post(
        "/reporting/new/",
        {
            "title": "季度填报",
            "deadline": "2021-12-31",
            "recurrence": "quarterly",
            "target_kinds": ["town", "street"],
            "form_fields": LINES,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.state, task.recurrence, task.period_start.isoformat()) == (
        "draft",
        "quarterly",
        "2021-10-01",
    )
    assert [(f["key"], f["type"], f["required"]) for f in task.fields] == [
        ("intentions", "integer", True),
        ("channels", "multichoice", False),
        ("projects", "table", False),
    ]
    assert task.fields[0]["prefill"] == "cooperation.intentions"
    assert task.fields[2]["columns"][1]["choices"] == ["签约", "落地"]
    assert Submission.objects.count() == 0
    page = office.get(f"/reporting/{task.pk}/issue/").content.decode()
    assert "将下发给 3 个单位：甲镇、乙镇、丙街道" in page
    assert office.post(f"/reporting/{task.pk}/issue/").status_code == 302
    assert sorted(task.submissions.values_list("unit__name", "state")) == [
        ("丙街道", "not_started"),
        ("乙镇", "not_started"),
        ("甲镇", "not_started"),
    ]
    # Issued once only.
    office.post(f"/reporting/{task.pk}/issue/")
    assert task.submissions.count() == 3


def test_a_bad_design_is_refused_naming_the_field(world: World) -> None:
    response = world.client("office").post(
        "/reporting/new/",
        {
            "title": "季度填报",
            "deadline": "2021-12-31",
            "recurrence": "none",
            "target_kinds": ["town"],
            "form_fields": "kind | 合作类型 | 单选 | 否 |  |  |  |  |  | \nn | 数量 | 整数 | 否 | 5 | 1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "表单字段不正确：“合作类型”是选择字段，请给出选项" in html
    assert Task.objects.count() == 0


def test_a_town_fills_in_online_with_a_table_and_a_file(world: World) -> None:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town1)
    town = world.client("town1")
    assert town.get(f"/reporting/submissions/{pk}/edit/").status_code == 200
    response = town.post(
        f"/reporting/submissions/{pk}/edit/",
        {
            "v_intentions": "3",
            "v_investment": "1.5",
            "v_channels": ["邀"],
            "t_projects_0_name": "示范园",
            "t_projects_0_amount": "2",
            "v_proof": SimpleUploadedFile("协议.pdf", b"%PDF-1.4 test", "application/pdf"),
            "action": "submit",
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get(pk=pk)
    proof = submission.files.get()
    assert submission.state == "submitted"
    assert submission.values == {
        "intentions": 3,
        "investment": "1.50",
        "channels": ["邀"],
        "projects": [{"name": "示范园", "stage": None, "amount": "2.00"}],
        "proof": {"id": proof.pk, "name": "协议.pdf"},
    }
    download = world.client("office").get(f"/reporting/files/{proof.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]
    assert world.client("town2").get(f"/reporting/files/{proof.pk}/").status_code == 404


def test_a_value_out_of_bounds_is_shown_beside_its_field(world: World) -> None:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town1)
    response = world.client("town1").post(
        f"/reporting/submissions/{pk}/edit/", {"v_intentions": "101", "action": "save"}
    )
    assert response.status_code == 200
    assert "“新增合作意向”应在 0 到 100 之间" in response.content.decode()
    assert Submission.objects.get(pk=pk).state == "not_started"


def test_the_office_returns_with_comments_then_approves(world: World) -> None:
    task_id = create_task(world)
    pk = submission_of(task_id, world.town1)
    town, office = world.client("town1"), world.client("office")
    put(town, f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": 3}})
    post(town, f"/api/v1/reporting/submissions/{pk}/submit", {})
    path = f"/reporting/submissions/{pk}/review/"
    response = office.post(path, {"decision": "return", "comment": ""})
    assert "退回时请填写意见" in response.content.decode()
    assert Submission.objects.get(pk=pk).state == "submitted"
    response = office.post(
        path, {"decision": "return", "comment": "请核对", "c_intentions": "与台账不一致"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get(pk=pk)
    assert (submission.state, submission.comment, submission.field_comments) == (
        "returned",
        "请核对",
        {"intentions": "与台账不一致"},
    )
    form = town.get(f"/reporting/submissions/{pk}/edit/").content.decode()
    assert "退回意见：请核对" in form
    assert "审核意见：与台账不一致" in form
    town.post(f"/reporting/submissions/{pk}/edit/", {"v_intentions": "4", "action": "submit"})
    assert office.post(path, {"decision": "approve"}).status_code == 302
    assert Submission.objects.get(pk=pk).state == "approved"
    locked = town.get(f"/reporting/submissions/{pk}/edit/").content.decode()
    assert "该填报已审核通过，不能再修改" in locked


def test_the_rollup_page_and_its_excel(world: World) -> None:
    task_id = create_task(world)
    for name, unit, n in (("town1", world.town1, 3), ("street", world.street, 5)):
        pk = submission_of(task_id, unit)
        client = world.client(name)
        put(client, f"/api/v1/reporting/submissions/{pk}", {"values": {"intentions": n}})
        post(client, f"/api/v1/reporting/submissions/{pk}/submit", {})
        post(
            world.client("office"),
            f"/api/v1/reporting/submissions/{pk}/review",
            {"decision": "approve"},
        )
    office = world.client("office")
    html = office.get(f"/reporting/{task_id}/rollup/").content.decode()
    assert "未报单位（1）" in html
    response = office.get(f"/reporting/{task_id}/rollup/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row][:5] for row in sheet.iter_rows()]
    assert rows == [
        ["填报单位", "状态", "逾期", "新增合作意向", "落地投资额"],
        ["甲镇", "已通过", "否", 3, None],
        ["乙镇", "未填报", "否", None, None],
        ["丙街道", "已通过", "否", 5, None],
        ["合计（已通过）", None, None, 8, "0.00"],
    ]


def test_the_task_list_shows_each_reader_their_units(world: World) -> None:
    task_id = create_task(world)
    html = world.client("town1").get("/reporting/").content.decode()
    assert f'href="/reporting/{task_id}/"' in html
    detail = world.client("town1").get(f"/reporting/{task_id}/").content.decode()
    assert "甲镇" in detail
    assert "乙镇" not in detail


def test_the_office_extends_the_deadline(world: World) -> None:
    task_id = create_task(world)
    response = world.client("office").post(
        f"/reporting/{task_id}/edit/",
        {"title": "四季度数据填报", "description": "延期", "deadline": "2022-01-05"},
    )
    assert response.status_code == 302
    task = Task.objects.get(pk=task_id)
    assert (task.deadline.isoformat(), task.description) == ("2022-01-05", "延期")
    refused = world.client("town1").post(
        f"/reporting/{task_id}/edit/", {"title": "改", "deadline": "2022-02-01"}
    )
    assert refused.status_code == 403
    assert Task.objects.get(pk=task_id).title == "四季度数据填报"
