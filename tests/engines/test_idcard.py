from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yanzhen.engines.idcard import (
    check_digit,
    check_id_number,
    check_mobile,
    gender_code,
)

TODAY = dt.date(2026, 11, 27)


def test_it_computes_the_gb11643_check_digit() -> None:
    # The standard's worked example: 11010519491231002X.
    assert check_digit("11010519491231002") == "X"
    assert check_id_number("11010519491231002X", today=TODAY) is None
    assert check_id_number("11010519491231002x", today=TODAY) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1101051949123100", "身份证号应为18位，实际为16位"),
        ("11010519491231002XX", "身份证号应为18位，实际为19位"),
        ("A1010519491231002X", "身份证号格式不正确：前17位应为数字，最后一位为数字或X"),
        ("110105194912310Y2X", "身份证号格式不正确：前17位应为数字，最后一位为数字或X"),
        ("99010519491231002X", "身份证号的地址码不正确"),
        ("110105194902300021", "身份证号中的出生日期不存在"),
        ("110105189912310021", "身份证号中的出生日期不合理"),
        ("110105203012310028", "身份证号中的出生日期不合理"),
        ("110105194912310021", "身份证号校验码不正确"),
    ],
)
def test_it_names_why_an_id_number_is_invalid(value: str, message: str) -> None:
    assert check_id_number(value, today=TODAY) == message


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)
def test_every_number_with_its_check_digit_is_valid(birth: dt.date, sequence: int) -> None:
    first17 = f"140881{birth:%Y%m%d}{sequence:03d}"
    number = first17 + check_digit(first17)
    assert check_id_number(number, today=TODAY) is None
    assert gender_code(number) == ("M" if sequence % 2 else "F")
    wrong = next(c for c in "0123456789X" if c != number[-1])
    assert check_id_number(first17 + wrong, today=TODAY) == "身份证号校验码不正确"


@pytest.mark.parametrize("value", ["13812345678", "19912345678", " 15012345678 "])
def test_it_accepts_mainland_mobiles(value: str) -> None:
    assert check_mobile(value) is None


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "2381234567a"])
def test_it_rejects_other_mobiles(value: str) -> None:
    assert check_mobile(value) == "手机号应为11位数字，以13–19开头"
