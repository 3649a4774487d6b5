"""Access rules of the training college's pages (see tests/routes/__init__.py); they keep
the talent app's paths and names (``talent:college_list``…)."""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "talent:college_list": "list",
    "talent:college_new": "create",
    "talent:college_detail": "object:college",
    "talent:college_edit": "object:college",
    "talent:major_new": "object:college",
    "talent:category_new": "object:major",
    "talent:course_new": "object:category",
    "talent:class_list": "list",
    "talent:class_new": "object:college",
    "talent:class_detail": "object:training_class",
    "talent:class_edit": "object:training_class",
    "talent:enrolment_new": "object:training_class",
    "talent:enrolment_list": "list",
    "talent:enrolment_move": "object:enrolment",
    "talent:brand_new": "object:college",
    "talent:store_list": "list",
    "talent:store_new": "object:brand",
}


def object_ids() -> dict[str, int]:
    from yanzhen.college.models import (
        Brand,
        College,
        CourseCategory,
        Enrolment,
        Major,
        TrainingClass,
    )

    return {
        "college": College.objects.order_by("pk")[0].pk,
        "major": Major.objects.order_by("pk")[0].pk,
        "category": CourseCategory.objects.order_by("pk")[0].pk,
        "training_class": TrainingClass.objects.order_by("pk")[0].pk,
        "enrolment": Enrolment.objects.order_by("pk")[0].pk,
        "brand": Brand.objects.order_by("pk")[0].pk,
    }
