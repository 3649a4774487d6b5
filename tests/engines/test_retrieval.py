"""The retrieval engine: tokenisation, BM25, the final score with its why, ties, empty and
nonsense queries. Pure Python, no database."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from yanzhen.engines.retrieval import (
    BM25Index,
    BM25Params,
    Context,
    Hit,
    Need,
    Profile,
    Recommender,
    Tokenizer,
    Weights,
)
from yanzhen.engines.retrieval.recommend import _round

TOKENIZER = Tokenizer()


# Tokenisation --------------------------------------------------------------------------------


def test_a_domain_compound_is_a_token_and_so_are_its_parts() -> None:
    assert TOKENIZER.tokens("牵引电机控制") == ("牵引", "电机", "牵引电机", "控制")
    assert TOKENIZER.tokens("鲜食枣设施栽培") == ("鲜食", "鲜食枣", "设施", "栽培", "设施栽培")
    assert TOKENIZER.tokens("芦笋栽培") == ("芦笋", "栽培", "芦笋栽培")


def test_without_the_domain_dictionary_the_compounds_fall_apart() -> None:
    plain = Tokenizer(domain=False)
    assert plain.tokens("牵引电机控制") == ("牵引", "电机", "控制")
    assert plain.tokens("鲜食枣") == ("鲜食", "枣")
    plain.add_words(["鲜食枣"])
    assert plain.tokens("鲜食枣") == ("鲜食", "鲜食枣")


def test_full_width_letters_and_case_are_folded() -> None:
    assert TOKENIZER.tokens("工业３Ｄ打印") == ("工业", "打印", "3d打印")
    assert TOKENIZER.tokens("工业3d打印") == TOKENIZER.tokens("工业3D打印")
    assert TOKENIZER.tokens("Python 开发 C++") == ("python", "开发", "c++")


def test_function_words_numbers_and_punctuation_are_dropped() -> None:
    assert TOKENIZER.tokens("需要2名熟悉印染的人员！") == ("印染",)
    assert TOKENIZER.tokens("") == ()
    assert TOKENIZER.tokens("，。！ 123") == ()


def test_tokens_are_cut_once_per_text() -> None:
    text = "永磁同步电机矢量控制"
    first = TOKENIZER.tokens(text)
    assert TOKENIZER.tokens(text) is first
    assert TOKENIZER.tokenize_many([text, text]) == [first, first]


# BM25 ----------------------------------------------------------------------------------------

DOCS = [
    ["电气", "工程", "电机", "电机", "控制"],
    ["机械", "工程", "打印"],
    ["园艺", "果树", "栽培"],
    ["控制", "科学", "工程", "飞行", "控制"],
]


def reference_bm25(docs: list[list[str]], query: list[str], k1: float, b: float) -> list[float]:
    """Textbook BM25 with Lucene's idf, written independently of the engine."""
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    scores = []
    for doc in docs:
        total = 0.0
        for term in dict.fromkeys(query):
            df = sum(term in d for d in docs)
            if df == 0:
                continue
            tf = doc.count(term)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            total += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        scores.append(total)
    return scores


def test_scores_are_those_of_the_formula() -> None:
    index = BM25Index.build(DOCS)
    query = ["电机", "控制", "控制", "工程", "未知"]
    expected = reference_bm25(DOCS, query, 1.5, 0.75)
    assert list(index.scores(query)) == pytest.approx(expected, rel=1e-12)
    assert index.document_frequency("工程") == 3
    assert index.document_frequency("未知") == 0


def test_robertson_idf_gives_rank_bm25_scores_bit_for_bit() -> None:
    docs = [*DOCS, ["纺织", "印染"], ["食品", "加工"]]  # no term in more than half the docs
    index = BM25Index.build(docs, BM25Params(idf="robertson"))
    peer = BM25Okapi(docs)
    for query in (["电机", "控制"], ["工程", "打印", "印染"], ["果树"]):
        assert index.scores(query).tolist() == peer.get_scores(query).tolist()


def test_a_common_term_never_counts_against_a_document() -> None:
    docs = [["工程", "电机"], ["工程"], ["工程"], ["工程", "机械"]]
    lucene = BM25Index.build(docs)
    robertson = BM25Index.build(docs, BM25Params(idf="robertson"))
    assert lucene.idf.min() > 0
    assert robertson.idf[robertson.vocabulary["工程"]] == 0.0


