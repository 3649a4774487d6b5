"""The content types of placement's models move from ``talent`` to ``placement``: the
permissions granted to roles (same rows, same codenames, now ``placement.*``, the custom
``allocate_programme`` among them) and the records pointing at a content type (history, access
logs) keep their rows. Notifications about them, if any, keep their subject under the new
label (``placement.internship:12``), so that a reminder already sent is not sent again."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

MODELS = (
    "programme", "host", "placementapplicant", "preference", "hostranking", "allocationrun",
    "assignment", "assignmentchange", "internship", "internlog", "hostfeedback",
    "historicalplacementapplicant", "historicalinternship",
)  # fmt: skip


def _move(apps: Any, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    moving = content_type.objects.filter(app_label=source, model__in=MODELS)
    models = list(moving.values_list("model", flat=True))
    # A content type already made under the new label (only if the app ran without this
    # migration) would collide; the old one, which the roles' permissions use, wins.
    content_type.objects.filter(app_label=target, model__in=models).delete()
    moving.update(app_label=target)
    notification = apps.get_model("notifications", "Notification")
    for model in MODELS:
        old = f"{source}.{model}:"
        notification.objects.filter(subject__startswith=old).update(
            subject=Concat(Value(f"{target}.{model}:"), Substr("subject", len(old) + 1))
        )


def forward(apps: Any, schema_editor: Any) -> None:
    _move(apps, "talent", "placement")


def backward(apps: Any, schema_editor: Any) -> None:
    _move(apps, "placement", "talent")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0003_grant_robot_and_delivery_permissions"),
        ("placement", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
