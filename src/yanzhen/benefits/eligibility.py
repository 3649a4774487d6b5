"""Eligibility rules of the entitlement catalogue, evaluated with their reasons.

The rules are data (``EligibilityRule`` rows the office edits); this module decides, for one
talent and one benefit on a given day, whether the talent qualifies and *why* — every condition
of every rule is checked and explained in a sentence. No database access: the services pass
plain facts in.

A rule holds when each condition it sets holds (an empty condition means "any"); a talent
qualifies for a benefit when any of its active rules holds. Years count from the talent's
arrival: "到岗满 N 年" holds from the N-th anniversary on; "到岗 N 年内" holds before it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from yanzhen.core.models import Degree, UnitKind
from yanzhen.talent.models.common import TalentType


@dataclass(frozen=True)
class TalentFacts:
    talent_type: str
    degree: str
    employer_name: str
    employer_kind: str
    start_date: dt.date


@dataclass(frozen=True)
class RuleSpec:
    name: str
    talent_types: tuple[str, ...] = ()
    degrees: tuple[str, ...] = ()
    employer_kinds: tuple[str, ...] = ()
    min_years: int | None = None
    max_years: int | None = None
    rule_id: int | None = None


@dataclass(frozen=True)
class Check:
    condition: str
    passed: bool
    text: str


@dataclass(frozen=True)
class RuleVerdict:
    rule: RuleSpec
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def text(self) -> str:
        verdict = "符合" if self.passed else "不符合"
        return f"规则“{self.rule.name}”{verdict}：" + "；".join(c.text for c in self.checks)


@dataclass(frozen=True)
class Verdict:
    benefit: str
    eligible: bool
    rules: tuple[RuleVerdict, ...]

    @property
    def matched(self) -> RuleVerdict | None:
        return next((r for r in self.rules if r.passed), None)

    def summary(self) -> str:
        if not self.rules:
            return f"“{self.benefit}”未设置适用规则，不按规则认定"
        if self.matched is not None:
            return f"符合“{self.benefit}”：{self.matched.text()}"
        return f"不符合“{self.benefit}”：" + "。".join(r.text() for r in self.rules)


_LABELS: dict[str, dict[str, str]] = {
    "type": {str(v): str(label) for v, label in TalentType.choices},
    "degree": {str(v): str(label) for v, label in Degree.choices},
    "kind": {str(v): str(label) for v, label in UnitKind.choices},
}


def _label(group: str, value: str) -> str:
    return _LABELS[group].get(value, value)


def _months_between(start: dt.date, day: dt.date) -> int:
    """Whole months from ``start`` to ``day`` (negative before ``start``)."""
    months = (day.year - start.year) * 12 + day.month - start.month
    if day.day < start.day:
        months -= 1
    return months


def _duration(months: int) -> str:
    if months < 0:
        return "尚未到岗"
    years, rest = divmod(months, 12)
    return f"{years}年{rest}个月"


def check_rule(rule: RuleSpec, facts: TalentFacts, on: dt.date) -> RuleVerdict:
    checks: list[Check] = []
    type_label = _label("type", facts.talent_type)
    if rule.talent_types:
        allowed = "、".join(_label("type", t) for t in rule.talent_types)
        ok = facts.talent_type in rule.talent_types
        checks.append(
            Check(
                "人才类型",
                ok,
                f"人才类型“{type_label}”{'在' if ok else '不在'}适用范围（{allowed}）内",
            )
        )
    else:
        checks.append(Check("人才类型", True, "不限人才类型"))
    if rule.degrees:
        allowed = "、".join(_label("degree", d) for d in rule.degrees)
        if not facts.degree:
            checks.append(Check("学位", False, f"未登记学位，适用范围为{allowed}"))
        else:
            ok = facts.degree in rule.degrees
            have = _label("degree", facts.degree)
            checks.append(
                Check(
                    "学位",
                    ok,
                    f"学位“{have}”{'在' if ok else '不在'}适用范围（{allowed}）内",
                )
            )
    else:
        checks.append(Check("学位", True, "不限学位"))
    if rule.employer_kinds:
        allowed = "、".join(_label("kind", k) for k in rule.employer_kinds)
        ok = facts.employer_kind in rule.employer_kinds
        kind = _label("kind", facts.employer_kind)
        checks.append(
            Check(
                "用人单位类型",
                ok,
                f"用人单位“{facts.employer_name}”为{kind}，{'在' if ok else '不在'}"
                f"适用范围（{allowed}）内",
            )
        )
    else:
        checks.append(Check("用人单位类型", True, "不限用人单位类型"))
    months = _months_between(facts.start_date, on)
    served = f"截至{on:%Y-%m-%d}到岗{_duration(months)}（{facts.start_date:%Y-%m-%d}起）"
    if rule.min_years is not None:
        ok = months >= rule.min_years * 12
        checks.append(
            Check("到岗年限", ok, f"{served}，{'已满' if ok else '未满'}{rule.min_years}年")
        )
    if rule.max_years is not None:
        ok = 0 <= months < rule.max_years * 12
        checks.append(
            Check(
                "到岗年限",
                ok,
                f"{served}，{'在' if ok else '不在'}到岗{rule.max_years}年内",
            )
        )
    return RuleVerdict(rule, tuple(checks))


def evaluate(benefit: str, rules: Sequence[RuleSpec], facts: TalentFacts, on: dt.date) -> Verdict:
    """Whether a talent qualifies for ``benefit`` on ``on``, rule by rule, with reasons."""
    verdicts = tuple(check_rule(rule, facts, on) for rule in rules)
    return Verdict(benefit, any(v.passed for v in verdicts), verdicts)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def entitlement_period(
    rule: RuleSpec,
    *,
    talent_start: dt.date,
    talent_end: dt.date | None,
    duration_months: int | None,
) -> tuple[dt.date, dt.date | None]:
    """When an entitlement granted under ``rule`` runs: from arrival (or from the anniversary
    a "满 N 年" rule waits for), for the benefit's duration, never past a "N 年内" limit nor
    past the talent's departure."""
    start = talent_start
    if rule.min_years is not None:
        start = add_months(talent_start, rule.min_years * 12)
    ends: list[dt.date] = []
    if duration_months is not None:
        ends.append(add_months(start, duration_months) - dt.timedelta(days=1))
    if rule.max_years is not None:
        ends.append(add_months(talent_start, rule.max_years * 12) - dt.timedelta(days=1))
    if talent_end is not None:
        ends.append(talent_end)
    return start, min(ends) if ends else None
