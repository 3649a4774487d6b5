"""Scheduling rounds: the office opens them, each base's lead department reports progress per
open milestone (with evidence) and raises problems, late reports are marked, and the round's
summary (page and XLSX) shows who reported and who did not."""

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
from yanzhen.cooperation.models import Base
from yanzhen.core.errors import DomainError
from yanzhen.supervision import selectors, services
from yanzhen.supervision.models import (
    Evidence,
    MilestoneStatus,
    Problem,
    ProblemSource,
    ProblemState,
    Report,
    Round,
    RoundState,
)

pytestmark = pytest.mark.django_db
D = dt.date


def open_round(w: World, **overrides: object) -> Round:
    values: dict[str, object] = {
        "actor": w.office_user,
        "title": "2021年6月工作调度",
        "kind": "monthly",
        "opened_on": D(2021, 6, 10),
        "deadline": D(2021, 6, 15),
        "bases": [w.base],
    }
    values.update(overrides)
    return services.round_create(**values)  # type: ignore[arg-type]


def progress(w: World, percent: int = 50, **kwargs: object) -> list[services.ProgressInput]:
    return [services.ProgressInput(w.milestones[1], percent, "推进中", **kwargs)]  # type: ignore[arg-type]


def test_the_office_opens_a_round_for_its_bases(world: World) -> None:
    round = open_round(world)
    assert (round.state, list(round.bases.all()), round.created_by) == (
        RoundState.OPEN,
        [world.base],
        world.office_user,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"bases": []}, "bases", "至少选择一个基地"),
        ({"deadline": D(2021, 6, 9)}, "deadline", "不能早于发起日期"),
    ],
)
def test_a_round_needs_bases_and_a_deadline_after_it_opens(
    world: World, overrides: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as caught:
        open_round(world, **overrides)
    assert caught.value.fields == {field: message}
    assert Round.objects.count() == 0


def test_a_department_cannot_open_a_round_for_a_base_it_does_not_see(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        open_round(world, actor=world.other_user)
    assert caught.value.code == "out_of_scope"
    assert Round.objects.count() == 0


def test_the_report_asks_only_for_milestones_open_when_the_round_opened(world: World) -> None:
    world.milestones[0].status = MilestoneStatus.DONE
    world.milestones[0].done_date = D(2021, 3, 20)
    world.milestones[0].save()
    round = open_round(world)
    assert list(selectors.round_milestones(round, world.base)) == [world.milestones[1]]


def test_a_report_on_time_with_evidence_and_problems(world: World) -> None:
    round = open_round(world)
    evidence = SimpleUploadedFile("进展.pdf", b"%PDF-1.4 progress")
    report = services.report_submit(
        actor=world.lead_user,
        round=round,
        base=world.base,
        summary=" 稳步推进 ",
        items=progress(world, 60, evidence=evidence),
        problems=["中试场地不足", "", "  专家驻企时间少  "],
    )
    assert (report.late, report.summary, report.submitted_at.isoformat()) == (
        False,
        "稳步推进",
        "2021-06-10T02:00:00+00:00",
    )
    item = report.items.get()
    assert (item.milestone, item.percent, item.progress) == (world.milestones[1], 60, "推进中")
    stored = Evidence.objects.get()
    assert (stored.name, stored.uploaded_by) == ("进展.pdf", world.lead_user)
    with stored.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 progress"
    raised = Problem.objects.order_by("id")
    assert [(p.title, p.state, p.source, p.round, p.base, p.raised_by_unit) for p in raised] == [
        ("中试场地不足", ProblemState.RAISED, ProblemSource.ROUND, round, world.base, world.lead),
        ("专家驻企时间少", ProblemState.RAISED, ProblemSource.ROUND, round, world.base, world.lead),
    ]
    world.milestones[1].refresh_from_db()
    assert world.milestones[1].status == MilestoneStatus.IN_PROGRESS


def test_a_report_after_the_deadline_day_is_late_and_stays_late(
    world: World, clock: time_machine.Traveller
) -> None:
    round = open_round(world)
    clock.move_to(dt.datetime(2021, 6, 15, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert (
        services.report_submit(
            actor=world.lead_user, round=round, base=world.base, summary="", items=progress(world)
        ).late
        is False
    )
    Report.objects.all().delete()
    clock.move_to(dt.datetime(2021, 6, 16, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    first = services.report_submit(
        actor=world.lead_user, round=round, base=world.base, summary="", items=progress(world)
    )
    assert first.late is True
    again = services.report_submit(
        actor=world.lead_user,
        round=round,
        base=world.base,
        summary="更新",
        items=progress(world, 70),
    )
    assert (again.pk, again.late, again.submitted_at, again.items.get().percent) == (
        first.pk,
        True,
        first.submitted_at,
        70,
    )


def test_a_milestone_reported_complete_is_done_that_day(world: World) -> None:
    round = open_round(world)
    services.report_submit(
        actor=world.lead_user, round=round, base=world.base, summary="", items=progress(world, 100)
    )
    world.milestones[1].refresh_from_db()
    assert (world.milestones[1].status, world.milestones[1].done_date) == (
        MilestoneStatus.DONE,
        D(2021, 6, 10),
    )
    assert world.milestones[1].history.first().history_user == world.lead_user


def test_reports_are_refused_when_the_rules_are_broken(world: World) -> None:
    round = open_round(world)
    other = Base.objects.create(
        code="B2", name="农业基地", county=world.county, lead_department=world.other
    )
    cases: list[tuple[dict[str, Any], str, dict[str, str]]] = [
        ({"items": progress(world, 101)}, "invalid", {f"percent_{world.milestones[1].pk}": "完成进度应在 0 到 100 之间"}),
        ({"base": other}, "not_in_round", {"base": "不在本轮"}),
        ({"actor": world.other_user}, "out_of_scope", {"base": "不在您的数据范围内"}),
    ]  # fmt: skip
    for overrides, code, fields in cases:
        values: dict[str, Any] = {
            "actor": world.lead_user, "round": round, "base": world.base, "summary": "",
            "items": progress(world),
        }  # fmt: skip
        values.update(overrides)
        with pytest.raises(DomainError) as caught:
            services.report_submit(**values)
        assert (caught.value.code, caught.value.fields) == (code, fields)
    foreign = services.ProgressInput(
        other.milestones.create(title="X", owner_unit=world.other, due_date=D(2021, 7, 1)), 10
    )
    with pytest.raises(DomainError, match="不是本基地本轮需报送的节点任务"):
        services.report_submit(
            actor=world.lead_user, round=round, base=world.base, summary="", items=[foreign]
        )
    round.state = RoundState.CLOSED
    round.save()
    with pytest.raises(DomainError, match="本轮调度已结束"):
        services.report_submit(
            actor=world.lead_user, round=round, base=world.base, summary="", items=progress(world)
        )
    assert (Report.objects.count(), Problem.objects.count()) == (0, 0)


def test_the_summary_page_and_its_xlsx_show_who_reported(world: World) -> None:
    other = Base.objects.create(
        code="B2", name="农业基地", county=world.county, lead_department=world.other, sort_order=1
    )
    round = open_round(world, bases=[world.base, other])
    services.report_submit(
        actor=world.lead_user,
        round=round,
        base=world.base,
        summary="按计划推进",
        items=progress(world, 40),
        problems=["缺少中试场地"],
    )
    client = world.client(world.office_user)
    html = client.get(reverse("supervision:round_detail", args=[round.pk])).content.decode()
    assert 'data-figure="expected"><span class="value">2<' in html
    assert 'data-figure="reported"><span class="value">1<' in html
    assert 'data-figure="missing"><span class="value">1<' in html
    assert 'data-base="B1" data-status="on_time"' in html
    assert 'data-base="B2" data-status="missing"' in html
    assert "签订协议：<strong>40%</strong>" in html
    response = client.get(reverse("supervision:round_detail", args=[round.pk]) + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "序号", "基地", "牵头部门", "责任领导", "报送情况", "报送时间", "节点任务进展", "总体进展",
        "提出的问题",
    ]  # fmt: skip
    assert rows[1:3] == [
        [1, "电机基地", "工信局", "王副县长", "按时报送", "2021-06-10 10:00", "签订协议 40%",
         "按计划推进", "缺少中试场地"],
        [2, "农业基地", "科技局", None, "未报送", None, None, None, None],
    ]  # fmt: skip


def test_the_lead_department_reports_through_the_page(world: World) -> None:
    round = open_round(world)
    client = world.client(world.lead_user)
    url = reverse("supervision:report_edit", args=[round.pk, world.base.pk])
    page = client.get(url).content.decode()
    assert "签订协议" in page
    assert "组建专班" in page  # not yet done when the round opened
    data = {
        f"percent_{world.milestones[0].pk}": "100",
        f"progress_{world.milestones[0].pk}": "专班已组建",
        f"percent_{world.milestones[1].pk}": "30",
        f"evidence_{world.milestones[1].pk}": SimpleUploadedFile("a.txt", b"x"),
        "summary": "总体顺利",
        "problems": "用地审批慢",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert sorted(report.items.values_list("percent", flat=True)) == [30, 100]
    assert Evidence.objects.get().item.milestone == world.milestones[1]
    assert Problem.objects.get().title == "用地审批慢"
    other = world.client(world.other_user)
    assert other.get(url).status_code == 404
    assert other.get(reverse("supervision:round_detail", args=[round.pk])).status_code == 404
    evidence = reverse("supervision:evidence_download", args=[Evidence.objects.get().pk])
    assert client.get(evidence).status_code == 200
    assert other.get(evidence).status_code == 404


def test_rounds_can_be_closed_and_the_list_counts_reports(world: World) -> None:
    round = open_round(world)
    client = world.client(world.office_user)
    response = client.post(
        reverse("supervision:round_edit", args=[round.pk]),
        {"title": round.title, "deadline": "2021-06-20", "state": "closed", "note": ""},
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert (round.state, round.deadline) == (RoundState.CLOSED, D(2021, 6, 20))
    html = client.get(reverse("supervision:round_list")).content.decode()
    assert "0/1" in html
    assert (
        world.client(world.lead_user)
        .post(reverse("supervision:round_edit", args=[round.pk]), {})
        .status_code
        == 403
    )
