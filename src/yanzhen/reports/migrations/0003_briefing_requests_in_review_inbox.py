"""Briefing review and 签发 are flows of the shared review workflow now: the requests still
open from before (second-person requests without a reviewing unit) get the units that decide
them — review: the drafter's unit (four eyes); 签发: the county above it (the leader) — and the
title, link and deadline the review inbox shows. Works on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

REVIEW, SIGN = "reports.briefing_review", "reports.briefing_sign"
DEADLINE_DAYS = 3


def _county(apps: Any, unit_id: int | None) -> int | None:
    if unit_id is None:
        return None
    Unit = apps.get_model("core", "Unit")
    UnitClosure = apps.get_model("core", "UnitClosure")
    ancestors = UnitClosure.objects.filter(descendant_id=unit_id).values("ancestor_id")
    county = Unit.objects.filter(pk__in=ancestors, kind="county").order_by("pk").first()
    if county is None:
        county = Unit.objects.filter(pk=unit_id, kind="county").first()
    return county.pk if county is not None else None


def forwards(apps: Any, schema_editor: Any) -> None:
    ApprovalRequest = apps.get_model("core", "ApprovalRequest")
    Briefing = apps.get_model("reports", "Briefing")
    ContentType = apps.get_model("contenttypes", "ContentType")
    briefing_type = ContentType.objects.filter(app_label="reports", model="briefing").first()
    if briefing_type is None:
        return
    open_requests = ApprovalRequest.objects.filter(
        kind__in=[REVIEW, SIGN],
        state="requested",
        reviewer_unit__isnull=True,
        target_type=briefing_type,
    ).select_related("requester")
    for approval in open_requests:
        briefing = Briefing.objects.filter(pk=approval.target_id).first()
        unit_id = approval.requester.unit_id
        approval.submitted_unit_id = unit_id
        approval.reviewer_unit_id = unit_id if approval.kind == REVIEW else _county(apps, unit_id)
        if briefing is not None:
            approval.title = briefing.title[:200]
            approval.url = f"/briefings/{briefing.pk}/"
        approval.deadline = approval.requested_at.date() + dt.timedelta(days=DEADLINE_DAYS)
        approval.save(update_fields=["submitted_unit", "reviewer_unit", "title", "url", "deadline"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0015_review_workflow_county_settings"),
        ("reports", "0002_work_info"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
