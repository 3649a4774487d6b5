"""Figures the assessment computes per subject from the cooperation ledger and from
closed-loop supervision (the contract is ``yanzhen.core.indicators``).

Every figure is defined once, as the records behind it: ``compute`` counts (or sums) them,
and the records page (``supervision:indicator_records``, the ``records_url`` of each source)
lists exactly those records, each linking to its own page.

A base's records are those filed under the base; a unit's are those of the unit and of every
unit below it. Per source, for the period ``[start, end]``:

* ``cooperation.intentions`` / ``agreements`` / ``landed`` — cooperations whose intention /
  agreement / landing date falls in the period (the dashboard's "reached" counts); for a unit,
  cooperations it (or a sub-unit) is a local party to;
* ``cooperation.investment`` — the landed investment (万元) of the cooperations landed in the
  period;
* ``cooperation.activities`` — engagement activities held in the period: for a base, those that
  brought about one of its cooperations; for a unit, those it organised;
* ``cooperation.secondments`` — secondments starting in the period: for a base, those tied to
  one of its cooperations; for a unit, those it hosts;
* ``supervision.milestones_on_time`` — milestones due in the period (up to today) done by their
  due date ÷ milestones due, in %; for a unit, the milestones it owns;
* ``supervision.problems_on_time`` — problems whose deadline falls in the period (up to
  today) resolved by the deadline ÷ problems due, in %; for a unit, those assigned to it;
* ``supervision.reports_on_time`` — reports to the rounds whose deadline falls in the period
  (up to today) made by the deadline ÷ reports asked for, in %; for a unit, the reports of the
  bases it leads.

A ratio with nothing due is 100 (nothing was late).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone

from yanzhen.cooperation.models import Activity, ActivityStatus, Cooperation, Secondment
from yanzhen.core.indicators import IndicatorSource, Subject, SubjectKind
from yanzhen.core.models import UnitClosure
from yanzhen.supervision.models import (
    Milestone,
    MilestoneStatus,
    Problem,
    ProblemState,
    Report,
    Round,
)

BOTH: frozenset[SubjectKind] = frozenset({"base", "unit"})
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@cache
def _records_path() -> str:
    return reverse("supervision:indicator_records")


def records_url(code: str) -> Callable[[Subject, dt.date, dt.date], str]:
    def url(subject: Subject, start: dt.date, end: dt.date) -> str:
        query = {
            "code": code,
            "subject": f"{subject[0]}-{subject[1]}",
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        return f"{_records_path()}?{urlencode(query)}"

    return url


def _subtree(unit_id: int) -> QuerySet[UnitClosure, Any]:
    return UnitClosure.objects.filter(ancestor_id=unit_id).values("descendant_id")


def _ancestors(unit_ids: Sequence[int]) -> dict[int, list[int]]:
    """For every unit under one of ``unit_ids`` (itself included), which of them it is under."""
    above: dict[int, list[int]] = defaultdict(list)
    for ancestor, descendant in UnitClosure.objects.filter(ancestor_id__in=unit_ids).values_list(
        "ancestor_id", "descendant_id"
    ):
        above[descendant].append(ancestor)
    return above


@dataclass(frozen=True)
class Definition:
    """A figure defined by its records: ``records(start, end)`` in the period, reached from a
    base through ``base_path`` and from a unit (and its sub-units) through ``unit_path``.

    ``measure`` "count" counts them, a field name sums it; ``on_time`` (for ratios) is the
    condition of a record that counts as done in time."""

    code: str
    label: str
    unit_label: str
    records: Callable[[dt.date, dt.date], QuerySet[Any]]
    base_path: str
    unit_path: str
    sum_field: str = ""
    on_time: Q | None = None

    def of(self, subject: Subject, start: dt.date, end: dt.date) -> QuerySet[Any]:
        """The records behind ``subject``'s value."""
        qs = self.records(start, end)
        kind, pk = subject
        if kind == "base":
            matched = qs.filter(**{self.base_path: pk})
        else:
            matched = qs.filter(**{f"{self.unit_path}__in": _subtree(pk)})
        return qs.filter(pk__in=matched.values("pk"))

    def _value(self, total: Any, on_time: Any) -> Decimal:
        if self.on_time is not None:
            if not total:
                return HUNDRED
            return (HUNDRED * Decimal(on_time or 0) / Decimal(total)).quantize(CENT)
        return Decimal(total or 0).quantize(CENT) if self.sum_field else Decimal(total or 0)

    def _aggregates(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "total": Sum(self.sum_field) if self.sum_field else Count("pk", distinct=True)
        }
        if self.on_time is not None:
            out["on_time"] = Count("pk", filter=self.on_time, distinct=True)
        return out

    def compute(
        self, subjects: Sequence[Subject], start: dt.date, end: dt.date
    ) -> dict[Subject, Decimal]:
        out: dict[Subject, Decimal] = {}
        base_ids = [pk for kind, pk in subjects if kind == "base"]
        if base_ids:
            found = {
                row[self.base_path]: row
                for row in self.records(start, end)
                .filter(**{f"{self.base_path}__in": base_ids})
                .values(self.base_path)
                .annotate(**self._aggregates())
                .order_by()
            }
            if self.sum_field and "__" in self.base_path:  # no record summed twice via a join
                found = {
                    pk: self.of(("base", pk), start, end).aggregate(**self._aggregates())
                    for pk in found
                }
            for pk in base_ids:
                row = found.get(pk, {})
                out[("base", pk)] = self._value(row.get("total"), row.get("on_time"))
        unit_ids = [pk for kind, pk in subjects if kind == "unit"]
        if unit_ids:
            out.update(self._units(unit_ids, start, end))
        return out

    def _units(
        self, unit_ids: Sequence[int], start: dt.date, end: dt.date
    ) -> dict[Subject, Decimal]:
        """Every unit's figure from one query: the records of all their subtrees, each record
        counted once per unit whose subtree holds one of its units."""
        above = _ancestors(unit_ids)
        columns: list[str] = ["pk", self.unit_path]
        qs = self.records(start, end).filter(**{f"{self.unit_path}__in": list(above)})
        if self.sum_field:
            columns.append(self.sum_field)
        if self.on_time is not None:
            qs = qs.annotate(
                in_time=Case(When(self.on_time, then=Value(True)), default=Value(False))
            )
            columns.append("in_time")
        records: dict[int, set[int]] = defaultdict(set)
        amounts: dict[int, Any] = {}
        in_time: set[int] = set()
        for row in qs.values_list(*columns):
            pk, unit = row[0], row[1]
            for ancestor in above[unit]:
                records[ancestor].add(pk)
            if self.sum_field:
                amounts[pk] = row[2]
            if self.on_time is not None and row[-1]:
                in_time.add(pk)
        out: dict[Subject, Decimal] = {}
        for pk in unit_ids:
            mine = records.get(pk, set())
            total: Any = (
                sum((amounts[r] for r in mine), Decimal(0)) if self.sum_field else len(mine)
            )
            out[("unit", pk)] = self._value(total, len(mine & in_time))
        return out

    def source(self) -> IndicatorSource:
        return IndicatorSource(
            code=self.code,
            label=self.label,
            measure=self.unit_label,
            subjects=BOTH,
            compute=self.compute,
            records_url=records_url(self.code),
        )


