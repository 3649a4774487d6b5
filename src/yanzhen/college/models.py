"""The training college (tables keep their names from the talent app, ``talent_*``): majors → categories → courses, classes, trainees, completions and
certificates, and the brand (franchise stores) a programme grew."""

from __future__ import annotations

from django.db import models

from yanzhen.core.fields import optional_fk
from yanzhen.core.history import audited_history
from yanzhen.core.models import Audited, Person, Unit
from yanzhen.reference.models import University


class College(Audited):
    """A skills-training college (e.g. 永济面食产业学院)."""

    name = models.CharField("学院名称", max_length=100, unique=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name="主管单位", on_delete=models.PROTECT, related_name="talent_colleges"
    )
    partner_universities = models.ManyToManyField(
        University,
        verbose_name="共建高校",
        blank=True,
        related_name="talent_colleges",
        db_table="talent_college_partner_universities",
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    description = models.TextField("简介", blank=True)

    class Meta:
        db_table = "talent_college"
        verbose_name = "培训学院"
        verbose_name_plural = "培训学院"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Major(Audited):
    college = models.ForeignKey(
        College, verbose_name="学院", on_delete=models.CASCADE, related_name="majors"
    )
    name = models.CharField("专业", max_length=50)
    sort_order = models.IntegerField("排序", default=0)

    class Meta:
        db_table = "talent_major"
        verbose_name = "专业"
        verbose_name_plural = "专业"
        ordering = ["college", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["college", "name"], name="major_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CourseCategory(Audited):
    major = models.ForeignKey(
        Major, verbose_name="专业", on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField("类别", max_length=50)
    sort_order = models.IntegerField("排序", default=0)

    class Meta:
        db_table = "talent_coursecategory"
        verbose_name = "课程类别"
        verbose_name_plural = "课程类别"
        ordering = ["major", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["major", "name"], name="category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Course(Audited):
    category = models.ForeignKey(
        CourseCategory, verbose_name="类别", on_delete=models.CASCADE, related_name="courses"
    )
    name = models.CharField("课程", max_length=100)
    hours = models.DecimalField("学时", max_digits=6, decimal_places=1, default=0)
    sort_order = models.IntegerField("排序", default=0)

    class Meta:
        db_table = "talent_course"
        verbose_name = "课程"
        verbose_name_plural = "课程"
        ordering = ["category", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="course_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class TrainingClass(Audited):
    """A class (培训班) of a college: its courses, dates and teachers."""

    college = models.ForeignKey(
        College, verbose_name="学院", on_delete=models.CASCADE, related_name="classes"
    )
    name = models.CharField("班级名称", max_length=100)
    major = models.ForeignKey(
        Major, verbose_name="专业", on_delete=models.PROTECT, related_name="classes"
    )
    courses = models.ManyToManyField(
        Course,
        verbose_name="课程",
        blank=True,
        related_name="classes",
        db_table="talent_trainingclass_courses",
    )
    start_date = models.DateField("开班日期")
    end_date = models.DateField("结业日期")
    teachers = models.CharField("授课教师", max_length=200, blank=True)
    location = models.CharField("地点", max_length=100, blank=True)
    capacity = models.PositiveIntegerField("计划人数", default=0)

    class Meta:
        db_table = "talent_trainingclass"
        verbose_name = "培训班"
        verbose_name_plural = "培训班"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["college", "name"], name="class_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "在读"
    COMPLETED = "completed", "已结业"
    DROPPED = "dropped", "退学"


class Enrolment(Audited):
    """A trainee of a class; completion with a certificate number."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name="培训班", on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person, verbose_name="学员", on_delete=models.PROTECT, related_name="enrolments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位（村、企业）", on_delete=models.PROTECT, related_name="+"
    )
    enrolled_on = models.DateField("报名日期")
    status = models.CharField(
        "状态", max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    completed_on = models.DateField("结业日期", null=True, blank=True)
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)

    history = audited_history(
        excluded_fields=["updated_at"], table_name="talent_historicalenrolment"
    )

    class Meta:
        db_table = "talent_enrolment"
        verbose_name = "学员"
        verbose_name_plural = "学员"
        ordering = ["training_class", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"], name="enrolment_unique_person"
            ),
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~models.Q(certificate_no=""),
                name="enrolment_unique_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} @ {self.training_class.name}"


class Brand(Audited):
    """A brand a college's programme grew, with its franchise stores (e.g. 永济好面)."""

    college = models.ForeignKey(
        College, verbose_name="学院", on_delete=models.CASCADE, related_name="brands"
    )
    name = models.CharField("品牌", max_length=50)
    major = optional_fk(Major, "对应专业", on_delete=models.SET_NULL, related_name="brands")
    description = models.TextField("说明", blank=True)

    class Meta:
        db_table = "talent_brand"
        verbose_name = "品牌"
        verbose_name_plural = "品牌"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["college", "name"], name="brand_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class BrandStore(Audited):
    brand = models.ForeignKey(
        Brand, verbose_name="品牌", on_delete=models.CASCADE, related_name="stores"
    )
    name = models.CharField("门店名称", max_length=100)
    city = models.CharField("所在城市", max_length=50)
    opened_on = models.DateField("开业日期")
    operator = models.CharField("经营者", max_length=50, blank=True)
    is_active = models.BooleanField("营业中", default=True)

    class Meta:
        db_table = "talent_brandstore"
        verbose_name = "品牌门店"
        verbose_name_plural = "品牌门店"
        ordering = ["brand", "opened_on", "id"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="store_unique_name")]

    def __str__(self) -> str:
        return self.name
