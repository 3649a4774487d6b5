"""Writes of placement, by topic: programmes (hosts, applicants, rankings, the allocation, its
adjustments and confirmation into the registry) and internships (logs, feedback, their end and
the conversion figures). Every function is keyword-only and raises ``DomainError`` with Chinese
messages naming the fields at fault."""

from yanzhen.placement.services.internships import (
    INTERNSHIP_MOVES,
    ConversionRow,
    conversion,
    host_feedback_create,
    intern_log_create,
    internship_move,
)
from yanzhen.placement.services.programmes import (
    ProgrammeResult,
    RankingEntry,
    assignment_adjust,
    host_create,
    host_ranking_set,
    host_update,
    placement_applicant_create,
    placement_applicant_update,
    programme_allocate,
    programme_confirm,
    programme_create,
    programme_model,
    programme_result,
    programme_update,
)

__all__ = [
    "INTERNSHIP_MOVES",
    "ConversionRow",
    "ProgrammeResult",
    "RankingEntry",
    "assignment_adjust",
    "conversion",
    "host_create",
    "host_feedback_create",
    "host_ranking_set",
    "host_update",
    "intern_log_create",
    "internship_move",
    "placement_applicant_create",
    "placement_applicant_update",
    "programme_allocate",
    "programme_confirm",
    "programme_create",
    "programme_model",
    "programme_result",
    "programme_update",
]
