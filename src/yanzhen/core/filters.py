"""Filters of a list, declared once: the selector's frozen dataclass.

Each field of the dataclass is made by one of the constructors below (:func:`text`,
:func:`choice`, :func:`record`, :func:`number`, :func:`flag`, :func:`tristate`, :func:`day`,
:func:`month`), which gives its default, its Chinese label and its bounds::

    @dataclass(frozen=True)
    class TalentFilters(Filters):
        q: str = text("搜索")
        talent_type: str = choice("人才类型", TalentType)
        year: int | None = number("到岗年份", low=1990, high=2100)
        unit: int | None = record("用人单位", hidden=True)
        sub: bool = flag("含下级单位", hidden=True)

From it come, with nothing written twice:

* the HTML filter form, :func:`filter_form` (a bounded :class:`~yanzhen.core.forms.FilterForm`:
  a bad value is shown in Chinese naming its field and the list is shown unfiltered) and
  :func:`parse_filters` (the dataclass from a query string);
* the API's query schema, ``FilterQuery[TalentFilters]`` (a django-ninja ``Schema`` for
  ``query: Query[...]``: the same names, bounds and choices, a value beyond them a 422 naming
  the parameter; ``query.filters()`` gives the dataclass);
* the URL parameters of a filtered list, :meth:`Filters.as_query` (every figure links to the
  list of exactly its records).

django-filter and django-ninja's ``FilterSchema`` were tried first: both put the filtering
itself (lookups) into the declaration, which the selectors' rules (the data scope, a unit and
its subtree, "on post" on a day) do not fit; django-filter has no API schema and accepts keys
no database holds, ninja's ``FilterSchema`` has no HTML form. Both would be a third
declaration beside the selector's dataclass, which is what this module removes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, Literal, TypeVar

from django import forms
from django.db import models
from django.db.models import QuerySet
from ninja import Schema
from pydantic import AfterValidator, Field, create_model

from yanzhen.core.forms import (
    FILTER_TEXT_MAX,
    FIRST_DAY,
    LAST_DAY,
    YES_NO,
    FilterForm,
    unit_choices,
)
from yanzhen.core.models import Unit
from yanzhen.core.schemas import MAX_ID

F = TypeVar("F")

Kind = Literal["text", "choice", "record", "number", "flag", "tristate", "day", "month"]
# Static choices: a Django ``TextChoices`` class, (value, label) pairs or {value: label}.
StaticChoices = type[models.TextChoices] | Sequence[tuple[str, str]] | Mapping[str, str]
# Choices that depend on the user (the data scope): (value, label) pairs, or records.
UserChoices = Callable[[Any], Sequence[tuple[str, str]] | QuerySet[Any]]

METADATA_KEY = "yanzhen.filter"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


@dataclass(frozen=True)
class Spec:
    """What a filter field is: its kind, label and bounds (see the constructors)."""

    kind: Kind
    label: str
    hidden: bool = False
    choices: StaticChoices | UserChoices | None = None
    empty: str = "全部"
    low: int | None = None
    high: int | None = None
    max_length: int = FILTER_TEXT_MAX
    pattern: str = ""

    def static_choices(self) -> list[tuple[str, str]] | None:
        """The choices when they do not depend on the user, else None."""
        choices = self.choices
        if isinstance(choices, type) and issubclass(choices, models.Choices):
            return [(str(v), str(label)) for v, label in choices.choices]
        if choices is None or callable(choices):
            return None
        if isinstance(choices, Mapping):
            return [(str(v), str(label)) for v, label in choices.items()]
        return [(str(v), str(label)) for v, label in choices]


def _field(default: Any, spec: Spec) -> Any:
    return dataclasses.field(default=default, metadata={METADATA_KEY: spec})


def text(label: str, *, hidden: bool = False, max_length: int = FILTER_TEXT_MAX) -> Any:
    """A text (``str``, default ""): a search, a code; at most ``max_length`` characters."""
    return _field("", Spec("text", label, hidden=hidden, max_length=max_length))


def choice(
    label: str,
    choices: StaticChoices | UserChoices,
    *,
    empty: str = "全部",
    hidden: bool = False,
) -> Any:
    """One of ``choices`` (``str``, default "" = all, shown as ``empty``). ``choices`` may be a
    callable taking the user (choices in the data scope); the API then accepts any text."""
    return _field("", Spec("choice", label, hidden=hidden, choices=choices, empty=empty))


def record(
    label: str,
    *,
    records: Callable[[Any], QuerySet[Any]] | None = None,
    hidden: bool = False,
    empty: str = "全部",
    zero: bool = False,
) -> Any:
    """A record's key (``int | None``) within what a database holds; ``zero``: 0 stands for
    "none" (the selector filters the rows without one). With ``records`` (a callable taking
    the user, giving the records in its data scope) a visible field offers them (units
    through the searching picker); a hidden one is a key set by links."""
    return _field(
        None,
        Spec("record", label, hidden=hidden, choices=records, empty=empty, low=0 if zero else 1),
    )


def number(label: str, *, low: int, high: int, hidden: bool = False) -> Any:
    """A whole number (``int | None``) within ``low``..``high`` (a year: 1990..2100)."""
    return _field(None, Spec("number", label, hidden=hidden, low=low, high=high))


def flag(label: str, *, hidden: bool = False) -> Any:
    """A checkbox (``bool``, default False): on or not given."""
    return _field(False, Spec("flag", label, hidden=hidden))


def tristate(label: str, *, hidden: bool = False) -> Any:
    """Yes, no or either (``bool | None``, default None): 全部 / 是 / 否, ``1`` / ``0``."""
    return _field(None, Spec("tristate", label, hidden=hidden))


def day(label: str, *, hidden: bool = False) -> Any:
    """A date (``dt.date | None``) within 1900–2100, written ``2021-12-31``."""
    return _field(None, Spec("day", label, hidden=hidden))


def month(label: str, *, hidden: bool = False) -> Any:
    """A month (``dt.date | None``, its first day) within 1900–2100, written ``2021-12``."""
    return _field(None, Spec("month", label, hidden=hidden))


# The Python type each kind of field is annotated with in the dataclass.
_ANNOTATIONS: dict[Kind, object] = {
    "text": str,
    "choice": str,
    "record": int | None,
    "number": int | None,
    "flag": bool,
    "tristate": bool | None,
    "day": dt.date | None,
    "month": dt.date | None,
}


class Filters:
    """Base of the selectors' filter dataclasses: the filters as URL parameters."""

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters, empty ones left out: every figure links to the
        list of exactly its records (``url(name, query=filters.as_query())``)."""
        out: dict[str, str] = {}
        for name, spec in specs(type(self)).items():
            value = getattr(self, name)
            if value is None or value == "" or (value is False and spec.kind == "flag"):
                continue
            if isinstance(value, bool):
                out[name] = "1" if value else "0"
            elif spec.kind == "month" and isinstance(value, dt.date):
                out[name] = f"{value:%Y-%m}"
            elif isinstance(value, dt.date):
                out[name] = value.isoformat()
            else:
                out[name] = str(value)
        return out


_SPECS: dict[type, dict[str, Spec]] = {}


def specs(cls: type) -> dict[str, Spec]:
    """The filter fields of the dataclass ``cls``, checked against their annotations."""
    if cls not in _SPECS:
        _SPECS[cls] = _read_specs(cls)
    return _SPECS[cls]


def _read_specs(cls: type) -> dict[str, Spec]:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    hints = typing.get_type_hints(cls)
    out: dict[str, Spec] = {}
    for f in dataclasses.fields(cls):
        spec = f.metadata.get(METADATA_KEY)
        if not isinstance(spec, Spec):
            raise TypeError(
                f"{cls.__name__}.{f.name}: declare it with a filter field "
                "(text, choice, record, number, flag, tristate, day, month)"
            )
        expected = _ANNOTATIONS[spec.kind]
        if _normal(hints[f.name]) != _normal(expected):
            raise TypeError(
                f"{cls.__name__}.{f.name}: a {spec.kind} filter is annotated {expected}, "
                f"not {hints[f.name]}"
            )
        out[f.name] = spec
    return out


def _normal(annotation: object) -> object:
    if isinstance(annotation, types.UnionType):
        return frozenset(typing.get_args(annotation))
    return annotation


# The HTML form --------------------------------------------------------------------------------


class DataclassFilterForm(FilterForm, Generic[F]):
    """The filter form of a dataclass (made by :func:`filter_form`). ``user`` gives the
    choices that depend on the data scope."""

    dataclass: ClassVar[type[Any]]
    specs: ClassVar[dict[str, Spec]]

    def __init__(self, data: Any = None, *, user: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for name, spec in self.specs.items():
            field = self.fields.get(name)
            if not isinstance(field, forms.ChoiceField) or spec.static_choices() is not None:
                continue
            if callable(spec.choices):
                if user is None:
                    raise TypeError(f"the filter “{name}” needs the user for its choices")
                choices = typing.cast(UserChoices, spec.choices)
                self._user_choices(name, spec, choices(user))

    def _user_choices(
        self, name: str, spec: Spec, choices: Sequence[tuple[str, str]] | QuerySet[Any]
    ) -> None:
        field = self.fields[name]
        if isinstance(choices, QuerySet):
            assert isinstance(field, forms.ModelChoiceField)
            if choices.model is Unit:
                unit_choices(self, name, choices)
            else:
                field.queryset = choices
            field.error_messages["invalid_choice"] = (
                f"该{spec.label}不在可选范围内（或不在您的数据范围内）"
            )
        else:
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", spec.empty), *choices]

    def filters(self) -> F:
        """The selector's filters; all defaults while a filter is wrong (``problems()``)."""
        values: dict[str, Any] = {}
        for name, spec in self.specs.items():
            if name in self.fields:
                values[name] = _from_form(spec, self.value(name))
        return typing.cast(F, self.dataclass(**values))

    def active(self) -> list[tuple[str, str]]:
        """The hidden filters in effect (set by a link, not shown in the form), as
        (label, value): the page names them above the list, with a link to clear them."""
        return [
            (self.specs[name].label, _shown(value))
            for name, field in self.fields.items()
            if name in self.specs
            and field.widget.is_hidden
            and (value := self.value(name)) is not None
            and value != ""
            and value is not False
        ]


