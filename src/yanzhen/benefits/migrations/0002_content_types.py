"""The content types of the services' models move from ``talent`` to ``benefits``: the
permissions granted to roles (same rows, same codenames, now ``benefits.*``) and the records
pointing at a content type (history, access logs) keep their rows. The notifications about
them keep their subject (``benefits.entitlement:12``), so that a reminder already sent is not
sent again. The integrity seals keep their labels (``talent.entitlement``: see
``benefits/integrity.py``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

MODELS = (
    "benefit", "eligibilityrule", "entitlement", "delivery", "apartment", "room",
    "roomallocation", "historicalbenefit", "historicaleligibilityrule", "historicalentitlement",
    "historicaldelivery", "historicalapartment", "historicalroom", "historicalroomallocation",
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
    _move(apps, "talent", "benefits")


def backward(apps: Any, schema_editor: Any) -> None:
    _move(apps, "benefits", "talent")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0003_grant_robot_and_delivery_permissions"),
        ("benefits", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