def test_top_gives_the_best_first_and_ties_by_document_number() -> None:
    docs = [["甲"], ["乙", "丙"], ["甲"], ["甲", "乙"], ["丁"]]
    index = BM25Index.build(docs)
    hits = index.top(["甲"], 10)
    assert [h.doc for h in hits] == [0, 2, 3]
    assert hits[0].score == hits[1].score > hits[2].score
    assert [h.doc for h in index.top(["甲"], 2)] == [0, 2]
    assert index.top(["戊"], 5) == []
    assert index.top([], 5) == []
    assert index.top(["甲"], 0) == []


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), k=st.integers(min_value=1, max_value=25))
def test_on_a_large_corpus_top_is_the_full_sort_of_the_scores(seed: int, k: int) -> None:
    """Past a few thousand documents ``top`` looks only at those scoring at least the k-th best
    of a sample: its answer must still be the head of the full ranking (score, then number)."""
    import random

    rng = random.Random(seed)
    words = [chr(0x4E00 + i) for i in range(60)]
    docs = [rng.choices(words, k=rng.randint(0, 8)) for _ in range(6_000)]
    index = BM25Index.build(docs)
    for _ in range(5):
        query = rng.choices(words, k=rng.randint(1, 4))
        scores = index.scores(query)
        expected = sorted(
            (d for d in range(len(docs)) if scores[d] > 0), key=lambda d: (-scores[d], d)
        )
        assert [h.doc for h in index.top(query, k)] == expected[:k]


def test_top_many_answers_each_query_like_top() -> None:
    index = BM25Index.build(DOCS)
    queries = [["电机"], ["控制", "工程"], ["没有"]]
    assert index.top_many(queries, 2) == [index.top(q, 2) for q in queries]
    assert index.top_many(queries, 2)[0] == [Hit(0, index.top(["电机"], 1)[0].score)]


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(
        st.lists(st.sampled_from("甲乙丙丁戊己庚辛"), max_size=6), min_size=1, max_size=30
    ),
    queries=st.lists(st.lists(st.sampled_from("甲乙丙丁戊己庚辛壬"), max_size=4), max_size=8),
    k=st.integers(min_value=0, max_value=12),
)
def test_the_batch_gives_exactly_the_single_answers(
    docs: list[list[str]], queries: list[list[str]], k: int
) -> None:
    index = BM25Index.build(docs)
    assert index.top_many(queries, k, chunk=3) == [index.top(q, k) for q in queries]


def test_matched_terms_are_the_query_terms_in_the_document() -> None:
    index = BM25Index.build(DOCS)
    assert index.matched(["控制", "电机", "果树", "控制"], 0) == ["控制", "电机"]
    assert index.matched(["控制", "电机", "果树"], 2) == ["果树"]
    assert index.matched(["没有"], 1) == []


# Recommendation ------------------------------------------------------------------------------


def profile(key: str, university: str, code: str, text: str, **fields: object) -> Profile:
    return Profile(
        key=key,
        kind="university",
        university_key=key.split(":")[1],
        university=university,
        discipline_code=code,
        discipline={"0808": "电气工程", "0802": "机械工程", "0902": "园艺学"}.get(code, code),
        text=text,
        **fields,  # type: ignore[arg-type]
    )


PROFILES = [
    profile("u:1:0808", "甲大学", "0808", "电气工程 牵引电机 变流器", province="山西省", grade="B"),
    profile(
        "u:2:0808", "乙大学", "0808", "电气工程 牵引电机 变流器 电力电子", province="陕西省",
        grade="A+", dfc_2022=True,
    ),
    profile("u:2:0802", "乙大学", "0802", "机械工程 3D打印 增材制造", province="陕西省", grade="A"),
    profile(
        "u:3:0902", "丙大学", "0902", "园艺学 鲜食枣 设施栽培", province="陕西省", grade="B+",
        dfc_2017=True,
    ),
    profile("u:4:0808", "丁职业学院", "0808", "电气工程 电机 维修", province="山西省",
            max_degree="associate"),
]  # fmt: skip
CONTEXT = Context(
    home_province="山西省",
    cooperation={"1": 2, "3": 5},
    distances_km={"1": 383.2, "2": 150.0},
    discipline_names={"0808": "电气工程", "08": "工学"},
)


@pytest.fixture(scope="module")
def recommender() -> Recommender:
    return Recommender(PROFILES, tokenizer=TOKENIZER)


