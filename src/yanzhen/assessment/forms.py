"""Forms of the assessment: systems and their indicators, AHP judgements, targets, periods,
hand scores and corrections."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yanzhen.assessment.models import (
    Aggregation,
    Dimension,
    IndicatorSourceKind,
    IndicatorSystem,
    Normalization,
    PeriodKind,
    SubjectKind,
    Weighting,
)
from yanzhen.core.forms import unit_choices
from yanzhen.core.indicators import IndicatorSource, Subject
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.uploads import BoundedFileField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNIT_KIND_CHOICES = [
    (k, UnitKind(k).label)
    for k in (UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET, UnitKind.ZONE, UnitKind.VILLAGE)
]


def _model_choice(field: forms.Field) -> forms.ModelChoiceField[Any]:
    assert isinstance(field, forms.ModelChoiceField)
    return field


class SystemForm(forms.Form):
    name = forms.CharField(label=_("指标体系名称"), max_length=100)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    subject_kind = forms.ChoiceField(label=_("考核对象"), choices=SubjectKind.choices)
    unit_kinds = forms.MultipleChoiceField(
        label=_("考核单位类型"),
        choices=UNIT_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("考核对象为单位时选择"),
    )
    aggregation = forms.ChoiceField(label=_("汇总方法"), choices=Aggregation.choices)
    weighting = forms.ChoiceField(label=_("权重方法"), choices=Weighting.choices)
    alpha = forms.DecimalField(
        label=_("主观权重占比"), min_value=Decimal(0), max_value=Decimal(1), decimal_places=2
    )
    cap = forms.DecimalField(
        label=_("目标完成率封顶"), min_value=Decimal(1), max_value=Decimal(5), decimal_places=2
    )


class SystemCreateForm(forms.Form):
    name = forms.CharField(label=_("指标体系名称"), max_length=100)
    owner_unit = forms.ModelChoiceField(label=_("考核单位"), queryset=Unit.objects.none())
    subject_kind = forms.ChoiceField(label=_("考核对象"), choices=SubjectKind.choices)
    template = forms.ChoiceField(
        label=_("初始内容"),
        choices=[("default", _("默认指标体系（3个维度、10项指标）")), ("blank", _("空白"))],
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", units)


def parse_judgement(text: str) -> float:
    """A Saaty judgement written as ``3``, ``1/3`` or ``0.5``."""
    value = float(Fraction(text.strip()))
    if value <= 0:
        raise ValueError(text)
    return value


class PairwiseForm(forms.Form):
    """The upper triangle of the AHP judgement matrix over the system's indicators."""

    def __init__(self, *args: Any, names: list[str], matrix: list[list[float]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.names = names
        size = len(names)
        for i in range(size):
            for j in range(i + 1, size):
                value = matrix[i][j] if len(matrix) == size else 1.0
                initial = str(Fraction(value).limit_denominator(9))
                self.fields[f"a_{i}_{j}"] = forms.CharField(
                    label=f"{names[i]} : {names[j]}",
                    initial=initial,
                    max_length=10,
                    widget=forms.TextInput(attrs={"size": 4}),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in list(self.fields):
            text = data.get(name)
            if text is None:
                continue
            try:
                data[name] = parse_judgement(text)
            except (ValueError, ZeroDivisionError, OverflowError):
                self.add_error(name, gettext("请填写 1–9 的判断值，如 3 或 1/3"))
        return data

    def matrix(self) -> list[list[float]]:
        size = len(self.names)
        out = [[1.0] * size for _ in range(size)]
        for i in range(size):
            for j in range(i + 1, size):
                value = self.cleaned_data[f"a_{i}_{j}"]
                out[i][j] = value
                out[j][i] = 1.0 / value
        return out

    def rows(self) -> list[tuple[str, list[Any]]]:
        size = len(self.names)
        return [
            (
                self.names[i],
                [self[f"a_{i}_{j}"] if j > i else ("1" if i == j else "") for j in range(size)],
            )
            for i in range(size)
        ]


class DimensionForm(forms.Form):
    name = forms.CharField(label=_("维度"), max_length=50)
    sort_order = forms.IntegerField(label=_("排序"), initial=0, required=False)


def source_choices(
    registered: dict[str, IndicatorSource], current: str = ""
) -> list[tuple[str, str]]:
    choices = [("", gettext("—（人工评分时不选）"))]
    choices += [(code, f"{s.label}（{code}）") for code, s in sorted(registered.items())]
    if current and current not in registered:
        choices.append((current, gettext("%(code)s（未注册）") % {"code": current}))
    return choices


class IndicatorForm(forms.Form):
    dimension = forms.ModelChoiceField(label=_("维度"), queryset=Dimension.objects.none())
    code = forms.SlugField(label=_("指标代码"), max_length=40)
    name = forms.CharField(label=_("指标名称"), max_length=50)
    weight = forms.DecimalField(label=_("分值"), min_value=Decimal(0), decimal_places=2)
    benefit = forms.BooleanField(label=_("越高越好（不勾选表示越低越好）"), required=False)
    normalization = forms.ChoiceField(label=_("标准化方法"), choices=Normalization.choices)
    source = forms.ChoiceField(label=_("数据来源"), choices=IndicatorSourceKind.choices)
    source_code = forms.ChoiceField(label=_("计算来源"), required=False, choices=())
    target = forms.DecimalField(
        label=_("年度目标值"), required=False, decimal_places=2, min_value=Decimal("0.01")
    )
    prorate = forms.BooleanField(label=_("目标按月数折算（数量类指标）"), required=False)
    measure = forms.CharField(label=_("计量单位"), max_length=10, required=False)
    description = forms.CharField(label=_("计分说明"), max_length=200, required=False)
    sort_order = forms.IntegerField(label=_("排序"), initial=0, required=False)

    def __init__(
        self,
        *args: Any,
        system: IndicatorSystem,
        registered: dict[str, IndicatorSource],
        current: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self.fields["dimension"]).queryset = system.dimensions.all()
        field = self.fields["source_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = source_choices(registered, current)


class TargetsForm(forms.Form):
    """Each subject's own target for one indicator (blank: the indicator's target)."""

    def __init__(self, *args: Any, subjects: list[tuple[Subject, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subjects = subjects
        for (kind, pk), name in subjects:
            self.fields[f"t_{kind}_{pk}"] = forms.DecimalField(
                label=name,
                required=False,
                max_digits=14,  # as stored (Target.value)
                decimal_places=2,
                min_value=Decimal("0.01"),
            )

    def values(self) -> dict[Subject, Decimal | None]:
        return {
            (kind, pk): self.cleaned_data.get(f"t_{kind}_{pk}")
            for (kind, pk), _name in self.subjects
        }


class PeriodForm(forms.Form):
    system = forms.ModelChoiceField(label=_("指标体系"), queryset=IndicatorSystem.objects.none())
    name = forms.CharField(label=_("考核期名称"), max_length=50, help_text=_("如：2022年第一季度"))
    kind = forms.ChoiceField(label=_("周期"), choices=PeriodKind.choices)
    start = forms.DateField(label=_("开始日期"), widget=DATE_INPUT)
    end = forms.DateField(label=_("结束日期"), widget=DATE_INPUT)

    def __init__(self, *args: Any, systems: QuerySet[IndicatorSystem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self.fields["system"]).queryset = systems


class PeriodMoveForm(forms.Form):
    action = forms.ChoiceField(
        label=_("操作"),
        choices=[
            ("compute", _("计算（从记录重新取数并计分）")),
            ("review_all", _("审核通过全部待审的评分和更正")),
            ("publish", _("发布（发布后冻结，不能再修改）")),
        ],
        widget=forms.RadioSelect,
    )


class EntryForm(forms.Form):
    value = forms.DecimalField(label=_("指标值"), decimal_places=4, min_value=Decimal(0))
    reason = forms.CharField(
        label=_("依据或理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = BoundedFileField(label=_("佐证材料"), required=False)


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("申诉理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = BoundedFileField(label=_("附件"), required=False)


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"), choices=[("uphold", _("维持原分")), ("change", _("改分"))]
    )
    value = forms.DecimalField(
        label=_("调整后的分值"),
        decimal_places=4,
        max_digits=16,
        min_value=Decimal(0),
        required=False,
        help_text=_("改分时填写"),
    )
    comment = forms.CharField(
        label=_("处理意见"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )
