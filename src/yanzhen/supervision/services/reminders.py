"""The daily run: 督办 of what is overdue, then the reminders of what is due soon or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from yanzhen.cooperation.models import Base
from yanzhen.core.models import Person, Unit, User
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Notification
from yanzhen.notifications.services import notify, robot_batch
from yanzhen.supervision.models import (
    OPEN_PROBLEM_STATES,
    Escalation,
    Milestone,
    MilestoneStatus,
    Problem,
    Report,
    Round,
    RoundState,
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
    rounds: list[Notification] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


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
    base leader listing what is due within DUE_SOON_DAYS days and what is overdue (once per
    recipient per day), and the reminders of scheduling rounds not yet reported
    (:func:`round_reminders`). E-mails and robot messages are queued for the worker."""
    with robot_batch():  # one message per group robot for the whole run
        return _remind_due(today)


def _remind_due(today: dt.date) -> RemindRun:
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
            event=Event.REMINDER,
            about=unit,
            occasion=f"{today:%Y-%m-%d}",
            title=_reminder_title(today, reminder),
            body="\n".join(reminder.overdue + reminder.due_soon),
            url=reverse("supervision:problem_list") + f"?unit={unit.pk}",
            units=[unit],
        )
    for leader, reminder in by_leader.values():
        run.leaders.append(reminder)
        notices += notify(
            event=Event.REMINDER,
            about=leader,
            occasion=f"{today:%Y-%m-%d}",
            title=_reminder_title(today, reminder),
            body="\n".join(reminder.overdue + reminder.due_soon),
            url=reverse("supervision:leader"),
            users=User.objects.filter(person=leader, is_active=True),
        )
    run.rounds = round_reminders(today=today)
    run.notifications = notices + run.rounds
    return run


ROUND_DUE_DAYS = 1


def round_reminders(*, today: dt.date) -> list[Notification]:
    """The bases of open rounds that have not reported: from ROUND_DUE_DAYS days before the
    deadline their lead department is reminded, after it told the report is late — once per
    base and deadline (a deadline moved later reminds again)."""
    rounds = list(
        Round.objects.filter(
            state=RoundState.OPEN, deadline__lte=today + dt.timedelta(days=ROUND_DUE_DAYS)
        )
        .prefetch_related("bases__lead_department")
        .order_by("deadline", "id")
    )
    reported = set(Report.objects.filter(round__in=rounds).values_list("round_id", "base_id"))
    notices: list[Notification] = []
    for round in rounds:
        late = today > round.deadline
        for base in sorted(round.bases.all(), key=lambda b: (b.sort_order, b.pk)):
            if (round.pk, base.pk) in reported:
                continue
            when = (
                f"已逾期{(today - round.deadline).days}天"
                if late
                else f"请于{round.deadline:%Y-%m-%d}前报送"
            )
            notices += notify(
                event=Event.ROUND_LATE if late else Event.ROUND_DUE,
                about=round,
                occasion=f"base:{base.pk}:{round.deadline:%Y-%m-%d}",
                title=f"{round.title}（{base.name}）尚未报送，{when}",
                url=reverse("supervision:report_edit", args=[round.pk, base.pk]),
                units=[base.lead_department],
            )
    return notices


def _reminder_title(today: dt.date, reminder: Reminder) -> str:
    return _("%(day)s提醒：逾期 %(overdue)s 项，%(soon_days)s日内到期 %(soon)s 项") % {
        "day": f"{today:%m月%d日}",
        "overdue": len(reminder.overdue),
        "soon_days": DUE_SOON_DAYS,
        "soon": len(reminder.due_soon),
    }