def test_the_score_is_the_weighted_sum_of_its_five_parts(recommender: Recommender) -> None:
    outcome = recommender.recommend(Need("牵引电机", ("0808",)), CONTEXT)
    first, second = outcome.items[:2]
    texts = recommender.index.scores(["牵引", "电机", "牵引电机"])
    best = max(texts[0], texts[1])
    assert [r.profile.key for r in outcome.items] == ["u:1:0808", "u:2:0808", "u:4:0808"]
    assert [p.name for p in first.parts] == [
        "text", "discipline", "strength", "province", "cooperation",
    ]  # fmt: skip
    assert [p.value for p in first.parts] == pytest.approx([texts[0] / best, 1.0, 0.45, 1.0, 2 / 3])
    assert [p.value for p in second.parts] == pytest.approx([texts[1] / best, 1.0, 1.0, 0.0, 0.0])
    assert [p.weight for p in first.parts] == pytest.approx([0.40, 0.25, 0.15, 0.10, 0.10])
    expected = 0.4 * texts[0] / best + 0.25 + 0.15 * 0.45 + 0.1 + 0.1 * 2 / 3
    assert first.score == round(expected, 4)
    assert second.score == round(0.4 * texts[1] / best + 0.25 + 0.15, 4)
    assert first.rank == 1
    assert second.rank == 2


def test_every_recommendation_says_why(recommender: Recommender) -> None:
    first = recommender.recommend(Need("牵引电机", ("0808",)), CONTEXT).items[0]
    assert first.reasons == [
        "需求关键词命中：牵引、电机、牵引电机",
        "学科对口：0808 电气工程",
        "电气工程：第四轮学科评估 B",
        "山西省高校（省校合作优先）",
        "该校与本地已有 2 项合作",
        "距本地约 383 公里",
    ]
    assert first.matched_terms == ("牵引", "电机", "牵引电机")
    assert (first.distance_km, first.cooperation_count) == (383.2, 2)


def test_a_discipline_code_alone_finds_that_discipline(recommender: Recommender) -> None:
    outcome = recommender.recommend(Need("", ("0902",)), CONTEXT)
    assert [r.profile.key for r in outcome.items] == ["u:3:0902"]
    item = outcome.items[0]
    assert item.part("text").value == 0.0
    assert item.part("strength").value == pytest.approx(0.75 * 0.7 + 0.25 * 0.5)
    assert item.reasons[1] == "园艺学：第四轮学科评估 B+，“双一流”建设学科（2017）"


def test_a_shared_category_counts_only_when_the_text_matches(recommender: Recommender) -> None:
    outcome = recommender.recommend(Need("3D打印", ("0808",)), CONTEXT)
    keys = [r.profile.key for r in outcome.items]
    assert keys[0] == "u:2:0802"
    assert outcome.items[0].part("discipline").value == 0.4
    assert outcome.items[0].part("discipline").reason == "同属学科门类：08 工学"
    untouched = recommender.recommend(Need("鲜食枣", ("0808",)), CONTEXT)
    assert (
        next(r for r in untouched.items if r.profile.key == "u:3:0902").part("discipline").value
        == 0.0
    )


def test_one_row_per_university_with_its_other_disciplines(recommender: Recommender) -> None:
    outcome = recommender.recommend(Need("电气工程 3D打印", ("0808", "0802")), CONTEXT)
    assert [(r.profile.key, r.also) for r in outcome.items] == [
        ("u:2:0802", ("0808 电气工程",)),
        ("u:1:0808", ()),
        ("u:4:0808", ()),
    ]
    assert outcome.items[0].reasons[-1] == "该校其他相关学科：0808 电气工程"
    every = recommender.recommend(
        Need("电气工程 3D打印", ("0808", "0802")), CONTEXT, per_university=False
    )
    assert sorted(r.profile.key for r in every.items) == [
        "u:1:0808", "u:2:0802", "u:2:0808", "u:4:0808",
    ]  # fmt: skip


def test_a_degree_leaves_out_who_cannot_train_it(recommender: Recommender) -> None:
    keys = [r.profile.key for r in recommender.recommend(Need("电机", (), "master"), CONTEXT).items]
    assert keys == ["u:1:0808", "u:2:0808"]
    nothing = recommender.recommend(Need("维修", (), "doctor"), CONTEXT)
    assert nothing.items == ()
    assert nothing.message == "相关的高校学科都不能培养博士，请放宽学历要求"


def test_allowed_keys_limit_the_results(recommender: Recommender) -> None:
    outcome = recommender.recommend(Need("电机", ()), CONTEXT, allowed={"u:4:0808", "x:9"})
    assert [r.profile.key for r in outcome.items] == ["u:4:0808"]
    hidden = recommender.recommend(Need("电机", ()), CONTEXT, allowed=set())
    assert hidden.items == ()
    assert hidden.message == "相关的高校或专家都不在您可以查看的范围内"


