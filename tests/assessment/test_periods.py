"""Periods of an indicator system: compute from the sources → review (hand scores, corrections
with reasons, a reviewer) → publish, after which scores and inputs are frozen. Missing
sources are configuration problems, never crashes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from tests.assessment.conftest import County, FakeData
from yanzhen.assessment import services, sources
from yanzhen.assessment.models import (
    Entry,
    IndicatorSystem,
    ItemStatus,
    Period,
    PeriodState,
    Score,
    ScoreItem,
)
from yanzhen.core.errors import DomainError
from yanzhen.core.indicators import Subject

pytestmark = pytest.mark.django_db
D = dt.date


def make_system(place: County, **kwargs: object) -> IndicatorSystem:
    system = services.system_create(actor=None, owner_unit=place.county, name="测试体系", **kwargs)  # type: ignore[arg-type]
    work = services.dimension_create(actor=None, system=system, name="工作推进")
    outcome = services.dimension_create(actor=None, system=system, name="合作成效", sort_order=1)
    common: dict[str, Any] = {
        "actor": None,
        "system": system,
        "normalization": "target",
    }
    services.indicator_create(
        **common, dimension=work, code="rate", name="按时率", weight=Decimal(40),
        source="computed", source_code="fake.rate", target=Decimal(100), prorate=False, measure="%",
    )  # fmt: skip
    services.indicator_create(
        **common, dimension=outcome, code="count", name="签约数", weight=Decimal(40),
        source="computed", source_code="fake.count", target=Decimal(8), measure="项", sort_order=1,
    )  # fmt: skip
    services.indicator_create(
        **common, dimension=outcome, code="review", name="工作评价", weight=Decimal(20),
        source="manual", target=Decimal(10), prorate=False, sort_order=2,
    )  # fmt: skip
    return system


def feed(place: County, fake: FakeData, rate: list[int], count: list[int]) -> None:
    fake.values["fake.rate"] = {place.subject(i): Decimal(v) for i, v in enumerate(rate)}
    fake.values["fake.count"] = {place.subject(i): Decimal(v) for i, v in enumerate(count)}


def annual(system: IndicatorSystem) -> Period:
    return services.period_create(
        actor=None,
        system=system,
        name="2021年度",
        kind="year",
        start=D(2021, 1, 1),
        end=D(2021, 12, 31),
    )


def table(period: Period) -> list[tuple[str, int, str, list[str], bool]]:
    return [
        (s.name, s.rank, str(s.total), s.subtotals, s.flagged)
        for s in Score.objects.filter(period=period).order_by("rank", "sort_order")
    ]


def num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def items(period: Period, name: str) -> list[tuple[str, str | None, str | None, str, str]]:
    return [
        (i.code, num(i.value), num(i.target), str(i.points), i.status)
        for i in ScoreItem.objects.filter(score__period=period, score__name=name).order_by("position")
    ]  # fmt: skip


@pytest.fixture
def computed(place: County, fake: FakeData) -> Period:
    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    period = annual(make_system(place))
    return services.period_compute(actor=place.office_user, period=period)


def test_compute_scores_and_ranks_from_the_sources(
    place: County, fake: FakeData, computed: Period
) -> None:
    assert computed.state == PeriodState.REVIEW
    assert fake.calls == [("fake.rate", D(2021, 1, 1), D(2021, 12, 31)), ("fake.count", D(2021, 1, 1), D(2021, 12, 31))]  # fmt: skip
    assert computed.config["weights"] == pytest.approx([0.4, 0.4, 0.2])
    assert table(computed) == [
        ("电机基地", 1, "88.00", ["40.00", "48.00"], False),
        ("农业基地", 2, "60.00", ["20.00", "40.00"], False),
        ("化工基地", 3, "52.00", ["32.00", "20.00"], False),
    ]
    assert items(computed, "电机基地") == [
        ("rate", "100", "100", "40.00", "computed"),
        ("count", "10", "8", "48.00", "computed"),  # 125 % capped at 120 %
        ("review", None, "10", "0.00", "missing"),
    ]
    item = ScoreItem.objects.get(score__period=computed, score__name="电机基地", code="count")
    assert item.records_url == f"/records/fake.count/base-{place.bases[0].pk}/2021-01-01/2021-12-31"
    assert services.publish_blockers(computed) == ["3 项指标值不可用（工作评价），请补录或更正"]


def test_a_quarter_prorates_count_targets_but_not_rates(place: County, fake: FakeData) -> None:
    feed(place, fake, rate=[100, 80, 50], count=[1, 4, 2])
    system = make_system(place)
    quarter = services.period_create(
        actor=None, system=system, name="2021年第二季度", kind="quarter", start=D(2021, 4, 1), end=D(2021, 6, 30)
    )  # fmt: skip
    services.period_compute(actor=None, period=quarter)
    assert items(quarter, "电机基地")[:2] == [
        ("rate", "100", "100", "40.00", "computed"),
        ("count", "1", "2", "20.00", "computed"),
    ]


def test_each_computation_leaves_one_history_row_per_score(
    place: County, fake: FakeData, computed: Period
) -> None:
    def rows() -> list[list[tuple[str, int | None, str]]]:
        return [
            [(h.history_type, h.history_user_id, h.history_unit_name)
             for h in s.history.order_by("history_id")]
            for s in computed.scores.order_by("sort_order")
        ]  # fmt: skip

    by_office = ("+", place.office_user.pk, place.office.name)
    assert rows() == [[by_office]] * 3
    services.period_compute(actor=place.reviewer, period=computed)
    assert rows() == [[by_office, ("~", place.reviewer.pk, place.office.name)]] * 3


def test_a_subjects_own_target_replaces_the_indicators(place: County, fake: FakeData) -> None:
    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    system = make_system(place)
    count = system.indicators.get(code="count")
    services.targets_set(actor=None, indicator=count, values={place.subject(0): Decimal(20)})
    period = services.period_compute(actor=None, period=annual(system))
    assert items(period, "电机基地")[1] == ("count", "10", "20", "20.00", "computed")
    assert period.config["targets"] == {"count": {f"base-{place.bases[0].pk}": "20.00"}}
    services.targets_set(actor=None, indicator=count, values={place.subject(0): None})
    assert not count.targets.exists()


def test_hand_scores_and_corrections_are_reviewed_then_published(
    place: County, fake: FakeData, computed: Period
) -> None:
    review = {s.name: ScoreItem.objects.get(score=s, code="review") for s in computed.scores.all()}
    mine = services.entry_create(
        actor=place.lead_user,
        item=review["电机基地"],
        value=Decimal(9),
        reason="自评：专班运转良好",
    )
    assert (mine.kind, mine.previous) == ("manual", None)
    with pytest.raises(DomainError) as caught:
        services.entry_create(
            actor=place.lead_user, item=review["农业基地"], value=Decimal(9), reason="越权"
        )
    assert caught.value.fields == {"value": "不在您的数据范围内"}
    for name, value in (("化工基地", 6), ("农业基地", 10)):
        services.entry_create(
            actor=place.office_user, item=review[name], value=Decimal(value), reason="考核组评分"
        )
    count = ScoreItem.objects.get(score__period=computed, score__name="化工基地", code="count")
    with pytest.raises(DomainError) as caught:
        services.entry_create(actor=place.lead_user, item=count, value=Decimal(6), reason="补签")
    assert caught.value.code == "forbidden"
    with pytest.raises(DomainError) as caught:
        services.entry_create(actor=place.office_user, item=count, value=Decimal(6), reason=" ")
    assert caught.value.fields == {"reason": "请填写更正理由"}
    correction = services.entry_create(
        actor=place.office_user, item=count, value=Decimal(6), reason="漏登2项协议，已补录台账"
    )
    assert (correction.kind, correction.previous) == ("correction", Decimal(4))
    assert table(computed) == [
        ("电机基地", 1, "106.00", ["40.00", "66.00"], False),
        ("农业基地", 2, "80.00", ["20.00", "60.00"], False),
        ("化工基地", 3, "74.00", ["32.00", "42.00"], False),
    ]
    assert items(computed, "化工基地")[1:] == [
        ("count", "6", "8", "30.00", "corrected"),
        ("review", "6", "10", "12.00", "manual"),
    ]
    assert services.publish_blockers(computed) == ["4 条人工评分或更正尚未审核"]
    with pytest.raises(DomainError) as caught:
        services.entry_review(actor=place.office_user, entry=correction)
    assert caught.value.message == "不能审核自己填报的评分或更正"
    with pytest.raises(DomainError) as caught:
        services.entry_review(actor=place.lead_user, entry=mine)
    assert caught.value.code == "forbidden"
    services.entry_review(actor=place.office_user, entry=mine)
    with pytest.raises(DomainError, match="该条已审核"):
        services.entry_review(actor=place.reviewer, entry=mine)
    assert services.entries_review_all(actor=place.reviewer, period=computed) == 3
    with pytest.raises(DomainError) as caught:
        services.period_publish(actor=place.lead_user, period=computed)
    assert caught.value.code == "forbidden"
    services.period_publish(actor=place.office_user, period=computed)
    computed.refresh_from_db()
    assert (computed.state, computed.published_by) == (PeriodState.PUBLISHED, place.office_user)
    assert [e.action for e in computed.events.all()] == ["create", "compute", "publish"]


def test_a_new_entry_supersedes_the_last_and_needs_its_own_review(
    place: County, computed: Period
) -> None:
    item = ScoreItem.objects.get(score__period=computed, score__name="电机基地", code="review")
    first = services.entry_create(
        actor=place.office_user, item=item, value=Decimal(8), reason="初评"
    )
    services.entry_review(actor=place.reviewer, entry=first)
    second = services.entry_create(
        actor=place.office_user, item=item, value=Decimal(7), reason="复评"
    )
    first.refresh_from_db()
    assert (first.active, second.active, second.previous) == (False, True, Decimal(8))
    with pytest.raises(DomainError, match="已被新的评分或更正取代"):
        services.entry_review(actor=place.reviewer, entry=first)
    item.refresh_from_db()
    assert (item.value, item.points) == (Decimal(7), Decimal("14.00"))


def published(place: County, computed: Period) -> Period:
    rows = [
        (item, Decimal(5))
        for item in ScoreItem.objects.filter(score__period=computed, code="review")
    ]
    for item, value in rows:
        services.entry_create(actor=None, item=item, value=value, reason="考核组评分表")
    services.entries_review_all(actor=place.office_user, period=computed)
    return services.period_publish(actor=place.office_user, period=computed)


def test_publishing_freezes_the_scores_and_their_inputs(
    place: County, fake: FakeData, computed: Period
) -> None:
    period = published(place, computed)
    before = (table(period), items(period, "化工基地"), period.config)
    feed(place, fake, rate=[0, 0, 0], count=[0, 0, 0])  # the records change afterwards
    system = period.system
    count = system.indicators.get(code="count")
    count.weight = Decimal(80)
    count.save()
    item = ScoreItem.objects.get(score__period=period, score__name="化工基地", code="count")
    refusals: list[Callable[[], object]] = [
        lambda: services.period_compute(actor=None, period=period),
        lambda: services.entry_create(actor=None, item=item, value=Decimal(9), reason="改"),
        lambda: services.period_publish(actor=None, period=period),
        lambda: services.entry_review(actor=None, entry=Entry.objects.filter(item__score__period=period).first()),  # type: ignore[arg-type]
    ]  # fmt: skip
    for refusal in refusals:
        with pytest.raises(DomainError) as caught:
            refusal()
        assert (caught.value.code, caught.value.message, caught.value.status) == (
            "published",
            "考核结果已发布，不能再修改",
            409,
        )
    period.refresh_from_db()
    assert (table(period), items(period, "化工基地"), period.config) == before
    # A new period of the same system takes the new weights and today's records.
    later = services.period_create(
        actor=None, system=system, name="2022年度", kind="year", start=D(2022, 1, 1), end=D(2022, 12, 31)
    )  # fmt: skip
    services.period_compute(actor=None, period=later)
    assert later.config["weights"] == pytest.approx([40 / 140, 80 / 140, 20 / 140])


def test_the_score_page_shows_the_frozen_value_against_todays_records(
    place: County, fake: FakeData, computed: Period
) -> None:
    period = published(place, computed)
    fake.values["fake.count"][place.subject(1)] = Decimal(7)
    score = Score.objects.get(period=period, name="化工基地")
    html = place.client(place.viewer).get(f"/assessment/scores/{score.pk}/").content.decode()
    row = html.split('data-code="count"')[1].split("</tr>")[0]
    assert (
        f'<a href="/records/fake.count/base-{place.bases[1].pk}/2021-01-01/2021-12-31" data-records>4</a> 项'
        in row
    )
    assert '<span class="tag gap">7</span>' in row
    assert "<strong>20.00</strong>" in row


def test_a_missing_source_is_a_configuration_problem_not_a_crash(
    place: County, fake: FakeData
) -> None:
    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    system = make_system(place)
    services.indicator_create(
        actor=None, system=system, dimension=system.dimensions.get(name="合作成效"),
        code="talents", name="引进人才", weight=Decimal(10), source="computed",
        source_code="nowhere.talents", target=Decimal(5), sort_order=3,
    )  # fmt: skip
    period = services.period_compute(actor=None, period=annual(system))
    message = "数据来源“nowhere.talents”未注册：提供它的模块（nowhere）尚未安装或未声明该来源"
    assert period.problems == [f"指标“引进人才”：{message}"]
    talents = ScoreItem.objects.filter(score__period=period, code="talents")
    assert {(i.status, i.error, i.points, i.records_url) for i in talents} == {
        (ItemStatus.MISSING, message, Decimal("0.00"), "")
    }
    html = place.client(place.office_user).get(f"/assessment/periods/{period.pk}/").content.decode()
    assert message in html
    page = place.client(place.office_user).get(f"/assessment/systems/{system.pk}/").content.decode()
    assert "配置问题" in page
    assert message in page


def test_a_failing_or_unfit_source_is_reported_on_the_period(
    place: County, fake: FakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    del fake.values["fake.count"][place.subject(2)]
    system = make_system(place)
    services.indicator_create(
        actor=None, system=system, dimension=system.dimensions.get(name="工作推进"),
        code="units", name="单位数", weight=Decimal(10), source="computed",
        source_code="fake.units", target=Decimal(5),
    )  # fmt: skip
    registry = sources.all_sources()

    def explode(*args: object) -> dict[Subject, Decimal]:
        raise ZeroDivisionError("division by zero")

    registry.sources["fake.rate"] = replace(registry.sources["fake.rate"], compute=explode)
    monkeypatch.setattr(sources, "all_sources", lambda: registry)
    period = services.period_compute(actor=None, period=annual(system))
    assert period.problems == [
        "指标“按时率”：数据来源“fake.rate”计算出错：division by zero",
        "指标“单位数”：数据来源“fake.units”不支持按合作基地计算",
    ]
    missing = ScoreItem.objects.get(score__period=period, score__name="农业基地", code="count")
    assert (missing.status, missing.error) == (ItemStatus.MISSING, "数据来源未返回该对象的数值")


def test_units_can_be_the_subjects(place: County, fake: FakeData) -> None:
    system = services.system_create(
        actor=None, owner_unit=place.county, name="部门考核", subject_kind="unit", unit_kinds=["department"]
    )  # fmt: skip
    dimension = services.dimension_create(actor=None, system=system, name="成效")
    services.indicator_create(
        actor=None, system=system, dimension=dimension, code="units", name="单位数",
        weight=Decimal(100), source="computed", source_code="fake.units", normalization="minmax",
    )  # fmt: skip
    fake.values["fake.units"] = {
        ("unit", u.pk): Decimal(n) for n, u in enumerate((place.office, place.lead, place.other))
    }
    period = services.period_compute(actor=None, period=annual(system))
    assert [(name, rank, total) for name, rank, total, _s, _f in table(period)] == [
        ("农业局", 1, "100.00"), ("工信局", 2, "50.00"), ("合作办", 3, "0.00"),
    ]  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.system_create(actor=None, owner_unit=place.county, name="x", subject_kind="unit")
    assert caught.value.fields == {"unit_kinds": "请选择"}


def test_topsis_entropy_and_combined_weights(place: County, fake: FakeData) -> None:
    from yanzhen.engines import scoring

    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    system = make_system(place, aggregation="topsis", weighting="entropy")
    system.indicators.filter(code="review").delete()
    period = services.period_compute(actor=None, period=annual(system))
    matrix = [[100, 10], [80, 4], [50, 8]]
    targets = [[100, 8]] * 3
    normalized = scoring.normalize(matrix, "target", targets=targets, cap=1.2)
    weights = scoring.entropy_weights(normalized)
    assert period.config["weights"] == pytest.approx(list(weights))
    closeness = scoring.topsis(normalized, weights, normalization=None)
    assert [str(s.total) for s in Score.objects.filter(period=period).order_by("sort_order")] == [
        f"{100 * c:.2f}" for c in closeness
    ]
    services.system_update(actor=None, system=system, weighting="combined", alpha=Decimal("0.25"))
    services.period_compute(actor=None, period=period)
    period.refresh_from_db()
    combined = scoring.combine_weights([0.5, 0.5], weights, alpha=0.25)
    assert period.config["weights"] == pytest.approx(list(combined))


def test_ahp_weights_are_checked_for_consistency(place: County, fake: FakeData) -> None:
    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    system = make_system(place)
    with pytest.raises(DomainError) as caught:
        services.system_update(actor=None, system=system, weighting="ahp")
    assert caught.value.fields == {"weighting": "请先填写判断矩阵"}
    bad: list[list[float]] = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(DomainError) as caught:
        services.system_set_pairwise(actor=None, system=system, matrix=bad)
    assert caught.value.code == "inconsistent"
    assert "最不一致的比较是“按时率”相对“签约数”" in caught.value.message
    good: list[list[float]] = [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]
    services.system_set_pairwise(actor=None, system=system, matrix=good)
    services.system_update(actor=None, system=system, weighting="ahp")
    period = services.period_compute(actor=None, period=annual(system))
    assert period.config["weights"] == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    with pytest.raises(DomainError) as caught:
        services.system_set_pairwise(actor=None, system=system, matrix=[[1, 2], [0.5, 1]])
    assert caught.value.fields == {"pairwise": "阶数不符"}


def test_close_scores_are_flagged_as_sensitive_to_the_weights(
    place: County, fake: FakeData
) -> None:
    fake.values["fake.rate"] = {place.subject(i): Decimal(v) for i, v in enumerate((100, 96, 50))}
    counts = (Decimal("7.664"), Decimal(8), Decimal(8))
    fake.values["fake.count"] = {place.subject(i): v for i, v in enumerate(counts)}
    system = make_system(place)
    system.indicators.filter(code="review").delete()
    period = services.period_compute(actor=None, period=annual(system))
    assert table(period) == [
        ("化工基地", 1, "98.00", ["48.00", "50.00"], True),
        ("电机基地", 2, "97.90", ["50.00", "47.90"], True),
        ("农业基地", 3, "75.00", ["25.00", "50.00"], False),
    ]
    rows = {s.name: (s.rank, s.best_rank, s.worst_rank, s.flagged) for s in period.scores.all()}
    # 电机 leads by 4 points on the rate and trails by 4.2 on the count: the rate weight 10 %
    # heavier (or the count's 10 % lighter) puts 电机 first.
    assert rows == {
        "化工基地": (1, 1, 2, True),
        "电机基地": (2, 1, 2, True),
        "农业基地": (3, 3, 3, False),
    }


def test_periods_refuse_bad_dates_duplicates_and_compute_without_permission(
    place: County, fake: FakeData
) -> None:
    system = make_system(place)
    with pytest.raises(DomainError) as caught:
        services.period_create(
            actor=None, system=system, name="x", kind="year", start=D(2021, 2, 1), end=D(2021, 1, 1)
        )
    assert caught.value.fields == {"end": "不能早于开始日期"}
    period = annual(system)
    with pytest.raises(DomainError) as caught:
        annual(system)
    assert caught.value.fields == {"name": "名称重复"}
    with pytest.raises(DomainError) as caught:
        services.period_compute(actor=place.lead_user, period=period)
    assert caught.value.code == "forbidden"
    with pytest.raises(DomainError) as caught:
        services.period_publish(actor=None, period=period)
    assert caught.value.message == "考核期当前为“待计算”，须计算并审核后才能发布"
    period.refresh_from_db()
    assert period.state == PeriodState.DRAFT


def test_the_default_system_has_three_dimensions_and_ten_indicators(place: County) -> None:
    system = services.system_create_default(actor=None, owner_unit=place.county)
    layout = [
        (d.name, [(i.code, i.source_code, num(i.weight)) for i in d.indicators.order_by("sort_order")])
        for d in system.dimensions.order_by("sort_order")
    ]  # fmt: skip
    assert layout == [
        ("工作推进", [("milestones", "supervision.milestones_on_time", "10"), ("problems", "supervision.problems_on_time", "10"), ("reports", "supervision.reports_on_time", "10")]),
        ("合作成效", [("intentions", "cooperation.intentions", "10"), ("agreements", "cooperation.agreements", "10"), ("landed", "cooperation.landed", "10"), ("investment", "cooperation.investment", "10")]),
        ("人才支撑", [("talents", "talent.recruited", "10"), ("interns", "talent.interns_hosted", "10"), ("services", "talent.services_delivered", "10")]),
    ]  # fmt: skip
