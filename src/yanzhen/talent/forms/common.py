"""Helpers shared by the talent forms: scoped choices, universities typed by name, months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy

from yanzhen.core.excel import LIST_SEPARATORS
from yanzhen.core.forms import PiiField
from yanzhen.core.models import Gender
from yanzhen.reference.models import Discipline, University
from yanzhen.reference.selectors import university_resolver

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
SUGGEST = {
    "list": "university-names",
    "autocomplete": "off",
    "hx-get": reverse_lazy("reference:university_suggest"),
    "hx-trigger": "keyup changed delay:300ms",
    "hx-target": "#university-names",
}
ALL = [("", "全部")]
NONE = [("", "—")]


def set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def set_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def split_names(text: str) -> list[str]:
    return [p.strip() for p in LIST_SEPARATORS.split(text or "") if p.strip()]


def resolve_universities(text: str) -> list[University]:
    index = university_resolver()
    ids: list[int] = []
    problems: list[str] = []
    for name in split_names(text):
        found = index.resolve(name)
        if found.key is None:
            problems.append(
                f"“{name}”对应多所高校，请写全称"
                if found.candidates
                else f"找不到高校“{name}”，请写全称、简称或学校标识码"
            )
        elif int(found.key) not in ids:
            ids.append(int(found.key))
    if problems:
        raise forms.ValidationError(problems)
    by_id = University.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


class UniversityField(forms.CharField):
    """One university by full name, abbreviation or MoE code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs=SUGGEST))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> University | None:
        text = super().clean(value)
        if not text:
            return None
        found = resolve_universities(text)
        if len(found) != 1:
            raise forms.ValidationError("请只填写一所高校")
        return found[0]


def discipline_field(label: str = "学科") -> forms.ModelChoiceField[Discipline]:
    return forms.ModelChoiceField(
        label=label, queryset=Discipline.objects.filter(parent__isnull=False), required=False
    )


def month_start(value: str) -> dt.date | None:
    try:
        year, month = (int(p) for p in value.split("-")[:2])
        return dt.date(year, month, 1)
    except ValueError:
        return None


class MonthField(forms.CharField):
    """A month written ``2021-12``; cleaned to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        first = month_start(text)
        if first is None:
            raise forms.ValidationError("月份应写成 2021-12")
        return first


class PersonFields(forms.Form):
    """The personal fields of a new person (kept on ``core.Person``)."""

    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=NONE + list(Gender.choices), required=False)
    id_number = PiiField(kind="id", label="身份证号", help_text="已登记的人员按身份证号识别")
    mobile = PiiField(kind="mobile", label="手机号")

    def person_data(self) -> dict[str, str]:
        d = self.cleaned_data
        return {
            "name": d["name"].strip(),
            "gender": d["gender"],
            "id_number": d["id_number"].strip().upper(),
            "mobile": d["mobile"].strip(),
        }
