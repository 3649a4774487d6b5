"""Forms of closed-loop supervision: work plans and milestones, rounds and reports, problems
and their moves, meeting decisions, and the lists' filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.cooperation.models import Activity, Base
from yanzhen.core.forms import FilterForm, KeysChoiceField, person_choices, unit_choices
from yanzhen.core.models import Person, Unit
from yanzhen.core.uploads import BoundedFileField
from yanzhen.supervision.models import (
    ActionItemState,
    Milestone,
    MilestoneStatus,
    ProblemAction,
    ProblemSource,
    ProblemState,
    RoundKind,
    RoundState,
)
from yanzhen.supervision.selectors import (
    ActionItemFilters,
    MilestoneFilters,
    ProblemFilters,
    RoundFilters,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkPlanForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=200)
    adopted_on = forms.DateField(label="印发日期", required=False, widget=DATE_INPUT)
    summary = forms.CharField(
        label="主要内容", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document = BoundedFileField(label="方案文件", required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点任务", max_length=200)
    owner_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())
    owner_person = forms.ModelChoiceField(
        label="责任人", queryset=Person.objects.none(), required=False
    )
    due_date = forms.DateField(label="完成时限", widget=DATE_INPUT)
    deliverable = forms.CharField(label="预期成果", max_length=200, required=False)
    status = forms.ChoiceField(label="状态", choices=MilestoneStatus.choices)
    done_date = forms.DateField(label="完成日期", required=False, widget=DATE_INPUT)
    sort_order = forms.IntegerField(label="排序", initial=0, required=False)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "owner_unit", units)
        person_choices(self, "owner_person", people)


class MilestoneFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    base = forms.ModelChoiceField(label="基地", queryset=Base.objects.none(), required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *MilestoneStatus.choices]
    )
    overdue = forms.BooleanField(label="只看逾期", required=False)
    escalated = forms.BooleanField(label="只看已督办", required=False)
    unit = forms.IntegerField(label="责任单位", required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, bases: QuerySet[Base], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self.fields["base"]).queryset = bases

    def filters(self) -> MilestoneFilters:
        base = self.value("base")
        return MilestoneFilters(
            q=(self.value("q") or "").strip(),
            base=base.pk if base else None,
            unit=self.value("unit"),
            status=self.value("status") or "",
            overdue=bool(self.value("overdue")),
            escalated=bool(self.value("escalated")),
        )


class UploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件", help_text="支持 .xlsx、.xls、.csv")


def _model_choice(field: forms.Field) -> forms.ModelChoiceField[Any]:
    assert isinstance(field, forms.ModelChoiceField)
    return field


class RoundForm(forms.Form):
    title = forms.CharField(label="调度名称", max_length=100)
    kind = forms.ChoiceField(label="调度类型", choices=RoundKind.choices)
    opened_on = forms.DateField(label="发起日期", widget=DATE_INPUT)
    deadline = forms.DateField(label="报送截止日期", widget=DATE_INPUT)
    bases = KeysChoiceField(
        label="参加基地", queryset=Base.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label="调度要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, bases: QuerySet[Base], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bases"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = bases


class RoundFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    year = forms.IntegerField(label="年份", required=False, min_value=1990, max_value=2100)
    kind = forms.ChoiceField(
        label="调度类型", required=False, choices=[("", "全部"), *RoundKind.choices]
    )
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *RoundState.choices]
    )

    def filters(self) -> RoundFilters:
        return self.as_filters(RoundFilters)


class RoundEditForm(forms.Form):
    title = forms.CharField(label="调度名称", max_length=100)
    deadline = forms.DateField(label="报送截止日期", widget=DATE_INPUT)
    state = forms.ChoiceField(label="状态", choices=RoundState.choices)
    note = forms.CharField(
        label="调度要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    """A base's report: one block of fields per milestone, the summary, problems raised."""

    summary = forms.CharField(
        label="总体进展", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label="需协调解决的问题",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个问题，提交后进入问题清单等待交办",
    )

    def __init__(self, *args: Any, milestones: list[Milestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        for m in milestones:
            self.fields[f"percent_{m.pk}"] = forms.IntegerField(
                label="完成进度（%）", min_value=0, max_value=100
            )
            self.fields[f"progress_{m.pk}"] = forms.CharField(
                label="进展情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"evidence_{m.pk}"] = BoundedFileField(label="佐证材料", required=False)

    def blocks(self) -> list[tuple[Milestone, Any, Any, Any]]:
        return [
            (m, self[f"percent_{m.pk}"], self[f"progress_{m.pk}"], self[f"evidence_{m.pk}"])
            for m in self.milestones
        ]


class ProblemForm(forms.Form):
    title = forms.CharField(label="问题", max_length=200)
    description = forms.CharField(
        label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    base = forms.ModelChoiceField(label="基地", queryset=Base.objects.none(), required=False)
    raised_by_unit = forms.ModelChoiceField(label="提出单位", queryset=Unit.objects.none())
    responsible_unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, help_text="可稍后交办"
    )
    deadline = forms.DateField(label="办理时限", required=False, widget=DATE_INPUT)

    def __init__(
        self, *args: Any, bases: QuerySet[Base], units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self.fields["base"]).queryset = bases
        unit_choices(self, "raised_by_unit", units)
        unit_choices(self, "responsible_unit", units)


class ProblemMoveForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=())
    note = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="办结时填写办结情况，退回时填写理由",
    )  # fmt: skip
    responsible_unit = forms.ModelChoiceField(
        label="责任单位（交办时）", queryset=Unit.objects.none(), required=False
    )
    deadline = forms.DateField(label="办理时限（交办时）", required=False, widget=DATE_INPUT)

    def __init__(
        self, *args: Any, actions: list[str], units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a, ProblemAction(a).label) for a in actions]
        unit_choices(self, "responsible_unit", units)


class ProblemFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("open", "未销号"), ("overdue", "已逾期"), *ProblemState.choices],
    )
    base = forms.ModelChoiceField(label="基地", queryset=Base.objects.none(), required=False)
    source = forms.ChoiceField(
        label="来源", required=False, choices=[("", "全部"), *ProblemSource.choices]
    )
    escalated = forms.BooleanField(label="只看已督办", required=False)
    year = forms.IntegerField(label="年份", required=False, min_value=1990, max_value=2100)
    unit = forms.IntegerField(label="责任单位", required=False, widget=forms.HiddenInput)
    round = forms.IntegerField(label="调度", required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, bases: QuerySet[Base], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self.fields["base"]).queryset = bases

    def filters(self) -> ProblemFilters:
        base = self.value("base")
        return ProblemFilters(
            q=(self.value("q") or "").strip(),
            state=self.value("state") or "",
            base=base.pk if base else None,
            unit=self.value("unit"),
            source=self.value("source") or "",
            year=self.value("year"),
            escalated=bool(self.value("escalated")),
            round=self.value("round"),
        )


class ActionItemForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label="会议", queryset=Activity.objects.none(), required=False, help_text="或填写会议名称"
    )
    meeting_title = forms.CharField(label="会议名称", max_length=200, required=False)
    meeting_date = forms.DateField(label="会议日期", required=False, widget=DATE_INPUT)
    decision = forms.CharField(label="决定事项", widget=forms.Textarea(attrs={"rows": 3}))
    base = forms.ModelChoiceField(label="基地", queryset=Base.objects.none(), required=False)
    responsible_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())
    deadline = forms.DateField(label="完成时限", widget=DATE_INPUT)

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


class ActionItemFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *ActionItemState.choices]
    )
    base = forms.ModelChoiceField(label="基地", queryset=Base.objects.none(), required=False)
    year = forms.IntegerField(label="会议年份", required=False, min_value=1990, max_value=2100)

    def __init__(self, *args: Any, bases: QuerySet[Base], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self.fields["base"]).queryset = bases

    def filters(self) -> ActionItemFilters:
        base = self.value("base")
        return ActionItemFilters(
            q=(self.value("q") or "").strip(),
            state=self.value("state") or "",
            base=base.pk if base else None,
            year=self.value("year"),
        )


class ActionItemMoveForm(forms.Form):
    target = forms.ChoiceField(
        label="转为",
        choices=[("problem", "问题（交办责任单位协调解决）"), ("milestone", "节点任务（列入基地工作方案）")],
        widget=forms.RadioSelect,
    )  # fmt: skip
