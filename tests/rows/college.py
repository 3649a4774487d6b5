"""N rows of each list of the training college (see tests/rows/__init__.py)."""

from __future__ import annotations

from tests.rows import RowFactory
from tests.rows.talent import D, _person, _serial, _unit
from yanzhen.college.models import Brand, BrandStore, College, Enrolment, Major, TrainingClass
from yanzhen.core.models import Unit, UnitKind


def _college(unit: Unit) -> College:
    return College.objects.create(name=f"学院{next(_serial)}", owner_unit=_unit(unit))


def colleges(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _college(unit)
    return {}


def _class(unit: Unit) -> TrainingClass:
    college = _college(unit)
    major = Major.objects.create(college=college, name="面点")
    return TrainingClass.objects.create(
        college=college,
        major=major,
        name=f"培训班{next(_serial)}",
        start_date=D(2021, 3, 1),
        end_date=D(2021, 4, 1),
    )


def classes(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        _class(unit)
    return {}


def enrolments(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        trainee = _unit(unit, UnitKind.VILLAGE)
        Enrolment.objects.create(
            training_class=_class(unit),
            person=_person(trainee),
            unit=trainee,
            enrolled_on=D(2021, 3, 1),
        )
    return {}


def stores(n: int, unit: Unit) -> dict[str, str]:
    for _ in range(n):
        brand = Brand.objects.create(college=_college(unit), name=f"品牌{next(_serial)}")
        BrandStore.objects.create(
            brand=brand, name=f"门店{next(_serial)}", city="运城", opened_on=D(2021, 5, 1)
        )
    return {}


ROWS: dict[str, RowFactory] = {
    "talent:college_list": colleges,
    "talent:class_list": classes,
    "talent:enrolment_list": enrolments,
    "talent:store_list": stores,
}
