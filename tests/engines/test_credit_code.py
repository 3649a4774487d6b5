"""统一社会信用代码 (GB 32100-2015): real codes pass, any changed character fails."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from yanzhen.engines.credit_code import ALPHABET, WEIGHTS, check_character, check_credit_code

REAL = ("91330100716105852F", "91110108551385082Q", "91440300708461136T", "91350100M000100Y43")


def test_the_weights_are_those_of_the_standard() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_real_codes_are_valid() -> None:
    assert [check_credit_code(c) for c in REAL] == [None, None, None, None]
    assert check_credit_code(" 91330100716105852f ") is None


def test_a_wrong_check_character_is_named() -> None:
    assert (
        check_credit_code("91330100716105852A") == "统一社会信用代码校验位不正确（第18位应为“F”）"
    )


def test_wrong_shapes_are_named() -> None:
    assert check_credit_code("9133010071610585") == "统一社会信用代码应为18位，实际为16位"
    assert check_credit_code("91330100716105852O") == (
        "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z），第3至8位应为行政区划代码"
    )
    assert check_credit_code("Z1330100716105852F") is not None
    assert check_credit_code("B1330100716105852F") == (
        "统一社会信用代码第1位（登记管理部门代码）不能为“B”"
    )


BODY = st.tuples(
    st.sampled_from("123456789ANY"),
    st.text(ALPHABET, min_size=1, max_size=1),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(BODY, st.integers(0, 16), st.sampled_from(ALPHABET))
def test_every_single_changed_character_is_caught(first17: str, at: int, new: str) -> None:
    code = first17 + check_character(first17)
    assert check_credit_code(code) is None
    changed = code[:at] + new + code[at + 1 :]
    if changed != code:
        assert check_credit_code(changed) is not None
