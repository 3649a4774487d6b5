"""Filters of the talent lists: every form gives its selector's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.core.forms import YES_NO, FilterForm, unit_choices
from yanzhen.core.models import Degree, Unit
from yanzhen.talent import selectors
from yanzhen.talent.forms.common import (
    ALL,
    DATE_INPUT,
    set_queryset,
)
from yanzhen.talent.models import (
    RECRUITMENT_CHANNEL_CHOICES,
    AllocationStatus,
    ApplicantStage,
    BenefitKind,
    Channel,
    EnrolmentStatus,
    EntitlementStatus,
    InternshipStatus,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    TalentType,
)


class CampaignFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    channel = forms.ChoiceField(
        label="引才渠道", required=False, choices=ALL + RECRUITMENT_CHANNEL_CHOICES
    )
    year = forms.IntegerField(label="年度", required=False, min_value=1990, max_value=2100)

    def filters(self) -> selectors.CampaignFilters:
        return self.as_filters(selectors.CampaignFilters)


class ApplicantFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    stage = forms.ChoiceField(
        label="阶段", required=False, choices=ALL + list(ApplicantStage.choices)
    )
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)
    position = forms.IntegerField(required=False, widget=forms.HiddenInput)
    university = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.ApplicantFilters:
        return self.as_filters(selectors.ApplicantFilters)


class TalentFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    group = forms.ChoiceField(
        label="范围", required=False, choices=[("", "全部在册"), *selectors.GROUPS.items()]
    )
    talent_type = forms.ChoiceField(
        label="人才类型", required=False, choices=ALL + list(TalentType.choices)
    )
    degree = forms.ChoiceField(
        label="学位", required=False, choices=ALL + list(Degree.choices) + [("none", "未填")]
    )
    channel = forms.ChoiceField(
        label="引进渠道", required=False, choices=ALL + list(Channel.choices)
    )
    year = forms.IntegerField(label="到岗年份", required=False, min_value=1990, max_value=2100)
    on_post = forms.ChoiceField(label="在岗", required=False, choices=YES_NO)
    university = forms.IntegerField(required=False, widget=forms.HiddenInput)
    industry = forms.CharField(required=False, widget=forms.HiddenInput)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sub = forms.BooleanField(required=False, widget=forms.HiddenInput)
    start_from = forms.DateField(required=False, widget=forms.HiddenInput)
    start_to = forms.DateField(required=False, widget=forms.HiddenInput)
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.TalentFilters:
        return self.as_filters(selectors.TalentFilters)


class BenefitFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    kind = forms.ChoiceField(
        label="待遇类别", required=False, choices=ALL + list(BenefitKind.choices)
    )
    active = forms.ChoiceField(label="启用", required=False, choices=YES_NO)

    def filters(self) -> selectors.BenefitFilters:
        return self.as_filters(selectors.BenefitFilters)


class EntitlementFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    kind = forms.ChoiceField(
        label="待遇类别", required=False, choices=ALL + list(BenefitKind.choices)
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=ALL + list(EntitlementStatus.choices)
    )
    current = forms.ChoiceField(label="享受期内", required=False, choices=YES_NO)
    expiring = forms.BooleanField(label="30天内到期", required=False)
    benefit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    talent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sub = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.EntitlementFilters:
        return self.as_filters(selectors.EntitlementFilters)


class DeliveryFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    kind = forms.ChoiceField(
        label="待遇类别", required=False, choices=ALL + list(BenefitKind.choices)
    )
    date_from = forms.DateField(label="兑现日期自", required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label="至", required=False, widget=DATE_INPUT)
    benefit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sub = forms.BooleanField(required=False, widget=forms.HiddenInput)
    period = forms.DateField(required=False, widget=forms.HiddenInput)
    paying_unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.DeliveryFilters:
        return self.as_filters(selectors.DeliveryFilters)


class RoomAllocationFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=ALL + list(AllocationStatus.choices)
    )
    open = forms.BooleanField(label="仅在住和待入住", required=False)
    apartment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.RoomAllocationFilters:
        return self.as_filters(selectors.RoomAllocationFilters)


class ApartmentFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    free = forms.BooleanField(label="仅有空床位", required=False)


class ProgrammeFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    kind = forms.ChoiceField(
        label="项目类型", required=False, choices=ALL + list(ProgrammeKind.choices)
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=ALL + list(ProgrammeStatus.choices)
    )
    year = forms.IntegerField(label="年度", required=False, min_value=1990, max_value=2100)

    def filters(self) -> selectors.ProgrammeFilters:
        return self.as_filters(selectors.ProgrammeFilters)


class InternshipFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=ALL + list(InternshipStatus.choices)
    )
    year = forms.IntegerField(label="实习年份", required=False, min_value=1990, max_value=2100)
    programme = forms.IntegerField(required=False, widget=forms.HiddenInput)
    university = forms.IntegerField(required=False, widget=forms.HiddenInput)
    no_university = forms.BooleanField(required=False, widget=forms.HiddenInput)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sub = forms.BooleanField(required=False, widget=forms.HiddenInput)
    start_from = forms.DateField(required=False, widget=forms.HiddenInput)
    start_to = forms.DateField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.InternshipFilters:
        return self.as_filters(selectors.InternshipFilters)


class ConversionFilterForm(FilterForm):
    """The filters of the conversion statistics; the same names as the internship list's, so
    every figure opens its records with the filters it was counted with."""

    programme = forms.ModelChoiceField(
        label="分配项目", queryset=Programme.objects.none(), required=False, empty_label="全部"
    )
    unit = forms.ModelChoiceField(
        label="接收单位", queryset=Unit.objects.none(), required=False, empty_label="全部"
    )
    sub = forms.BooleanField(label="含下级单位", required=False)
    year = forms.IntegerField(label="实习年份", required=False, min_value=1990, max_value=2100)

    def __init__(
        self,
        *args: Any,
        programmes: QuerySet[Programme],
        units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "programme", programmes)
        unit_choices(self, "unit", units)

    def filters(self) -> selectors.InternshipFilters:
        programme, unit = self.value("programme"), self.value("unit")
        return selectors.InternshipFilters(
            programme=programme.pk if programme is not None else None,
            unit=unit.pk if unit is not None else None,
            sub=bool(self.value("sub")) and unit is not None,
            year=self.value("year"),
        )


class CollegeFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)


class ClassFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    year = forms.IntegerField(label="年份", required=False, min_value=1990, max_value=2100)
    college = forms.IntegerField(required=False, widget=forms.HiddenInput)
    major = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.ClassFilters:
        return self.as_filters(selectors.ClassFilters)


class EnrolmentFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=ALL + list(EnrolmentStatus.choices)
    )
    certified = forms.BooleanField(label="已发证书", required=False)
    college = forms.IntegerField(required=False, widget=forms.HiddenInput)
    training_class = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.EnrolmentFilters:
        return self.as_filters(selectors.EnrolmentFilters)


class StoreFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    city = forms.CharField(label="所在城市", required=False)
    active = forms.ChoiceField(label="营业中", required=False, choices=YES_NO)
    brand = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.StoreFilters:
        return self.as_filters(selectors.StoreFilters)
