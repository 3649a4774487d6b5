"""Eligibility rules: each condition, its explanation, and the period an entitlement runs."""

from __future__ import annotations

import datetime as dt

import pytest

from yanzhen.benefits.eligibility import (
    RuleSpec,
    TalentFacts,
    add_months,
    check_rule,
    entitlement_period,
    evaluate,
)

D = dt.date
MASTER_AT_FIRM = TalentFacts("full_time", "master", "甲公司", "enterprise", D(2021, 3, 15))
YEAR_END = D(2021, 12, 31)


def texts(
    rule: RuleSpec, facts: TalentFacts = MASTER_AT_FIRM, on: dt.date = YEAR_END
) -> list[tuple[str, bool, str]]:
    return [(c.condition, c.passed, c.text) for c in check_rule(rule, facts, on).checks]


def test_an_empty_rule_admits_anyone_and_says_so() -> None:
    assert texts(RuleSpec("任何人")) == [
        ("人才类型", True, "不限人才类型"),
        ("学位", True, "不限学位"),
        ("用人单位类型", True, "不限用人单位类型"),
    ]


def test_the_talent_type_condition() -> None:
    rule = RuleSpec("全职", talent_types=("full_time", "medical_graduate"))
    assert texts(rule)[0] == (
        "人才类型",
        True,
        "人才类型“全职引进人才”在适用范围（全职引进人才、医学毕业生）内",
    )
    intern = TalentFacts("intern", "bachelor", "甲公司", "enterprise", D(2021, 7, 5))
    assert texts(rule, intern)[0] == (
        "人才类型",
        False,
        "人才类型“实习实训学生”不在适用范围（全职引进人才、医学毕业生）内",
    )


def test_the_degree_condition_is_an_exact_set() -> None:
    rule = RuleSpec("硕士", degrees=("master",))
    assert texts(rule)[1] == ("学位", True, "学位“硕士”在适用范围（硕士）内")
    doctor = TalentFacts("full_time", "doctor", "甲公司", "enterprise", D(2021, 3, 15))
    assert texts(rule, doctor)[1] == ("学位", False, "学位“博士”不在适用范围（硕士）内")
    unknown = TalentFacts("full_time", "", "甲公司", "enterprise", D(2021, 3, 15))
    assert texts(rule, unknown)[1] == ("学位", False, "未登记学位，适用范围为硕士")


def test_the_employer_kind_condition() -> None:
    rule = RuleSpec("企业", employer_kinds=("enterprise", "zone"))
    assert texts(rule)[2] == (
        "用人单位类型",
        True,
        "用人单位“甲公司”为企业，在适用范围（企业、开发区）内",
    )
    at_town = TalentFacts("full_time", "master", "甲镇", "town", D(2021, 3, 15))
    assert texts(rule, at_town)[2] == (
        "用人单位类型",
        False,
        "用人单位“甲镇”为镇，不在适用范围（企业、开发区）内",
    )


def test_the_years_conditions_count_whole_months_from_arrival() -> None:
    waits = RuleSpec("满1年", min_years=1)
    assert texts(waits, on=D(2022, 3, 14))[3] == (
        "到岗年限",
        False,
        "截至2022-03-14到岗0年11个月（2021-03-15起），未满1年",
    )
    assert texts(waits, on=D(2022, 3, 15))[3] == (
        "到岗年限",
        True,
        "截至2022-03-15到岗1年0个月（2021-03-15起），已满1年",
    )
    within = RuleSpec("3年内", max_years=3)
    assert texts(within, on=D(2024, 3, 14))[3] == (
        "到岗年限",
        True,
        "截至2024-03-14到岗2年11个月（2021-03-15起），在到岗3年内",
    )
    assert texts(within, on=D(2024, 3, 15))[3] == (
        "到岗年限",
        False,
        "截至2024-03-15到岗3年0个月（2021-03-15起），不在到岗3年内",
    )
    assert texts(within, on=D(2021, 1, 1))[3] == (
        "到岗年限",
        False,
        "截至2021-01-01到岗尚未到岗（2021-03-15起），不在到岗3年内",
    )


def test_a_benefit_is_given_by_any_rule_and_explained() -> None:
    rules = [
        RuleSpec("企业博士", degrees=("doctor",), employer_kinds=("enterprise",)),
        RuleSpec("全职硕士", talent_types=("full_time",), degrees=("master",)),
    ]
    verdict = evaluate("生活补贴", rules, MASTER_AT_FIRM, D(2021, 12, 31))
    assert verdict.eligible is True
    assert verdict.matched is not None
    assert verdict.matched.rule.name == "全职硕士"
    assert verdict.summary() == (
        "符合“生活补贴”：规则“全职硕士”符合：人才类型“全职引进人才”在适用范围（全职引进人才）内；"
        "学位“硕士”在适用范围（硕士）内；不限用人单位类型"
    )
    refused = evaluate("生活补贴", rules[:1], MASTER_AT_FIRM, D(2021, 12, 31))
    assert refused.eligible is False
    assert refused.summary() == (
        "不符合“生活补贴”：规则“企业博士”不符合：不限人才类型；学位“硕士”不在适用范围（博士）内；"
        "用人单位“甲公司”为企业，在适用范围（企业）内"
    )
    none = evaluate("体检", [], MASTER_AT_FIRM, D(2021, 12, 31))
    assert (none.eligible, none.summary()) == (False, "“体检”未设置适用规则，不按规则认定")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2021, 1, 31), 1, D(2021, 2, 28)),
        (D(2020, 1, 31), 1, D(2020, 2, 29)),
        (D(2021, 3, 15), 12, D(2022, 3, 15)),
        (D(2021, 11, 30), 3, D(2022, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected


def test_an_entitlement_runs_for_its_duration_within_the_rule_and_the_stay() -> None:
    start = D(2021, 3, 15)
    assert entitlement_period(
        RuleSpec("r"), talent_start=start, talent_end=None, duration_months=36
    ) == (start, D(2024, 3, 14))
    assert entitlement_period(
        RuleSpec("r", max_years=2), talent_start=start, talent_end=None, duration_months=36
    ) == (start, D(2023, 3, 14))
    assert entitlement_period(
        RuleSpec("r", min_years=1), talent_start=start, talent_end=None, duration_months=12
    ) == (D(2022, 3, 15), D(2023, 3, 14))
    assert entitlement_period(
        RuleSpec("r"), talent_start=start, talent_end=D(2021, 8, 27), duration_months=12
    ) == (start, D(2021, 8, 27))
    assert entitlement_period(
        RuleSpec("r"), talent_start=start, talent_end=None, duration_months=None
    ) == (start, None)