def _shown(value: Any) -> str:
    if value is True:
        return "是"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _from_form(spec: Spec, value: Any) -> Any:
    if spec.kind in ("text", "choice"):
        return str(value or "")
    if spec.kind == "flag":
        return bool(value)
    if spec.kind == "tristate":
        return {"1": True, "0": False}.get(str(value or ""))
    if spec.kind == "record" and isinstance(value, models.Model):
        return value.pk
    return value


def month_start(text: str) -> dt.date | None:
    """The first day of the month written ``2021-12`` (1900–2100); None for "".

    Raises ``ValueError`` with the reason in Chinese."""
    if not text:
        return None
    digits = text[:4] + text[5:]
    if len(text) != 7 or text[4] != "-" or not (digits.isascii() and digits.isdigit()):
        raise ValueError("月份应写成 2021-12")
    try:
        first = dt.date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise ValueError("月份应写成 2021-12") from None
    if not FIRST_DAY <= first <= LAST_DAY:
        raise ValueError("月份应在1900年至2100年之间")
    return first


class MonthField(forms.CharField):
    """A month written ``2021-12`` (1900–2100); cleaned to its first day."""

    def clean(self, value: Any) -> dt.date | None:
        try:
            return month_start(str(super().clean(value) or "").strip())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


def _form_field(spec: Spec, hidden: bool) -> forms.Field:
    label = spec.label
    widget = forms.HiddenInput if hidden else None
    match spec.kind:
        case "text":
            # At most FILTER_TEXT_MAX by default, with the house's message (FilterForm).
            longest = spec.max_length if spec.max_length != FILTER_TEXT_MAX else None
            return forms.CharField(label=label, required=False, max_length=longest, widget=widget)
        case "choice":
            fixed = spec.static_choices() or []
            return forms.ChoiceField(
                label=label, required=False, choices=[("", spec.empty), *fixed], widget=widget
            )
        case "record" if spec.choices is not None and not hidden:
            return forms.ModelChoiceField(
                label=label,
                required=False,
                queryset=Unit.objects.none(),
                empty_label=spec.empty,
                widget=widget,
            )
        case "record":
            # Within a 64-bit key, with the house's message (FilterForm).
            return forms.IntegerField(
                label=label, required=False, min_value=spec.low, widget=widget
            )
        case "number":
            return forms.IntegerField(
                label=label, required=False, min_value=spec.low, max_value=spec.high, widget=widget
            )
        case "flag":
            return forms.BooleanField(label=label, required=False, widget=widget)
        case "tristate":
            return forms.ChoiceField(label=label, required=False, choices=YES_NO, widget=widget)
        case "day":
            return forms.DateField(
                label=label, required=False, widget=forms.HiddenInput if hidden else DATE_INPUT
            )
        case "month":
            return MonthField(
                label=label,
                required=False,
                widget=forms.HiddenInput if hidden else forms.TextInput(attrs={"type": "month"}),
            )
    raise AssertionError(spec.kind)


