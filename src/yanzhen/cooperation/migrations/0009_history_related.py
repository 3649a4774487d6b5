"""Each version of a cooperation keeps its parties and universities (a revert restores them).
The newest version of every cooperation gets the relations as they stand (they are that
version's); older versions stay without (a revert to them keeps the current relations)."""

from typing import Any

from django.db import migrations, models


def fill_newest(apps: Any, schema_editor: Any) -> None:
    cooperation_model = apps.get_model("cooperation", "Cooperation")
    history_model = apps.get_model("cooperation", "HistoricalCooperation")
    party_model = apps.get_model("cooperation", "CooperationParty")
    university_model = apps.get_model("cooperation", "CooperationUniversity")
    parties: dict[int, list[int]] = {}
    for cooperation_id, unit_id in party_model.objects.values_list("cooperation_id", "unit_id"):
        parties.setdefault(cooperation_id, []).append(unit_id)
    universities: dict[int, list[int]] = {}
    for cooperation_id, university_id in university_model.objects.values_list(
        "cooperation_id", "university_id"
    ):
        universities.setdefault(cooperation_id, []).append(university_id)
    for pk in cooperation_model._base_manager.values_list("pk", flat=True).iterator():
        newest = (
            history_model.objects.filter(id=pk).order_by("-history_date", "-history_id").first()
        )
        if newest is not None:
            newest.history_related = {
                "parties": sorted(parties.get(pk, [])),
                "universities": sorted(universities.get(pk, [])),
            }
            newest.save(update_fields=["history_related"])


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0008_reassign_permission"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalcooperation",
            name="history_related",
            field=models.JSONField(blank=True, null=True, verbose_name="关联记录"),
        ),
        migrations.RunPython(fill_newest, migrations.RunPython.noop),
    ]
