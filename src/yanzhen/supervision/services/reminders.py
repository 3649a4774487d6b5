"""The daily run: 督办 of what is overdue, then the reminders of what is due soon or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Base
from yanzhen.core.models import Person, Unit, User
from yanzhen.notifications.models import Notification
from yanzhen.notifications.services import DispatchReport, dispatch, notify
from yanzhen.supervision.models import (
    OPEN_PROBLEM_STATES,
    Escalation,
    Milestone,
    MilestoneStatus,
    Problem,
)
from yanzhen.supervision.services.problems import escalate_overdue

DUE_SOON_DAYS = 3


@dataclass
class Reminder:
    """What one unit or one leader is reminded of on a day."""

    label: str
    due_soon: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)


@dataclass
class RemindRun:
    today: dt.date
    escalations: list[Escalation] = field(default_factory=list)
    units: list[Reminder] = field(default_factory=list)
    leaders: list[Reminder] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    sent: DispatchReport | None = None


def _line(kind: str, title: str, base: Base | None, due: dt.date, today: dt.date) -> str:
    where = f"〔{base.name}〕" if base is not None else ""
    days = (due - today).days
    if days >= 0:
        when = _("%(due)s到期") % {"due": f"{due:%Y-%m-%d}"}
    else:
        when = _("逾期%(days)s天（%(due)s到期）") % {"days": -days, "due": f"{due:%Y-%m-%d}"}
    return f"{kind}{where}{title}：{when}"


def remind_due(*, today: dt.date) -> RemindRun:
    """The daily run: 督办 of what is overdue, then one reminder per responsible unit and per
    base leader listing what is due within DUE_SOON_DAYS days and what is overdue, written as
    notifications (once per recipient per day) and sent through the configured channels."""
    run = RemindRun(today=today)
    escalation = escalate_overdue(today=today)
    run.escalations = escalation.escalations
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    by_unit: dict[int, tuple[Unit, Reminder]] = {}
    by_leader: dict[int, tuple[Person, Reminder]] = {}

    def file(unit: Unit | None, base: Base | None, line: str, overdue: bool) -> None:
        targets: list[Reminder] = []
        if unit is not None:
            targets.append(by_unit.setdefault(unit.pk, (unit, Reminder(unit.name)))[1])
        if base is not None and base.leader is not None:
            leader = base.leader
            label = _("%(name)s（责任领导）") % {"name": leader.name}
            targets.append(by_leader.setdefault(leader.pk, (leader, Reminder(label)))[1])
        for reminder in targets:
            (reminder.overdue if overdue else reminder.due_soon).append(line)

    problems = (
        Problem.objects.filter(state__in=OPEN_PROBLEM_STATES, deadline__lte=soon)
        .select_related("base__leader", "responsible_unit")
        .order_by("deadline", "id")
    )
    for p in problems:
        assert p.deadline is not None
        line = _line(_("问题"), p.title, p.base, p.deadline, today)
        file(p.responsible_unit, p.base, line, p.deadline < today)
    milestones = (
        Milestone.objects.exclude(status=MilestoneStatus.DONE)
        .filter(due_date__lte=soon)
        .select_related("base__leader", "owner_unit", "base")
        .order_by("due_date", "id")
    )
    for m in milestones:
        line = _line(_("节点任务"), m.title, m.base, m.due_date, today)
        file(m.owner_unit, m.base, line, m.due_date < today)
    notices = list(escalation.notifications)
    for unit, reminder in by_unit.values():
        run.units.append(reminder)
        notices += notify(
            category="reminder",
            title=_reminder_title(today, reminder),
            body="\n".join(reminder.overdue + reminder.due_soon),
            url=reverse("supervision:problem_list") + f"?unit={unit.pk}",
            units=[unit],
            key=f"remind:{today:%Y-%m-%d}:unit:{unit.pk}",
        )
    for leader, reminder in by_leader.values():
        run.leaders.append(reminder)
        notices += notify(
            category="reminder",
            title=_reminder_title(today, reminder),
            body="\n".join(reminder.overdue + reminder.due_soon),
            url=reverse("supervision:leader"),
            users=User.objects.filter(person=leader, is_active=True),
            key=f"remind:{today:%Y-%m-%d}:leader:{leader.pk}",
        )
    run.notifications = notices
    run.sent = dispatch(notices)
    return run


def _reminder_title(today: dt.date, reminder: Reminder) -> str:
    return _("%(day)s提醒：逾期 %(overdue)s 项，%(soon_days)s日内到期 %(soon)s 项") % {
        "day": f"{today:%m月%d日}",
        "overdue": len(reminder.overdue),
        "soon_days": DUE_SOON_DAYS,
        "soon": len(reminder.due_soon),
    }
