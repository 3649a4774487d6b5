"""N rows of each list of the core app (units, people, duplicates, the pickers and the units
API), in the scope of a user of ``unit``: each row with a parent, unit or person of its own,
so that a list reading anything per row shows it in its query count."""

from __future__ import annotations

import itertools

from django.contrib.contenttypes.models import ContentType

from tests.rows import RowFactory
from yanzhen.core.models import (
    ApprovalRequest,
    ExportJob,
    ImportBatch,
    Person,
    PersonDuplicate,
    Unit,
    UnitKind,
    User,
)
from yanzhen.core.services import person_create, unit_create
from yanzhen.reference.models import LocalIndustry, LocalIndustryGroup

_serial = itertools.count(1)


def _unit(parent: Unit, kind: str = UnitKind.ENTERPRISE) -> Unit:
    return unit_create(actor=None, parent=parent, name=f"单位{next(_serial)}", kind=kind)


def _person(unit: Unit) -> Person:
    return person_create(
        actor=None, name=f"人员{next(_serial)}", unit=unit, position="工程师", degree="master"
    )


def units(n: int, unit: Unit) -> dict[str, str]:
    """``n`` enterprises, each under a town of its own and in an industry of its own."""
    for _ in range(n):
        industry = LocalIndustry.objects.create(
            code=f"T{next(_serial)}", name=f"产业{next(_serial)}", group=LocalIndustryGroup.LEADING
        )
        enterprise = _unit(_unit(unit, UnitKind.TOWN))
        Unit.objects.filter(pk=enterprise.pk).update(local_industry=industry, is_leading=True)
    return {"kind": UnitKind.ENTERPRISE}


def people(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _person(_unit(unit))
    return {}


def duplicates(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        PersonDuplicate.objects.create(person=_person(_unit(unit)), existing=_person(_unit(unit)))
    return {}


def unit_choices(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _unit(_unit(unit, UnitKind.TOWN))
    return {"q": "单位"}


def reviews(n: int, unit: Unit) -> dict[str, str]:
    """``n`` reports waiting for ``unit``'s review, each from a town and an author of its own."""
    unit_type = ContentType.objects.get_for_model(Unit)
    for _ in range(n):
        town = _unit(unit, UnitKind.TOWN)
        author = User.objects.create(username=f"author{next(_serial)}", unit=town)
        ApprovalRequest.objects.create(
            kind="cooperation.stage",
            target_type=unit_type,
            target_id=town.pk,
            target_label=town.name,
            unit=town,
            submitted_unit=town,
            reviewer_unit=unit,
            requester=author,
            reason="报送",
            title=f"报送 {town.name}",
            url=f"/units/{town.pk}/",
        )
    return {}


def person_choices(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _person(_unit(unit))
    return {"q": "人员"}


def import_batches(n: int, unit: Unit) -> dict[str, str]:
    """``n`` import batches of the newest user of ``unit`` (the list shows one's own)."""
    user = User.objects.filter(unit=unit).order_by("-pk").first()
    ImportBatch.objects.bulk_create(
        ImportBatch(register="cooperations", created_by=user, sha256="0", rows=1, created=1)
        for _ in range(n)
    )
    return {}


def export_jobs(n: int, unit: Unit) -> dict[str, str]:
    """``n`` background exports of the newest user of ``unit`` (the list shows one's own)."""
    user = User.objects.filter(unit=unit).order_by("-pk").first()
    assert user is not None
    ExportJob.objects.bulk_create(
        ExportJob(user=user, title=f"列表{next(_serial)}", path="/people/", fmt="xlsx", rows=2001)
        for _ in range(n)
    )
    return {}


ROWS: dict[str, RowFactory] = {
    "core:export_job_list": export_jobs,
    "core:import_batches": import_batches,
    "core:unit_list": units,
    "core:unit_options": unit_choices,
    "core:person_list": people,
    "core:person_options": person_choices,
    "core:duplicate_list": duplicates,
    "core:review_list": reviews,
    "api:list_reviews": reviews,
    "api:list_units": units,
}
