"""What users and other systems see of placement did not change when it left the talent app:
its pages keep their paths and ``talent:`` names, its API its paths and operation ids (the
OpenAPI schema only gains), and its models their ``talent_*`` tables."""

from __future__ import annotations

from django.apps import apps
from django.urls import resolve, reverse

from yanzhen.accounts.forms import permission_choices
from yanzhen.api import api

PAGES = {
    "talent:programme_list": ((), "/talent/programmes/"),
    "talent:programme_detail": ((7,), "/talent/programmes/7/"),
    "talent:programme_allocate_edit": ((7,), "/talent/programmes/7/allocate/"),
    "talent:host_ranking_edit": ((3,), "/talent/hosts/3/ranking/edit/"),
    "talent:assignment_move": ((5,), "/talent/placements/5/move/"),
    "talent:internship_list": ((), "/talent/internships/"),
    "talent:conversion_stats": ((), "/talent/internships/conversion/"),
    "talent:host_feedback_new": ((2,), "/talent/internships/2/feedback/new/"),
}


def test_the_pages_keep_their_paths_and_names_and_are_served_by_placement() -> None:
    for name, (args, path) in PAGES.items():
        assert reverse(name, args=args) == path
        assert resolve(path).func.__module__.startswith("yanzhen.placement.views.")


def test_the_api_keeps_its_paths_and_operation_ids() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (path, method): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "programmes" in path or "internships" in path
    }
    assert operations == {
        ("/api/v1/talent/programmes", "get"): "yanzhen_talent_api_list_programmes",
        ("/api/v1/talent/programmes/{programme_id}/allocation", "get"): (
            "yanzhen_talent_api_get_allocation"
        ),
        ("/api/v1/talent/programmes/{programme_id}/allocation", "post"): (
            "yanzhen_talent_api_run_allocation"
        ),
        ("/api/v1/talent/internships", "get"): "yanzhen_talent_api_list_internships",
    }
    assert {"ProgrammeOut", "AllocationOut", "AllocateIn", "InternshipOut"} <= set(
        schema["components"]["schemas"]
    )


def test_the_models_keep_their_tables() -> None:
    tables = {
        model.__name__: model._meta.db_table
        for model in apps.get_app_config("placement").get_models()
    }
    assert tables == {
        "AllocationRun": "talent_allocationrun",
        "Assignment": "talent_assignment",
        "AssignmentChange": "talent_assignmentchange",
        "HistoricalInternship": "talent_historicalinternship",
        "HistoricalPlacementApplicant": "talent_historicalplacementapplicant",
        "Host": "talent_host",
        "HostFeedback": "talent_hostfeedback",
        "HostRanking": "talent_hostranking",
        "InternLog": "talent_internlog",
        "Internship": "talent_internship",
        "PlacementApplicant": "talent_placementapplicant",
        "Preference": "talent_preference",
        "Programme": "talent_programme",
    }


def test_the_role_form_offers_the_permissions_of_placement(db: None) -> None:
    offered = {f"{p.content_type.app_label}.{p.codename}" for p in permission_choices()}
    assert {
        "placement.view_programme",
        "placement.allocate_programme",
        "placement.change_internship",
        "placement.add_hostfeedback",
    } <= offered
    assert not {p for p in offered if p.startswith("talent.") and "programme" in p}
