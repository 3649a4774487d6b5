"""What of a cooperation waits for the review of lower units' reports (``services.review``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from yanzhen.cooperation.models import Cooperation, StageEvent
from yanzhen.core.models import ApprovalRequest, RequestState
from yanzhen.engines.stages import STAGE_LABELS, Stage

REVIEW_KIND = "cooperation.stage"  # the code of the review flow (``services.review``)


@dataclass(frozen=True)
class Pending:
    """What of a cooperation waits for review: the stage reported, its date, the request."""

    stage: str
    date: dt.date | None
    review_id: int
    event_id: int
    creation: bool

    @property
    def label(self) -> str:
        return STAGE_LABELS[Stage(self.stage)]


def pending_of(cooperation_ids: Sequence[int]) -> dict[int, Pending]:
    """The pending report of each of the cooperations given (those with one), in one query."""
    rows = ApprovalRequest.objects.filter(
        kind=REVIEW_KIND, state=RequestState.REQUESTED, target_id__in=list(cooperation_ids)
    ).values_list("pk", "target_id", "payload")
    by_event = {int(payload["event"]): (pk, target, payload) for pk, target, payload in rows}
    events = StageEvent.objects.filter(pk__in=list(by_event)).values_list("pk", "to_stage", "date")
    out: dict[int, Pending] = {}
    for event_id, stage, date in events:
        pk, target, payload = by_event[event_id]
        out[int(target)] = Pending(stage, date, pk, event_id, bool(payload.get("creation")))
    return out


def pending_count(cooperations: QuerySet[Cooperation]) -> int:
    """How many of ``cooperations`` have a move or a new entry waiting for review (shown as
    "另有 N 项待审核" beside the figures, which count approved stages only)."""
    return (
        ApprovalRequest.objects.filter(
            kind=REVIEW_KIND, state=RequestState.REQUESTED, target_id__in=cooperations.values("pk")
        )
        .values("target_id")
        .distinct()
        .count()
    )
