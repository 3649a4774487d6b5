"""N rows of each list of the supervision app (see tests/rows/__init__.py), in the scope of a
user of ``unit``: each row with a base, units and people of its own, so that a list reading
anything per row shows it in its query count. The day is 2021-12-20."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.rows import RowFactory
from yanzhen.cooperation.models import Activity, Base
from yanzhen.core.models import Person, Unit, UnitKind
from yanzhen.core.services import person_create, unit_create
from yanzhen.supervision import services
from yanzhen.supervision.models import MilestoneStatus

D = dt.date
_serial = itertools.count(1)


def _unit(parent: Unit, kind: str = UnitKind.DEPARTMENT) -> Unit:
    return unit_create(actor=None, parent=parent, name=f"部门{next(_serial)}", kind=kind)


def _person(unit: Unit) -> Person:
    return person_create(actor=None, name=f"领导{next(_serial)}", unit=unit, mobile="13912345678")


def _base(county: Unit, code: str = "") -> Base:
    n = next(_serial)
    lead = _unit(county)
    return Base.objects.create(
        code=code or f"R{n}",
        name=f"基地{n}",
        county=county,
        lead_department=lead,
        leader=_person(lead),
        sort_order=n,
    )


def _milestone(base: Base, county: Unit, due: dt.date, done: bool = False) -> None:
    owner = _unit(county)
    services.milestone_create(
        actor=None,
        base=base,
        title=f"节点{next(_serial)}",
        owner_unit=owner,
        owner_person=_person(owner),
        due_date=due,
        deliverable="成果",
        status=MilestoneStatus.DONE if done else MilestoneStatus.IN_PROGRESS,
        done_date=due if done else None,
    )


def milestones(n: int, unit: Unit) -> dict[str, str]:
    for index in range(n):
        _milestone(_base(unit), unit, D(2021, 11, 30), done=index % 2 == 1)
    return {}


def _problem(base: Base, county: Unit, deadline: dt.date | None) -> None:
    services.problem_create(
        actor=None,
        title=f"问题{next(_serial)}",
        base=base,
        raised_by_unit=base.lead_department,
        responsible_unit=_unit(county) if deadline else None,
        deadline=deadline,
    )


def problems(n: int, unit: Unit) -> dict[str, str]:
    for index in range(n):
        _problem(_base(unit), unit, D(2021, 12, 31) if index % 2 == 0 else None)
    return {}


def rounds(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        base = _base(unit)
        round = services.round_create(
            actor=None,
            title=f"调度{next(_serial)}",
            kind="monthly",
            opened_on=D(2021, 12, 1),
            deadline=D(2021, 12, 5),
            bases=[base, _base(unit)],
        )
        services.report_submit(actor=None, round=round, base=base, summary="推进中", items=[])
    return {}


def decisions(n: int, unit: Unit) -> dict[str, str]:
    for index in range(n):
        base = _base(unit)
        meeting = Activity.objects.create(
            kind="standing_committee",
            title=f"会议{next(_serial)}",
            date=D(2021, 12, 1),
            organizer_unit=_unit(unit),
        )
        item = services.action_item_create(
            actor=None,
            meeting=meeting,
            meeting_title="",
            meeting_date=None,
            decision=f"决定{next(_serial)}",
            responsible_unit=_unit(unit),
            deadline=D(2021, 12, 31),
            base=base,
        )
        if index % 3 < 2:
            target = "problem" if index % 3 == 0 else "milestone"
            services.action_item_convert(actor=None, item=item, target=target)
    return {}


def bases(n: int, unit: Unit) -> dict[str, str]:
    """Bases with a done and an overdue milestone, an overdue problem (escalated), and a
    round each (one reported): every figure of the board and the leader's page."""
    for index in range(n):
        base = _base(unit)
        _milestone(base, unit, D(2021, 11, 30))
        _milestone(base, unit, D(2021, 10, 31), done=True)
        _problem(base, unit, D(2021, 12, 31))
        round = services.round_create(
            actor=None,
            title=f"调度{next(_serial)}",
            kind="monthly",
            opened_on=D(2021, 12, 1),
            deadline=D(2021, 12, 5),
            bases=[base],
        )
        if index % 2:
            services.report_submit(actor=None, round=round, base=base, summary="", items=[])
    services.escalate_overdue(today=D(2021, 12, 20), send_notices=False)
    return {}


def records(n: int, unit: Unit) -> dict[str, str]:
    """Milestones of one base, the records behind its on-time rate of 2021."""
    base = Base.objects.filter(code="RECORDS").first() or _base(unit, "RECORDS")
    for index in range(n):
        _milestone(base, unit, D(2021, 6, 30), done=index % 2 == 0)
    return {
        "code": "supervision.milestones_on_time",
        "subject": f"base-{base.pk}",
        "start": "2021-01-01",
        "end": "2021-12-31",
    }


ROWS: dict[str, RowFactory] = {
    "supervision:board": bases,
    "supervision:leader": bases,
    "supervision:milestone_list": milestones,
    "supervision:round_list": rounds,
    "supervision:problem_list": problems,
    "supervision:action_item_list": decisions,
    "supervision:indicator_records": records,
    "api:list_rounds": rounds,
    "api:list_problems": problems,
}
