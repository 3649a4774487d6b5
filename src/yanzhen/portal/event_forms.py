"""Forms of the 云对接会: the event (agenda, slots and rooms as lines), the office registering
an enterprise, a party's unavailable slots, a meeting request, and a meeting's minutes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from yanzhen.cooperation.forms import cooperation_choices
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.forms import KeysChoiceField, VersionField, unit_choices
from yanzhen.core.models import Unit
from yanzhen.portal.event_models import EventSlot

LINES = {"rows": 5}


class MatchEventForm(forms.Form):
    title = forms.CharField(label="名称", max_length=100)
    date = forms.DateField(label="举办日期", widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label="简介", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    agenda = forms.CharField(
        label="议程",
        required=False,
        max_length=5000,
        help_text="每行一项：时间 议程，例如“09:00 开幕致辞”",
        widget=forms.Textarea(attrs=LINES),
    )
    slots = forms.CharField(
        label="约见时段",
        max_length=2000,
        help_text="每行一个时段，按先后顺序，例如“10:00–10:20”",
        widget=forms.Textarea(attrs=LINES),
    )
    rooms = forms.CharField(
        label="会议室",
        max_length=10000,
        help_text="每行一个：会议室名称 视频会议链接（http:// 或 https://，由主办方在视频会议"
        "平台创建）；每个时段每个会议室安排一场约见",
        widget=forms.Textarea(attrs=LINES),
    )
    version = VersionField()


class PartyForm(forms.Form):
    unit = forms.ModelChoiceField(label="企业", queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "unit", units)


def _slot_label(slot: EventSlot) -> str:
    return slot.label


class AvailabilityForm(forms.Form):
    unavailable = KeysChoiceField(
        label="不能参会的时段",
        queryset=EventSlot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, slots: QuerySet[EventSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unavailable"]
        assert isinstance(field, KeysChoiceField)
        field.queryset = slots
        field.label_from_instance = _slot_label  # type: ignore[method-assign,assignment]


class RequestForm(forms.Form):
    party = forms.IntegerField(label="约见对象", min_value=1, max_value=2**63 - 1)
    topic = forms.CharField(label="约见事由", max_length=200, required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="会议纪要", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    cooperations = KeysChoiceField(
        label="促成的合作", queryset=Cooperation.objects.none(), required=False
    )

    def __init__(self, *args: Any, cooperations: QuerySet[Cooperation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cooperation_choices(self, "cooperations", cooperations)
