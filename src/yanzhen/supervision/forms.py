"""Forms of work plans and milestones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.core.models import Person, Unit
from yanzhen.supervision.models import MilestoneStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkPlanForm(forms.Form):
    title = forms.CharField(label="方案名称", max_length=200)
    adopted_on = forms.DateField(label="印发日期", required=False, widget=DATE_INPUT)
    summary = forms.CharField(
        label="主要内容", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document = forms.FileField(label="方案文件", required=False)


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
        for name, qs in (("owner_unit", units), ("owner_person", people)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs
