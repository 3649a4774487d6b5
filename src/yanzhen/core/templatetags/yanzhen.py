"""Template helpers of the platform: ``{% load yanzhen %}``."""

from __future__ import annotations

from typing import Any

from django import template

from yanzhen.core.masking import Kind, pii

register = template.Library()


@register.simple_tag(takes_context=True)
def pii_value(context: dict[str, Any], value: str, kind: Kind) -> str:
    """``{% pii_value person.id_number "id" %}``: masked unless the user holds the permission."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return pii_value_masked(value, kind)
    return pii(user, value or "", kind)


def pii_value_masked(value: str, kind: Kind) -> str:
    from yanzhen.core.masking import mask_id_number, mask_mobile

    return mask_id_number(value or "") if kind == "id" else mask_mobile(value or "")
