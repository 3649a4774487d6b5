"""The round list and the list of meeting decisions: filtered through the data scope and
exported (XLSX and CSV) with exactly the filtered rows; and no template of supervision or the
assessment carries a script or an event handler inline (the Content Security Policy)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.lists import exported, midnight, queries
from tests.supervision.conftest import World
from yanzhen.audit.models import ExportLog
from yanzhen.cooperation.models import Activity, Base
from yanzhen.supervision import services

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def rounds(world: World) -> Base:
    """Four rounds; the May one asks a second base too, got a late report and is closed."""
    farm = Base.objects.create(
        code="B2", name="农业基地", county=world.county, lead_department=world.other
    )
    office = world.office_user
    may = services.round_create(
        actor=office, title="2021年5月工作调度", kind="monthly", opened_on=D(2021, 5, 20),
        deadline=D(2021, 5, 25), bases=[world.base, farm],
    )  # fmt: skip
    services.report_submit(
        actor=world.lead_user, round=may, base=world.base, summary="推进中",
        items=[services.ProgressInput(world.milestones[1], 50, "推进中")],
    )  # fmt: skip
    services.round_update(
        actor=office, round=may, title=may.title, deadline=may.deadline, note="", state="closed"
    )
    services.round_create(
        actor=office, title="2020年12月工作调度", kind="monthly", opened_on=D(2020, 12, 20),
        deadline=D(2020, 12, 25), bases=[world.base],
    )  # fmt: skip
    services.round_create(
        actor=office, title="项目用地专项调度", kind="adhoc", opened_on=D(2021, 6, 1),
        deadline=D(2021, 6, 5), bases=[farm], note="用地报批进度",
    )  # fmt: skip
    services.round_create(
        actor=office, title="2021年6月工作调度", kind="monthly", opened_on=D(2021, 6, 10),
        deadline=D(2021, 6, 15), bases=[world.base],
    )  # fmt: skip
    return farm


ROUND_HEADER = ["调度名称", "调度类型", "发起日期", "报送截止日期", "参加基地", "已报送", "逾期报送", "未报送", "状态"]  # fmt: skip
JUNE = ["2021年6月工作调度", "月调度", midnight(2021, 6, 10), midnight(2021, 6, 15), 1, 0, 0, 1, "报送中"]  # fmt: skip
LAND = ["项目用地专项调度", "专项调度", midnight(2021, 6, 1), midnight(2021, 6, 5), 1, 0, 0, 1, "报送中"]  # fmt: skip
MAY = ["2021年5月工作调度", "月调度", midnight(2021, 5, 20), midnight(2021, 5, 25), 2, 1, 1, 1, "已结束"]  # fmt: skip
DECEMBER = ["2020年12月工作调度", "月调度", midnight(2020, 12, 20), midnight(2020, 12, 25), 1, 0, 0, 1, "报送中"]  # fmt: skip


@pytest.mark.usefixtures("rounds")
def test_the_round_list_filters_and_exports_exactly_the_filtered_rows(world: World) -> None:
    office = world.client(world.office_user)
    url = reverse("supervision:round_list")
    assert exported(office, url, {}) == [ROUND_HEADER, JUNE, LAND, MAY, DECEMBER]
    assert exported(office, url, {"year": 2021, "kind": "monthly"}) == [ROUND_HEADER, JUNE, MAY]
    assert exported(office, url, {"state": "closed"}) == [ROUND_HEADER, MAY]
    assert exported(office, url, {"q": "用地"}) == [ROUND_HEADER, LAND]
    assert queries(office, url, {"q": "用地"}) == queries(office, url, {})  # none per row
    assert exported(office, url, {"kind": "adhoc", "state": "closed"}) == [ROUND_HEADER]
    htmx = {"HX-Request": "true"}
    rows = office.get(url, {"year": "2021", "kind": "monthly"}, headers=htmx).content.decode()
    assert rows.strip().startswith('<div id="rows"')
    assert (rows.count("工作调度</a></td>"), "共 2 条" in rows) == (2, True)
    assert "?year=2021&amp;kind=monthly&amp;export=xlsx" in rows  # the links keep the filter
    text = office.get(url, {"q": "5月", "export": "csv"}).content.decode("utf-8-sig")
    assert text.strip().splitlines()[1:] == [
        ",".join(ROUND_HEADER),
        "2021年5月工作调度,月调度,2021-05-20,2021-05-25,2,1,1,1,已结束",
    ]
    log = ExportLog.objects.order_by("id").last()
    assert log is not None
    assert (log.title, log.filters, log.fmt, log.rows) == ("工作调度", {"q": "5月"}, "csv", 1)
    # The base's lead department counts only its base, and sees no round without it.
    lead = world.client(world.lead_user)
    may_for_lead = [*MAY[:4], 1, 1, 1, 0, "已结束"]
    assert exported(lead, url, {}) == [ROUND_HEADER, JUNE, may_for_lead, DECEMBER]
    assert exported(lead, url, {"q": "用地"}) == [ROUND_HEADER]


ITEM_HEADER = ["会议", "会议日期", "决定事项", "基地", "责任单位", "完成时限", "状态", "落实情况"]


def decisions(world: World) -> None:
    meeting = Activity.objects.create(
        kind="standing_committee", title="常委会研究省校合作", date=D(2021, 6, 8),
        organizer_unit=world.county,
    )  # fmt: skip
    office = world.office_user
    housing = services.action_item_create(
        actor=office, meeting=meeting, meeting_title="", meeting_date=None,
        decision="落实人才公寓保障", responsible_unit=world.other, deadline=D(2021, 7, 31),
    )  # fmt: skip
    services.action_item_convert(actor=office, item=housing, target="problem")
    services.action_item_create(
        actor=office, meeting=None, meeting_title="推进会", meeting_date=D(2021, 6, 9),
        decision="9月底前建成中试线", responsible_unit=world.lead, deadline=D(2021, 9, 30),
        base=world.base,
    )  # fmt: skip
    services.action_item_create(
        actor=office, meeting=None, meeting_title="年终推进会", meeting_date=D(2020, 12, 28),
        decision="编制2021年工作方案", responsible_unit=world.office, deadline=D(2021, 1, 31),
    )  # fmt: skip


PILOT = ["推进会", midnight(2021, 6, 9), "9月底前建成中试线", "电机基地", "工信局", midnight(2021, 9, 30), "待转办", None]  # fmt: skip
HOUSING = ["常委会研究省校合作", midnight(2021, 6, 8), "落实人才公寓保障", None, "科技局", midnight(2021, 7, 31), "已转办", "问题：已交办"]  # fmt: skip
PLAN = ["年终推进会", midnight(2020, 12, 28), "编制2021年工作方案", None, "合作办", midnight(2021, 1, 31), "待转办", None]  # fmt: skip


def test_the_decision_list_filters_and_exports_exactly_the_filtered_rows(world: World) -> None:
    decisions(world)
    office = world.client(world.office_user)
    url = reverse("supervision:action_item_list")
    assert exported(office, url, {}) == [ITEM_HEADER, PILOT, HOUSING, PLAN]
    assert exported(office, url, {"state": "open"}) == [ITEM_HEADER, PILOT, PLAN]
    assert exported(office, url, {"year": 2021}) == [ITEM_HEADER, PILOT, HOUSING]
    assert exported(office, url, {"base": world.base.pk}) == [ITEM_HEADER, PILOT]
    assert exported(office, url, {"q": "公寓"}) == [ITEM_HEADER, HOUSING]
    assert queries(office, url, {"q": "公寓"}) == queries(office, url, {})  # none per row
    assert exported(office, url, {"q": "年终", "state": "converted"}) == [ITEM_HEADER]
    html = office.get(url, {"state": "open"}, headers={"HX-Request": "true"}).content.decode()
    assert html.strip().startswith('<div id="rows"')
    assert ("中试线" in html, "年终推进会" in html, "公寓" in html) == (True, True, False)
    assert "?state=open&amp;export=csv" in html
    text = office.get(url, {"q": "公寓", "export": "csv"}).content.decode("utf-8-sig")
    assert text.strip().splitlines()[1:] == [
        ",".join(ITEM_HEADER),
        "常委会研究省校合作,2021-06-08,落实人才公寓保障,,科技局,2021-07-31,已转办,问题：已交办",
    ]
    # The lead department sees the decisions of its base and those it is responsible for.
    lead = world.client(world.lead_user)
    assert exported(lead, url, {}) == [ITEM_HEADER, PILOT]


TEMPLATES = [
    path
    for app in ("supervision", "assessment")
    for path in sorted((Path(__file__).parents[2] / "src/yanzhen" / app / "templates").rglob("*.html"))
]  # fmt: skip
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+\s*=|hx-on|javascript:",
    re.IGNORECASE,
)


def test_no_template_has_inline_scripts_or_event_handlers() -> None:
    assert len(TEMPLATES) == 16  # with the appeals pages (appeal_detail, appeal_items)
    found = {
        str(path.relative_to(path.parents[2])): INLINE.findall(path.read_text())
        for path in TEMPLATES
    }
    assert {name: hits for name, hits in found.items() if hits} == {}
    trend = (TEMPLATES[0].parents[3] / "assessment/templates/assessment/trend.html").read_text()
    assert trend.count("data-autosubmit") == 2
