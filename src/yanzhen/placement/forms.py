"""Forms of placement programmes and interns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.core.forms import unit_choices
from yanzhen.core.import_views import UploadForm
from yanzhen.core.models import Degree, Unit
from yanzhen.placement.models import Host, Optimality, ProgrammeKind
from yanzhen.talent.forms.common import (
    DATE_INPUT,
    NONE,
    PersonFields,
    UniversityField,
    discipline_field,
    set_choices,
    set_queryset,
    split_names,
)
from yanzhen.talent.models import TalentType


class ProgrammeForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=100)
    kind = forms.ChoiceField(label="项目类型", choices=ProgrammeKind.choices)
    owner_unit = forms.ModelChoiceField(label="组织单位", queryset=Unit.objects.none())
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    start_date = forms.DateField(label="到岗日期", widget=DATE_INPUT)
    end_date = forms.DateField(label="结束日期", required=False, widget=DATE_INPUT)
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", units)


class HostForm(forms.Form):
    unit = forms.ModelChoiceField(label="接收单位", queryset=Unit.objects.none())
    capacity = forms.IntegerField(label="接收名额", min_value=0)
    note = forms.CharField(label="岗位说明", max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "unit", units)


class PlacementApplicantForm(PersonFields):
    code = forms.CharField(label="编号", max_length=30)
    university = UniversityField(label="所在高校", required=False)
    degree = forms.ChoiceField(label="学位", choices=NONE + list(Degree.choices), required=False)
    discipline = discipline_field()
    preferences = forms.CharField(
        label="志愿单位（按顺序）",
        required=False,
        help_text="接收单位名称，第一志愿在前，用顿号“、”分隔",
    )

    def __init__(self, *args: Any, hosts: list[Host], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hosts = hosts
        if editing:
            for name in ("name", "gender", "id_number", "mobile"):
                del self.fields[name]

    def clean_preferences(self) -> list[Host]:
        by_name = {h.unit.name: h for h in self.hosts}
        by_short = {h.unit.short_name: h for h in self.hosts if h.unit.short_name}
        chosen: list[Host] = []
        problems: list[str] = []
        for name in split_names(self.cleaned_data["preferences"]):
            host = by_name.get(name) or by_short.get(name)
            if host is None:
                problems.append(f"“{name}”不是本项目的接收单位")
            elif host in chosen:
                problems.append(f"“{name}”重复")
            else:
                chosen.append(host)
        if problems:
            raise forms.ValidationError(problems)
        return chosen


class HostRankingForm(forms.Form):
    """One row per applicant who listed the host (and any it ranked before): rank or score."""

    def __init__(self, *args: Any, applicants: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applicants = applicants
        for applicant in applicants:
            self.fields[f"rank_{applicant.pk}"] = forms.IntegerField(
                label=f"{applicant.code} {applicant.person.name} 排名", min_value=1, required=False
            )
            self.fields[f"score_{applicant.pk}"] = forms.DecimalField(
                label="评分", max_digits=6, decimal_places=2, required=False
            )

    def entries(self) -> list[tuple[Any, int | None, Decimal | None]]:
        return [
            (a, self.cleaned_data.get(f"rank_{a.pk}"), self.cleaned_data.get(f"score_{a.pk}"))
            for a in self.applicants
        ]


class AllocateForm(forms.Form):
    optimal = forms.ChoiceField(
        label="最优方",
        choices=Optimality.choices,
        initial=Optimality.APPLICANT,
        help_text="申请人最优：每个申请人都得到稳定分配中最好的结果（默认）",
    )


class AdjustForm(forms.Form):
    host = forms.ModelChoiceField(
        label="调整到", queryset=Host.objects.none(), required=False, empty_label="不分配"
    )
    reason = forms.CharField(label="调整原因", max_length=200)
    accept_blocking = forms.BooleanField(label="仍然调整（接受不稳定）", required=False)
    accept_not_mutual = forms.BooleanField(label="仍然调整（接受非双方互选）", required=False)

    def __init__(self, *args: Any, hosts: QuerySet[Host], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "host", hosts)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label="确认", required=True)


class ImportForm(UploadForm):
    """The one import flow's upload form, with what the programme's sheet holds."""

    kind = forms.ChoiceField(
        label="导入内容",
        choices=[("applicants", "申请人及志愿"), ("rankings", "接收单位排序或评分")],
    )
    field_order = ("kind", "file", "mapping")


class InternLogForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE_INPUT)
    hours = forms.DecimalField(label="时长（小时）", max_digits=5, decimal_places=1)
    content = forms.CharField(label="工作内容", max_length=300)


class FeedbackForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE_INPUT)
    score = forms.IntegerField(label="评价（1–5分）", min_value=1, max_value=5)
    comment = forms.CharField(label="评语", max_length=300, required=False)
    recommend_hire = forms.BooleanField(label="建议留用", required=False)


class InternshipMoveForm(forms.Form):
    target = forms.ChoiceField(label="变更为")
    date = forms.DateField(label="日期", widget=DATE_INPUT)
    note = forms.CharField(
        label="说明", max_length=200, required=False, help_text="中途离开须说明原因"
    )
    hire_type = forms.ChoiceField(
        label="留用后人才类型",
        choices=[
            (t, TalentType(t).label)
            for t in (TalentType.FULL_TIME, TalentType.FLEXIBLE, TalentType.PROJECT_TEAM)
        ],
        required=False,
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target", targets)
