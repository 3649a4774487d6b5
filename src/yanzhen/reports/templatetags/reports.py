"""Template filters of the reports pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from yanzhen.engines.briefing_template import Kind, format_value

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """A ratio as the briefings write it (``0.2245`` → ``22.5%``), ``—`` when there is none."""
    return format_value(Kind.PERCENT, value)


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """``mapping[key]`` in a template (None when missing)."""
    return mapping.get(key)
