"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

Pure Python: no Django. ``check_credit_code`` returns why a code is invalid (in Chinese) or
``None`` when it is valid; ``check_character`` computes the 18th character of the first 17.

The alphabet is the 31 characters ``0-9`` and ``A-Z`` without ``I O S V Z``; character *i*
(counting from 0) weighs ``3**i mod 31``; the check character is the one whose value is
``31 - (Σ value × weight) mod 31`` (31 itself is ``0``).
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# 登记管理部门代码 (first) and 机构类别代码 (second): the values GB 32100-2015 assigns.
_DEPARTMENTS = "123456789ANY"
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def normalize_credit_code(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def check_character(first17: str) -> str:
    """The 18th character for the first 17 characters."""
    total = sum(_VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str | None:
    """Why ``value`` is not a valid 统一社会信用代码, or ``None`` if it is."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    if not _SHAPE.match(code):
        return "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z），第3至8位应为行政区划代码"
    if code[0] not in _DEPARTMENTS:
        return f"统一社会信用代码第1位（登记管理部门代码）不能为“{code[0]}”"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位不正确（第18位应为“{expected}”）"
    return None
