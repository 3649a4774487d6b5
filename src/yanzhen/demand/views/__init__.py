"""Pages of the demand map, by topic."""

from __future__ import annotations

from yanzhen.demand.views.experts import (
    expert_delete,
    expert_detail,
    expert_edit,
    expert_list,
    expert_new,
)
from yanzhen.demand.views.imports import (
    expert_import,
    expert_import_template,
    held_list,
    held_resolve,
    need_import,
    need_import_template,
)
from yanzhen.demand.views.maps import demand_map, recommend, supply, university, visit_list
from yanzhen.demand.views.needs import (
    expert_restore,
    need_delete,
    need_detail,
    need_edit,
    need_list,
    need_new,
    need_restore,
    trash,
)
from yanzhen.demand.views.surveys import (
    campaign_detail,
    campaign_edit,
    campaign_list,
    campaign_new,
)

__all__ = [
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "campaign_new",
    "demand_map",
    "expert_delete",
    "expert_detail",
    "expert_edit",
    "expert_import",
    "expert_import_template",
    "expert_list",
    "expert_new",
    "expert_restore",
    "held_list",
    "held_resolve",
    "need_delete",
    "need_detail",
    "need_edit",
    "need_import",
    "need_import_template",
    "need_list",
    "need_new",
    "need_restore",
    "recommend",
    "supply",
    "trash",
    "university",
    "visit_list",
]
