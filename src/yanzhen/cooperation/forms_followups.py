"""The form of a landed project's yearly follow-up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.cooperation.models import Cooperation


class FollowUpForm(forms.Form):
    cooperation = forms.ModelChoiceField(label="合作项目", queryset=Cooperation.objects.none())
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    output_value = forms.DecimalField(
        label="产值（万元）", max_digits=14, decimal_places=2, min_value=Decimal(0)
    )
    jobs = forms.IntegerField(label="带动就业（人）", min_value=0)
    patents = forms.IntegerField(label="专利（件）", min_value=0)
    tax = forms.DecimalField(
        label="税收（万元）", max_digits=14, decimal_places=2, min_value=Decimal(0)
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, cooperations: QuerySet[Cooperation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cooperation"].queryset = cooperations  # type: ignore[attr-defined]
