"""Chinese resident ID numbers (GB 11643-1999) and mobile numbers.

Pure Python: no Django. ``check_id_number`` returns the reason an ID number is invalid
(in Chinese) or ``None`` when it is valid.
"""

from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")  # ASCII digits only (\d takes full-width ones)
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
# First two digits of the address code: the province-level divisions of GB/T 2260.
_PROVINCES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
        "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
        "63", "64", "65", "71", "81", "82",
    }
)  # fmt: skip


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def check_id_number(value: str, *, today: dt.date | None = None) -> str | None:
    """Why ``value`` is not a valid 18-digit ID number, or ``None`` if it is."""
    number = normalize_id_number(value)
    if len(number) != 18:
        return f"身份证号应为18位，实际为{len(number)}位"
    if not _ID_SHAPE.match(number):
        return "身份证号格式不正确：前17位应为数字，最后一位为数字或X"
    if number[:2] not in _PROVINCES:
        return "身份证号的地址码不正确"
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在"
    if birth.year < 1900 or (today is not None and birth > today):
        return "身份证号中的出生日期不合理"
    if check_digit(number[:17]) != number[17]:
        return "身份证号校验码不正确"
    return None


def gender_code(number: str) -> str:
    """``"M"`` or ``"F"`` from the 17th digit."""
    return "M" if int(normalize_id_number(number)[16]) % 2 else "F"


def check_mobile(value: str) -> str | None:
    """Why ``value`` is not a mainland mobile number, or ``None`` if it is."""
    if not _MOBILE.match(value.strip()):
        return "手机号应为11位数字，以13–19开头"
    return None
