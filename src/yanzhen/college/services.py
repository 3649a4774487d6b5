"""The training college: its catalogue (majors → categories → courses), classes, trainees,
completions with certificates, and brands with their franchise stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from yanzhen.college.models import (
    Brand,
    BrandStore,
    College,
    Course,
    CourseCategory,
    Enrolment,
    EnrolmentStatus,
    Major,
    TrainingClass,
)
from yanzhen.core.models import Person, Unit, User
from yanzhen.reference.models import University
from yanzhen.talent.services.common import changed, check_unit, fail, not_in_future, save

COLLEGE_FIELDS = ("name", "owner_unit", "partner_universities", "established_on", "description")


@transaction.atomic
def college_create(
    *,
    actor: User | None,
    name: str,
    owner_unit: Unit,
    partner_universities: Sequence[University] = (),
    established_on: dt.date | None = None,
    description: str = "",
) -> College:
    college = College(
        name=name, owner_unit=owner_unit, established_on=established_on, description=description
    )
    return _college_save(actor, college, partner_universities)


@transaction.atomic
def college_update(*, actor: User | None, college: College, **fields: Any) -> College:
    """Change the fields given (``COLLEGE_FIELDS``); the others keep their values."""
    universities = fields.pop("partner_universities", None)
    return _college_save(actor, changed(college, fields, COLLEGE_FIELDS), universities)


def _college_save(
    actor: User | None, college: College, universities: Sequence[University] | None
) -> College:
    check_unit(actor, college.owner_unit, field="owner_unit", label="主管单位")
    college.name = college.name.strip()
    if College.objects.filter(name=college.name).exclude(pk=college.pk).exists():
        raise fail("name", f"已有名为“{college.name}”的学院")
    save(college, actor)
    if universities is not None:
        college.partner_universities.set(list(universities))
    return college


def major_create(*, actor: User | None, college: College, name: str, sort_order: int = 0) -> Major:
    name = name.strip()
    if Major.objects.filter(college=college, name=name).exists():
        raise fail("name", f"已有专业“{name}”")
    major = Major(college=college, name=name, sort_order=sort_order)
    save(major, actor)
    return major


def category_create(
    *, actor: User | None, major: Major, name: str, sort_order: int = 0
) -> CourseCategory:
    name = name.strip()
    if CourseCategory.objects.filter(major=major, name=name).exists():
        raise fail("name", f"专业“{major.name}”已有类别“{name}”")
    category = CourseCategory(major=major, name=name, sort_order=sort_order)
    save(category, actor)
    return category


def course_create(
    *,
    actor: User | None,
    category: CourseCategory,
    name: str,
    hours: Decimal = Decimal(0),
    sort_order: int = 0,
) -> Course:
    name = name.strip()
    if hours < 0:
        raise fail("hours", "学时不能为负数")
    if Course.objects.filter(category=category, name=name).exists():
        raise fail("name", f"类别“{category.name}”已有课程“{name}”")
    course = Course(category=category, name=name, hours=hours, sort_order=sort_order)
    save(course, actor)
    return course


CLASS_FIELDS = (
    *("name", "major", "start_date", "end_date", "courses", "teachers", "location"),
    "capacity",
)


@transaction.atomic
def class_create(
    *,
    actor: User | None,
    college: College,
    name: str,
    major: Major,
    start_date: dt.date,
    end_date: dt.date,
    courses: Sequence[Course] = (),
    teachers: str = "",
    location: str = "",
    capacity: int = 0,
) -> TrainingClass:
    training_class = TrainingClass(
        college=college,
        name=name,
        major=major,
        start_date=start_date,
        end_date=end_date,
        teachers=teachers,
        location=location,
        capacity=capacity,
    )
    return _class_save(actor, training_class, courses)


@transaction.atomic
def class_update(
    *, actor: User | None, training_class: TrainingClass, **fields: Any
) -> TrainingClass:
    """Change the fields given (``CLASS_FIELDS``); the others keep their values."""
    courses = fields.pop("courses", None)
    return _class_save(actor, changed(training_class, fields, CLASS_FIELDS), courses)


def _class_save(
    actor: User | None, training_class: TrainingClass, courses: Sequence[Course] | None
) -> TrainingClass:
    college_id = training_class.college_id
    if training_class.major.college_id != college_id:
        raise fail("major", "专业不属于该学院")
    foreign = [c.name for c in courses or () if c.category.major.college_id != college_id]
    if foreign:
        raise fail("courses", f"课程不属于该学院：{'、'.join(foreign)}")
    if training_class.end_date < training_class.start_date:
        raise fail("end_date", "结业日期不能早于开班日期")
    name = training_class.name = training_class.name.strip()
    training_class.teachers = training_class.teachers.strip()
    training_class.location = training_class.location.strip()
    duplicate = TrainingClass.objects.filter(college_id=college_id, name=name)
    if duplicate.exclude(pk=training_class.pk).exists():
        raise fail("name", f"已有名为“{name}”的培训班")
    save(training_class, actor)
    if courses is not None:
        training_class.courses.set(list(courses))
    return training_class


def enrolment_create(
    *,
    actor: User | None,
    training_class: TrainingClass,
    person: Person,
    unit: Unit,
    enrolled_on: dt.date,
) -> Enrolment:
    if Enrolment.objects.filter(training_class=training_class, person=person).exists():
        raise fail("name", f"{person.name}已在该班")
    not_in_future(enrolled_on, "enrolled_on", "报名日期")
    enrolled = training_class.enrolments.exclude(status=EnrolmentStatus.DROPPED).count()
    if training_class.capacity and enrolled >= training_class.capacity:
        raise fail("name", f"该班计划{training_class.capacity}人，已满")
    enrolment = Enrolment(
        training_class=training_class, person=person, unit=unit, enrolled_on=enrolled_on
    )
    save(enrolment, actor)
    return enrolment


ENROLMENT_FIELDS = ("unit", "enrolled_on")


def enrolment_update(*, actor: User | None, enrolment: Enrolment, **fields: Any) -> Enrolment:
    """Correct the trainee's unit or enrolment date (the status moves by :func:`enrolment_move`)."""
    if "enrolled_on" in fields:
        not_in_future(fields["enrolled_on"], "enrolled_on", "报名日期")
    if "unit" in fields:
        check_unit(actor, fields["unit"], field="unit", label="所在单位")
    save(changed(enrolment, fields, ENROLMENT_FIELDS), actor)
    return enrolment


