"""Forms of units and people, and the shared helpers every form of the platform uses."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core import validators
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from yanzhen.core.errors import DomainError
from yanzhen.core.masking import Kind, mask
from yanzhen.core.models import Degree, Gender, Person, Unit, UnitKind
from yanzhen.core.schemas import MAX_ID, as_id
from yanzhen.core.widgets import SearchSelect, SearchSelectMultiple
from yanzhen.engines.idcard import check_id_number, check_mobile, normalize_id_number


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's error beside its fields (or above the form)."""
    placed = False
    for name, message in error.fields.items():
        if name in form.fields and not form.fields[name].widget.is_hidden:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def keep_as_is(form: forms.BaseForm, name: str, records: QuerySet[Any], help_text: str) -> None:
    """Show the choice field ``name`` with its current value only and ignore what is posted
    for it (the user may not change it; the services refuse a change in any case)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.widget = forms.Select()
    field.queryset = records
    field.disabled = True
    field.required = False
    field.help_text = help_text


MAX_VERSION = 2**31 - 1


class VersionField(forms.IntegerField):
    """The version of a record an edit form was opened on (hidden); see :func:`edited_version`."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_VERSION)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "版本号不正确：请刷新页面，核对最新内容后再保存",
                "min_value": "版本号不正确：请刷新页面，核对最新内容后再保存",
                "max_value": "版本号不正确：请刷新页面，核对最新内容后再保存",
            },
        )
        super().__init__(**kwargs)


def edited_version(form: forms.BaseForm) -> int:
    """The version the edit in ``form`` was made on. An edit posted without it cannot be
    checked against a concurrent one, so it is refused as a conflict (G35) instead of
    silently overwriting whatever was saved since."""
    version = form.cleaned_data.get("version")
    if version is None:
        raise DomainError(
            "conflict",
            "无法确认您编辑的是哪一版本（缺少版本号）：请刷新页面，核对最新内容后再保存",
            {"version": "缺少版本号"},
            status=409,
        )
    return int(version)


F = TypeVar("F")


FILTER_TEXT_MAX = 200
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


def bounded_int(text: object, *, low: int = -MAX_ID, high: int = MAX_ID) -> int | None:
    """A whole number typed in a query string (ASCII digits, an optional minus) within
    ``low``..``high``, or None: never an overflow, never a digit of another script."""
    value = str(text if text is not None else "").strip()
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
        return None
    number = int(value)
    return number if low <= number <= high else None


