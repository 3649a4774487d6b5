"""Widgets shared by the forms of the platform."""

from __future__ import annotations

from typing import Any

from django import forms


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
