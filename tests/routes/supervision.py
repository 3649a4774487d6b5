"""Access rules of the supervision app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "supervision:work_plan_edit": "object:base",
    "supervision:work_plan_document": "object:base",
    "supervision:milestone_create": "object:base",
    "supervision:milestone_edit": "object:milestone",
}


def object_ids() -> dict[str, int]:
    from yanzhen.supervision.models import Milestone

    return {"milestone": Milestone.objects.order_by("pk")[0].pk}
