"""What every write of a cooperation does to the figures: the tally delta and the parties'
cooperation counts, in the same transaction (shared by the ledger's services and its review).
A cooperation waiting for its first review (``approved=False``) counts nowhere."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Cooperation, CooperationUniversity
from yanzhen.core.services import unit_adjust_cooperation_count
from yanzhen.engines.ledger import ledger_delta
from yanzhen.engines.stages import Stage, StageState

if TYPE_CHECKING:
    from yanzhen.cooperation.services import CooperationData

STAGE_FIELDS = (
    "stage",
    "intention_date",
    "agreement_date",
    "landed_date",
    "dropped_date",
    "drop_reason",
)


def state_of(obj: Cooperation | CooperationData) -> StageState:
    return StageState(
        stage=Stage(obj.stage),
        intention_date=obj.intention_date,
        agreement_date=obj.agreement_date,
        landed_date=obj.landed_date,
        dropped_date=obj.dropped_date,
        drop_reason=obj.drop_reason,
    )


def stage_date(cooperation: Cooperation) -> dt.date | None:
    return {
        Stage.INTENTION: cooperation.intention_date,
        Stage.AGREEMENT: cooperation.agreement_date,
        Stage.LANDED: cooperation.landed_date,
        Stage.DROPPED: cooperation.dropped_date,
    }[Stage(cooperation.stage)]


def active_parties(cooperation: Cooperation, party_ids: set[int]) -> set[int]:
    dropped = cooperation.stage == Stage.DROPPED
    if dropped or cooperation.deleted_at is not None or not cooperation.approved:
        return set()
    return party_ids


def record_change(
    before: tuple[Any, set[int]] | None, cooperation: Cooperation | None, party_ids: set[int]
) -> None:
    """Apply the tally delta and the parties' cooperation counts for one write."""
    old_facts, old_active = before if before is not None else (None, set())
    new_facts = None
    new_active: set[int] = set()
    if cooperation is not None:
        uni_ids = CooperationUniversity.objects.filter(cooperation=cooperation).values_list(
            "university_id", flat=True
        )
        new_facts = tally.facts_of(cooperation, uni_ids) if cooperation.approved else None
        new_active = active_parties(cooperation, party_ids)
    tally.apply_delta(ledger_delta(old_facts, new_facts))
    unit_adjust_cooperation_count(old_active - new_active, -1)
    unit_adjust_cooperation_count(new_active - old_active, +1)


def snapshot(cooperation: Cooperation) -> tuple[Any, set[int]]:
    parties = tally.party_ids(cooperation.pk)
    uni_ids = CooperationUniversity.objects.filter(cooperation=cooperation).values_list(
        "university_id", flat=True
    )
    facts = tally.facts_of(cooperation, uni_ids) if cooperation.approved else None
    return facts, active_parties(cooperation, parties)
