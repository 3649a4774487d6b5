"""The talent app's models, by topic: recruitment, the registry and placement (the services
that keep talents are ``yanzhen.benefits``, the training college ``yanzhen.college``)."""

from yanzhen.talent.models.common import (
    HOSTED_TYPES,
    RECRUITMENT_CHANNEL_CHOICES,
    RECRUITMENT_CHANNELS,
    Channel,
    TalentType,
)
from yanzhen.talent.models.placement import (
    PROGRAMME_TALENT,
    AllocationRun,
    Assignment,
    AssignmentChange,
    Host,
    HostFeedback,
    HostRanking,
    InternLog,
    Internship,
    InternshipStatus,
    Optimality,
    PlacementApplicant,
    Preference,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
)
from yanzhen.talent.models.recruitment import (
    Applicant,
    ApplicantEvent,
    ApplicantStage,
    Campaign,
    Position,
)
from yanzhen.talent.models.registry import ServiceAgreement, Talent, WorkloadEntry

__all__ = [
    "HOSTED_TYPES",
    "PROGRAMME_TALENT",
    "RECRUITMENT_CHANNELS",
    "RECRUITMENT_CHANNEL_CHOICES",
    "AllocationRun",
    "Applicant",
    "ApplicantEvent",
    "ApplicantStage",
    "Assignment",
    "AssignmentChange",
    "Campaign",
    "Channel",
    "Host",
    "HostFeedback",
    "HostRanking",
    "InternLog",
    "Internship",
    "InternshipStatus",
    "Optimality",
    "PlacementApplicant",
    "Position",
    "Preference",
    "Programme",
    "ProgrammeKind",
    "ProgrammeStatus",
    "ServiceAgreement",
    "Talent",
    "TalentType",
    "WorkloadEntry",
]
