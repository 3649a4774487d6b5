"""Forms of units and people, and the shared helpers every form of the platform uses."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from yanzhen.core.errors import DomainError
from yanzhen.core.masking import Kind, mask
from yanzhen.core.models import Degree, Gender, Person, Unit, UnitKind
from yanzhen.core.schemas import as_id
from yanzhen.core.widgets import SearchSelect, SearchSelectMultiple
from yanzhen.engines.idcard import check_id_number, check_mobile, normalize_id_number
from yanzhen.reference.models import Discipline, LocalIndustry


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's error beside its fields (or above the form)."""
    placed = False
    for name, message in error.fields.items():
        if name in form.fields and not form.fields[name].widget.is_hidden:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


F = TypeVar("F")


class FilterForm(forms.Form):
    """A GET form of list filters: every field optional, bad values simply ignored."""

    def value(self, name: str) -> Any:
        if not self.is_bound or not self.is_valid():
            return self.fields[name].initial if name in self.fields else None
        return self.cleaned_data.get(name)

    def as_filters(self, cls: type[F]) -> F:
        """The selector's filters ``cls`` (a dataclass) from the fields of the same names:
        a yes/no choice as True, False or None, a text or choice ("" by default) as a string,
        a flag (False by default) as a bool, anything else (numbers, dates) as it is."""
        values: dict[str, Any] = {}
        for spec in dataclasses.fields(cls):  # type: ignore[arg-type]
            field = self.fields.get(spec.name)
            if field is None:
                continue
            value = self.value(spec.name)
            if isinstance(field, forms.ChoiceField) and field.choices == YES_NO:
                value = yes_no(value)
            elif spec.default == "":
                value = value or ""
            elif spec.default is False:
                value = bool(value)
            values[spec.name] = value
        return cls(**values)


def record_choices(
    form: forms.BaseForm,
    name: str,
    records: QuerySet[Any],
    *,
    label: Callable[[Any], str],
    long_label: Callable[[Any], str] | None = None,
    url: str,
    group: str,
    before: Sequence[tuple[str, str]] = (),
    after: Sequence[tuple[str, str]] = (),
) -> None:
    """Give the choice field ``name`` the records (already scoped to the user) as options:
    all of them when there are at most ``settings.YANZHEN_LONG_LIST``; otherwise only the
    chosen ones, in a :class:`SearchSelect` (or :class:`SearchSelectMultiple`) that fetches
    the others from ``url`` as the user types, labelled by ``long_label`` (which tells apart
    records of the same name, e.g. by their county)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    limit = settings.YANZHEN_LONG_LIST
    rows = list(records[: limit + 1])
    if len(rows) <= limit:
        field.choices = [*before, *((str(r.pk), label(r)) for r in rows), *after]
        return
    value = form[name].value()
    values = value if isinstance(value, list | tuple) else [value]
    ids = [pk for pk in map(as_id, values) if pk is not None]
    rows = list(records.filter(pk__in=ids)) if ids else []
    kind = SearchSelectMultiple if field.widget.allow_multiple_selected else SearchSelect
    widget = kind(url=url, label=str(field.label or ""), attrs=field.widget.attrs)
    widget.is_required = field.required
    field.widget = widget
    named = long_label or label
    field.choices = [*before, *after, (group, [(str(r.pk), named(r)) for r in rows])]


def unit_label(unit: Unit) -> str:
    """A unit named with its parent, for pickers where units of the same name meet."""
    return f"{unit.name}（{unit.parent.name}）" if unit.parent else unit.name


def person_label(person: Person) -> str:
    """A person named with their unit, for pickers where people of the same name meet."""
    return f"{person.name}（{person.unit.name}）"


def unit_choices(form: forms.BaseForm, name: str, units: QuerySet[Unit]) -> None:
    """The unit field ``name`` chooses among ``units`` (already scoped to the user): a plain
    select while they are few, a searching picker fed by ``core:unit_options`` when they are
    many (280,000 units at national scope)."""
    scoped_choices(
        form, name, units.select_related("parent"), "core:unit_options", unit_label, "单位"
    )


def person_choices(form: forms.BaseForm, name: str, people: QuerySet[Person]) -> None:
    """The person field ``name`` chooses among ``people`` (already scoped to the user), as
    :func:`unit_choices` does, the picker fed by ``core:person_options``."""
    scoped_choices(
        form, name, people.select_related("unit"), "core:person_options", person_label, "人员"
    )


def scoped_choices(
    form: forms.BaseForm,
    name: str,
    records: QuerySet[Any],
    url_name: str,
    long_label: Callable[[Any], str],
    noun: str,
) -> None:
    """The model choice field ``name`` chooses among ``records`` (already scoped to the
    user) through :func:`record_choices`, its picker fed by the view ``url_name`` (told the
    field's name); a choice outside them is refused naming the ``noun``."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = records
    field.error_messages["invalid_choice"] = (
        f"该{noun}不在可选范围内（或不在您的数据范围内），请重新选择"
    )
    record_choices(
        form,
        name,
        records,
        label=str,
        long_label=long_label,
        url=f"{reverse(url_name)}?{urlencode({'field': name})}",
        group=noun,
        before=[] if field.empty_label is None else [("", str(field.empty_label))],
    )


YES_NO = [("", "全部"), ("1", "是"), ("0", "否")]


def yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class UnitFilterForm(FilterForm):
    q = forms.CharField(label="搜索", required=False)
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部"), *UnitKind.choices]
    )
    industry = forms.CharField(label="本地产业", required=False, widget=forms.HiddenInput)
    tier = forms.CharField(label="层级", required=False, widget=forms.HiddenInput)
    group = forms.CharField(label="产业类别", required=False, widget=forms.HiddenInput)
    leading = forms.ChoiceField(label="龙头企业", required=False, choices=YES_NO)
    covered = forms.ChoiceField(label="已有高校合作", required=False, choices=YES_NO)
    parent = forms.IntegerField(label="上级单位", required=False, widget=forms.HiddenInput)


class UnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label="上级单位", queryset=Unit.objects.none(), required=False)
    code = forms.CharField(label="单位代码", max_length=30, required=False)
    local_industry = forms.ModelChoiceField(
        label="本地产业", queryset=LocalIndustry.objects.all(), required=False
    )
    is_leading = forms.BooleanField(label="龙头企业", required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    sort_order = forms.IntegerField(label="排序", initial=0, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "parent", parents)


class PiiField(forms.CharField):
    """An ID number or a mobile in a form, checked here (GB 11643 check digit, ``^1[3-9]\\d{9}$``)
    with the reason in Chinese.

    Editing a record, the field shows the stored value masked (``stored`` set by the form),
    unless the user may see it and asked to reveal it (a logged reveal). Sent back as shown,
    the stored value is kept; a new complete value replaces it; empty clears it; a changed
    mask is refused."""

    def __init__(self, *, kind: Kind, **kwargs: Any) -> None:
        self.kind = kind
        self.stored = ""
        label = "身份证号" if kind == "id" else "手机号"
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)  # the check below names the length expected
        kwargs.setdefault("error_messages", {"max_length": f"{label}过长，请检查"})
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = str(super().clean(value) or "").strip()
        if self.kind == "id":
            text = normalize_id_number(text)
        if self.stored and text == mask(self.stored, self.kind):
            return self.stored
        label = "身份证号" if self.kind == "id" else "手机号"
        if "*" in text:
            raise forms.ValidationError(f"请填写完整的{label}，或保留原来显示的内容不变")
        if text:
            problem = (
                check_id_number(text, today=timezone.localdate())
                if self.kind == "id"
                else check_mobile(text)
            )
            if problem:
                raise forms.ValidationError(problem)
        return text


def show_personal_data(
    form: forms.BaseForm, stored: Mapping[str, str], revealed: Sequence[Kind] = ()
) -> None:
    """An edit form shows the stored ID number and mobile (fields ``id_number``, ``mobile``)
    masked, except the kinds ``revealed`` (the view checked the permission and logged it)."""
    for name, value in stored.items():
        field = form.fields.get(name)
        if not isinstance(field, PiiField):
            continue
        field.stored = value or ""
        form.initial[name] = value if field.kind in revealed else mask(value or "", field.kind)
        if value:
            field.help_text = "以掩码显示：不修改则保留原号码，填写新号码则替换，清空则删除"


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=[("", "—"), *Gender.choices], required=False)
    id_number = PiiField(kind="id", label="身份证号")
    mobile = PiiField(kind="mobile", label="手机号")
    degree = forms.ChoiceField(label="学位", choices=[("", "—"), *Degree.choices], required=False)
    discipline = forms.ModelChoiceField(
        label="学科",
        queryset=Discipline.objects.filter(parent__isnull=False),
        required=False,
    )
    unit = forms.ModelChoiceField(label="所在单位", queryset=Unit.objects.none())
    title = forms.CharField(label="职称", max_length=50, required=False)
    position = forms.CharField(label="职务", max_length=100, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "unit", units)


class DuplicateResolveForm(forms.Form):
    action = forms.ChoiceField(
        label="处理方式",
        choices=[
            ("merge", "合并：新登记的记录并入已登记人员"),
            ("keep", "保留两条：确认为不同记录，分别保留"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="处理说明", max_length=200, required=False)
