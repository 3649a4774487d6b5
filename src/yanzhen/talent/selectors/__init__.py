"""Reads of the talent app, by topic. Every selector takes the user and applies the data scope:

* talents and their agreements belong to the employer (host) unit;
* campaigns to their organiser and to the units of their positions; applicants to the
  campaign's organiser and to the unit of the position applied for.

(Programmes and internships: ``yanzhen.placement.selectors``; entitlements, deliveries and
apartments: ``yanzhen.benefits.selectors``; the college: ``yanzhen.college.selectors``.)
"""

from yanzhen.talent.selectors.common import subtree
from yanzhen.talent.selectors.recruitment import (
    ApplicantFilters,
    CampaignFilters,
    applicant_events,
    applicant_events_in_order,
    applicant_get,
    applicant_list,
    applicant_qs,
    campaign_get,
    campaign_list,
    campaign_manageable,
    campaign_qs,
    position_get,
    position_qs,
    positions_of,
)
from yanzhen.talent.selectors.registry import (
    GROUPS,
    StatRow,
    TalentFilters,
    TalentStats,
    agreement_get,
    agreement_served,
    apply_talent_filters,
    talent_agreements,
    talent_get,
    talent_list,
    talent_page,
    talent_qs,
    talent_stats,
)

__all__ = [
    "GROUPS",
    "ApplicantFilters",
    "CampaignFilters",
    "StatRow",
    "TalentFilters",
    "TalentStats",
    "agreement_get",
    "agreement_served",
    "applicant_events",
    "applicant_events_in_order",
    "applicant_get",
    "applicant_list",
    "applicant_qs",
    "apply_talent_filters",
    "campaign_get",
    "campaign_list",
    "campaign_manageable",
    "campaign_qs",
    "position_get",
    "position_qs",
    "positions_of",
    "subtree",
    "talent_agreements",
    "talent_get",
    "talent_list",
    "talent_page",
    "talent_qs",
    "talent_stats",
]
