"""The Yongji demo's year of supervision, the figures its indicator sources compute (exact),
the records behind each figure, and the data scope of the pages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Base
from yanzhen.core.indicators import Subject
from yanzhen.core.models import Unit
from yanzhen.notifications.models import Notification
from yanzhen.supervision import services
from yanzhen.supervision.indicators import SOURCES
from yanzhen.supervision.models import (
    ActionItem,
    Escalation,
    Problem,
    Report,
    Round,
)

pytestmark = pytest.mark.usefixtures("demo_db")
YEAR = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    """A day in January 2022, after the demo's year (overrides the package's 2021 freeze)."""
    with time_machine.travel(dt.datetime(2022, 1, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


def bases() -> list[Base]:
    return list(Base.objects.order_by("sort_order", "id"))


def test_the_demo_has_a_year_of_rounds_reports_problems_and_decisions() -> None:
    assert Round.objects.filter(opened_on__year=2021).count() == 12
    assert (Report.objects.count(), Report.objects.filter(late=True).count()) == (136, 20)
    # One more assigned: the demo assigns a problem to 开张镇 (due after today) to notify it.
    assert Counter(Problem.objects.values_list("state", flat=True)) == {
        "closed": 16, "in_progress": 3, "assigned": 3, "resolved": 1,
    }  # fmt: skip
    overdue = Problem.objects.filter(
        state__in=["assigned", "in_progress", "returned"], deadline__lt=dt.date(2021, 12, 31)
    )
    assert sorted(overdue.values_list("title", "escalation_level")) == [
        ("企业研发人员短缺影响项目落地", 2),
        ("农业科技小院专家往返交通不便", 2),
        ("合作协议履约情况缺少跟踪", 2),
        ("孵化器入驻企业用地审批进度慢", 2),
        ("远程会诊平台网络改造滞后", 2),
    ]
    assert Escalation.objects.count() == 10
    assert Counter(ActionItem.objects.values_list("state", flat=True)) == {
        "converted": 15,
        "open": 2,
    }
    assert Counter(Problem.objects.values_list("source", flat=True)) == {
        "round": 17, "meeting": 3, "direct": 3,
    }  # fmt: skip


EXPECTED = {
    "cooperation.intentions": ["12", "13", "15", "13", "5", "4", "5", "1", "1", "32", "1", "14"],
    "cooperation.agreements": ["8", "10", "10", "7", "2", "2", "4", "0", "1", "21", "1", "12"],
    "cooperation.landed": ["8", "7", "5", "6", "2", "2", "4", "0", "1", "16", "0", "10"],
    "cooperation.investment": ["9350", "8515", "7410", "12393", "1626", "1785", "2582", "0", "90", "730", "0", "11824"],
    "cooperation.activities": ["2", "1", "1", "1", "1", "0", "0", "0", "0", "0", "0", "2"],
    "cooperation.secondments": ["0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1"],
    "supervision.milestones_on_time": ["100", "100", "100", "75", "100", "100", "100", "75", "100", "100", "100", "75"],
    "supervision.problems_on_time": ["100", "0", "100", "50", "100", "100", "0", "50", "100", "100", "100", "50"],
    "supervision.reports_on_time": ["91.67", "75", "75", "75", "83.33", "83.33", "75", "91.67", "83.33", "75", "75", "83.33"],
}  # fmt: skip


def text(value: Decimal) -> str:
    return format(value.normalize(), "f")


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.code)
def test_each_source_computes_the_demo_bases_2021_figures(source: object) -> None:
    subjects: list[Subject] = [("base", b.pk) for b in bases()]
    values = source.compute(subjects, *YEAR)  # type: ignore[attr-defined]
    assert [text(values[s]) for s in subjects] == EXPECTED[source.code]  # type: ignore[attr-defined]


def test_a_units_figures_include_its_sub_units() -> None:
    town = Unit.objects.get(name="开张镇")
    bureau = Unit.objects.get(name="永济市工业和信息化局")
    subjects: list[Subject] = [("unit", town.pk), ("unit", bureau.pk)]
    figures = {s.code: [text(v) for v in s.compute(subjects, *YEAR).values()] for s in SOURCES}
    assert figures == {
        "cooperation.intentions": ["9", "1"],
        "cooperation.agreements": ["5", "1"],
        "cooperation.landed": ["3", "1"],
        "cooperation.investment": ["2625", "0"],
        "cooperation.activities": ["0", "0"],
        "cooperation.secondments": ["0", "0"],
        "supervision.milestones_on_time": ["100", "100"],
        "supervision.problems_on_time": ["100", "100"],
        "supervision.reports_on_time": ["100", "83.33"],
    }


@pytest.mark.parametrize(
    ("code", "index", "rows", "on_time"),
    [
        ("cooperation.intentions", 0, 12, None),
        ("cooperation.investment", 11, 10, None),
        ("supervision.milestones_on_time", 3, 4, 3),
        ("supervision.problems_on_time", 1, 2, 0),
        ("supervision.reports_on_time", 0, 12, 11),
    ],
)
def test_the_records_page_lists_exactly_the_records_behind_a_figure(
    demo_db: Demo, code: str, index: int, rows: int, on_time: int | None
) -> None:
    base = bases()[index]
    source = next(s for s in SOURCES if s.code == code)
    assert source.records_url is not None
    url = source.records_url(("base", base.pk), *YEAR)
    html = demo_db.client("office").get(url).content.decode()
    body = html.split('<table class="striped" id="records">')[1].split("</table>")[0]
    assert body.count("<tr><td><a href=") == rows
    value = EXPECTED[code][index]
    assert f"<strong data-value>{value}</strong>" in html
    if on_time is not None:
        assert body.count('<span class="tag ok">') == on_time
    if code == "cooperation.investment":
        # The amounts are shown with thousands separators.
        cells = body.split("<td data-amount>")[1:]
        amounts = [Decimal(cell.split("<")[0].replace(",", "")) for cell in cells]
        assert (len(amounts), sum(amounts)) == (rows, Decimal(value))


def test_the_base_lead_department_sees_only_its_bases(demo_db: Demo) -> None:
    client = demo_db.client("base")
    board = client.get(reverse("supervision:board")).content.decode()
    assert [code for code in ("YJ-B01", "YJ-B02", "YJ-B03") if f'data-base="{code}"' in board] == [
        "YJ-B01",
        "YJ-B02",
    ]
    round = Round.objects.get(title="2021年12月省校合作工作调度")
    summary = client.get(reverse("supervision:round_detail", args=[round.pk])).content.decode()
    assert summary.count("data-status=") == 2
    problems = client.get(reverse("supervision:problem_list")).content.decode()
    assert "共 4 条" in problems  # the problems of its two bases (none is assigned to it)
    titles = {"牵引电机联合实验室场地尚未落实", "合作高校专家驻企时间不足", "新材料中试线环评手续办理慢",
              "企业研发人员短缺影响项目落地"}  # fmt: skip
    assert all(t in problems for t in titles)
    other = Base.objects.get(code="YJ-B08")
    url = reverse("supervision:indicator_records") + (
        f"?code=cooperation.intentions&subject=base-{other.pk}&start=2021-01-01&end=2021-12-31"
    )
    assert client.get(url).status_code == 404
    office = demo_db.client("office").get(reverse("supervision:board")).content.decode()
    assert office.count("data-base=") == 12


def test_the_leader_page_of_the_demo(demo_db: Demo) -> None:
    html = demo_db.client("leader").get(reverse("supervision:leader")).content.decode()
    assert "全部基地" in html  # the demo's city leader leads no base himself
    assert "逾期节点任务（3）" in html
    assert "逾期问题（4）" in html  # of the bases: the fifth overdue problem has no base
    assert "2021年度：" in html


def test_the_daily_command_on_the_demo_escalates_the_late_milestones() -> None:
    run = services.remind_due(today=dt.date(2022, 1, 10))
    assert sorted((e.milestone.base.code, e.level) for e in run.escalations if e.milestone) == [
        ("YJ-B04", 1), ("YJ-B04", 2), ("YJ-B08", 1), ("YJ-B08", 2), ("YJ-B12", 1), ("YJ-B12", 2),
    ]  # fmt: skip
    assert [e for e in run.escalations if e.problem] == []  # already escalated in 2021
    leaders = Base.objects.filter(code__in=["YJ-B02", "YJ-B04", "YJ-B08", "YJ-B12"]).values_list(
        "leader__name", flat=True
    )
    assert sorted(r.label for r in run.leaders) == sorted(f"{name}（责任领导）" for name in leaders)
    reminders = Notification.objects.filter(kind="reminder", occasion="2022-01-10")
    assert reminders.count() == len({n.recipient_id for n in reminders})
