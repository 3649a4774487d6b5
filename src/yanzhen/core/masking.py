"""Masking of personal data (ID numbers, mobiles) for users without the permission to see them.

The same rule everywhere — pages (``{% pii value "id" %}``), API schemas, exports, print views:
ID ``1408**********123X`` (first 4 and last 4 kept), mobile ``138****5678``.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import AnonymousUser

from yanzhen.core.models import User

PERSONAL_DATA_PERMISSION = "core.view_personal_data"
Kind = Literal["id", "mobile"]


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_mobile(value: str) -> str:
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def may_see_personal_data(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(PERSONAL_DATA_PERMISSION))


def pii(user: User | AnonymousUser, value: str, kind: Kind) -> str:
    """``value`` as ``user`` may see it."""
    if may_see_personal_data(user):
        return value
    return mask_id_number(value) if kind == "id" else mask_mobile(value)
