"""Reads of the training college (scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

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
from yanzhen.core.filters import Filters, choice, flag, number, record, text, tristate
from yanzhen.core.scope import scope_of

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def college_qs(user: AnyUser) -> QuerySet[College]:
    return College.objects.filter(scope_of(user).q("owner_unit"))


@dataclass(frozen=True)
class CollegeFilters(Filters):
    q: str = text("搜索")


def college_list(*, user: AnyUser, filters: CollegeFilters) -> QuerySet[College]:
    qs = college_qs(user).select_related("owner_unit")
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return qs.annotate(
        n_majors=Count("majors", distinct=True),
        n_classes=Count("classes", distinct=True),
    ).order_by("id")


def college_get(user: AnyUser, pk: int) -> College:
    return get_object_or_404(college_qs(user).select_related("owner_unit"), pk=pk)


def major_get(user: AnyUser, pk: int) -> Major:
    return get_object_or_404(
        Major.objects.filter(college__in=college_qs(user)).select_related("college"), pk=pk
    )


def category_get(user: AnyUser, pk: int) -> CourseCategory:
    return get_object_or_404(
        CourseCategory.objects.filter(major__college__in=college_qs(user)).select_related(
            "major__college"
        ),
        pk=pk,
    )


def courses_of(college: College) -> QuerySet[Course]:
    return Course.objects.filter(category__major__college=college).select_related("category__major")


def majors_of(college: College) -> QuerySet[Major]:
    """The majors of a college the caller fetched through ``college_get`` (a form's choices)."""
    return Major.objects.filter(college=college)


Catalogue = list[tuple[Major, list[tuple[CourseCategory, list[Course]]]]]


def college_catalogue(college: College) -> Catalogue:
    """The college's majors, each with its categories, each with its courses, in their order."""
    majors = list(college.majors.order_by("sort_order", "id"))
    categories: dict[int, list[CourseCategory]] = {m.pk: [] for m in majors}
    for category in CourseCategory.objects.filter(major__college=college).order_by(
        "sort_order", "id"
    ):
        categories[category.major_id].append(category)
    courses: dict[int, list[Course]] = {}
    for course in Course.objects.filter(category__major__college=college).order_by(
        "sort_order", "id"
    ):
        courses.setdefault(course.category_id, []).append(course)
    return [(m, [(c, courses.get(c.pk, [])) for c in categories[m.pk]]) for m in majors]


def college_brands(college: College) -> QuerySet[Brand]:
    """The college's brands with their major and ``n_open``, the number of open stores."""
    return (
        college.brands.select_related("major")
        .annotate(n_open=Count("stores", filter=Q(stores__is_active=True)))
        .order_by("id")
    )


def class_courses(training_class: TrainingClass) -> QuerySet[Course]:
    return training_class.courses.select_related("category").order_by(
        "category__sort_order", "sort_order"
    )


def class_course_ids(training_class: TrainingClass) -> list[int]:
    return list(training_class.courses.values_list("pk", flat=True))


def class_enrolments(training_class: TrainingClass) -> QuerySet[Enrolment]:
    return training_class.enrolments.select_related("person", "unit").order_by("id")


@dataclass
class CatalogueFigures:
    majors: int
    categories: int
    courses: int
    classes: int
    trainees: int
    completed: int
    certificates: int
    stores: int


def catalogue_figures(college: College) -> CatalogueFigures:
    enrolments = Enrolment.objects.filter(training_class__college=college)
    counts = enrolments.aggregate(
        n=Count("pk"),
        completed=Count("pk", filter=Q(status="completed")),
        certificates=Count("pk", filter=~Q(certificate_no="")),
    )
    return CatalogueFigures(
        majors=Major.objects.filter(college=college).count(),
        categories=CourseCategory.objects.filter(major__college=college).count(),
        courses=Course.objects.filter(category__major__college=college).count(),
        classes=TrainingClass.objects.filter(college=college).count(),
        trainees=counts["n"],
        completed=counts["completed"],
        certificates=counts["certificates"],
        stores=BrandStore.objects.filter(brand__college=college, is_active=True).count(),
    )


def class_qs(user: AnyUser) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(college__in=college_qs(user))


@dataclass(frozen=True)
class ClassFilters(Filters):
    q: str = text("搜索")
    college: int | None = record("学院", hidden=True)
    major: int | None = record("专业", hidden=True)
    year: int | None = number("年份", low=1990, high=2100)


def class_list(*, user: AnyUser, filters: ClassFilters) -> QuerySet[TrainingClass]:
    qs = class_qs(user).select_related("college", "major")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(teachers__icontains=filters.q))
    if filters.college is not None:
        qs = qs.filter(college_id=filters.college)
    if filters.major is not None:
        qs = qs.filter(major_id=filters.major)
    if filters.year is not None:
        qs = qs.filter(start_date__year=filters.year)
    return qs.annotate(
        n_trainees=Count("enrolments", distinct=True),
        n_completed=Count("enrolments", filter=Q(enrolments__status="completed"), distinct=True),
    ).order_by("-start_date", "-id")


def class_get(user: AnyUser, pk: int) -> TrainingClass:
    return get_object_or_404(class_qs(user).select_related("college", "major"), pk=pk)


def enrolment_qs(user: AnyUser) -> QuerySet[Enrolment]:
    scope = scope_of(user)
    return Enrolment.objects.filter(
        scope.q("training_class__college__owner_unit") | scope.q("unit", None)
    )


@dataclass(frozen=True)
class EnrolmentFilters(Filters):
    q: str = text("搜索")
    college: int | None = record("学院", hidden=True)
    training_class: int | None = record("培训班", hidden=True)
    status: str = choice("状态", EnrolmentStatus)
    certified: bool = flag("已发证书")


def enrolment_list(*, user: AnyUser, filters: EnrolmentFilters) -> QuerySet[Enrolment]:
    qs = enrolment_qs(user).select_related("person", "unit", "training_class__college")
    if filters.q:
        qs = qs.filter(
            Q(person__name__icontains=filters.q) | Q(certificate_no__icontains=filters.q)
        )
    if filters.college is not None:
        qs = qs.filter(training_class__college_id=filters.college)
    if filters.training_class is not None:
        qs = qs.filter(training_class_id=filters.training_class)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.certified:
        qs = qs.exclude(certificate_no="")
    return qs.order_by("training_class_id", "id")


def enrolment_get(user: AnyUser, pk: int) -> Enrolment:
    return get_object_or_404(
        enrolment_qs(user).select_related("person", "training_class__college"), pk=pk
    )


def brand_get(user: AnyUser, pk: int) -> Brand:
    return get_object_or_404(
        Brand.objects.filter(college__in=college_qs(user)).select_related("college"), pk=pk
    )


@dataclass(frozen=True)
class StoreFilters(Filters):
    q: str = text("搜索")
    brand: int | None = record("品牌", hidden=True)
    city: str = text("所在城市")
    active: bool | None = tristate("营业中")


def store_list(*, user: AnyUser, filters: StoreFilters) -> QuerySet[BrandStore]:
    qs = BrandStore.objects.filter(brand__college__in=college_qs(user)).select_related(
        "brand__college"
    )
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(operator__icontains=filters.q))
    if filters.brand is not None:
        qs = qs.filter(brand_id=filters.brand)
    if filters.city:
        qs = qs.filter(city=filters.city)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs.order_by("brand_id", "opened_on", "id")


def today() -> dt.date:
    return timezone.localdate()
