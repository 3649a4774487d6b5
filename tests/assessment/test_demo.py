"""The demo's published assessment of the twelve bases: the computed figures and points
(exact), the talent figures (computed by the talent app's sources from its records), the
ranking, trend and 通报 pages, the click-through to the records, the data scope, and that
publishing froze the inputs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.assessment import sources
from yanzhen.assessment.models import (
    Entry,
    Indicator,
    IndicatorSystem,
    ItemStatus,
    Period,
    PeriodState,
    Score,
    ScoreItem,
)
from yanzhen.cooperation import services as coop_services
from yanzhen.cooperation.models import Cooperation
from yanzhen.engines import scoring

pytestmark = pytest.mark.usefixtures("demo_db")
COMPUTED = ("milestones", "problems", "reports", "intentions", "agreements", "landed", "investment")


def annual() -> Period:
    return Period.objects.get(name="2021年度", system__name="省校合作量化考核指标体系")


def test_the_demo_publishes_a_year_and_its_quarters_with_the_default_system() -> None:
    system = IndicatorSystem.objects.get(name="省校合作量化考核指标体系")
    assert (system.dimensions.count(), system.indicators.count()) == (3, 10)
    periods = list(Period.objects.filter(system=system).order_by("kind", "start"))
    assert [(p.name, p.state) for p in periods] == [
        ("2021年第一季度", PeriodState.PUBLISHED),
        ("2021年第二季度", PeriodState.PUBLISHED),
        ("2021年第三季度", PeriodState.PUBLISHED),
        ("2021年第四季度", PeriodState.PUBLISHED),
        ("2021年度", PeriodState.PUBLISHED),
    ]
    assert annual().scores.count() == 12


# Points of the computed indicators in 2021 (weights 10 % each, targets capped at 120 %).
POINTS = {
    "YJ-B01": ["10.00", "10.00", "9.17", "8.00", "8.00", "10.00", "9.35"],
    "YJ-B02": ["10.00", "0.00", "7.50", "12.00", "12.00", "12.00", "12.00"],
    "YJ-B03": ["10.00", "10.00", "7.50", "12.00", "12.00", "10.00", "12.00"],
    "YJ-B04": ["7.50", "5.00", "7.50", "12.00", "10.00", "12.00", "12.00"],
    "YJ-B05": ["10.00", "10.00", "8.33", "5.00", "2.86", "4.00", "3.25"],
    "YJ-B06": ["10.00", "10.00", "8.33", "4.00", "2.86", "4.00", "3.57"],
    "YJ-B07": ["10.00", "0.00", "7.50", "5.00", "5.71", "8.00", "5.16"],
    "YJ-B08": ["7.50", "5.00", "9.17", "1.00", "0.00", "0.00", "0.00"],
    "YJ-B09": ["10.00", "10.00", "8.33", "1.00", "1.43", "2.00", "0.18"],
    "YJ-B10": ["10.00", "10.00", "7.50", "12.00", "12.00", "12.00", "12.00"],
    "YJ-B11": ["10.00", "10.00", "7.50", "1.00", "1.43", "0.00", "0.00"],
    "YJ-B12": ["7.50", "5.00", "8.33", "12.00", "12.00", "12.00", "12.00"],
}


def test_the_computed_indicators_of_2021_have_their_exact_points() -> None:
    got = {}
    for score in annual().scores.select_related("base"):
        assert score.base is not None
        items = {i.code: i for i in score.items.all()}
        assert {items[c].status for c in COMPUTED} == {ItemStatus.COMPUTED}
        got[score.base.code] = [str(items[c].points) for c in COMPUTED]
    assert got == POINTS
    b01 = ScoreItem.objects.get(
        score__period=annual(), score__base__code="YJ-B01", code="investment"
    )
    assert (b01.value, b01.target, b01.normalized) == (
        Decimal("9350.0000"),
        Decimal("10000.0000"),
        0.935,
    )


# The talent indicators of 2021, computed by the talent app's sources from the demo's talent
# records: (value, target, points) of talents recruited, interns and secondments hosted, and
# services delivered (weights 10 % each, completion capped at 120 %).
TALENT = {
    "YJ-B01": [("5", "10", "5.00"), ("4", "6", "6.67"), ("38", "10", "12.00")],
    "YJ-B05": [("2", "10", "2.00"), ("0", "6", "0.00"), ("14", "10", "12.00")],
    "YJ-B11": [("0", "25", "0.00"), ("4", "10", "4.00"), ("4", "10", "4.00")],
    "YJ-B12": [("64", "10", "12.00"), ("7", "6", "11.67"), ("474", "10", "12.00")],
}
TALENT_SOURCES = {
    "talents": "talent.recruited",
    "interns": "talent.interns_hosted",
    "services": "talent.services_delivered",
}


def test_the_talent_figures_of_2021_are_computed_from_the_talent_records() -> None:
    period = annual()
    items = ScoreItem.objects.filter(score__period=period, code__in=TALENT_SOURCES)
    assert items.count() == 36
    assert set(items.values_list("status", flat=True)) == {ItemStatus.COMPUTED}
    assert not Entry.objects.filter(item__score__period__system=period.system).exists()
    got: dict[str, dict[str, tuple[str, str, str]]] = {}
    for item in items.filter(score__base__code__in=TALENT).select_related("score__base"):
        assert item.score.base is not None
        got.setdefault(item.score.base.code, {})[item.code] = (
            f"{item.value:.0f}",
            f"{item.target:.0f}",
            str(item.points),
        )
    assert {code: [got[code][c] for c in TALENT_SOURCES] for code in sorted(got)} == TALENT
    b12 = items.get(score__base__code="YJ-B12", code="interns")
    assert (b12.value, b12.normalized, b12.points) == (
        Decimal("7.0000"),
        7 / 6,
        Decimal("11.67"),
    )
    registry = sources.all_sources()
    indicators = Indicator.objects.filter(system=period.system, code__in=TALENT_SOURCES)
    assert {i.code: i.source_code for i in indicators} == TALENT_SOURCES
    assert all(registry.get(code) is not None for code in TALENT_SOURCES.values())
    subtotals = {
        s.base.code: s.subtotals[2]  # type: ignore[union-attr]
        for s in period.scores.filter(base__code__in=TALENT).select_related("base")
    }
    assert subtotals == {
        "YJ-B01": "23.67",
        "YJ-B05": "14.00",
        "YJ-B11": "8.00",
        "YJ-B12": "35.67",
    }


def test_totals_subtotals_and_ranks_add_up() -> None:
    scores = list(annual().scores.order_by("sort_order"))
    for score in scores:
        items = list(score.items.order_by("position"))
        assert score.total == sum((i.points for i in items), Decimal(0))
        assert [Decimal(v) for v in score.subtotals] == [
            sum((i.points for i in items[a:b]), Decimal(0)) for a, b in ((0, 3), (3, 7), (7, 10))
        ]
    assert [s.rank for s in scores] == scoring.rank([float(s.total) for s in scores]).tolist()
    quarter = Period.objects.get(name="2021年第四季度")
    ranks = sorted(quarter.scores.values_list("rank", flat=True))
    assert len(ranks) == 12


def test_publishing_froze_the_inputs_of_2021(demo_db: Demo) -> None:
    period = annual()
    signed = (
        Cooperation.objects.filter(base__isnull=False, stage="agreement").order_by("pk").first()
    )
    assert signed is not None
    base = signed.base
    assert base is not None
    before = list(
        ScoreItem.objects.filter(score__period=period, score__base=base).values_list(
            "code", "value", "points"
        )
    )
    frozen = ScoreItem.objects.get(score__period=period, score__base=base, code="landed").value
    assert frozen is not None
    data = coop_services.CooperationData(
        title=signed.title, owner_unit=signed.owner_unit, parties=list(signed.parties.all()),
        universities=list(signed.universities.all()), channel=signed.channel, kind=signed.kind,
        base=base, stage="landed", intention_date=signed.intention_date,
        agreement_date=signed.agreement_date, landed_date=dt.date(2021, 12, 30),
        landed_investment=Decimal(500), planned_investment=signed.planned_investment,
    )  # fmt: skip
    coop_services.cooperation_update(
        actor=None, cooperation=signed, data=data, allow_stage_forward=True
    )
    after = list(
        ScoreItem.objects.filter(score__period=period, score__base=base).values_list(
            "code", "value", "points"
        )
    )
    assert after == before
    score = Score.objects.get(period=period, base=base)
    html = (
        demo_db.client("office")
        .get(reverse("assessment:score_detail", args=[score.pk]))
        .content.decode()
    )
    landed_row = html.split('data-code="landed"')[1].split("</tr>")[0]
    assert f">{frozen:.0f}</a> 项" in landed_row  # the frozen value
    assert f'<span class="tag gap">{frozen + 1:.0f}</span>' in landed_row  # the records now
    response = demo_db.client("office").post(
        reverse("assessment:period_move", args=[period.pk]), {"action": "compute"}
    )
    assert response.status_code == 400
    assert "考核结果已发布，不能再修改" in response.content.decode()


def test_the_score_page_clicks_through_to_the_records(demo_db: Demo) -> None:
    score = Score.objects.get(period=annual(), base__code="YJ-B12")
    item = score.items.get(code="landed")
    html = (
        demo_db.client("leader")
        .get(reverse("assessment:score_detail", args=[score.pk]))
        .content.decode()
    )
    assert f'<a href="{item.records_url.replace("&", "&amp;")}" data-records>10</a> 项' in html
    records = demo_db.client("leader").get(item.records_url).content.decode()
    assert "<strong data-value>10</strong> 项" in records
    assert records.count("<tr><td><a href=") == 10


def test_the_ranking_page_and_its_bulletin(demo_db: Demo) -> None:
    period = annual()
    client = demo_db.client("office")
    html = client.get(reverse("assessment:period_detail", args=[period.pk])).content.decode()
    ranking = html.split('<section class="panel" id="ranking">')[1].split("</section>")[0]
    assert ranking.count("<tr data-subject=") == 12
    assert ranking.index("开发区科技创新基地") < ranking.index("实习实训与人才引进基地")
    response = client.get(reverse("assessment:period_detail", args=[period.pk]) + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "关于2021年度省校合作量化考核指标体系考核结果的通报"
    assert str(rows[1][0]).startswith(
        "考核期：2021年01月01日至2021年12月31日；考核对象12个；3个维度、10项指标；"
    )
    assert rows[2][:5] == ["排名", "基地", "牵头部门", "责任领导", "工作推进"]
    assert rows[2][8] == "合作成效"
    assert rows[3][4:8] == [
        "节点任务按时完成率（10分）",
        "问题按时解决率（10分）",
        "调度按时报送率（10分）",
        "小计",
    ]
    first = rows[4]
    top = Score.objects.get(period=period, rank=1)
    assert first[:3] == [1, top.name, top.base.lead_department.name]  # type: ignore[union-attr]
    assert first[-3] == float(top.total)
    assert rows[16][0] is None  # the blank line before the notes
    assert rows[17][0] == "说明："
    base_view = demo_db.client("base").get(reverse("assessment:period_detail", args=[period.pk]))
    section = base_view.content.decode().split('id="ranking">')[1].split("</section>")[0]
    assert section.count("<tr data-subject=") == 2
    api = demo_db.client("base").get(reverse("api:get_assessment_period", args=[period.pk])).json()
    assert sorted(r["name"] for r in api["ranking"]) == [
        "新材料与精细化工产学研基地",
        "轨道交通与电机电器产学研基地",
    ]


def test_the_trend_across_the_quarters(demo_db: Demo) -> None:
    system = IndicatorSystem.objects.get(name="省校合作量化考核指标体系")
    html = (
        demo_db.client("leader")
        .get(reverse("assessment:trend") + f"?system={system.pk}&kind=quarter")
        .content.decode()
    )
    table = html.split('id="trend-table">')[1].split("</table>")[0]
    assert table.count("<tr><td>") == 12
    assert table.count("第四季度") == 1
    tie = Period.objects.get(name="2021年第四季度").scores.filter(rank=8)
    assert tie.count() == 2  # a shared rank


def test_configuration_pages_show_the_talent_sources_state(demo_db: Demo) -> None:
    system = IndicatorSystem.objects.get(name="省校合作量化考核指标体系")
    html = (
        demo_db.client("office")
        .get(reverse("assessment:system_detail", args=[system.pk]))
        .content.decode()
    )
    talent = Indicator.objects.filter(system=system, source_code__startswith="talent.")
    assert talent.count() == 3
    for indicator in talent:
        row = html.split(f'data-code="{indicator.code}"')[1].split("</tr>")[0]
        assert "配置问题" not in row
    assert "3 个维度、10 项指标，合计 100 分" in html


MINE = ("supervision:", "assessment:")
MY_API = {
    "api:list_rounds", "api:get_round", "api:list_problems", "api:create_problem",
    "api:get_problem", "api:transition_problem", "api:list_assessment_periods",
    "api:get_assessment_period", "api:get_assessment_score",
}  # fmt: skip


def test_no_page_of_supervision_or_assessment_fails_for_any_demo_role(
    demo_db: Demo, yongji_ids: dict[str, int]
) -> None:
    from tests.test_access import ALL_ROUTES, _url

    routes = [r for r in ALL_ROUTES if r.name.startswith(MINE) or r.name in MY_API]
    assert len(routes) == 52  # 22 supervision pages, 21 assessment pages, 9 API routes
    answers: dict[str, set[int]] = {}
    for username in sorted(demo_db.users):
        client = demo_db.client(username)
        for route in routes:
            answers.setdefault(route.name, set()).add(
                client.get(_url(route, yongji_ids)).status_code
            )
    assert {name: codes for name, codes in answers.items() if max(codes) >= 500} == {}
    assert {name: codes for name, codes in answers.items() if 200 not in codes} == {}


def test_the_units_are_assessed_by_the_same_indicators(demo_db: Demo) -> None:
    from yanzhen.demo.assessment import UNIT_SYSTEM_NAME

    period = Period.objects.get(system__name=UNIT_SYSTEM_NAME)
    assert period.state == PeriodState.PUBLISHED
    assert (
        not ScoreItem.objects.filter(score__period=period)
        .exclude(status=ItemStatus.COMPUTED)
        .exists()
    )
    names = set(period.scores.values_list("name", flat=True))
    assert len(names) == 24  # 13 departments, the development zone, 10 towns and streets
    assert {"永济市工业和信息化局", "开张镇", "永济经济技术开发区管委会"} <= names
    bureau = period.scores.get(name="永济市工业和信息化局")
    items = {
        i.code: (str(i.value), str(i.target), str(i.points))
        for i in bureau.items.order_by("position")
    }
    assert items == {
        "milestones": ("100.0000", "100.0000", "10.00"),
        "problems": ("100.0000", "100.0000", "10.00"),
        "reports": ("83.3300", "100.0000", "8.33"),
        "intentions": ("1.0000", "10.0000", "1.00"),
        "agreements": ("1.0000", "7.0000", "1.43"),
        "landed": ("1.0000", "5.0000", "2.00"),
        "investment": ("0.0000", "5000.0000", "0.00"),
        "talents": ("5.0000", "10.0000", "5.00"),
        "interns": ("4.0000", "6.0000", "6.67"),
        "services": ("38.0000", "10.0000", "12.00"),
    }
    assert (bureau.total, bureau.rank, bureau.subtotals) == (
        Decimal("56.43"),
        10,
        ["28.33", "4.43", "23.67"],
    )
    html = demo_db.client("leader").get(reverse("supervision:leader")).content.decode()
    assert period.name in html.split('id="my-units"')[1]