def test_an_empty_query_asks_for_a_need(recommender: Recommender) -> None:
    for need in (Need(""), Need("   "), Need("，。！的了"), Need("", (" ",))):
        outcome = recommender.recommend(need, CONTEXT)
        assert outcome.items == ()
        assert outcome.message == "请填写需求描述（岗位、技术方向、产品等）或学科代码"


def test_a_nonsense_query_says_what_was_not_found(recommender: Recommender) -> None:
    outcome = recommender.recommend(Need("qwxz 火星移民"), CONTEXT)
    assert outcome.items == ()
    assert outcome.unknown_terms == ("qwxz", "火星", "移民")
    assert outcome.message == (
        "没有找到相关的高校或专家：需求中的“qwxz、火星、移民”在高校学科和专家画像中都没有出现，"
        "请换用专业术语、产品名称，或填写学科代码"
    )
    unknown_code = recommender.recommend(Need("", ("9999",)), CONTEXT)
    assert unknown_code.message == "没有找到学科 9999 的高校或专家"


def test_ties_fall_by_strength_then_cooperation_then_name() -> None:
    text_only = Weights(text=1, discipline=0, strength=0, province=0, cooperation=0)
    profiles = [
        profile("u:1:0808", "乙大学", "0808", "电机", grade="B"),
        profile("u:2:0808", "甲大学", "0808", "电机", grade="B"),
        profile("u:3:0808", "丙大学", "0808", "电机", grade="A"),
        profile("u:4:0808", "丁大学", "0808", "电机", grade="B"),
    ]
    engine = Recommender(profiles, tokenizer=TOKENIZER)
    context = Context(weights=text_only, cooperation={"4": 1})
    outcome = engine.recommend(Need("电机"), context)
    assert {r.score for r in outcome.items} == {1.0}
    # 丙 is stronger; 丁 has cooperated; 乙 (U+4E59) and 甲 (U+7532) fall by their names.
    assert [r.profile.university for r in outcome.items] == ["丙大学", "丁大学", "乙大学", "甲大学"]
    assert [r.rank for r in outcome.items] == [1, 2, 3, 4]
    assert engine.recommend(Need("电机"), context).items == outcome.items


def test_scores_are_rounded_as_python_rounds_them() -> None:
    values = np.array([0.35125, 0.12345, 1.00005, 0.2, 0.99995, 0.123449999])
    assert _round(values).tolist() == [round(v, 4) for v in values.tolist()]


def test_weights_are_normalised_and_checked() -> None:
    assert Weights(2, 1, 1, 0, 0).normalized() == Weights(0.5, 0.25, 0.25, 0.0, 0.0)
    with pytest.raises(ValueError, match="non-negative"):
        Weights(text=-1)
    with pytest.raises(ValueError, match="not all zero"):
        Weights(0, 0, 0, 0, 0)


def test_fit_finds_a_university_for_a_need_in_reverse(recommender: Recommender) -> None:
    found = recommender.fit(Need("牵引电机", ("0808",)), CONTEXT, "2")
    assert found is not None
    assert (found.rank, found.profile.key) == (2, "u:2:0808")
    assert recommender.fit(Need("牵引电机", ("0808",)), CONTEXT, "3") is None
    expert = recommender.fit_profile(Need("鲜食枣"), CONTEXT, "u:3:0902")
    assert expert is not None
    assert expert.rank == 1


WORDS = [
    "牵引电机",
    "变流器",
    "3D打印",
    "鲜食枣",
    "设施栽培",
    "电力电子",
    "机械工程",
    "维修",
    "火星",
]


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), max_size=4),
    codes=st.lists(st.sampled_from(["0808", "0802", "0902", "9999"]), max_size=2),
    top=st.integers(min_value=1, max_value=6),
)
def test_results_are_ranked_bounded_and_unique(
    recommender: Recommender, words: list[str], codes: list[str], top: int
) -> None:
    outcome = recommender.recommend(Need(" ".join(words), tuple(codes)), CONTEXT, top=top)
    scores = [r.score for r in outcome.items]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert [r.rank for r in outcome.items] == list(range(1, len(scores) + 1))
    assert len(scores) <= top
    universities = [r.profile.university_key for r in outcome.items]
    assert len(universities) == len(set(universities))
    assert bool(outcome.items) != bool(outcome.message)
    for item in outcome.items:
        assert item.score == round(sum(p.points for p in item.parts), 4)
