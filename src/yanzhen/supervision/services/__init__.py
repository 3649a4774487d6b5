"""Writes of closed-loop supervision, by topic: work plans and milestones (``plans``),
scheduling rounds and reports (``rounds``), the problem list, its moves and 督办
(``problems``), the daily reminders (``reminders``) and the decisions of meetings
(``decisions``). Every function is keyword-only and raises ``DomainError`` with Chinese
messages naming the fields at fault."""

from yanzhen.supervision.services.decisions import action_item_convert, action_item_create
from yanzhen.supervision.services.plans import (
    MILESTONE_FIELDS,
    WORK_PLAN_FIELDS,
    milestone_create,
    milestone_update,
    work_plan_create,
    work_plan_update,
)
from yanzhen.supervision.services.problems import (
    LEADER_AFTER_DAYS,
    TRANSITIONS,
    EscalationRun,
    allowed_actions,
    escalate_overdue,
    escalation_level_due,
    problem_create,
    problem_move,
)
from yanzhen.supervision.services.reminders import (
    DUE_SOON_DAYS,
    Reminder,
    RemindRun,
    remind_due,
    round_reminders,
)
from yanzhen.supervision.services.rounds import (
    ROUND_FIELDS,
    ProgressInput,
    report_submit,
    round_create,
    round_update,
)

__all__ = [
    "DUE_SOON_DAYS",
    "LEADER_AFTER_DAYS",
    "MILESTONE_FIELDS",
    "ROUND_FIELDS",
    "TRANSITIONS",
    "WORK_PLAN_FIELDS",
    "EscalationRun",
    "ProgressInput",
    "RemindRun",
    "Reminder",
    "action_item_convert",
    "action_item_create",
    "allowed_actions",
    "escalate_overdue",
    "escalation_level_due",
    "milestone_create",
    "milestone_update",
    "problem_create",
    "problem_move",
    "remind_due",
    "report_submit",
    "round_create",
    "round_reminders",
    "round_update",
    "work_plan_create",
    "work_plan_update",
]