_FORMS: dict[tuple[type, tuple[str, ...] | None, tuple[str, ...] | None], type[Any]] = {}


def _form_class(
    cls: type[Any], only: tuple[str, ...] | None, shown: tuple[str, ...] | None
) -> type[DataclassFilterForm[Any]]:
    key = (cls, only, shown)
    if key not in _FORMS:
        _FORMS[key] = _make_form_class(cls, only, shown)
    return typing.cast(type[DataclassFilterForm[Any]], _FORMS[key])


def _make_form_class(
    cls: type[Any], only: tuple[str, ...] | None, shown: tuple[str, ...] | None
) -> type[DataclassFilterForm[Any]]:
    fields: dict[str, Any] = {}
    for name, spec in specs(cls).items():
        if only is not None and name not in only:
            continue
        hidden = spec.hidden if shown is None else name not in shown
        fields[name] = _form_field(spec, hidden)
    attrs = {"dataclass": cls, "specs": specs(cls), "__module__": cls.__module__, **fields}
    return type(f"{cls.__name__}Form", (DataclassFilterForm,), attrs)


def filter_form(
    cls: type[F], *, only: Iterable[str] | None = None, shown: Iterable[str] | None = None
) -> type[DataclassFilterForm[F]]:
    """The filter form of the dataclass ``cls``: its fields (or ``only`` these), visible
    unless declared hidden (or, given ``shown``, exactly those visible). Instantiate it with
    the query string and, when a filter's choices depend on it, the user::

        form = filter_form(TalentFilters)(request.GET or None, user=user)
        rows = selectors.talent_list(user=user, filters=form.filters())
    """
    return _form_class(
        cls,
        tuple(only) if only is not None else None,
        tuple(shown) if shown is not None else None,
    )


