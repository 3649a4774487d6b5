"""University names in imports, resolved against the real MoE list (2,919 + 248 schools) and
the alias list: names, codes, aliases and pinyin resolve; a close misspelling resolves with its
confidence; shared aliases and loose names are held for a person; nothing is guessed.

The list is read from ``$YANZHEN_REFERENCE_DIR`` (else ``../shared/data/reference``), as in
``tests/reference/conftest.py``; when it is missing the tests fail, they never skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from tests.reference.conftest import DEFAULT_DIR
from yanzhen.reference.loaders import load_aliases, load_universities
from yanzhen.reference.matching import UniversityMatch, UniversityMatcher
from yanzhen.reference.models import University

LIST = "universities_moe_2025.csv"


@pytest.fixture(scope="module")
def moe_list(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[int]:
    """The MoE list and the aliases, loaded once for the module and rolled back after."""
    directory = Path(os.environ.get("YANZHEN_REFERENCE_DIR", str(DEFAULT_DIR)))
    if not (directory / LIST).is_file():
        pytest.fail(
            f"参考数据目录 {directory} 缺少 {LIST}；请把环境变量 YANZHEN_REFERENCE_DIR 设为 "
            "data/reference 目录",
            pytrace=False,
        )
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_universities([directory / LIST])
            load_aliases()
            # Checked once here, not again at the end of every test (tests/dbcache.py).
            connection.check_constraints()
            count = University.objects.count()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield count
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def matcher(moe_list: int, db: None) -> UniversityMatcher:
    return UniversityMatcher()


def summary(found: UniversityMatch) -> tuple[str, str, str, float, list[str]]:
    return (
        found.status,
        found.name,
        str(found.method),
        found.confidence,
        [c.name for c in found.candidates],
    )


def test_the_whole_list_is_there(moe_list: int) -> None:
    assert moe_list == 3167


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("西安交通大学", ("resolved", "西安交通大学", "name", 1.0, [])),
        ("4161010698", ("resolved", "西安交通大学", "code", 1.0, [])),
        ("西交大", ("resolved", "西安交通大学", "alias", 1.0, [])),
        ("西北农林", ("resolved", "西北农林科技大学", "alias", 1.0, [])),
        ("太科大", ("resolved", "太原科技大学", "alias", 1.0, [])),
        ("哈工大", ("resolved", "哈尔滨工业大学", "alias", 1.0, [])),
        ("xianjiaotongdaxue", ("resolved", "西安交通大学", "pinyin", 1.0, [])),
        ("中国矿业大学(北京)", ("resolved", "中国矿业大学（北京）", "name", 1.0, [])),
        (" 中北大学 ", ("resolved", "中北大学", "name", 1.0, [])),
    ],
)
def test_names_codes_aliases_and_pinyin_resolve(
    matcher: UniversityMatcher, written: str, expected: tuple[str, str, str, float, list[str]]
) -> None:
    assert summary(matcher.match(written)) == expected


def test_a_close_misspelling_resolves_with_its_confidence(matcher: UniversityMatcher) -> None:
    found = matcher.match("西安交通大")
    assert (found.status, found.name, str(found.method), found.confidence) == (
        "resolved", "西安交通大学", "fuzzy", 0.9091,
    )  # fmt: skip
    assert found.note == "“西安交通大”按相似度识别为西安交通大学（置信度 91%）"
    assert matcher.match("xianjiaotongdaxue").note == "“xianjiaotongdaxue”按拼音识别为西安交通大学"


@pytest.mark.parametrize(
    ("written", "candidates"),
    [
        ("山大", ["山东大学", "山西大学"]),
        ("东大", ["东北大学", "东南大学"]),
    ],
)
def test_an_alias_of_two_universities_is_held_with_both(
    matcher: UniversityMatcher, written: str, candidates: list[str]
) -> None:
    found = matcher.match(written)
    assert (found.status, str(found.method), found.university_id) == ("held", "ambiguous", None)
    assert [c.name for c in found.candidates] == candidates
    assert found.note.startswith(f"“{written}”无法确定是哪所高校，待人工确认：")


@pytest.mark.parametrize(
    ("written", "first"),
    [
        # A partial name is not taken for the school it is part of …
        ("西安电子科大", "西安电子科技大学"),
        ("北京大学深圳", "北京大学"),
        ("华中科大", "华中科技大学"),
        ("西北农大", "西北农林科技大学"),
        ("北京理工", "北京理工大学"),
    ],
)
def test_a_loose_name_is_held_never_guessed(
    matcher: UniversityMatcher, written: str, first: str
) -> None:
    found = matcher.match(written)
    assert (found.status, found.university_id) == ("held", None)
    assert first in [c.name for c in found.candidates]
    assert found.confidence < 0.9


def test_a_name_like_nothing_we_know_is_refused(matcher: UniversityMatcher) -> None:
    for written in ("苹果", "某某大学", ""):
        assert matcher.match(written).status == "unknown"
    assert matcher.match("苹果").note == "无法识别高校“苹果”，请写全称、常用简称或学校标识码"


def test_the_threshold_is_a_setting(moe_list: int, db: None) -> None:
    with override_settings(YANZHEN_NAME_MATCH_THRESHOLD=95):
        found = UniversityMatcher().match("西安交通大")
    assert (found.status, found.candidates[0].name, found.candidates[0].confidence) == (
        "held", "西安交通大学", 0.9091,
    )  # fmt: skip
