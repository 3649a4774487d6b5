"""The review of what lower units report about cooperations (issue part (a)).

A creation or a stage move by a town, department, village, enterprise or base waits for the
county office (or the base's lead department, per ``CountySettings.reviewer``) with the
evidence its stage requires (``CountySettings.stage_rules``). Until approved a new entry
counts in no figure (``Cooperation.approved``) and a move is a pending ``StageEvent``; the
cooperation's stage and dates stay the approved ones. The office's own entries take effect
at once (``core.counties.needs_review``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Cooperation, EventStatus, StageEvent
from yanzhen.cooperation.selectors import REVIEW_KIND
from yanzhen.cooperation.services.figures import STAGE_FIELDS, record_change, snapshot, state_of
from yanzhen.core import integrity
from yanzhen.core.counties import settings_for, stage_rules
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, RequestState, ReviewerChoice, Unit, User
from yanzhen.core.workflow import Flow, register_flow, review_submit
from yanzhen.engines.stages import STAGE_LABELS, Move, Stage, StageError, apply_move

REVIEW_PERM = "cooperation.review_cooperation"


def _reviewer(cooperation: Cooperation, unit: Unit | None) -> Unit | None:
    """The county office above ``unit``, or the base's lead department when the county
    says so (never the submitting unit itself: then the office)."""
    settings = settings_for(unit)
    if settings is None:
        return None
    base = cooperation.base
    if (
        settings.reviewer == ReviewerChoice.LEAD_DEPARTMENT
        and base is not None
        and unit is not None
        and base.lead_department_id != unit.pk
    ):
        return base.lead_department
    return settings.office


def _event(approval_payload: Any) -> StageEvent:
    return StageEvent.objects.select_related("cooperation").get(pk=int(approval_payload["event"]))


def _conditions(cooperation: Cooperation, payload: Any) -> dict[str, str]:
    """The evidence the stage requires: a move brings it when reported; a new entry (typed
    in or imported) may bring it as attachments until it is approved."""
    event = _event(payload)
    if payload.get("creation") and not _submitted(cooperation):
        return {}
    rule = stage_rules(cooperation.owner_unit).get(event.to_stage) or {}
    if not rule.get("evidence"):
        return {}
    has = bool(event.evidence) or (
        bool(payload.get("creation")) and cooperation.attachments.exists()
    )
    if has:
        return {}
    label = STAGE_LABELS[Stage(event.to_stage)]
    return {
        "evidence": _("“%(stage)s”须上传佐证材料（%(text)s）")
        % {"stage": label, "text": rule.get("text", "")}
    }


def _submitted(cooperation: Cooperation) -> bool:
    return ApprovalRequest.objects.filter(
        kind=REVIEW_KIND, target_id=cooperation.pk, state=RequestState.REQUESTED
    ).exists()


def _apply(approval: ApprovalRequest, approver: User) -> None:
    cooperation = Cooperation.objects.select_for_update().get(pk=approval.target_id)
    event = _event(approval.payload)
    before = snapshot(cooperation)
    if approval.payload.get("creation"):
        cooperation.approved = True
    else:
        try:
            new = apply_move(
                state_of(cooperation),
                Move(Stage(event.to_stage), event.date, event.reason),
                today=timezone.localdate(),
            )
        except StageError as error:
            message = "；".join(p.message for p in error.problems)
            raise DomainError("invalid_stage", message, {"__all__": message}, status=409) from error
        event.from_stage = cooperation.stage
        for name in STAGE_FIELDS:
            setattr(cooperation, name, getattr(new, name))
        if new.landed_date is None:
            cooperation.landed_investment = 0
    cooperation.version += 1
    cooperation.updated_by = approver
    cooperation._history_user = approver  # type: ignore[attr-defined]
    cooperation.save()
    event.status = EventStatus.APPROVED
    event.save(update_fields=["status", "from_stage"])
    record_change(before, cooperation, tally.party_ids(cooperation.pk))
    integrity.seal(cooperation)


def _return(approval: ApprovalRequest, approver: User) -> None:
    StageEvent.objects.filter(pk=int(approval.payload["event"])).update(status=EventStatus.RETURNED)


def _title(cooperation: Cooperation) -> str:
    return f"{cooperation.code} {cooperation.title}"


def _url(cooperation: Cooperation) -> str:
    return reverse("cooperation:cooperation_detail", args=[cooperation.pk])


COOPERATION_FLOW = register_flow(
    Flow(
        code=REVIEW_KIND,
        label="合作报送",
        model=Cooperation,
        permission=REVIEW_PERM,
        reviewer=_reviewer,
        title=_title,
        url=_url,
        conditions=_conditions,
        apply=_apply,
        on_return=_return,
    )
)


def submit_event(
    *, actor: User, cooperation: Cooperation, event: StageEvent, creation: bool
) -> None:
    """Submit a lower unit's new entry or move (its ``event``, pending) for review."""
    review_submit(
        flow=COOPERATION_FLOW,
        target=cooperation,
        actor=actor,
        unit=actor.unit,
        payload={"event": event.pk, "creation": creation},
        note=_("%(stage)s：%(reason)s")
        % {"stage": STAGE_LABELS[Stage(event.to_stage)], "reason": event.reason or "报送"},
    )
