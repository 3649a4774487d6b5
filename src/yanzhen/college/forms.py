"""Forms of the training college."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.college.models import (
    Course,
    EnrolmentStatus,
    Major,
)
from yanzhen.core.forms import KeysChoiceField, unit_choices
from yanzhen.core.models import Unit
from yanzhen.reference.models import University
from yanzhen.talent.forms.common import (
    DATE_INPUT,
    SUGGEST,
    PersonFields,
    resolve_universities,
    set_queryset,
)


class CollegeForm(forms.Form):
    name = forms.CharField(label="学院名称", max_length=100)
    owner_unit = forms.ModelChoiceField(label="主管单位", queryset=Unit.objects.none())
    partner_universities = forms.CharField(
        label="共建高校",
        required=False,
        help_text="多个用顿号“、”分隔",
        widget=forms.TextInput(attrs=SUGGEST),
    )
    established_on = forms.DateField(label="成立日期", required=False, widget=DATE_INPUT)
    description = forms.CharField(
        label="简介", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", units)

    def clean_partner_universities(self) -> list[University]:
        return resolve_universities(self.cleaned_data["partner_universities"])


class NameForm(forms.Form):
    name = forms.CharField(label="名称", max_length=50)
    sort_order = forms.IntegerField(label="排序", initial=0)


class CourseForm(forms.Form):
    name = forms.CharField(label="课程", max_length=100)
    hours = forms.DecimalField(label="学时", max_digits=6, decimal_places=1, initial=0)
    sort_order = forms.IntegerField(label="排序", initial=0)


class ClassForm(forms.Form):
    name = forms.CharField(label="班级名称", max_length=100)
    major = forms.ModelChoiceField(label="专业", queryset=Major.objects.none())
    courses = KeysChoiceField(label="课程", queryset=Course.objects.none(), required=False)
    start_date = forms.DateField(label="开班日期", widget=DATE_INPUT)
    end_date = forms.DateField(label="结业日期", widget=DATE_INPUT)
    teachers = forms.CharField(label="授课教师", max_length=200, required=False)
    location = forms.CharField(label="地点", max_length=100, required=False)
    capacity = forms.IntegerField(label="计划人数", min_value=0, initial=0)

    def __init__(
        self, *args: Any, majors: QuerySet[Major], courses: QuerySet[Course], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "major", majors)
        set_queryset(self, "courses", courses)


class EnrolForm(PersonFields):
    unit = forms.ModelChoiceField(label="所在单位（村、企业）", queryset=Unit.objects.none())
    enrolled_on = forms.DateField(label="报名日期", widget=DATE_INPUT)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "unit", units)


class EnrolmentMoveForm(forms.Form):
    target = forms.ChoiceField(
        label="变更为",
        choices=[(EnrolmentStatus.COMPLETED, "结业发证"), (EnrolmentStatus.DROPPED, "退学")],
    )
    date = forms.DateField(label="日期", widget=DATE_INPUT)
    score = forms.DecimalField(label="成绩", max_digits=5, decimal_places=1, required=False)
    certificate_no = forms.CharField(
        label="证书编号", max_length=40, required=False, help_text="留空自动编号"
    )


class BrandForm(forms.Form):
    name = forms.CharField(label="品牌", max_length=50)
    major = forms.ModelChoiceField(label="对应专业", queryset=Major.objects.none(), required=False)
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, majors: QuerySet[Major], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "major", majors)


class StoreForm(forms.Form):
    name = forms.CharField(label="门店名称", max_length=100)
    city = forms.CharField(label="所在城市", max_length=50)
    opened_on = forms.DateField(label="开业日期", widget=DATE_INPUT)
    operator = forms.CharField(label="经营者", max_length=50, required=False)
