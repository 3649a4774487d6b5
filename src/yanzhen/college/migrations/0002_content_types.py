"""The content types of the training college's models move from ``talent`` to ``college``:
the permissions granted to roles (same rows, same codenames, now ``college.*``) and the
records pointing at a content type (history, access logs) keep their rows."""

from __future__ import annotations

from typing import Any

from django.db import migrations

MODELS = (
    "college", "major", "coursecategory", "course", "trainingclass", "enrolment",
    "historicalenrolment", "brand", "brandstore",
)  # fmt: skip


def _move(apps: Any, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    moving = content_type.objects.filter(app_label=source, model__in=MODELS)
    models = list(moving.values_list("model", flat=True))
    # A content type already made under the new label (only if the app ran without this
    # migration) would collide; the old one, which the roles' permissions use, wins.
    content_type.objects.filter(app_label=target, model__in=models).delete()
    moving.update(app_label=target)


def forward(apps: Any, schema_editor: Any) -> None:
    _move(apps, "talent", "college")


def backward(apps: Any, schema_editor: Any) -> None:
    _move(apps, "college", "talent")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("college", "0001_initial"),
        ("talent", "0009_college_moved_out"),
    ]

    operations = [migrations.RunPython(forward, backward)]
