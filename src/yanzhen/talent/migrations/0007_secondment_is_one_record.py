"""A secondment is stored once: ``cooperation.Secondment`` is the record, and the talent
registry's seconded cadre (``Talent`` of type ``seconded``) becomes a link to it.

* A seconded talent is linked to the secondment of the same person (a live one first, then the
  nearest start date); what only the talent row knew fills the secondment's gaps (its end
  date, a note). A seconded talent with no secondment gets one, made of its own facts (the
  university it came from, or its person's university; its employer as the host unit).
* The linked talent then carries the secondment's person, host unit, university, dates and
  post (its own earlier values stay in its history); its id, its entitlements, its apartment
  and its history are kept.
* A secondment with no entry in the registry gets one (the registry's hosted cadres are then
  exactly the secondments).

Every change leaves a history row with its reason. Plain ORM: SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import migrations
from django.utils import timezone

SECONDED = "seconded"
HISTORY_OWN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_ip",
    "history_unit_id",
    "history_unit_name",
    "history_related",
}
LINKED = "改为挂职交流记录的链接（挂职信息以挂职交流记录为准）"
MADE_FROM_TALENT = "由人才库挂职干部记录生成"
MERGED = "与人才库挂职干部记录合并"
ENTRY = "挂职交流记录在人才库中的条目"


def _history(historical: Any, instance: Any, kind: str, reason: str, when: Any) -> None:
    values = {
        f.attname: getattr(instance, f.attname)
        for f in historical._meta.concrete_fields
        if f.name not in HISTORY_OWN
    }
    historical.objects.create(
        history_date=when, history_type=kind, history_change_reason=reason[:100], **values
    )


def merge(apps: Any, schema_editor: Any) -> None:
    talents = apps.get_model("talent", "Talent")
    talent_history = apps.get_model("talent", "HistoricalTalent")
    secondments = apps.get_model("cooperation", "Secondment")
    secondment_history = apps.get_model("cooperation", "HistoricalSecondment")
    people = apps.get_model("core", "Person")
    when = timezone.now()

    def person_facts(person_id: int) -> tuple[str, int | None, int | None]:
        degree, discipline, university = people.objects.filter(pk=person_id).values_list(
            "degree", "discipline_id", "unit__university_id"
        )[0]
        return degree, discipline, university

    of_person: dict[int, list[Any]] = defaultdict(list)
    for secondment in secondments.objects.order_by("start_date", "pk"):
        of_person[secondment.person_id].append(secondment)
    linked: set[int] = set()
    no_university: list[str] = []
    clashes: list[str] = []

    def clash(talent: Any, person_id: int, start: Any) -> bool:
        other = talents.objects.filter(person_id=person_id, talent_type=SECONDED, start_date=start)
        return other.exclude(pk=talent.pk).exists()

    seconded = talents.objects.filter(talent_type=SECONDED, secondment__isnull=True)
    for talent in seconded.order_by("start_date", "pk"):
        free = [s for s in of_person[talent.person_id] if s.pk not in linked]
        if free:
            secondment = min(
                free,
                key=lambda s: (
                    s.deleted_at is not None,
                    abs((s.start_date - talent.start_date).days),
                    s.pk,
                ),
            )
            changed = []
            if (
                secondment.end_date is None
                and talent.end_date is not None
                and talent.end_date >= secondment.start_date
            ):
                secondment.end_date = talent.end_date
                changed.append("end_date")
            if not secondment.note and talent.note and talent.note != secondment.post:
                secondment.note = talent.note[:200]
                changed.append("note")
            if changed:
                secondment.save(update_fields=changed)
                _history(secondment_history, secondment, "~", MERGED, when)
        else:
            university = talent.university_id or person_facts(talent.person_id)[2]
            if university is None:
                no_university.append(str(talent.pk))
                continue
            secondment = secondments.objects.create(
                person_id=talent.person_id,
                university_id=university,
                host_unit_id=talent.employer_id,
                post=(talent.note or "挂职")[:100],
                start_date=talent.start_date,
                end_date=talent.end_date,
                note=MADE_FROM_TALENT,
                created_at=talent.created_at,
                created_by_id=talent.created_by_id,
                updated_by_id=talent.updated_by_id,
            )
            _history(secondment_history, secondment, "+", MADE_FROM_TALENT, when)
            of_person[talent.person_id].append(secondment)
        if clash(talent, secondment.person_id, secondment.start_date):
            clashes.append(str(talent.pk))
            continue
        linked.add(secondment.pk)
        talent.secondment_id = secondment.pk
        talent.person_id = secondment.person_id
        talent.employer_id = secondment.host_unit_id
        talent.university_id = secondment.university_id
        talent.start_date = secondment.start_date
        talent.end_date = secondment.end_date
        talent.note = secondment.post[:200]
        talent.channel = "secondment"
        talent.save()
        _history(talent_history, talent, "~", LINKED, when)
    if no_university or clashes:
        problems = []
        if no_university:
            problems.append(
                "这些人才库挂职干部记录没有来源高校，无法生成挂职交流记录（请先填写来源高校）："
                f"人才编号 {'、'.join(no_university)}"
            )
        if clashes:
            problems.append(
                "这些人才库挂职干部记录与同一人员、同一开始日期的另一条记录重复（请先核对）："
                f"人才编号 {'、'.join(clashes)}"
            )
        raise RuntimeError("；".join(problems))

    for secondment in secondments.objects.exclude(pk__in=linked).order_by("pk"):
        if talents.objects.filter(secondment_id=secondment.pk).exists():
            continue
        degree, discipline, _university = person_facts(secondment.person_id)
        talent = talents(
            person_id=secondment.person_id,
            talent_type=SECONDED,
            degree=degree,
            university_id=secondment.university_id,
            discipline_id=discipline,
            employer_id=secondment.host_unit_id,
            channel="secondment",
            start_date=secondment.start_date,
            end_date=secondment.end_date,
            note=secondment.post[:200],
            secondment_id=secondment.pk,
            created_at=secondment.created_at,
            created_by_id=secondment.created_by_id,
            updated_by_id=secondment.updated_by_id,
        )
        if clash(talent, secondment.person_id, secondment.start_date):
            raise RuntimeError(
                f"挂职交流记录（编号 {secondment.pk}）与人才库中同一人员、同一开始日期的"
                "挂职干部记录重复，请先核对"
            )
        talent.save()
        _history(talent_history, talent, "+", ENTRY, when)


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0006_talent_secondment"),
        ("cooperation", "0011_activity_plans_minutes_participants"),
        ("core", "0013_grant_approval_permissions"),
    ]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
