"""Appeals (申诉) against hand-entered scores, through the shared review workflow.

Once a period is published, the assessed unit (the unit itself, or a base's lead department)
may appeal any of its hand-scored indicators within its county's window
(``CountySettings.appeal_days`` days after publication). The appeal goes to the county
office's review inbox (``core.workflow``, flow ``assessment.appeal``); the office upholds
the score (the workflow's *return*, with its comment) or changes it (the workflow's
*approve*: a reviewed entry replaces the value and the period's totals and ranks are
recalculated). Each step is in the appeal's history, the review's history and the audit,
and the appellant is told of the decision.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from yanzhen.assessment.models import (
    Appeal,
    AppealState,
    Entry,
    EntryKind,
    Period,
    PeriodAction,
    PeriodEvent,
    PeriodState,
    ScoreItem,
)
from yanzhen.assessment.services.common import require_perm
from yanzhen.assessment.services.periods import apply_entries, rescore
from yanzhen.core import counties
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, Unit, User
from yanzhen.core.notify import notifier
from yanzhen.core.uploads import check_upload
from yanzhen.core.workflow import (
    Flow,
    pending_for_target,
    register_flow,
    review_decide,
    review_submit,
)

REASON_MAX = 500
COMMENT_MAX = 200
APPEAL_EVENT = "assessment.appeal"


def assessed_unit(item: ScoreItem) -> Unit | None:
    """The unit that answers for the score: the unit assessed, or the base's lead department."""
    score = item.score
    if score.unit_id is not None:
        return score.unit
    return score.base.lead_department if score.base is not None else None


def appeal_closes(period: Period, unit: Unit | None) -> dt.datetime | None:
    """When the appeal window of ``period`` closes for ``unit`` (None: not published)."""
    if period.state != PeriodState.PUBLISHED or period.published_at is None:
        return None
    return period.published_at + dt.timedelta(days=counties.appeal_days(unit))


def appeal_open(item: ScoreItem) -> bool:
    """Whether the item may be appealed now (hand-scored, published, window open, no appeal
    waiting)."""
    closes = appeal_closes(item.score.period, assessed_unit(item))
    return (
        item.manual
        and closes is not None
        and timezone.now() <= closes
        and not any(a.state == AppealState.PENDING for a in item.appeals.all())
    )


def _reviewer(appeal: Appeal, unit: Unit | None) -> Unit | None:
    settings = counties.settings_for(unit)
    if settings is not None and settings.office_id is not None:
        return settings.office
    return appeal.item.score.period.system.owner_unit


def _title(appeal: Appeal) -> str:
    item = appeal.item
    return f"{item.score.name}·{item.name}（{item.score.period.name}）"


def _tell_appellant(approval: ApprovalRequest, appeal: Appeal, actor: User) -> None:
    outcome = appeal.get_state_display()
    body = appeal.decision_note
    if appeal.state == AppealState.CHANGED:
        body = _("分值由%(a)s调整为%(b)s。%(note)s") % {
            "a": _plain(appeal.original),
            "b": _plain(appeal.value),
            "note": appeal.decision_note,
        }
    notifier().notify(
        event="review.decided",
        about=approval,
        occasion=approval.state,
        title=_("考核申诉%(outcome)s：%(title)s") % {"outcome": outcome, "title": _title(appeal)},
        body=body,
        url=approval.url,
        users=[approval.requester],
        actor=actor,
    )


def _plain(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize(), "f")


def _apply(approval: ApprovalRequest, approver: User) -> None:
    """The score is changed: a reviewed entry replaces the value, the period is rescored."""
    appeal = (
        Appeal.objects.select_for_update()
        .select_related("item__score__period")
        .get(pk=approval.target_id)
    )
    if appeal.value is None:
        message = _("改分须在申诉页面填写调整后的分值")
        raise DomainError("invalid", message, {"value": message}, status=422)
    if not approval.decision_note:
        message = _("请填写处理意见")
        raise DomainError("comment_required", message, {"comment": message}, status=422)
    item = appeal.item
    period = item.score.period
    now = timezone.now()
    item.entries.filter(active=True).update(active=False)
    Entry.objects.create(
        item=item,
        kind=EntryKind.APPEAL,
        value=appeal.value,
        previous=item.value,
        reason=_("申诉改分：%(note)s") % {"note": approval.decision_note},
        entered_by=approver,
        entered_at=now,
        reviewed_by=approver,
        reviewed_at=now,
    )
    apply_entries(period)
    rescore(period, actor=approver)
    PeriodEvent.objects.create(
        period=period,
        action=PeriodAction.APPEAL,
        actor=approver,
        note=f"{_title(appeal)}：{_plain(appeal.original)} → {_plain(appeal.value)}"[:300],
    )
    _close(appeal, AppealState.CHANGED, approval, approver)


def _on_return(approval: ApprovalRequest, approver: User) -> None:
    """The score is upheld (the comment says why)."""
    appeal = Appeal.objects.select_for_update().get(pk=approval.target_id)
    appeal.value = None
    _close(appeal, AppealState.UPHELD, approval, approver)


