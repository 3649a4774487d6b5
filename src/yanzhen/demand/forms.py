"""Forms of the demand map: a need, a survey, an expert, a held row, a search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from yanzhen.cooperation.forms import cooperation_choices
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.excel import LIST_SEPARATORS
from yanzhen.core.forms import FilterForm, KeysChoiceField, VersionField, unit_choices
from yanzhen.core.models import Unit
from yanzhen.demand.disciplines import discipline_choices
from yanzhen.demand.models import (
    HeldRow,
    NeedDegree,
    NeedStatus,
    SurveyCampaign,
    Urgency,
)
from yanzhen.reference.matching import UniversityMatcher
from yanzhen.reference.models import Discipline, University

# A person typing a university name in a form writes it out: no similarity guesses here.
EXACT_METHODS = ("code", "name", "alias", "pinyin", "initials")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUGGEST = {
    "list": "university-names",
    "autocomplete": "off",
    "hx-get": reverse_lazy("reference:university_suggest"),
    "hx-trigger": "keyup changed delay:300ms",
    "hx-target": "#university-names",
}


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def split_names(text: str) -> list[str]:
    return [p.strip() for p in LIST_SEPARATORS.split(text or "") if p.strip()]


class DisciplineField(forms.MultipleChoiceField):
    """First-level disciplines by catalogue code (a multiple select)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            widget=forms.SelectMultiple(attrs={"size": 6}),
            help_text=_("按住 Ctrl 可多选；学科代码见《研究生教育学科专业目录（2022年）》"),
            **kwargs,
        )

    def load(self) -> None:
        self.choices = discipline_choices()

    def clean(self, value: Any) -> list[Discipline]:
        codes = super().clean(value)
        found = {d.code: d for d in Discipline.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("学科代码不存在：%(codes)s") % {"codes": "、".join(missing)}
            )
        return [found[c] for c in codes]


class NeedForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="需求单位", queryset=Unit.objects.none())
    campaign = forms.ModelChoiceField(
        label="所属调查", queryset=SurveyCampaign.objects.none(), required=False
    )
    position = forms.CharField(label="岗位名称", max_length=100)
    disciplines = DisciplineField(label="学科", required=False)
    majors = forms.CharField(label="专业要求", max_length=200, required=False)
    degree = forms.ChoiceField(label="学历要求", choices=NeedDegree.choices)
    number = forms.IntegerField(label="需求人数", min_value=1, initial=1)
    urgency = forms.ChoiceField(label="紧迫程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    salary_min = forms.DecimalField(
        label="年薪下限（万元）", max_digits=7, decimal_places=1, min_value=0, required=False
    )
    salary_max = forms.DecimalField(
        label="年薪上限（万元）", max_digits=7, decimal_places=1, min_value=0, required=False
    )
    deadline = forms.DateField(label="到岗期限", required=False, widget=DATE_INPUT)
    description = forms.CharField(
        label="需求描述",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明技术方向、产品和工作内容，推荐高校和专家时据此匹配",
    )
    preferred_universities = forms.CharField(
        label="意向高校",
        required=False,
        help_text="高校全称、简称或学校标识码，多个用顿号“、”分隔",
        widget=forms.TextInput(attrs=SUGGEST),
    )
    status = forms.ChoiceField(label="状态", choices=NeedStatus.choices, initial=NeedStatus.OPEN)
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        enterprises: QuerySet[Unit],
        campaigns: QuerySet[SurveyCampaign],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "enterprise", enterprises)
        _model_choice(self, "campaign").queryset = campaigns
        field = self.fields["disciplines"]
        assert isinstance(field, DisciplineField)
        field.load()

    def clean_preferred_universities(self) -> list[University]:
        names = split_names(self.cleaned_data["preferred_universities"])
        if not names:
            return []
        matcher = UniversityMatcher()
        found: list[University] = []
        problems: list[str] = []
        for name in names:
            match = matcher.match(name)
            if match.university_id is not None and match.method in EXACT_METHODS:
                university = University.objects.get(pk=match.university_id)
                if university not in found:
                    found.append(university)
            elif match.candidates:
                choices = "、".join(c.name for c in match.candidates)
                problems.append(
                    _("无法确定“%(name)s”是哪所高校，请写全称（可能是：%(choices)s）")
                    % {"name": name, "choices": choices}
                )
            else:
                problems.append(
                    _("找不到高校“%(name)s”，请写全称、简称或学校标识码") % {"name": name}
                )
        if problems:
            raise forms.ValidationError(problems)
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", _("年薪上限不能低于下限"))
        return data


