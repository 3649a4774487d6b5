"""Forms of people, recruitment and the registry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.core.forms import unit_choices
from yanzhen.core.models import Degree, Unit
from yanzhen.demand.models import TalentNeed
from yanzhen.reference.models import University
from yanzhen.talent.forms.common import (
    DATE_INPUT,
    NONE,
    SUGGEST,
    PersonFields,
    UniversityField,
    discipline_field,
    resolve_universities,
    set_choices,
    set_queryset,
)
from yanzhen.talent.models import (
    RECRUITMENT_CHANNEL_CHOICES,
    Campaign,
    Channel,
    TalentType,
)


class CampaignForm(forms.Form):
    name = forms.CharField(label="招聘活动", max_length=100)
    channel = forms.ChoiceField(label="引才渠道", choices=RECRUITMENT_CHANNEL_CHOICES)
    owner_unit = forms.ModelChoiceField(label="组织单位", queryset=Unit.objects.none())
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    start_date = forms.DateField(label="开始日期", widget=DATE_INPUT)
    end_date = forms.DateField(label="结束日期", widget=DATE_INPUT)
    target_universities = forms.CharField(
        label="目标高校",
        required=False,
        help_text="多个用顿号“、”分隔",
        widget=forms.TextInput(attrs=SUGGEST),
    )
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", units)

    def clean_target_universities(self) -> list[University]:
        return resolve_universities(self.cleaned_data["target_universities"])


class PositionForm(forms.Form):
    title = forms.CharField(label="岗位名称", max_length=100)
    unit = forms.ModelChoiceField(label="用人单位", queryset=Unit.objects.none())
    talent_type = forms.ChoiceField(
        label="人才类型",
        choices=[
            (t, TalentType(t).label)
            for t in (
                TalentType.FULL_TIME,
                TalentType.FLEXIBLE,
                TalentType.PROJECT_TEAM,
                TalentType.MEDICAL_GRADUATE,
            )
        ],
    )
    discipline = discipline_field()
    degree = forms.ChoiceField(
        label="最低学位", choices=NONE + list(Degree.choices), required=False
    )
    quota = forms.IntegerField(label="招聘名额", min_value=1)
    description = forms.CharField(label="岗位说明", max_length=200, required=False)
    talent_need = forms.ModelChoiceField(
        label="对应人才需求",
        queryset=TalentNeed.objects.none(),
        required=False,
        help_text="用人单位在人才需求图谱中填报的需求",
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], needs: QuerySet[TalentNeed], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "unit", units)
        set_queryset(self, "talent_need", needs)


class ApplicantForm(PersonFields):
    university = UniversityField(label="毕业院校", required=False)
    degree = forms.ChoiceField(label="学位", choices=NONE + list(Degree.choices), required=False)
    discipline = discipline_field()
    applied_on = forms.DateField(label="报名日期", widget=DATE_INPUT)


class StageForm(forms.Form):
    target = forms.ChoiceField(label="变更为")
    date = forms.DateField(label="日期", widget=DATE_INPUT)
    reason = forms.CharField(
        label="原因/说明", max_length=200, required=False, help_text="放弃、未录用须说明原因"
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target", targets)


class TalentForm(PersonFields):
    talent_type = forms.ChoiceField(label="人才类型", choices=TalentType.choices)
    degree = forms.ChoiceField(label="学位", choices=NONE + list(Degree.choices), required=False)
    university = UniversityField(label="来源高校", required=False)
    discipline = discipline_field()
    employer = forms.ModelChoiceField(label="用人（接收）单位", queryset=Unit.objects.none())
    channel = forms.ChoiceField(label="引进渠道", choices=Channel.choices)
    campaign = forms.ModelChoiceField(
        label="招聘活动", queryset=Campaign.objects.none(), required=False
    )
    start_date = forms.DateField(label="到岗日期", widget=DATE_INPUT)
    end_date = forms.DateField(label="离岗日期", required=False, widget=DATE_INPUT)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        campaigns: QuerySet[Campaign],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "employer", units)
        set_queryset(self, "campaign", campaigns)
        if editing:
            for name in ("name", "gender", "id_number", "mobile"):
                del self.fields[name]


class AgreementForm(forms.Form):
    title = forms.CharField(label="协议名称", max_length=100)
    signed_on = forms.DateField(label="签订日期", widget=DATE_INPUT)
    start_date = forms.DateField(label="服务开始", widget=DATE_INPUT)
    end_date = forms.DateField(label="服务结束", widget=DATE_INPUT)
    days_per_year = forms.DecimalField(
        label="约定服务天数（天/年）", max_digits=6, decimal_places=1
    )
    remuneration = forms.DecimalField(
        label="报酬（万元/年）", max_digits=10, decimal_places=2, initial=0
    )
    content = forms.CharField(
        label="服务内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WorkloadForm(forms.Form):
    date = forms.DateField(label="服务日期", widget=DATE_INPUT)
    days = forms.DecimalField(label="天数", max_digits=5, decimal_places=1)
    content = forms.CharField(label="服务内容", max_length=200)
