"""Forms of closed-loop supervision: work plans and milestones, rounds and reports, problems
and their moves, meeting decisions. (The lists' filters are the selectors' dataclasses.)"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yanzhen.cooperation.models import Activity, Base
from yanzhen.core.forms import KeysChoiceField, person_choices, unit_choices
from yanzhen.core.models import Person, Unit
from yanzhen.core.uploads import BoundedFileField
from yanzhen.supervision.models import (
    Milestone,
    MilestoneStatus,
    ProblemAction,
    RoundKind,
    RoundState,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _model_choice(field: forms.Field) -> forms.ModelChoiceField[Any]:
    assert isinstance(field, forms.ModelChoiceField)
    return field


class WorkPlanForm(forms.Form):
    title = forms.CharField(label=_("方案名称"), max_length=200)
    adopted_on = forms.DateField(label=_("印发日期"), required=False, widget=DATE_INPUT)
    summary = forms.CharField(
        label=_("主要内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document = BoundedFileField(label=_("方案文件"), required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点任务"), max_length=200)
    owner_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    owner_person = forms.ModelChoiceField(
        label=_("责任人"), queryset=Person.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("完成时限"), widget=DATE_INPUT)
    deliverable = forms.CharField(label=_("预期成果"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=MilestoneStatus.choices)
    done_date = forms.DateField(label=_("完成日期"), required=False, widget=DATE_INPUT)
    sort_order = forms.IntegerField(label=_("排序"), initial=0, required=False)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", units)
        person_choices(self, "owner_person", people)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("调度名称"), max_length=100)
    kind = forms.ChoiceField(label=_("调度类型"), choices=RoundKind.choices)
    opened_on = forms.DateField(label=_("发起日期"), widget=DATE_INPUT)
    deadline = forms.DateField(label=_("报送截止日期"), widget=DATE_INPUT)
    bases = KeysChoiceField(
        label=_("参加基地"), queryset=Base.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("调度要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, bases: QuerySet[Base], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bases"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = bases


class RoundEditForm(forms.Form):
    title = forms.CharField(label=_("调度名称"), max_length=100)
    deadline = forms.DateField(label=_("报送截止日期"), widget=DATE_INPUT)
    state = forms.ChoiceField(label=_("状态"), choices=RoundState.choices)
    note = forms.CharField(
        label=_("调度要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    """A base's report: one block of fields per milestone, the summary, problems raised."""

    summary = forms.CharField(
        label=_("总体进展"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label=_("需协调解决的问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个问题，提交后进入问题清单等待交办"),
    )

    def __init__(self, *args: Any, milestones: list[Milestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        for m in milestones:
            self.fields[f"percent_{m.pk}"] = forms.IntegerField(
                label=_("完成进度（%）"), min_value=0, max_value=100
            )
            self.fields[f"progress_{m.pk}"] = forms.CharField(
                label=_("进展情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"evidence_{m.pk}"] = BoundedFileField(label=_("佐证材料"), required=False)

    def blocks(self) -> list[tuple[Milestone, Any, Any, Any]]:
        return [
            (m, self[f"percent_{m.pk}"], self[f"progress_{m.pk}"], self[f"evidence_{m.pk}"])
            for m in self.milestones
        ]


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("问题"), max_length=200)
    description = forms.CharField(
        label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    base = forms.ModelChoiceField(label=_("基地"), queryset=Base.objects.none(), required=False)
    raised_by_unit = forms.ModelChoiceField(label=_("提出单位"), queryset=Unit.objects.none())
    responsible_unit = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("可稍后交办"),
    )
    deadline = forms.DateField(label=_("办理时限"), required=False, widget=DATE_INPUT)

    def __init__(
        self, *args: Any, bases: QuerySet[Base], units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self.fields["base"]).queryset = bases
        unit_choices(self, "raised_by_unit", units)
        unit_choices(self, "responsible_unit", units)


class ProblemMoveForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), choices=())
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("办结时填写办结情况，退回时填写理由"),
    )  # fmt: skip
    responsible_unit = forms.ModelChoiceField(
        label=_("责任单位（交办时）"), queryset=Unit.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("办理时限（交办时）"), required=False, widget=DATE_INPUT)

    def __init__(
        self, *args: Any, actions: list[str], units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a, ProblemAction(a).label) for a in actions]
        unit_choices(self, "responsible_unit", units)


class ActionItemForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("会议"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("或填写会议名称"),
    )
    meeting_title = forms.CharField(label=_("会议名称"), max_length=200, required=False)
    meeting_date = forms.DateField(label=_("会议日期"), required=False, widget=DATE_INPUT)
    decision = forms.CharField(label=_("决定事项"), widget=forms.Textarea(attrs={"rows": 3}))
    base = forms.ModelChoiceField(label=_("基地"), queryset=Base.objects.none(), required=False)
    responsible_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    deadline = forms.DateField(label=_("完成时限"), widget=DATE_INPUT)

    def __init__(
        self,
        *args: Any,
        meetings: QuerySet[Activity],
        bases: QuerySet[Base],
        units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self.fields["meeting"]).queryset = meetings
        _model_choice(self.fields["base"]).queryset = bases
        unit_choices(self, "responsible_unit", units)


class ActionItemMoveForm(forms.Form):
    target = forms.ChoiceField(
        label=_("转为"),
        choices=[("problem", _("问题（交办责任单位协调解决）")), ("milestone", _("节点任务（列入基地工作方案）"))],
        widget=forms.RadioSelect,
    )  # fmt: skip
