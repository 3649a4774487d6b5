"""Template helpers of the platform: ``{% load yanzhen %}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from yanzhen.core.masking import Kind, mask, may_see_personal_data

register = template.Library()


@register.simple_tag(takes_context=True)
def pii_value(context: dict[str, Any], value: str, kind: Kind) -> str:
    """``{% pii_value person.id_number "id" %}``: masked, unless the user holds the permission
    and has asked to reveal this kind of value (the view logs the reveal)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    revealed = context.get("revealed", ())
    if user is not None and may_see_personal_data(user) and kind in revealed:
        return value or ""
    return mask(value or "", kind)


def _grouped(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value, ",f") if value.is_finite() else str(value)
    return f"{value:,}"


@register.filter
def number(value: Any) -> Any:
    """``{{ amount|number }}``: a figure with thousands separators, keeping the digits it is
    stored with (``Decimal("1446000.00")`` → ``1,446,000.00``, ``56369`` → ``56,369``); the
    unit is written beside it by the page. Anything not a number is shown as it is. Exports
    do not use it: they keep raw numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return _grouped(value)
