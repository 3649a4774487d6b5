"""The kinds of event that notify someone, with how each is sent by default.

Every notification has one of these kinds; users choose per kind whether it also comes by
e-mail and to their unit's group robot (in the platform it always comes). Kinds marked for the
review workflow, the reporting tasks and the briefings are sent by those apps."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Event(models.TextChoices):
    # Scheduling rounds (supervision)
    ROUND_OPENED = "round.opened", "调度发起"
    ROUND_DUE = "round.due", "调度报送即将截止"
    ROUND_LATE = "round.late", "调度报送逾期"
    # Problems and 督办 (supervision)
    PROBLEM_RAISED = "problem.raised", "问题待交办"
    PROBLEM_ASSIGNED = "problem.assigned", "问题交办"
    PROBLEM_RESOLVED = "problem.resolved", "问题办结待验收"
    PROBLEM_RETURNED = "problem.returned", "问题验收退回"
    MILESTONE_ASSIGNED = "milestone.assigned", "节点任务分派"
    ESCALATION = "escalation", "督办"
    REMINDER = "reminder", "到期提醒"
    # Other apps' reminders and requests
    SURVEY_REMINDER = "survey.reminder", "需求调查催报"
    TALENT_REMINDER = "talent.reminder", "人才服务提醒"
    PERSON_DUPLICATE = "person.duplicate", "人员重复待处理"
    # The review workflow (core.workflow), the reporting tasks (数据填报) and briefings
    REVIEW_REQUESTED = "review.requested", "待审核"
    REVIEW_DECIDED = "review.decided", "审核结果"
    REVIEW_OVERDUE = "review.overdue", "审核超期"
    REPORTING_ISSUED = "reporting.issued", "填报任务下发"
    REPORTING_DUE = "reporting.due", "填报即将截止或逾期"
    REPORTING_RETURNED = "reporting.returned", "填报被退回"
    REPORTING_APPROVED = "reporting.approved", "填报已通过"
    BRIEFING_ISSUED = "briefing.issued", "简报印发"
    INFO_DECIDED = "info.decided", "报送信息已采用或退回"
    # The portal's halls (a published technology need or result that matches the recipient)
    HALL_NEED = "hall.need", "匹配的技术难题"
    HALL_RESULT = "hall.result", "匹配的科技成果"
    # The 云对接会 (the schedule of an event published to its parties)
    EVENT_SCHEDULED = "event.scheduled", "云对接会排期发布"
    CALL_STEP = "call.step", "揭榜挂帅进展"
    # The portal's negotiation threads (a new message to the other side)
    THREAD_MESSAGE = "thread.message", "对接洽谈新留言"
    # The platform itself (to the system administrator; never a title or a body of another)
    DELIVERY_FAILED = "delivery.failed", "消息发送失败"


@dataclass(frozen=True)
class Defaults:
    email: bool  # e-mailed at once (else only in the daily digest)
    robot: bool  # posted to the recipient's unit's group robot


# Work handed to someone is e-mailed at once; news of a decision waits for the daily digest.
# Personal data (a talent's entitlements, a duplicated ID number) never goes to a group, nor
# does what only the system administrator may see.
DEFAULTS: dict[str, Defaults] = {
    **{kind: Defaults(email=True, robot=True) for kind in Event.values},
    Event.REVIEW_DECIDED: Defaults(email=False, robot=True),
    Event.REPORTING_APPROVED: Defaults(email=False, robot=True),
    Event.BRIEFING_ISSUED: Defaults(email=False, robot=True),
    Event.INFO_DECIDED: Defaults(email=False, robot=True),
    Event.TALENT_REMINDER: Defaults(email=True, robot=False),
    Event.PERSON_DUPLICATE: Defaults(email=True, robot=False),
    Event.DELIVERY_FAILED: Defaults(email=True, robot=False),
    # A negotiation is between its two parties: never posted to a unit's group.
    Event.THREAD_MESSAGE: Defaults(email=True, robot=False),
}


KIND_LABELS: dict[str, str] = dict(Event.choices)