def parse_filters(cls: type[F], data: Any, *, user: Any = None) -> F:
    """The filters ``cls`` from a query string (``request.GET``); all defaults when a value
    is wrong, as on the page."""
    return filter_form(cls)(data or None, user=user).filters()


# The API's query schema ----------------------------------------------------------------------


def _in_calendar(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError("日期应在1900年至2100年之间")
    return value


def _annotation(spec: Spec) -> tuple[Any, Any]:
    """The pydantic type and default of a filter in the API."""
    about = spec.label
    match spec.kind:
        case "text":
            return Annotated[str, Field(max_length=spec.max_length, description=about)], ""
        case "choice":
            fixed = spec.static_choices()
            if fixed is None:
                return Annotated[str, Field(max_length=FILTER_TEXT_MAX, description=about)], ""
            values = tuple(dict.fromkeys(["", *(v for v, _ in fixed)]))
            return Annotated[Literal[values], Field(description=about)], ""
        case "record":
            return Annotated[int, Field(ge=spec.low, le=MAX_ID, description=about)] | None, None
        case "number":
            return Annotated[int, Field(ge=spec.low, le=spec.high, description=about)] | None, None
        case "flag":
            return Annotated[bool, Field(description=about)], False
        case "tristate":
            return Annotated[bool, Field(description=about)] | None, None
        case "day":
            return Annotated[
                dt.date, AfterValidator(_in_calendar), Field(description=about)
            ] | None, None
        case "month":
            return (
                Annotated[str, Field(max_length=7, description=about), AfterValidator(month_start)],
                Field("", validate_default=True),
            )
    raise AssertionError(spec.kind)


_FILTERS_OF: dict[type, type] = {}


class _FilterQuery(Schema):
    """Runtime base of the schemas made by ``FilterQuery[...]``."""

    def filters(self) -> Any:
        for klass in type(self).__mro__:
            if klass in _FILTERS_OF:
                cls = _FILTERS_OF[klass]
                return cls(**{name: getattr(self, name) for name in specs(cls)})
        raise TypeError(f"{type(self).__name__} is not made by FilterQuery[...]")

    def __class_getitem__(cls, item: Any) -> Any:
        return query_schema(item)


_QUERIES: dict[type, type[Schema]] = {}


def query_schema(cls: type[Any]) -> type[Schema]:
    """The django-ninja query schema of the filters ``cls`` (what ``FilterQuery[cls]`` is)."""
    if cls not in _QUERIES:
        fields: dict[str, Any] = {name: _annotation(spec) for name, spec in specs(cls).items()}
        model: type[Schema] = create_model(
            f"{cls.__name__}Query", __base__=_FilterQuery, __module__=cls.__module__, **fields
        )
        _FILTERS_OF[model] = cls
        _QUERIES[cls] = model
    return _QUERIES[cls]


if TYPE_CHECKING:

    class FilterQuery(Schema, Generic[F]):
        """``FilterQuery[TalentFilters]``: the API's query schema of the filters (use it as
        ``query: Query[FilterQuery[TalentFilters]]`` or subclass it to add parameters);
        ``query.filters()`` gives the dataclass."""

        def filters(self) -> F: ...

else:
    FilterQuery = _FilterQuery