class CampaignForm(forms.Form):
    title = forms.CharField(label="调查名称", max_length=100)
    owner_unit = forms.ModelChoiceField(label="组织单位", queryset=Unit.objects.none())
    opens_on = forms.DateField(label="开始日期", widget=DATE_INPUT)
    deadline = forms.DateField(label="截止日期", widget=DATE_INPUT)
    enterprises = KeysChoiceField(
        label="调查对象",
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="按住 Ctrl 可多选",
    )
    description = forms.CharField(
        label="调查说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closed = forms.BooleanField(label="已结束", required=False)

    def __init__(
        self, *args: Any, owners: QuerySet[Unit], enterprises: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", owners)
        field = self.fields["enterprises"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = enterprises


class ExpertForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    university = forms.CharField(
        label="所在高校（院所）",
        max_length=100,
        widget=forms.TextInput(attrs=SUGGEST),
        help_text="全称、简称或学校标识码",
    )
    department = forms.CharField(label="院系", max_length=100, required=False)
    title = forms.CharField(label="职称", max_length=50, required=False)
    honours = forms.CharField(label="人才称号", max_length=100, required=False)
    disciplines = DisciplineField(label="学科", required=False)
    directions = forms.CharField(
        label="研究方向", widget=forms.Textarea(attrs={"rows": 3}), help_text="用顿号分隔多个方向"
    )
    projects = KeysChoiceField(
        label="参与的本地合作",
        queryset=Cooperation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    project_notes = forms.CharField(
        label="其他合作经历", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_unit = forms.ModelChoiceField(label="登记单位", queryset=Unit.objects.none())
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[Unit],
        cooperations: QuerySet[Cooperation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", owners)
        cooperation_choices(self, "projects", cooperations)
        disciplines = self.fields["disciplines"]
        assert isinstance(disciplines, DisciplineField)
        disciplines.load()

    def clean_university(self) -> University:
        name = self.cleaned_data["university"]
        match = UniversityMatcher().match(name)
        if match.university_id is not None and match.method in EXACT_METHODS:
            return University.objects.get(pk=match.university_id)
        if match.candidates:
            choices = "、".join(c.name for c in match.candidates)
            raise forms.ValidationError(
                _("无法确定“%(name)s”是哪所高校，请写全称（可能是：%(choices)s）")
                % {"name": name, "choices": choices}
            )
        raise forms.ValidationError(
            _("找不到高校“%(name)s”，请写全称、简称或学校标识码") % {"name": name}
        )


class HeldForm(forms.Form):
    """One choice per uncertain university name of a held row, or drop the row."""

    drop = forms.BooleanField(label="舍弃此行（不导入）", required=False)

    def __init__(self, *args: Any, held: HeldRow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names: list[tuple[str, str]] = []
        for index, entry in enumerate(held.pending):
            name = f"choice_{index}"
            self.fields[name] = forms.ChoiceField(
                label=_("“%(written)s”是") % {"written": entry["written"]},
                required=False,
                widget=forms.RadioSelect,
                choices=[
                    (
                        str(c["id"]),
                        _("%(name)s（相似度 %(confidence)s）")
                        % {"name": c["name"], "confidence": format(float(c["confidence"]), ".0%")},
                    )
                    for c in entry["candidates"]
                ],
            )
            self.names.append((name, str(entry["written"])))

    def choices(self) -> dict[str, int]:
        return {
            written: int(self.cleaned_data[name])
            for name, written in self.names
            if self.cleaned_data.get(name)
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("drop"):
            for name, written in self.names:
                if not data.get(name):
                    self.add_error(
                        name,
                        _("请为“%(written)s”选择一所高校，或勾选舍弃此行") % {"written": written},
                    )
        return data


class RecommendForm(FilterForm):
    q = forms.CharField(
        label="需求描述",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：牵引电机控制算法工程师"}),
    )
    discipline = forms.ChoiceField(label="学科", required=False)
    degree = forms.ChoiceField(
        label="学历",
        required=False,
        choices=[("", "不限"), *((v, label) for v, label in NeedDegree.choices if v != "any")],
    )
    top = forms.IntegerField(label="显示前", required=False, min_value=1, max_value=50, initial=10)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "discipline").choices = [("", _("不限")), *discipline_choices()]
