"""Filters of the talent lists: every form gives its selector's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.core.forms import YES_NO, FilterForm, yes_no
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
        return selectors.CampaignFilters(
            q=self.value("q") or "", channel=self.value("channel") or "", year=self.value("year")
        )


class ApplicantFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    stage = forms.ChoiceField(
        label="阶段", required=False, choices=ALL + list(ApplicantStage.choices)
    )
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)
    position = forms.IntegerField(required=False, widget=forms.HiddenInput)
    university = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.ApplicantFilters:
        return selectors.ApplicantFilters(
            q=self.value("q") or "",
            stage=self.value("stage") or "",
            campaign=self.value("campaign"),
            position=self.value("position"),
            university=self.value("university"),
        )


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
        return selectors.TalentFilters(
            q=self.value("q") or "",
            group=self.value("group") or "",
            talent_type=self.value("talent_type") or "",
            degree=self.value("degree") or "",
            channel=self.value("channel") or "",
            year=self.value("year"),
            on_post=yes_no(self.value("on_post")),
            university=self.value("university"),
            industry=self.value("industry") or "",
            unit=self.value("unit"),
            sub=bool(self.value("sub")),
            start_from=self.value("start_from"),
            start_to=self.value("start_to"),
            campaign=self.value("campaign"),
        )


class BenefitFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    kind = forms.ChoiceField(
        label="待遇类别", required=False, choices=ALL + list(BenefitKind.choices)
    )
    active = forms.ChoiceField(label="启用", required=False, choices=YES_NO)

    def filters(self) -> selectors.BenefitFilters:
        return selectors.BenefitFilters(
            q=self.value("q") or "",
            kind=self.value("kind") or "",
            active=yes_no(self.value("active")),
        )


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
        return selectors.EntitlementFilters(
            q=self.value("q") or "",
            kind=self.value("kind") or "",
            status=self.value("status") or "",
            current=yes_no(self.value("current")),
            expiring=bool(self.value("expiring")),
            benefit=self.value("benefit"),
            talent=self.value("talent"),
            unit=self.value("unit"),
            sub=bool(self.value("sub")),
        )


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
        return selectors.DeliveryFilters(
            q=self.value("q") or "",
            kind=self.value("kind") or "",
            date_from=self.value("date_from"),
            date_to=self.value("date_to"),
            benefit=self.value("benefit"),
            unit=self.value("unit"),
            sub=bool(self.value("sub")),
            period=self.value("period"),
            paying_unit=self.value("paying_unit"),
        )


class RoomAllocationFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=ALL + list(AllocationStatus.choices)
    )
    open = forms.BooleanField(label="仅在住和待入住", required=False)
    apartment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.RoomAllocationFilters:
        return selectors.RoomAllocationFilters(
            q=self.value("q") or "",
            status=self.value("status") or "",
            open=bool(self.value("open")),
            apartment=self.value("apartment"),
        )


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
        return selectors.ProgrammeFilters(
            q=self.value("q") or "",
            kind=self.value("kind") or "",
            status=self.value("status") or "",
            year=self.value("year"),
        )


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
        return selectors.InternshipFilters(
            q=self.value("q") or "",
            status=self.value("status") or "",
            programme=self.value("programme"),
            university=self.value("university"),
            no_university=bool(self.value("no_university")),
            unit=self.value("unit"),
            sub=bool(self.value("sub")),
            year=self.value("year"),
            start_from=self.value("start_from"),
            start_to=self.value("start_to"),
        )


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
        set_queryset(self, "unit", units)

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
        return selectors.ClassFilters(
            q=self.value("q") or "",
            year=self.value("year"),
            college=self.value("college"),
            major=self.value("major"),
        )


class EnrolmentFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=ALL + list(EnrolmentStatus.choices)
    )
    certified = forms.BooleanField(label="已发证书", required=False)
    college = forms.IntegerField(required=False, widget=forms.HiddenInput)
    training_class = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.EnrolmentFilters:
        return selectors.EnrolmentFilters(
            q=self.value("q") or "",
            status=self.value("status") or "",
            certified=bool(self.value("certified")),
            college=self.value("college"),
            training_class=self.value("training_class"),
        )


class StoreFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    city = forms.CharField(label="所在城市", required=False)
    active = forms.ChoiceField(label="营业中", required=False, choices=YES_NO)
    brand = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> selectors.StoreFilters:
        return selectors.StoreFilters(
            q=self.value("q") or "",
            city=self.value("city") or "",
            active=yes_no(self.value("active")),
            brand=self.value("brand"),
        )
