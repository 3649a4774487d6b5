"""Writes of the talent app (the registry and recruitment; placement:
``yanzhen.placement.services``), by topic. Every function is keyword-only and raises
``DomainError`` with Chinese messages naming the fields at fault."""

from yanzhen.talent.services.common import person_for
from yanzhen.talent.services.recruitment import (
    applicant_create,
    applicant_move,
    campaign_create,
    campaign_update,
    next_stages,
    position_create,
    position_update,
)
from yanzhen.talent.services.registry import (
    agreement_create,
    agreement_update,
    talent_create,
    talent_update,
    workload_create,
)

__all__ = [
    "agreement_create",
    "agreement_update",
    "applicant_create",
    "applicant_move",
    "campaign_create",
    "campaign_update",
    "next_stages",
    "person_for",
    "position_create",
    "position_update",
    "talent_create",
    "talent_update",
    "workload_create",
]
