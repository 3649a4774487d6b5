"""Names engine: normalisation, pinyin keys and resolution; pure Python, no database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from yanzhen.engines.names import Method, NameEntry, NameIndex, normalize, pinyin_keys


def index() -> NameIndex:
    return NameIndex.build(
        [
            NameEntry("1", "西安交通大学", "4161010698", ("西交大", "西安交大")),
            NameEntry("2", "山东大学", "4137010422", ("山大",)),
            NameEntry("3", "山西大学", "4114010108", ("山大",)),
            NameEntry("4", "中北大学", "4114010110", ("中北",)),
            NameEntry("5", "中国矿业大学（北京）", "4111011413"),
            NameEntry("6", "中国矿业大学", "4132010290", ("矿大",)),
        ]
    )


# --- normalize and pinyin_keys --------------------------------------------------------------


def test_normalize_folds_full_width_forms_spaces_and_case() -> None:
    assert normalize("中国矿业大学（北京）") == "中国矿业大学(北京)"
    assert normalize(" 西安 交通\u3000大学 ") == "西安交通大学"
    assert normalize("ＡＢＣ Ｕｎｉ") == "abcuni"


def test_pinyin_keys_give_full_pinyin_and_initials() -> None:
    assert pinyin_keys("中北大学") == ("zhongbeidaxue", "zbdx")
    assert pinyin_keys("西安交通大学") == ("xianjiaotongdaxue", "xajtdx")


def test_pinyin_keys_keep_latin_letters_digits_and_brackets() -> None:
    assert pinyin_keys("中国矿业大学（北京）") == ("zhongguokuangyedaxue(beijing)", "zgkydx(bj)")
    assert pinyin_keys("华北电力大学(保定)")[1] == "hbdldx(bd)"


# --- resolution -----------------------------------------------------------------------------


def test_it_resolves_a_code() -> None:
    found = index().resolve(" 4114010110 ")
    assert (found.key, found.method, found.confidence) == ("4", Method.CODE, 1.0)


def test_it_resolves_an_exact_name() -> None:
    found = index().resolve("西安交通大学")
    assert (found.key, found.method) == ("1", Method.NAME)


def test_full_width_and_half_width_brackets_are_the_same_name() -> None:
    found = index().resolve("中国矿业大学(北京)")
    assert (found.key, found.method) == ("5", Method.NAME)
    assert index().resolve("中国矿业大学").key == "6"


def test_it_resolves_an_alias() -> None:
    found = index().resolve("西交大")
    assert (found.key, found.method) == ("1", Method.ALIAS)
    assert index().resolve("中北").key == "4"


def test_an_ambiguous_alias_returns_its_candidates_unresolved() -> None:
    found = index().resolve("山大")
    assert (found.key, found.method, found.candidates) == (None, Method.AMBIGUOUS, ("2", "3"))
    assert not found.resolved


def test_pinyin_is_used_only_when_asked() -> None:
    assert index().resolve("zhongbeidaxue").method == Method.NONE
    found = index().resolve("Zhong Bei Da Xue", allow_pinyin=True)
    assert (found.key, found.method) == ("4", Method.PINYIN)


def test_an_unknown_name_is_not_resolved() -> None:
    found = index().resolve("清华大学")
    assert (found.key, found.method, found.candidates) == (None, Method.NONE, ())
    assert index().resolve("   ").method == Method.NONE


def test_a_close_fuzzy_match_is_resolved_with_its_confidence() -> None:
    found = index().resolve("西安交通大学校", fuzzy_threshold=85)
    assert (found.key, found.method) == ("1", Method.FUZZY)
    assert 0.85 <= found.confidence < 1.0


def test_a_fuzzy_match_below_the_threshold_is_held_for_a_person() -> None:
    found = index().resolve("西安大学", fuzzy_threshold=99)
    assert (found.key, found.method) == (None, Method.AMBIGUOUS)
    assert found.candidates[0] == "1"
    assert found.confidence < 0.99


def test_without_a_threshold_there_is_no_fuzzy_match() -> None:
    assert index().resolve("西安交通大学校").method == Method.NONE


# --- invariants -----------------------------------------------------------------------------

HANZI = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=2, max_size=8
)


@given(st.lists(HANZI, min_size=1, max_size=8, unique=True))
def test_every_entry_resolves_by_its_own_name_and_code(names: list[str]) -> None:
    entries = [NameEntry(str(i), name, f"41{i:08d}") for i, name in enumerate(names)]
    built = NameIndex.build(entries)
    for entry in entries:
        assert built.resolve(entry.name).key == entry.key
        assert built.resolve(entry.code).key == entry.key


# What names of Chinese organisations are written with: ASCII, CJK ideographs, full-width
# forms, CJK punctuation and the ideographic space.
NAME_TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        st.characters(min_codepoint=0x3000, max_codepoint=0x3029),
    ),
    max_size=20,
)


@given(NAME_TEXT)
def test_normalize_is_idempotent_on_written_names(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
