"""Access rules of the supervision app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "supervision:board": "list",
    "supervision:leader": "list",
    "supervision:work_plan_edit": "object:base",
    "supervision:work_plan_document": "object:base",
    "supervision:milestone_new": "object:base",
    "supervision:milestone_list": "list",
    "supervision:milestone_bulk_edit": "create",
    "supervision:milestone_edit": "object:milestone",
    "supervision:round_list": "list",
    "supervision:round_new": "create",
    "supervision:round_detail": "object:round",
    "supervision:round_edit": "object:round",
    "supervision:report_edit": "object:round:base",
    "supervision:evidence_download": "object:report_evidence",
    "supervision:problem_list": "list",
    "supervision:problem_new": "create",
    "supervision:problem_detail": "object:problem",
    "supervision:problem_move": "object:problem",
    "supervision:action_item_list": "list",
    "supervision:action_item_new": "create",
    "supervision:action_item_move": "object:action_item",
    "supervision:indicator_records": "list",
    "api:list_rounds": "list",
    "api:get_round": "object:round",
    "api:list_problems": "list",
    "api:create_problem": "create",
    "api:get_problem": "object:problem",
    "api:transition_problem": "object:problem",
}


def object_ids() -> dict[str, int]:
    from yanzhen.supervision.models import ActionItem, Evidence, Milestone, Problem, Round

    return {
        "milestone": Milestone.objects.order_by("pk")[0].pk,
        "round": Round.objects.order_by("pk")[0].pk,
        "report_evidence": Evidence.objects.order_by("pk")[0].pk,
        "problem": Problem.objects.order_by("pk")[0].pk,
        "action_item": ActionItem.objects.filter(state="open").order_by("pk")[0].pk,
    }
