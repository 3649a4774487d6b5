"""Widgets shared by the forms of the platform."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yanzhen.core.schemas import as_id

OPTIONS_SHOWN = 30
M = TypeVar("M", bound=Model)


class SearchSelect(forms.Select):
    """A ``<select>`` of a list too long to send whole (33,600 bases at national scope).

    It holds only the choices the form gives it — the fixed ones and the chosen record, the
    records in one ``<optgroup>`` — and a search box beside it fetches the matching records'
    ``<option>``s from ``url`` (htmx) into that group. The box belongs to no form (its
    ``form`` attribute names none), so the filters never send what was typed in it, and it
    comes after the ``<select>``, which keeps the name of the ``<label>`` around both.
    """

    template_name = "core/widgets/search_select.html"

    def __init__(self, *, url: str, label: str = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url = url
        self.label = label

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.url
        context["widget"]["search_label"] = f"搜索{self.label}"
        return context


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    """:class:`SearchSelect` of several records: the search keeps the chosen ones (the box
    sends them, and they come back first, still selected)."""


def chosen_values(request: HttpRequest) -> list[str]:
    """The values a picker's box sends of its select, named by the ``field`` it gives."""
    field = request.GET.get("field", "")
    return request.GET.getlist(field) if field and field != "search" else []


def search_options(
    request: HttpRequest,
    records: Callable[[str], QuerySet[M]],
    *,
    chosen: list[str],
    label: Callable[[M], str],
    empty: str,
) -> HttpResponse:
    """What a :class:`SearchSelect`'s box fetches: the ``<option>``s of the chosen records
    (first, selected) and of the records matching the search, ``OPTIONS_SHOWN`` at most
    besides the chosen ones.

    ``records(q)`` gives the user's records matching ``q`` (all of them for ``""``), already
    scoped, so that nothing out of scope is ever offered, not even as a chosen one."""
    pks = [pk for pk in map(as_id, chosen[:OPTIONS_SHOWN]) if pk is not None]
    first = list(records("").filter(pk__in=pks)) if pks else []
    q = request.GET.get("search", "").strip()[:50]
    found = records(q).exclude(pk__in=[r.pk for r in first])[:OPTIONS_SHOWN]
    options = [(str(r.pk), label(r)) for r in [*first, *found]]
    context = {"options": options, "chosen": [str(r.pk) for r in first], "empty": empty}
    return render(request, "core/widgets/options.html", context)
