"""Forms of the catalogue, entitlements, deliveries, payments and apartments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from yanzhen.benefits.models import BenefitKind
from yanzhen.core.forms import unit_choices
from yanzhen.core.models import Degree, Unit, UnitKind
from yanzhen.core.uploads import BoundedFileField
from yanzhen.talent.forms.common import (
    DATE_INPUT,
    MonthField,
    set_choices,
    set_queryset,
)
from yanzhen.talent.models import Talent, TalentType


class BenefitForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("代码"), max_length=30)
    name = forms.CharField(label=gettext_lazy("待遇名称"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("待遇类别"), choices=BenefitKind.choices)
    owner_unit = forms.ModelChoiceField(
        label=gettext_lazy("制定单位"), queryset=Unit.objects.none()
    )
    paying_unit = forms.ModelChoiceField(
        label=gettext_lazy("发放（承办）单位"), queryset=Unit.objects.none()
    )
    monthly_amount = forms.DecimalField(
        label=gettext_lazy("每月标准（元）"), max_digits=10, decimal_places=2, initial=0
    )
    amount = forms.DecimalField(
        label=gettext_lazy("每次标准（元）"), max_digits=10, decimal_places=2, initial=0
    )
    duration_months = forms.IntegerField(
        label=gettext_lazy("享受期限（月）"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("留空表示长期"),
    )
    interval_months = forms.IntegerField(
        label=gettext_lazy("周期（月）"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("走访、体检每隔几个月一次"),
    )
    annual_budget = forms.DecimalField(
        label=gettext_lazy("年度预算（元）"), max_digits=12, decimal_places=2, initial=0
    )
    description = forms.CharField(
        label=gettext_lazy("政策依据与说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)
    sort_order = forms.IntegerField(label=gettext_lazy("排序"), initial=0)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", units)
        unit_choices(self, "paying_unit", units)


class RuleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("规则名称"), max_length=100)
    talent_types = forms.MultipleChoiceField(
        label=gettext_lazy("人才类型（不选为不限）"),
        choices=TalentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    degrees = forms.MultipleChoiceField(
        label=gettext_lazy("学位（不选为不限）"),
        choices=Degree.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    employer_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("用人单位类型（不选为不限）"),
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_years = forms.IntegerField(label=gettext_lazy("到岗满（年）"), min_value=0, required=False)
    max_years = forms.IntegerField(
        label=gettext_lazy("到岗不超过（年）"), min_value=1, required=False
    )
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)
    sort_order = forms.IntegerField(label=gettext_lazy("排序"), initial=0)


class GenerateForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("认定日期"),
        widget=DATE_INPUT,
        help_text=gettext_lazy("按该日的人才类型、学位、单位和到岗年限认定"),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("取消原因"), max_length=200)


class DeliveryForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("兑现日期"), widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=gettext_lazy("金额（元）"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("留空按待遇标准"),
    )
    period = MonthField(
        label=gettext_lazy("所属月份"),
        required=False,
        help_text=gettext_lazy("按月发放的补贴填写，如 2021-12"),
    )
    evidence = BoundedFileField(label=gettext_lazy("佐证材料"), required=False)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)


class PaymentConfirmForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("发放日期"), widget=DATE_INPUT)


class ApartmentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("公寓名称"), max_length=100)
    owner_unit = forms.ModelChoiceField(
        label=gettext_lazy("管理单位"), queryset=Unit.objects.none()
    )
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", units)


class RoomForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("房号"), max_length=20)
    beds = forms.IntegerField(label=gettext_lazy("床位"), min_value=1, initial=1)
    area = forms.DecimalField(
        label=gettext_lazy("面积（㎡）"), max_digits=6, decimal_places=1, initial=0
    )
    monthly_rent = forms.DecimalField(
        label=gettext_lazy("月租金（元）"), max_digits=8, decimal_places=2, initial=0
    )


class RoomAllocationForm(forms.Form):
    talent = forms.ModelChoiceField(label=gettext_lazy("人才"), queryset=Talent.objects.none())
    allocated_on = forms.DateField(label=gettext_lazy("分配日期"), widget=DATE_INPUT)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, talents: QuerySet[Talent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "talent", talents)


class AllocationMoveForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("操作"))
    date = forms.DateField(label=gettext_lazy("日期"), widget=DATE_INPUT)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target", targets)