def _due_until(end: dt.date) -> dt.date:
    return min(end, timezone.localdate())


def _cooperations(field: str) -> Callable[[dt.date, dt.date], QuerySet[Cooperation]]:
    def records(start: dt.date, end: dt.date) -> QuerySet[Cooperation]:
        return Cooperation.objects.filter(**{f"{field}__range": (start, end)}, approved=True)

    return records


def _activities(start: dt.date, end: dt.date) -> QuerySet[Activity]:
    return Activity.objects.filter(status=ActivityStatus.HELD, date__range=(start, end))


def _secondments(start: dt.date, end: dt.date) -> QuerySet[Secondment]:
    return Secondment.objects.filter(start_date__range=(start, end))


def _milestones(start: dt.date, end: dt.date) -> QuerySet[Milestone]:
    return Milestone.objects.filter(due_date__range=(start, _due_until(end)))


def _problems(start: dt.date, end: dt.date) -> QuerySet[Problem]:
    return Problem.objects.filter(deadline__range=(start, _due_until(end)))


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "cooperation.intentions", "新增合作意向", "项",
        _cooperations("intention_date"), "base_id", "parties",
    ),
    Definition(
        "cooperation.agreements", "签约合作协议", "项",
        _cooperations("agreement_date"), "base_id", "parties",
    ),
    Definition(
        "cooperation.landed", "落地项目", "项",
        _cooperations("landed_date"), "base_id", "parties",
    ),
    Definition(
        "cooperation.investment", "落地投资", "万元",
        _cooperations("landed_date"), "base_id", "parties", sum_field="landed_investment",
    ),
    Definition(
        "cooperation.activities", "对接活动", "次",
        _activities, "cooperations__base_id", "organizer_unit",
    ),
    Definition(
        "cooperation.secondments", "挂职交流", "人",
        _secondments, "cooperation__base_id", "host_unit",
    ),
    Definition(
        "supervision.milestones_on_time", "节点任务按时完成率", "%",
        _milestones, "base_id", "owner_unit",
        on_time=Q(status=MilestoneStatus.DONE, done_date__lte=F("due_date")),
    ),
    Definition(
        "supervision.problems_on_time", "问题按时解决率", "%",
        _problems, "base_id", "responsible_unit",
        on_time=Q(
            state__in=(ProblemState.RESOLVED, ProblemState.CLOSED),
            resolved_on__lte=F("deadline"),
        ),
    ),
)  # fmt: skip