def bounded_date(text: object) -> dt.date | None:
    """A date typed in a query string (``YYYY-MM-DD``) within 1900–2100, or None (a date at
    the end of the calendar would overflow the first day added to it)."""
    try:
        day = dt.date.fromisoformat(str(text or "").strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def bound_filter_field(field: forms.Field) -> None:
    """Give a filter field the bounds of what can be stored: numbers within a 64-bit key,
    dates within 1900–2100, texts of at most ``FILTER_TEXT_MAX`` characters, each with its
    Chinese message (a value beyond them is an error, never a crash in the database)."""
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
        if field.max_value is None:
            field.max_value = MAX_ID
            field.validators.append(
                validators.MaxValueValidator(MAX_ID, message="数值过大（不能超过%(limit_value)s）")
            )
        if field.min_value is None:
            field.min_value = -MAX_ID
            field.validators.append(
                validators.MinValueValidator(-MAX_ID, message="数值过小（不能小于%(limit_value)s）")
            )
    elif isinstance(field, forms.DateField):
        field.validators += [
            validators.MinValueValidator(FIRST_DAY, message="日期应在1900年至2100年之间"),
            validators.MaxValueValidator(LAST_DAY, message="日期应在1900年至2100年之间"),
        ]
    elif isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = FILTER_TEXT_MAX
        field.validators.append(
            validators.MaxLengthValidator(
                FILTER_TEXT_MAX, message=f"不能超过{FILTER_TEXT_MAX}个字符"
            )
        )


class FilterForm(forms.Form):
    """A GET form of list filters: every field optional and bounded
    (:func:`bound_filter_field`, choices among their choices, record keys within what a
    database holds). A bad value is shown in Chinese naming its parameter
    (``includes/filter_fields.html``) and the list is shown unfiltered: nothing is guessed,
    nothing fails."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_filter_field(field)
        if self.is_bound:
            self.data = _bounded_keys(self.data, self.fields)

    def problems(self) -> list[str]:
        """What was wrong with the filters, in Chinese, each naming its field (its label, or
        the URL parameter of a hidden one)."""
        if not self.is_bound or self.is_valid():
            return []
        out: list[str] = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            hidden = field is None or field.widget.is_hidden or field.label is None
            label = f"参数“{name}”" if hidden else f"“{field.label}”"  # type: ignore[union-attr]
            out.extend(f"筛选条件{label}不正确：{message}" for message in errors)
        return out

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


if TYPE_CHECKING:
    _MultipleChoice = forms.ModelMultipleChoiceField[Any]
else:
    _MultipleChoice = forms.ModelMultipleChoiceField


class KeysChoiceField(_MultipleChoice):
    """Django's multiple choice of records, refusing keys no database could hold as "not a
    choice" (SQLite's driver fails on a key beyond 64 bits in ``IN (…)`` instead of finding
    nothing). Every form choosing several records uses it."""

    def clean(self, value: Any) -> Any:
        pk = self.queryset.model._meta.pk if self.queryset is not None else None
        keyed = self.to_field_name is None and isinstance(pk, models.IntegerField)
        if keyed and isinstance(value, list | tuple):
            for key in value:
                if key not in ("", None) and as_id(key) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(key)[:30]},
                    )
        return super().clean(value)


def _bounded_keys(data: Any, fields: dict[str, forms.Field]) -> Any:
    """``data`` with every value of a record-key choice that no database could hold (too
    large, not a number) replaced by one that is simply not a choice (the lookup of a key
    beyond 64 bits fails in the database driver instead of finding nothing)."""
    names = [
        name
        for name, field in fields.items()
        if isinstance(field, forms.ModelChoiceField)
        and field.to_field_name is None
        and field.queryset is not None
        and isinstance(field.queryset.model._meta.pk, models.IntegerField)
        and name in data
    ]
    if not names or not hasattr(data, "getlist"):
        return data
    data = data.copy()
    for name in names:
        values = data.getlist(name)
        data.setlist(name, [v if v == "" or as_id(v) is not None else "—" for v in values])
    return data


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
    group_of: Callable[[Any], str] | None = None,
) -> None:
    """Give the choice field ``name`` the records (already scoped to the user) as options:
    all of them when there are at most ``settings.YANZHEN_LONG_LIST`` (in ``<optgroup>``s
    named by ``group_of`` when there are more than :data:`GROUP_FROM` of them and they fall
    in more than one group, in the order they first come); otherwise only the
    chosen ones, in a :class:`SearchSelect` (or :class:`SearchSelectMultiple`) that fetches
    the others from ``url`` as the user types, labelled by ``long_label`` (which tells apart
    records of the same name, e.g. by their county)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    limit = settings.YANZHEN_LONG_LIST
    rows = list(records[: limit + 1])
    if len(rows) <= limit:
        groups: dict[str, list[tuple[str, str]]] = {}
        for r in rows:
            groups.setdefault(group_of(r) if group_of else "", []).append((str(r.pk), label(r)))
        if len(rows) > GROUP_FROM and len(groups) > 1:
            field.choices = [*before, *groups.items(), *after]
        else:
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


# A select of more options than this is grouped (when its records fall in several groups).
GROUP_FROM = 15


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
        form,
        name,
        units.select_related("parent").defer(None),
        "core:unit_options",
        unit_label,
        "单位",
        group_of=lambda unit: UnitKind(unit.kind).label,
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
    group_of: Callable[[Any], str] | None = None,
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
        group_of=group_of,
    )


YES_NO = [("", "全部"), ("1", "是"), ("0", "否")]


def yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def related_choices(
    form: forms.BaseForm, name: str, model: type[models.Model], **filters: Any
) -> None:
    """The choices of ``form``'s field ``name``: the rows ``model``'s foreign key of the same
    name may point to (reference data of an app above core, reached through the relation)."""
    related = model._meta.get_field(name).related_model
    assert isinstance(related, type)
    assert issubclass(related, models.Model)
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = related._default_manager.filter(**filters)


class UnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label="上级单位", queryset=Unit.objects.none(), required=False)
    code = forms.CharField(label="单位代码", max_length=30, required=False)
    local_industry: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="本地产业", queryset=None, required=False
    )
    is_leading = forms.BooleanField(label="龙头企业", required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    sort_order = forms.IntegerField(label="排序", initial=0, required=False)
    version = VersionField()

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "parent", parents)
        related_choices(self, "local_industry", Unit)


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
    discipline: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="学科", queryset=None, required=False
    )
    unit = forms.ModelChoiceField(label="所在单位", queryset=Unit.objects.none())
    title = forms.CharField(label="职称", max_length=50, required=False)
    position = forms.CharField(label="职务", max_length=100, required=False)
    version = VersionField()

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_choices(self, "unit", units)
        related_choices(self, "discipline", Person, parent__isnull=False)  # 一级学科


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
