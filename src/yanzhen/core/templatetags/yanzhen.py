"""Template helpers of the platform: ``{% load yanzhen %}``."""

from __future__ import annotations

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
