"""Reads of the talent app, by topic. Every selector takes the user and applies the data scope:

* talents, their agreements and internships belong to the employer (host) unit;
* campaigns to their organiser and to the units of their positions; applicants to the
  campaign's organiser and to the unit of the position applied for;
* programmes to their organiser and their host units.

(Entitlements, deliveries and apartments: ``yanzhen.benefits.selectors``; the college:
``yanzhen.college.selectors``.)
"""

from yanzhen.talent.selectors.common import subtree
from yanzhen.talent.selectors.placement import (
    InternshipFilters,
    ProgrammeFilters,
    host_get,
    internship_filtered,
    internship_get,
    internship_host_units,
    internship_list,
    internship_programmes,
    internship_qs,
    placement_applicant_get,
    programme_get,
    programme_hosts,
    programme_list,
    programme_manageable,
    programme_qs,
)
from yanzhen.talent.selectors.recruitment import (
    ApplicantFilters,
    CampaignFilters,
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
    apply_talent_filters,
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
    "InternshipFilters",
    "ProgrammeFilters",
    "StatRow",
    "TalentFilters",
    "TalentStats",
    "agreement_get",
    "applicant_get",
    "applicant_list",
    "applicant_qs",
    "apply_talent_filters",
    "campaign_get",
    "campaign_list",
    "campaign_manageable",
    "campaign_qs",
    "host_get",
    "internship_filtered",
    "internship_get",
    "internship_host_units",
    "internship_list",
    "internship_programmes",
    "internship_qs",
    "placement_applicant_get",
    "position_get",
    "position_qs",
    "positions_of",
    "programme_get",
    "programme_hosts",
    "programme_list",
    "programme_manageable",
    "programme_qs",
    "subtree",
    "talent_get",
    "talent_list",
    "talent_page",
    "talent_qs",
    "talent_stats",
]
