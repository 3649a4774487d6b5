"""The talent app's models, by topic: recruitment and the registry (placement is
``yanzhen.placement``, the services that keep talents ``yanzhen.benefits``, the training
college ``yanzhen.college``)."""

from yanzhen.talent.models.common import (
    HOSTED_TYPES,
    RECRUITMENT_CHANNEL_CHOICES,
    RECRUITMENT_CHANNELS,
    Channel,
    TalentType,
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
    "RECRUITMENT_CHANNELS",
    "RECRUITMENT_CHANNEL_CHOICES",
    "Applicant",
    "ApplicantEvent",
    "ApplicantStage",
    "Campaign",
    "Channel",
    "Position",
    "ServiceAgreement",
    "Talent",
    "TalentType",
    "WorkloadEntry",
]
