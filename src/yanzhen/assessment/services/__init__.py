"""Writes of the assessment, by topic: indicator systems (``systems``), periods — compute →
review → publish (``periods``), hand scores and corrections (``entries``). The figures come
from the apps' indicator sources (``assessment.sources``); the arithmetic is
``yanzhen.engines.scoring``.

How a period is scored (documented on the pages too):

* each indicator's raw value per subject comes from its source (or, for a hand-scored
  indicator, from the reviewed entry); a correction replaces a computed value, with its reason;
* the value is normalised by the indicator's method (target completion capped at the system's
  cap; the target is the subject's own, else the indicator's, prorated by months when the
  indicator says so), weighted, and summed (or aggregated by TOPSIS);
* points of an indicator = 100 × weight × normalised value (2 decimals), the weights summing
  to 1 (fixed: the indicators' points ÷ their sum); total = the sum of the points (TOPSIS:
  100 × closeness); ranks share ties; the sensitivity flag says the rank moves when any one
  weight changes by ±10 %;
* a value that is not available (missing source, no hand score yet) counts 0 until supplied,
  and the period cannot be published while one is missing.
"""

from yanzhen.assessment.services.appeals import (
    APPEAL_FLOW,
    appeal_closes,
    appeal_create,
    appeal_decide,
    appeal_open,
    assessed_unit,
)
from yanzhen.assessment.services.entries import entries_review_all, entry_create, entry_review
from yanzhen.assessment.services.periods import (
    period_compute,
    period_create,
    period_publish,
    publish_blockers,
    rescore,
)
from yanzhen.assessment.services.systems import (
    DEFAULT_SYSTEM,
    DEFAULT_UNIT_KINDS,
    DIMENSION_FIELDS,
    INDICATOR_FIELDS,
    SYSTEM_FIELDS,
    ahp_weights,
    dimension_create,
    dimension_delete,
    dimension_update,
    indicator_create,
    indicator_delete,
    indicator_update,
    system_create,
    system_create_default,
    system_set_pairwise,
    system_update,
    targets_set,
)

__all__ = [
    "APPEAL_FLOW",
    "DEFAULT_SYSTEM",
    "DEFAULT_UNIT_KINDS",
    "DIMENSION_FIELDS",
    "INDICATOR_FIELDS",
    "SYSTEM_FIELDS",
    "ahp_weights",
    "appeal_closes",
    "appeal_create",
    "appeal_decide",
    "appeal_open",
    "assessed_unit",
    "dimension_create",
    "dimension_delete",
    "dimension_update",
    "entries_review_all",
    "entry_create",
    "entry_review",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "period_compute",
    "period_create",
    "period_publish",
    "publish_blockers",
    "rescore",
    "system_create",
    "system_create_default",
    "system_set_pairwise",
    "system_update",
    "targets_set",
]
