"""The create and edit pages of supervision (``submit`` and ``form_page``): work plans,
milestones, rounds, problems and decisions are written through their ``<noun>_new`` and
``<noun>_edit`` pages; a refused form names its field in Chinese and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.supervision.conftest import World
from yanzhen.core.errors import DomainError
from yanzhen.supervision import services
from yanzhen.supervision.models import (
    ActionItem,
    Evidence,
    Milestone,
    MilestoneStatus,
    Problem,
    ProblemState,
    Report,
    Round,
    WorkPlan,
)

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_work_plan_is_written_then_changed_on_one_page(world: World) -> None:
    client = world.client(world.office_user)
    url = reverse("supervision:work_plan_edit", args=[world.base.pk])
    assert "方案名称" in client.get(url).content.decode()
    document = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")
    response = client.post(
        url, {"title": " 电机基地工作方案 ", "adopted_on": "2021-03-10", "document": document}
    )
    assert response["Location"] == reverse("cooperation:base_detail", args=[world.base.pk])
    plan = WorkPlan.objects.get()
    assert (plan.title, plan.adopted_on, plan.created_by) == (
        "电机基地工作方案",
        D(2021, 3, 10),
        world.office_user,
    )
    page = client.get(url).content.decode()
    assert reverse("supervision:work_plan_document", args=[world.base.pk]) in page  # the file
    response = client.post(url, {"title": "调整后的方案", "summary": "新增两项任务"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.summary, plan.adopted_on, WorkPlan.objects.count()) == (
        "调整后的方案",
        "新增两项任务",
        None,
        1,
    )
    assert str(plan.document.name).endswith(".pdf")  # a change without a file keeps it


def test_a_base_has_one_work_plan(world: World) -> None:
    services.work_plan_create(actor=None, base=world.base, title="方案", adopted_on=None)
    with pytest.raises(DomainError) as caught:
        services.work_plan_create(actor=None, base=world.base, title="另一个", adopted_on=None)
    assert caught.value.fields == {"title": "该基地已有工作方案，请修改现有方案"}
    assert list(WorkPlan.objects.values_list("title", flat=True)) == ["方案"]


def test_a_milestone_is_added_and_edited_through_its_pages(world: World) -> None:
    client = world.client(world.lead_user)
    url = reverse("supervision:milestone_new", args=[world.base.pk])
    data = {"title": "中试线建成", "owner_unit": world.lead.pk, "due_date": "2021-10-31",
            "status": "done", "sort_order": ""}  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "请填写完成日期" in refused.content.decode()
    assert Milestone.objects.count() == 2
    response = client.post(url, {**data, "status": "not_started"})
    assert response["Location"] == reverse("cooperation:base_detail", args=[world.base.pk])
    milestone = Milestone.objects.get(title="中试线建成")
    assert (milestone.base, milestone.owner_unit, milestone.sort_order, milestone.created_by) == (
        world.base,
        world.lead,
        0,
        world.lead_user,
    )
    edit = reverse("supervision:milestone_edit", args=[milestone.pk])
    assert 'value="中试线建成"' in client.get(edit).content.decode()
    response = client.post(
        edit, {**data, "title": "中试线投产", "done_date": "2021-10-20", "sort_order": "3"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.status, milestone.done_date, milestone.sort_order) == (
        "中试线投产",
        MilestoneStatus.DONE,
        D(2021, 10, 20),
        3,
    )
    # A department without the permission changes nothing.
    other = world.client(world.other_user)
    assert other.post(edit, {**data, "title": "改"}).status_code == 403
    milestone.refresh_from_db()
    assert milestone.title == "中试线投产"


def test_an_update_changes_only_the_fields_given(world: World) -> None:
    milestone = world.milestones[1]
    services.milestone_update(actor=world.office_user, milestone=milestone, deliverable=" 协议 ")
    milestone.refresh_from_db()
    assert (milestone.title, milestone.deliverable, milestone.due_date) == (
        "签订协议",
        "协议",
        D(2021, 9, 30),
    )
    with pytest.raises(TypeError, match="unknown milestone fields"):
        services.milestone_update(actor=None, milestone=milestone, created_by=None)


def test_the_office_opens_a_round_on_its_page(world: World) -> None:
    client = world.client(world.office_user)
    url = reverse("supervision:round_new")
    page = client.get(url).content.decode()
    assert 'value="2021年6月省校合作工作调度"' in page
    assert 'value="2021-06-15"' in page  # five days to report
    data = {"title": "6月调度", "kind": "monthly", "opened_on": "2021-06-10",
            "deadline": "2021-06-09", "bases": [world.base.pk]}  # fmt: skip
    refused = client.post(url, data)
    assert "不能早于发起日期" in refused.content.decode()
    assert Round.objects.count() == 0
    response = client.post(url, {**data, "deadline": "2021-06-15"})
    round = Round.objects.get()
    assert response["Location"] == reverse("supervision:round_detail", args=[round.pk])
    assert list(round.bases.all()) == [world.base]
    assert (
        client.get(reverse("supervision:round_list"))
        .content.decode()
        .count(reverse("supervision:round_new"))
        == 1
    )  # the list offers the page
    lead = world.client(world.lead_user)
    assert lead.get(url).status_code == 403
    assert lead.post(url, {**data, "deadline": "2021-06-15"}).status_code == 403
    assert Round.objects.count() == 1


def test_a_problem_raised_on_its_page_needs_a_title_and_is_assigned_with_a_unit(
    world: World,
) -> None:
    client = world.client(world.office_user)
    url = reverse("supervision:problem_new")
    assert f'value="{world.office.pk}" selected' in client.get(url).content.decode()
    refused = client.post(url, {"title": "", "raised_by_unit": world.office.pk})
    assert refused.status_code == 200
    assert Problem.objects.count() == 0
    response = client.post(
        url,
        {"title": "用地指标不足", "raised_by_unit": world.office.pk,
         "responsible_unit": world.other.pk, "deadline": "2021-07-01"},
    )  # fmt: skip
    problem = Problem.objects.get()
    assert response["Location"] == reverse("supervision:problem_detail", args=[problem.pk])
    assert (problem.source, problem.state, problem.responsible_unit) == (
        "direct",
        ProblemState.ASSIGNED,
        world.other,
    )
    # The list no longer takes a problem posted to it: the page to raise one is its own.
    client.post(reverse("supervision:problem_list"), {"title": "旧表单", "raised_by_unit": 1})
    assert Problem.objects.count() == 1


def test_a_decision_is_entered_on_its_page_and_moved_on_another(world: World) -> None:
    client = world.client(world.office_user)
    url = reverse("supervision:action_item_new")
    refused = client.post(
        url,
        {"meeting_title": "", "meeting_date": "2021-06-09", "decision": "建中试线",
         "responsible_unit": world.lead.pk, "deadline": "2021-09-30"},
    )  # fmt: skip
    assert "请选择会议或填写会议名称" in refused.content.decode()
    assert ActionItem.objects.count() == 0
    item = services.action_item_create(
        actor=world.office_user, meeting=None, meeting_title="推进会",
        meeting_date=D(2021, 6, 9), decision="建中试线", responsible_unit=world.lead,
        deadline=D(2021, 9, 30),
    )  # fmt: skip
    move = reverse("supervision:action_item_move", args=[item.pk])
    page = client.get(move).content.decode()
    assert "推进会（2021-06-09）" in page
    assert "2021-09-30" in page
    refused = client.post(move, {"target": "milestone"})
    assert "该事项未指定基地" in refused.content.decode()
    response = client.post(move, {"target": "problem"})
    item.refresh_from_db()
    assert item.problem is not None
    assert response["Location"] == reverse("supervision:problem_detail", args=[item.problem.pk])
    assert "该事项已转办。" in client.get(move).content.decode()


def test_a_cleared_file_field_keeps_the_plan_s_file(world: World) -> None:
    """``document-clear`` (the clearing checkbox of a file field, never offered here) made the
    field give False, which the service took for a file: a server error."""
    document = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")
    services.work_plan_create(
        actor=None, base=world.base, title="方案", adopted_on=None, document=document
    )
    client = world.client(world.office_user)
    url = reverse("supervision:work_plan_edit", args=[world.base.pk])
    response = client.post(url, {"title": "新方案", "document-clear": "on"})
    assert response.status_code == 302
    plan = WorkPlan.objects.get()
    assert (plan.title, str(plan.document.name).endswith(".pdf")) == ("新方案", True)


def test_a_cleared_evidence_field_reports_without_evidence(world: World) -> None:
    round = services.round_create(
        actor=world.office_user, title="6月调度", kind="monthly", opened_on=D(2021, 6, 10),
        deadline=D(2021, 6, 15), bases=[world.base],
    )  # fmt: skip
    client = world.client(world.lead_user)
    url = reverse("supervision:report_edit", args=[round.pk, world.base.pk])
    second = world.milestones[1].pk
    data = {f"percent_{m.pk}": "10" for m in world.milestones}
    response = client.post(url, {**data, f"evidence_{second}-clear": "on", "summary": "推进中"})
    assert response.status_code == 302
    assert Evidence.objects.count() == 0
    assert Report.objects.get().summary == "推进中"