@transaction.atomic
def enrolment_delete(*, actor: User | None, enrolment: Enrolment) -> None:
    """Remove an enrolment filed by mistake (an import undone: the batch made it)."""
    check_unit(actor, enrolment.unit, field="unit", label="所在单位")
    enrolment._history_user = actor  # type: ignore[attr-defined]
    enrolment.delete()


def next_certificate_no(training_class: TrainingClass) -> str:
    prefix = f"{training_class.start_date.year}-{training_class.pk:03d}-"
    last = (
        Enrolment.objects.filter(certificate_no__startswith=prefix)
        .order_by("-certificate_no")
        .values_list("certificate_no", flat=True)
        .first()
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:03d}"


@transaction.atomic
def enrolment_move(
    *,
    actor: User | None,
    enrolment: Enrolment,
    target: str,
    date: dt.date,
    score: Decimal | None = None,
    certificate_no: str = "",
) -> Enrolment:
    """Complete (with a score and a certificate, numbered when left blank) or drop."""
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise fail("target", "只有在读学员可以结业或退学")
    not_in_future(date, "date", "日期")
    if date < enrolment.enrolled_on:
        raise fail("date", "日期不能早于报名日期")
    if target == EnrolmentStatus.COMPLETED:
        certificate_no = certificate_no.strip() or next_certificate_no(enrolment.training_class)
        taken = Enrolment.objects.filter(certificate_no=certificate_no).exclude(pk=enrolment.pk)
        if taken.exists():
            raise fail("certificate_no", f"证书编号“{certificate_no}”已被使用")
        enrolment.certificate_no = certificate_no
        enrolment.score = score
    elif target != EnrolmentStatus.DROPPED:
        raise fail("target", "操作不正确")
    enrolment.status = target
    enrolment.completed_on = date
    save(enrolment, actor)
    return enrolment


def brand_create(
    *,
    actor: User | None,
    college: College,
    name: str,
    major: Major | None = None,
    description: str = "",
) -> Brand:
    name = name.strip()
    if Brand.objects.filter(college=college, name=name).exists():
        raise fail("name", f"已有品牌“{name}”")
    brand = Brand(college=college, name=name, major=major, description=description)
    save(brand, actor)
    return brand


def store_create(
    *,
    actor: User | None,
    brand: Brand,
    name: str,
    city: str,
    opened_on: dt.date,
    operator: str = "",
) -> BrandStore:
    name = name.strip()
    if BrandStore.objects.filter(brand=brand, name=name).exists():
        raise fail("name", f"已有门店“{name}”")
    not_in_future(opened_on, "opened_on", "开业日期")
    store = BrandStore(
        brand=brand, name=name, city=city.strip(), opened_on=opened_on, operator=operator
    )
    save(store, actor)
    return store


STORE_FIELDS = ("city", "opened_on", "operator", "is_active")


def store_update(*, actor: User | None, store: BrandStore, **fields: Any) -> BrandStore:
    """Change the fields given (city, opening date, operator, open or closed)."""
    if "opened_on" in fields:
        not_in_future(fields["opened_on"], "opened_on", "开业日期")
    store = changed(store, fields, STORE_FIELDS)
    store.city = store.city.strip()
    save(store, actor)
    return store


def store_delete(*, actor: User | None, store: BrandStore) -> None:
    """Remove a store filed by mistake (an import undone)."""
    store._history_user = actor  # type: ignore[attr-defined]
    store.delete()