# Scheduling reports on time: one expected report per (round, base) ---------------------------


def report_slots(subject: Subject, start: dt.date, end: dt.date) -> QuerySet[Any]:
    """The (round, base) pairs asked for a report, for rounds due in the period."""
    slots = Round.bases.through.objects.filter(
        round__deadline__range=(start, _due_until(end))
    ).select_related("round", "base")
    kind, pk = subject
    if kind == "base":
        return slots.filter(base_id=pk)
    return slots.filter(base__lead_department__in=_subtree(pk))


def _reports_on_time(
    subjects: Sequence[Subject], start: dt.date, end: dt.date
) -> dict[Subject, Decimal]:
    """Reports made in time ÷ reports asked for, from two queries for all the subjects."""
    unit_ids = [pk for kind, pk in subjects if kind == "unit"]
    above = _ancestors(unit_ids) if unit_ids else {}
    base_ids = {pk for kind, pk in subjects if kind == "base"}
    slots = Round.bases.through.objects.filter(round__deadline__range=(start, _due_until(end)))
    slots = slots.filter(Q(base_id__in=base_ids) | Q(base__lead_department_id__in=list(above)))
    asked: dict[Subject, set[tuple[int, int]]] = defaultdict(set)
    for round_id, base_id, lead in slots.values_list(
        "round_id", "base_id", "base__lead_department_id"
    ):
        if base_id in base_ids:
            asked[("base", base_id)].add((round_id, base_id))
        for unit in above.get(lead, ()):
            asked[("unit", unit)].add((round_id, base_id))
    every = set().union(*asked.values()) if asked else set()
    in_time = set(
        Report.objects.filter(
            round_id__in={r for r, _ in every}, base_id__in={b for _, b in every}, late=False
        ).values_list("round_id", "base_id")
    )
    out: dict[Subject, Decimal] = {}
    for subject in subjects:
        mine = asked.get(subject, set())
        out[subject] = (
            (HUNDRED * len(mine & in_time) / len(mine)).quantize(CENT) if mine else HUNDRED
        )
    return out


REPORTS_ON_TIME = "supervision.reports_on_time"

SOURCES: tuple[IndicatorSource, ...] = (
    *(d.source() for d in DEFINITIONS),
    IndicatorSource(
        code=REPORTS_ON_TIME,
        label="调度按时报送率",
        measure="%",
        subjects=BOTH,
        compute=_reports_on_time,
        records_url=records_url(REPORTS_ON_TIME),
    ),
)

BY_CODE: dict[str, Definition] = {d.code: d for d in DEFINITIONS}
