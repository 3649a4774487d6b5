"""Access rules of the core app's pages and API routes (see tests/routes/__init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yanzhen.core.models import User

ROUTES: dict[str, str] = {
    "core:unit_revert": "object:unit:version",
    "core:person_revert": "object:person:version",
    "core:login": "public",
    "core:health": "public",
    "core:help": "open",
    "core:logout": "logout",
    "core:unit_list": "list",
    "core:unit_new": "create",
    "core:unit_options": "list",
    "core:unit_detail": "object:unit",
    "core:unit_edit": "object:unit",
    "core:person_list": "list",
    "core:person_new": "create",
    "core:person_options": "list",
    "core:person_detail": "object:person",
    "core:person_edit": "object:person",
    "core:duplicate_list": "list",
    "core:duplicate_detail": "object:duplicate",
    "core:review_list": "list",
    "core:review_bulk": "create",
    "core:review_detail": "object:review",
    "core:county_settings": "create",
    "core:county_settings_edit": "object:county_settings",
    "api:list_reviews": "list",
    "api:decide_review": "object:review",
    "core:import_upload": "create",
    "core:import_confirm": "create",
    "core:import_errors": "create",
    "core:import_template": "create",
    "core:import_batches": "list",
    "core:import_batch_undo": "object:import_batch",
    "core:export_job_list": "list",
    "core:export_job_detail": "object:export_job",
    "core:export_job_download": "object:export_job",
    "api:openapi-json": "open",
    "api:openapi-view": "open",
    "api:api-root": "open",
    "api:list_units": "list",
    "api:get_unit": "object:unit",
}


def _export_job(user: User) -> int:
    """A finished background export of ``user``'s with its file (a small CSV), downloadable
    for ten years: the owner gets it, anybody else 404."""
    # Read when the demo is loaded (Django is set up by then), as object_ids below.
    import datetime as dt

    from django.utils import timezone

    from yanzhen.core import export_jobs
    from yanzhen.core.models import ExportJob

    job = ExportJob.objects.create(
        user=user, title="合作台账", path="/cooperation/", query="export=csv", fmt="csv",
        state="done", rows=1, filename="合作台账.csv",
        expires_at=timezone.now() + dt.timedelta(days=3650),
    )  # fmt: skip
    export_jobs.file_write(job, "\ufeff合作名称\r\n示例\r\n".encode())
    return job.pk


def object_ids() -> dict[str, int]:
    from yanzhen.core.models import (
        ApprovalRequest,
        CountySettings,
        ImportBatch,
        Person,
        PersonDuplicate,
        Unit,
        User,
    )
    from yanzhen.core.scope import scope_of
    from yanzhen.core.services import person_create

    # A pair of people with the same ID number: the town files a number registered outside
    # its scope (the demo itself has none).
    town = User.objects.get(username="town")
    elsewhere = (
        Person.objects.exclude(id_number="")
        .exclude(unit__in=scope_of(town).units())
        .order_by("pk")
        .first()
    )
    assert elsewhere is not None
    person = person_create(
        actor=town, name="重复登记", unit=Unit.objects.get(name="开张镇"),
        id_number=elsewhere.id_number,
    )  # fmt: skip
    return {
        "unit": Unit.objects.get(name="开张镇").pk,
        "person": Person.objects.order_by("pk").values_list("pk", flat=True)[0],
        "version": 1,
        "duplicate": PersonDuplicate.objects.get(person=person).pk,
        # The town's reported landing, waiting in the office's inbox (the demo's).
        "county_settings": CountySettings.objects.get(county__name="永济市").pk,
        "review": ApprovalRequest.objects.filter(kind="cooperation.stage").order_by("pk")[0].pk,
        # An import of the office's (with nothing in it: undoing it changes no record).
        "import_batch": ImportBatch.objects.create(
            register="cooperations", created_by=User.objects.get(username="office"), sha256="0"
        ).pk,
        "export_job": _export_job(User.objects.get(username="office")),
    }
