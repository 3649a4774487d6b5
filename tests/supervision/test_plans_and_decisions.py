"""Work plans in Excel (export, import back all or nothing), meeting decisions turned into
problems or milestones, the state of every base and the leader's page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.supervision.conftest import World
from yanzhen.cooperation.models import Activity, Base
from yanzhen.core import importing
from yanzhen.core.errors import DomainError
from yanzhen.core.importing import ImportResult
from yanzhen.supervision import excel, services
from yanzhen.supervision.models import (
    ActionItemState,
    Milestone,
    MilestoneStatus,
    ProblemSource,
    ProblemState,
)
from yanzhen.supervision.selectors import leader_view

pytestmark = pytest.mark.django_db
D = dt.date


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.header for c in excel.columns()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_plans(*, user: Any, data: bytes, filename: str, commit: bool) -> ImportResult:
    """The work plans through the one import flow (register ``milestones``)."""
    register = importing.register_named("milestones")
    return importing.run(register, user=user, data=data, filename=filename, commit=commit)


def test_the_export_of_the_plans_imports_back_unchanged(world: World) -> None:
    client = world.client(world.office_user)
    response = client.get(reverse("supervision:milestone_list") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "节点编号", "基地编号", "基地名称", "节点任务", "责任单位", "完成时限", "预期成果", "状态",
        "完成日期", "排序",
    ]  # fmt: skip
    due = rows[1][5]
    assert isinstance(due, dt.datetime)
    assert due.date() == D(2021, 3, 31)
    assert rows[1][1:5] + rows[1][6:] == ["B1", "电机基地", "组建专班", "工信局", None, "未开始", None, 0]  # fmt: skip
    report = import_plans(
        user=world.office_user, data=response.content, filename="plans.xlsx", commit=True
    )
    assert (report.ok, report.created, report.updated, report.unchanged) == (True, 0, 0, 2)


def test_an_import_creates_and_updates_milestones(world: World) -> None:
    data = workbook(
        [
            [world.milestones[0].pk, "B1", "", "组建专班", "工信局", "2021-03-31", "专班名单", "已完成", "2021-03-20", 0],
            [None, "B1", "", "成果转化落地", "科技局", "2021-11-30", "", "未开始", None, 2],
        ]
    )  # fmt: skip
    preview = import_plans(user=world.office_user, data=data, filename="p.xlsx", commit=False)
    assert (preview.ok, preview.created, preview.updated, preview.committed) == (True, 1, 1, False)
    assert Milestone.objects.count() == 2
    report = import_plans(user=world.office_user, data=data, filename="p.xlsx", commit=True)
    assert (report.created, report.updated, report.committed) == (1, 1, True)
    first = Milestone.objects.get(pk=world.milestones[0].pk)
    assert (first.status, first.done_date, first.deliverable) == (
        MilestoneStatus.DONE,
        D(2021, 3, 20),
        "专班名单",
    )
    new = Milestone.objects.get(title="成果转化落地")
    assert (new.owner_unit, new.due_date, new.created_by) == (
        world.other,
        D(2021, 11, 30),
        world.office_user,
    )
    again = import_plans(user=world.office_user, data=data, filename="p.xlsx", commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_an_import_with_any_bad_row_keeps_nothing_and_names_every_cell(world: World) -> None:
    data = workbook(
        [
            [None, "B1", "", "新节点", "工信局", "2021-10-31", "", "未开始", None, 0],
            [None, "B9", "", "甲", "工信局", "2021-10-31", "", "未开始", None, 0],
            [None, "B1", "", "乙", "不存在局", "2021-10-31", "", "已完成", None, 0],
            [None, "B1", "", "丙", "工信局", "不是日期", "", "完成", None, 0],
            [None, "B1", "", "新节点", "工信局", "2021-10-31", "", "未开始", None, 0],
        ]
    )  # fmt: skip
    report = import_plans(user=world.office_user, data=data, filename="p.xlsx", commit=True)
    assert [str(e) for e in report.errors] == [
        "第3行 B列（基地编号）：找不到基地“B9”（或不在您的数据范围内）",
        "第4行 E列（责任单位）：找不到单位“不存在局”（或不在您的数据范围内）",
        "第5行 F列（完成时限）：“不是日期”不是日期（可写成 2021-03-05、2021.3.5、2021/03/05 或"
        " 2021年3月5日）",
        "第6行 D列（节点任务）：与第2行是同一个节点",
    ]
    assert (report.committed, Milestone.objects.count()) == (False, 2)


def test_the_import_page_previews_then_confirms(world: World) -> None:
    client = world.client(world.office_user)
    url = reverse("supervision:milestone_bulk_edit")
    template = client.get(url + "?template=1")
    assert template["Content-Disposition"].startswith("attachment;")
    data = workbook([[None, "B1", "", "新节点", "工信局", "2021-10-31", "", "未开始", None, 0]])
    preview = client.post(url, {"file": SimpleUploadedFile("p.xlsx", data)})
    html = preview.content.decode()
    assert "将新增 1 项，更新 0 项，0 项无变化。" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    assert Milestone.objects.count() == 2
    confirm = reverse("core:import_confirm", args=["milestones"])
    assert client.post(confirm, {"token": token}).status_code == 302
    assert Milestone.objects.filter(title="新节点").count() == 1
    assert client.post(confirm, {"token": token}).status_code == 404
    assert world.client(world.leader_user).get(url).status_code == 403


def meeting(w: World) -> Activity:
    activity: Activity = Activity.objects.create(
        kind="standing_committee",
        title="常委会研究省校合作",
        date=D(2021, 6, 8),
        organizer_unit=w.county,
    )
    return activity


def test_a_decision_becomes_an_assigned_problem(world: World) -> None:
    item = services.action_item_create(
        actor=world.office_user, meeting=meeting(world), meeting_title="", meeting_date=None,
        decision="落实人才公寓保障\n由组织部牵头", responsible_unit=world.other,
        deadline=D(2021, 7, 31),
    )  # fmt: skip
    assert (item.meeting_title, item.meeting_date) == ("常委会研究省校合作", D(2021, 6, 8))
    services.action_item_convert(actor=world.office_user, item=item, target="problem")
    problem = item.problem
    assert problem is not None
    assert (problem.title, problem.source, problem.state, problem.responsible_unit, problem.deadline) == (
        "落实人才公寓保障", ProblemSource.MEETING, ProblemState.ASSIGNED, world.other, D(2021, 7, 31)
    )  # fmt: skip
    assert (
        problem.description
        == "常委会研究省校合作（2021-06-08）决定：落实人才公寓保障\n由组织部牵头"
    )
    assert item.state == ActionItemState.CONVERTED
    with pytest.raises(DomainError, match="该决定事项已转办"):
        services.action_item_convert(actor=world.office_user, item=item, target="milestone")


def test_a_decision_becomes_a_milestone_of_its_base(world: World) -> None:
    client = world.client(world.office_user)
    response = client.post(
        reverse("supervision:action_item_new"),
        {
            "meeting_title": "推进会", "meeting_date": "2021-06-09", "decision": "9月底前建成中试线",
            "base": world.base.pk, "responsible_unit": world.lead.pk, "deadline": "2021-09-30",
        },
    )  # fmt: skip
    assert response.status_code == 302
    item = world.base.action_items.get()
    response = client.post(
        reverse("supervision:action_item_move", args=[item.pk]), {"target": "milestone"}
    )
    assert response["Location"] == reverse("cooperation:base_detail", args=[world.base.pk])
    milestone = Milestone.objects.get(title="9月底前建成中试线")
    assert (milestone.base, milestone.owner_unit, milestone.due_date, milestone.deliverable) == (
        world.base, world.lead, D(2021, 9, 30), "落实推进会决定"
    )  # fmt: skip


def test_decisions_are_refused_when_incomplete(world: World) -> None:
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"meeting_title": "", "meeting_date": D(2021, 6, 1)}, {"meeting_title": "请选择会议或填写会议名称"}),
        ({"meeting_title": "会", "meeting_date": None}, {"meeting_date": "请填写会议日期"}),
        ({"meeting_title": "会", "meeting_date": D(2021, 8, 1)}, {"deadline": "完成时限不能早于会议日期"}),
        ({"meeting_title": "会", "meeting_date": D(2021, 6, 1), "responsible_unit": "lead", "actor": "other"}, {"responsible_unit": "不在您的数据范围内"}),
    ]  # fmt: skip
    for overrides, fields in cases:
        values: dict[str, Any] = {
            "actor": world.office_user, "meeting": None, "decision": "决定", "deadline": D(2021, 7, 1),
            "responsible_unit": world.other,
        }  # fmt: skip
        values.update(overrides)
        if values["responsible_unit"] == "lead":
            values["responsible_unit"] = world.lead
        if values["actor"] == "other":
            values["actor"] = world.other_user
        with pytest.raises(DomainError) as caught:
            services.action_item_create(**values)
        assert caught.value.fields == fields
    item = services.action_item_create(
        actor=world.office_user, meeting=None, meeting_title="会", meeting_date=D(2021, 6, 1),
        decision="无基地的事项", responsible_unit=world.other, deadline=D(2021, 7, 1),
    )  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.action_item_convert(actor=world.office_user, item=item, target="milestone")
    assert caught.value.fields == {"target": "该事项未指定基地"}
    with pytest.raises(DomainError) as caught:
        services.action_item_convert(actor=world.lead_user, item=item, target="problem")
    assert caught.value.code == "forbidden"
    item.refresh_from_db()
    assert (item.state, item.problem, item.milestone) == (ActionItemState.OPEN, None, None)


def test_the_board_shows_each_base_and_links_its_figures(world: World) -> None:
    services.problem_create(
        actor=world.office_user, title="资金缺口", raised_by_unit=world.lead, base=world.base,
        responsible_unit=world.other, deadline=D(2021, 6, 20),
    )  # fmt: skip
    html = world.client(world.office_user).get(reverse("supervision:board")).content.decode()
    row = html.split('data-base="B1"')[1].split("</tr>")[0]
    base = world.base.pk
    overdue = f"/supervision/milestones/?base={base}&amp;overdue=1"
    assert f'href="/supervision/milestones/?base={base}">0/2</a>' in row
    assert f'<a href="{overdue}"><span class="tag gap">1</span></a>' in row
    assert f'href="/supervision/problems/?state=open&amp;base={base}">1</a>' in row
    assert f'href="/supervision/problems/?state=overdue&amp;base={base}">0</a>' in row
    assert f'href="/supervision/problems/?base={base}&amp;escalated=1">0</a>' in row
    for link in (f"?base={base}&overdue=1", f"?base={base}&overdue=on"):
        listed = world.client(world.office_user).get(f"/supervision/milestones/{link}")
        assert "共 1 条" in listed.content.decode()


def test_the_leader_sees_their_bases_and_overdue_items(
    world: World, clock: time_machine.Traveller
) -> None:
    Base.objects.create(
        code="B2", name="别人的基地", county=world.county, lead_department=world.other
    )
    services.problem_create(
        actor=world.office_user, title="资金缺口", raised_by_unit=world.lead, base=world.base,
        responsible_unit=world.other, deadline=D(2021, 6, 10),
    )  # fmt: skip
    clock.move_to(dt.datetime(2021, 6, 12, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    services.escalate_overdue(today=D(2021, 6, 12))
    view = leader_view(user=world.leader_user, today=D(2021, 6, 12))
    assert (view.own, [s.base.code for s in view.bases]) == (True, ["B1"])
    assert [p.title for p in view.overdue_problems] == ["资金缺口"]
    assert [m.title for m in view.overdue_milestones] == ["组建专班"]
    assert [u.name for u in view.units] == ["工信局", "科技局"]
    html = world.client(world.leader_user).get(reverse("supervision:leader")).content.decode()
    assert "我分管的基地" in html
    assert "别人的基地" not in html
    assert "电机基地：组建专班" in html
    assert "资金缺口</a> <small>科技局 · 2021-06-10 到期 · 已督办" in html
    office = world.client(world.office_user).get(reverse("supervision:leader")).content.decode()
    assert "全部基地" in office
    assert "别人的基地" in office