def _close(appeal: Appeal, state: str, approval: ApprovalRequest, approver: User) -> None:
    appeal.state = state
    appeal.decision_note = approval.decision_note
    appeal.decided_by = approver
    appeal.decided_at = timezone.now()
    appeal.updated_by = approver
    appeal._history_user = approver  # type: ignore[attr-defined]
    appeal.save()
    _tell_appellant(approval, appeal, approver)


APPEAL_FLOW = register_flow(
    Flow(
        code=APPEAL_EVENT,
        label="考核申诉",
        model=Appeal,
        permission="assessment.decide_appeal",
        reviewer=_reviewer,
        title=_title,
        url=lambda a: reverse("assessment:appeal_detail", args=[a.pk]),
        apply=_apply,
        on_return=_on_return,
        notify_decision=False,  # told in the appeal's own terms (``_tell_appellant``)
    )
)


@transaction.atomic
def appeal_create(
    *,
    actor: User,
    item: ScoreItem,
    reason: str,
    attachment: UploadedFile[bytes] | None = None,
) -> Appeal:
    """The assessed unit appeals a hand score of a published period within the window."""
    require_perm(actor, "assessment.add_appeal")
    item = ScoreItem.objects.select_related(
        "score__period__system", "score__base__lead_department", "score__unit"
    ).get(pk=item.pk)
    unit = assessed_unit(item)
    if unit is None or actor.unit_id != unit.pk:
        message = _("只有被考核单位可以申诉")
        raise DomainError("forbidden", message, {"__all__": message}, status=403)
    if not item.manual:
        message = _("只能对人工评分的指标申诉；自动计算的指标请核对台账记录")
        raise DomainError("invalid", message, {"item": message}, status=422)
    closes = appeal_closes(item.score.period, unit)
    if closes is None:
        message = _("考核结果尚未发布，不能申诉")
        raise DomainError("not_published", message, {"__all__": message}, status=409)
    if timezone.now() > closes:
        message = _("申诉期已于%(at)s截止") % {
            "at": date_format(timezone.localtime(closes), "Y-m-d H:i")
        }
        raise DomainError("window_closed", message, {"__all__": message}, status=409)
    reason = reason.strip()
    if not reason:
        message = _("请填写申诉理由")
        raise DomainError("invalid", message, {"reason": message}, status=422)
    if len(reason) > REASON_MAX:
        message = _("申诉理由不能超过%(n)s字") % {"n": REASON_MAX}
        raise DomainError("invalid", message, {"reason": message}, status=422)
    if item.appeals.filter(state=AppealState.PENDING).exists():
        message = _("该指标已有一项待处理的申诉")
        raise DomainError("duplicate_request", message, {"__all__": message}, status=409)
    if attachment:
        check_upload(attachment, field="attachment")
    appeal = Appeal(
        item=item,
        unit=unit,
        reason=reason,
        original=item.value,
        created_by=actor,
        updated_by=actor,
    )
    if attachment:
        appeal.attachment.save(attachment.name or "attachment", attachment, save=False)
    appeal._history_user = actor  # type: ignore[attr-defined]
    appeal.save()
    review_submit(flow=APPEAL_FLOW, target=appeal, actor=actor, unit=unit, note=reason[:200])
    return appeal


DECISIONS = ("uphold", "change")


@transaction.atomic
def appeal_decide(
    *,
    actor: User,
    appeal: Appeal,
    decision: str,
    comment: str,
    value: Decimal | None = None,
) -> Appeal:
    """The office upholds the score (``"uphold"``) or changes it to ``value``
    (``"change"``: the totals and ranks are recalculated); a comment either way."""
    errors: dict[str, str] = {}
    if decision not in DECISIONS:
        errors["decision"] = _("处理结果须为“维持原分”或“改分”")
    comment = comment.strip()
    if not comment:
        errors["comment"] = _("请填写处理意见")
    elif len(comment) > COMMENT_MAX:
        errors["comment"] = _("处理意见不能超过%(n)s字") % {"n": COMMENT_MAX}
    if decision == "change":
        if value is None:
            errors["value"] = _("改分须填写调整后的分值")
        elif value < 0:
            errors["value"] = _("调整后的分值不能为负数")
        elif appeal.original is not None and value == appeal.original:
            errors["value"] = _("调整后的分值与原分值相同，请选择“维持原分”")
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors, status=422)
    approval = pending_for_target(appeal).filter(kind=APPEAL_FLOW.code).first()
    if approval is None or appeal.state != AppealState.PENDING:
        message = _("该申诉已处理（%(state)s）") % {"state": appeal.get_state_display()}
        raise DomainError("already_decided", message, {"__all__": message}, status=409)
    if decision == "change":
        Appeal.objects.filter(pk=appeal.pk).update(value=value)
    review_decide(
        approval=approval,
        approver=actor,
        decision="approve" if decision == "change" else "return",
        comment=comment,
    )
    appeal.refresh_from_db()
    return appeal
