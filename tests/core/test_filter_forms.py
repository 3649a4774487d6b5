"""A list's filter form gives its selector's filters by the names they share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms

from yanzhen.core.forms import YES_NO, FilterForm


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    year: int | None = None
    since: dt.date | None = None
    active: bool | None = None
    sub: bool = False
    page_size: int = 20  # not a field of the form: keeps its default


class Form(FilterForm):
    q = forms.CharField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", "全部"), ("a", "甲"), ("b", "乙")])
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    since = forms.DateField(required=False)
    active = forms.ChoiceField(required=False, choices=YES_NO)
    sub = forms.BooleanField(required=False)
    other = forms.CharField(required=False)  # not a filter: left out


def test_each_kind_of_field_becomes_its_filter_value() -> None:
    data = {"q": "芦笋", "kind": "b", "year": "2021", "since": "2021-03-01", "active": "0",
            "sub": "on", "other": "x"}  # fmt: skip
    assert Form(data).as_filters(Filters) == Filters(
        q="芦笋", kind="b", year=2021, since=dt.date(2021, 3, 1), active=False, sub=True
    )
    assert Form({"active": "1"}).as_filters(Filters) == Filters(active=True)


def test_empty_and_bad_values_give_the_defaults() -> None:
    assert Form({}).as_filters(Filters) == Filters()
    assert Form().as_filters(Filters) == Filters()
    # one bad value (a year out of range) and the whole form is ignored, as every list does
    assert Form({"q": "芦笋", "year": "1800"}).as_filters(Filters) == Filters()
