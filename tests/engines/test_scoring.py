"""The scoring engine: published AHP examples, every normalisation, weights, aggregation,
ranks and rank sensitivity — exact values, the same results as pymcdm, and properties."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from pymcdm import normalizations as pn
from pymcdm.helpers import rrankdata
from pymcdm.methods import TOPSIS, WSM
from pymcdm.weights import entropy_weights as pymcdm_entropy

from yanzhen.engines import scoring

# Saaty, T.L. (1990). How to make a decision: the analytic hierarchy process. European Journal
# of Operational Research 48, 9–26, table 1 (buying a house): eight criteria, published
# priorities .173 .054 .188 .018 .031 .036 .167 .333, lambda_max 9.669, CI 0.238, CR 0.169.
HOUSE: list[list[float]] = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]
HOUSE_CRITERIA = [
    "房屋面积",
    "交通",
    "周边环境",
    "房龄",
    "庭院",
    "现代设施",
    "房屋状况",
    "付款条件",
]
# Saaty & Khouja (1976), in Saaty (1980) The Analytic Hierarchy Process, §2.2: the relative
# wealth of nations (US, USSR, China, France, UK, Japan, West Germany); published eigenvector
# .427 .230 .021 .052 .052 .123 .094, lambda_max 7.61, CI 0.10, CR 0.08.
WEALTH: list[list[float]] = [
    [1, 4, 9, 6, 6, 5, 5],
    [1 / 4, 1, 7, 5, 5, 3, 4],
    [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
    [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
    [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
    [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
    [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1],
]


# AHP -------------------------------------------------------------------------------------------


def test_saatys_wealth_of_nations_matrix_gives_the_published_weights_and_cr() -> None:
    weights, cr = scoring.ahp(WEALTH)
    assert_array_equal(np.round(weights, 3), [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094])
    assert round(cr, 2) == 0.08
    _, lambda_max, _ = scoring.consistency(WEALTH)
    assert round(lambda_max, 2) == 7.61


def test_saatys_house_matrix_gives_the_published_priorities_and_cr() -> None:
    weights, lambda_max, cr = scoring.consistency(HOUSE)
    expected = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert_array_equal(np.round(weights, 3), expected)
    assert (round(lambda_max, 3), round((lambda_max - 8) / 7, 3), round(cr, 3)) == (
        9.669,
        0.238,
        0.169,
    )


def test_the_house_matrix_is_refused_naming_its_most_inconsistent_comparison() -> None:
    with pytest.raises(scoring.InconsistencyError) as caught:
        scoring.ahp(HOUSE, labels=HOUSE_CRITERIA)
    error = caught.value
    assert error.pair == (2, 6)
    assert (error.judgement, round(error.implied, 2), round(error.consistency_ratio, 3)) == (
        6.0,
        1.13,
        0.169,
    )
    assert str(error) == (
        "判断矩阵的一致性比率 CR=0.169，未达到 CR<0.10 的要求。最不一致的比较是“周边环境”"
        "相对“房屋状况”：判断为 6，而其余判断推出约为 1.13，请重新比较这一对。"
    )


def test_revising_the_named_comparison_makes_the_house_matrix_acceptable() -> None:
    revised = [row[:] for row in HOUSE]
    revised[2][6], revised[6][2] = 1.0, 1.0
    weights, cr = scoring.ahp(revised)
    assert cr < 0.10
    assert math.isclose(weights.sum(), 1.0)


def test_small_matrices_are_always_consistent() -> None:
    assert scoring.ahp([[1]])[1] == 0.0
    pair: list[list[float]] = [[1, 3], [1 / 3, 1]]
    weights, cr = scoring.ahp(pair)
    assert_allclose(weights, [0.75, 0.25])
    assert cr == 0.0


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2, 3]], "判断矩阵应为方阵"),
        ([[1, 0], [0, 1]], "判断矩阵的元素必须为正数"),
        ([[2, 1], [1, 2]], "判断矩阵的对角线元素必须为 1"),
        ([[1, 3], [3, 1]], "判断矩阵必须互反：a[j][i] = 1 / a[i][j]"),
        (np.ones((16, 16)), "判断矩阵最多 15 阶"),
    ],
)
def test_it_refuses_a_malformed_judgement_matrix(matrix: object, message: str) -> None:
    with pytest.raises(scoring.ScoringError, match=message.replace("[", r"\[").replace("]", r"\]")):
        scoring.ahp(matrix)  # type: ignore[arg-type]


@given(arrays(np.float64, st.integers(2, 9), elements=st.floats(0.05, 20)))
def test_ahp_recovers_the_weights_of_a_consistent_matrix(raw: np.ndarray) -> None:
    """A matrix a_ij = w_i / w_j is perfectly consistent: CR 0, weights w (summing to 1)."""
    w = raw / raw.sum()
    weights, cr = scoring.ahp(np.outer(w, 1 / w))
    assert_allclose(weights, w, rtol=1e-7)
    assert math.isclose(weights.sum(), 1.0)
    assert abs(cr) < 1e-9


# Normalisation ---------------------------------------------------------------------------------

X = np.array([[2.0, 10.0, 4.0], [4.0, 30.0, 4.0], [8.0, 20.0, 4.0]])


def test_minmax_with_a_lower_is_better_column_and_a_constant_one() -> None:
    out = scoring.normalize(X, "minmax", [True, False, True])
    assert_allclose(out, [[0.0, 1.0, 1.0], [1 / 3, 0.0, 1.0], [1.0, 0.5, 1.0]])


def test_vector_normalisation_is_pymcdms() -> None:
    out = scoring.normalize(X[:, :2], "vector", [True, False])
    norm0, norm1 = math.sqrt(4 + 16 + 64), math.sqrt(100 + 900 + 400)
    assert_allclose(out[:, 0], X[:, 0] / norm0)
    assert_allclose(out[:, 1], 1 - X[:, 1] / norm1)


def test_target_completion_is_capped_and_per_unit_targets_apply() -> None:
    targets = np.array([[4.0, 20.0, 4.0], [4.0, 20.0, 4.0], [4.0, 20.0, 2.0]])
    out = scoring.normalize(X, "target", [True, False, True], targets=targets, cap=1.2)
    assert_allclose(out, [[0.5, 1.2, 1.0], [1.0, 2 / 3, 1.0], [1.2, 1.0, 1.2]])
    zero = scoring.normalize([[0.0], [5.0]], "target", [False], targets=[5.0], cap=1.5)
    assert_allclose(zero, [[1.5], [1.0]])


def test_rank_normalisation_shares_the_average_rank_on_ties() -> None:
    out = scoring.normalize([[1.0], [3.0], [3.0], [7.0]], "rank", [True])
    assert_allclose(out[:, 0], [0.0, 0.5, 0.5, 1.0])
    worse = scoring.normalize([[1.0], [3.0], [3.0], [7.0]], "rank", [False])
    assert_allclose(worse[:, 0], [1.0, 0.5, 0.5, 0.0])
    assert_allclose(scoring.normalize([[5.0]], "rank"), [[1.0]])


def test_methods_can_differ_by_column() -> None:
    out = scoring.normalize(X[:, :2], ["minmax", "target"], targets=[1.0, 40.0])
    assert_allclose(out, [[0.0, 0.25], [1 / 3, 0.75], [1.0, 0.5]])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "zscore"}, "未知的标准化方法：zscore"),
        ({"method": "target"}, "按目标完成率标准化须提供目标值"),
        ({"method": "target", "targets": [1.0, 0.0, 1.0]}, "目标值必须为正数"),
        ({"method": "minmax", "benefit": [True]}, "benefit 应有 3 项"),
        ({"method": ["minmax"]}, "标准化方法应有 3 项"),
        ({"method": "target", "targets": [1.0, 1.0, 1.0], "cap": 0.5}, "封顶值应不小于 1"),
    ],
)
def test_normalise_refuses_bad_input(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(scoring.ScoringError, match=message):
        scoring.normalize(X, **kwargs)  # type: ignore[arg-type]


def test_it_refuses_missing_or_infinite_values() -> None:
    with pytest.raises(scoring.ScoringError, match="空值或无穷大"):
        scoring.normalize([[1.0], [math.nan]], "minmax")


# Weights ---------------------------------------------------------------------------------------


def test_entropy_weights_of_a_small_matrix() -> None:
    weights = scoring.entropy_weights([[1.0, 1.0], [1.0, 3.0]])
    assert_allclose(weights, [0.0, 1.0])
    p = np.array([[0.2, 0.5], [0.3, 0.25], [0.5, 0.25]])
    e = -(p * np.log(p)).sum(axis=0) / math.log(3)
    assert_allclose(scoring.entropy_weights(p * 10), (1 - e) / (1 - e).sum())


def test_entropy_weights_without_information_are_equal() -> None:
    assert_allclose(scoring.entropy_weights([[2.0, 0.0], [2.0, 0.0]]), [0.5, 0.5])
    assert_allclose(scoring.entropy_weights([[3.0, 1.0, 2.0]]), [1 / 3, 1 / 3, 1 / 3])
    with pytest.raises(scoring.ScoringError, match="非负"):
        scoring.entropy_weights([[1.0], [-1.0]])


def test_subjective_and_objective_weights_combine() -> None:
    s, o = [0.5, 0.3, 0.2], [2.0, 1.0, 1.0]
    assert_allclose(scoring.combine_weights(s, o, alpha=0.4), [0.5, 0.27, 0.23])
    product = np.array([0.25, 0.075, 0.05])
    assert_allclose(scoring.combine_weights(s, o, method="multiplicative"), product / product.sum())
    with pytest.raises(scoring.ScoringError, match="组合系数"):
        scoring.combine_weights(s, o, alpha=1.5)


@pytest.mark.parametrize(
    ("weights", "message"),
    [([1.0, -1.0, 1.0], "权重不能为负数"), ([0.0, 0.0, 0.0], "权重之和必须大于 0")],
)
def test_bad_weights_are_refused(weights: list[float], message: str) -> None:
    with pytest.raises(scoring.ScoringError, match=message):
        scoring.weighted_sum(X, weights)


# Aggregation -----------------------------------------------------------------------------------


def test_weighted_sum_and_topsis_of_pymcdms_examples() -> None:
    matrix = np.array([[1, 3000], [2, 3750], [5, 4500]], dtype=float)
    closeness = scoring.topsis(matrix, [0.5, 0.5], [False, True])
    assert [round(c, 3) for c in closeness] == [0.5, 0.617, 0.5]
    assert_allclose(scoring.weighted_sum(matrix, [1, 1], [False, True]), [0.5, 0.625, 0.5])


@pytest.mark.parametrize("normalization", ["minmax", "vector"])
def test_it_equals_pymcdm_on_a_random_matrix(normalization: str) -> None:
    rng = np.random.default_rng(7)
    matrix = rng.uniform(1, 100, (200, 6))
    weights = rng.uniform(1, 5, 6)
    weights /= weights.sum()
    types = np.array([1, 1, -1, 1, -1, 1])
    benefit = types == 1
    function = getattr(pn, f"{normalization}_normalization")
    assert_allclose(
        scoring.topsis(matrix, weights, benefit, normalization=normalization),
        TOPSIS(function)(matrix, weights, types),
        atol=1e-12,
    )
    assert_allclose(
        scoring.weighted_sum(matrix, weights, benefit, normalization=normalization),
        WSM(function)(matrix, weights, types),
        atol=1e-12,
    )
    assert_allclose(scoring.entropy_weights(matrix), pymcdm_entropy(matrix), atol=1e-12)


def test_topsis_of_identical_units_is_one() -> None:
    assert_allclose(scoring.topsis([[1.0, 2.0], [1.0, 2.0]], [0.5, 0.5]), [1.0, 1.0])


def test_subtotals_add_the_contributions_per_dimension() -> None:
    out = scoring.subtotals([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [0, 1, 0])
    assert_allclose(out, [[4.0, 2.0], [10.0, 5.0]])


# Ranks and sensitivity -------------------------------------------------------------------------


def test_ranks_share_ties_or_break_them_by_row_order() -> None:
    scores = [0.5, 0.9, 0.5, 0.1]
    assert scoring.rank(scores).tolist() == [2, 1, 2, 4]
    assert scoring.rank(scores, ties="order").tolist() == [2, 1, 3, 4]


def test_a_unit_whose_rank_moves_with_a_weight_is_flagged() -> None:
    # Units 0 and 1 are close and trade places when either weight moves by 10 %; unit 2 is
    # last whatever the weights.
    matrix = [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    result = scoring.rank_sensitivity(matrix, [0.52, 0.48], normalization=None)
    assert result.ranks.tolist() == [1, 2, 3]
    # w0 ×1.1, w0 ×0.9, w1 ×1.1, w1 ×0.9 (rescaled): 0.52 ×0.9 = 0.468 < 0.48 ×1.0 → swap.
    assert result.perturbed.tolist() == [[1, 2, 3], [2, 1, 3], [2, 1, 3], [1, 2, 3]]
    assert (result.best.tolist(), result.worst.tolist()) == ([1, 1, 3], [2, 2, 3])
    assert result.flagged.tolist() == [True, True, False]


def test_perturbed_weights_sum_to_one() -> None:
    runs = scoring.perturbed_weights([0.5, 0.3, 0.2])
    assert runs.shape == (6, 3)
    assert_allclose(runs.sum(axis=1), np.ones(6))
    assert_allclose(runs[0], np.array([0.55, 0.3, 0.2]) / 1.05)


def test_sensitivity_by_topsis_equals_a_loop_over_pymcdm() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.uniform(0, 10, (40, 4))
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    result = scoring.rank_sensitivity(matrix, weights, method="topsis")
    expected = [
        rrankdata(TOPSIS()(matrix, w, np.ones(4))) for w in scoring.perturbed_weights(weights)
    ]
    assert_array_equal(result.perturbed, np.array(expected, dtype=int))


def test_evaluate_gives_everything_a_score_page_shows() -> None:
    result = scoring.evaluate(
        [[5.0, 1.0], [10.0, 2.0]],
        [3, 1],
        [True, False],
        methods=["target", "minmax"],
        groups=[0, 1],
        targets=[10.0, 1.0],
    )
    assert_allclose(result.weights, [0.75, 0.25])
    assert_allclose(result.contributions, [[0.375, 0.25], [0.75, 0.0]])
    assert_allclose(result.scores, [0.625, 0.75])
    assert_allclose(result.subtotals, [[0.375, 0.25], [0.75, 0.0]])
    assert result.ranks.tolist() == [2, 1]


# Properties ------------------------------------------------------------------------------------

values = st.floats(0, 1000, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 12))
    n = draw(st.integers(1, 5))
    matrix = draw(arrays(np.float64, (m, n), elements=values))
    weights = draw(arrays(np.float64, n, elements=st.floats(0.01, 10)))
    benefit = draw(arrays(np.bool_, n))
    return matrix, weights, benefit


@settings(max_examples=60, deadline=None)
@given(problems())
def test_weights_sum_to_one(problem: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    matrix, weights, _benefit = problem
    assert math.isclose(scoring.entropy_weights(matrix).sum(), 1.0)
    assert math.isclose(scoring.combine_weights(weights, matrix[0] + 1).sum(), 1.0)
    assert_allclose(scoring.perturbed_weights(weights).sum(axis=1), 1.0)


@settings(max_examples=60, deadline=None)
@given(problems(), st.sampled_from(["minmax", "vector", "rank"]))
def test_scores_lie_in_zero_to_one(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray], method: str
) -> None:
    matrix, weights, benefit = problem
    for scores in (
        scoring.weighted_sum(matrix, weights, benefit, normalization=method),
        scoring.topsis(matrix, weights, benefit, normalization=method),
    ):
        assert np.all(scores >= -1e-12)
        assert np.all(scores <= 1 + 1e-12)


@settings(max_examples=80, deadline=None)
@given(
    problems(),
    st.sampled_from(["minmax", "rank", "target"]),
    st.data(),
)
def test_a_unit_never_loses_by_doing_better_on_a_benefit_indicator(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray], method: str, data: st.DataObject
) -> None:
    matrix, weights, benefit = problem
    m, n = matrix.shape
    i = data.draw(st.integers(0, m - 1))
    j = data.draw(st.integers(0, n - 1))
    benefit = benefit.copy()
    benefit[j] = True
    better = matrix.copy()
    better[i, j] += data.draw(st.floats(0.001, 500))
    targets = np.full(n, 100.0)
    kwargs: dict[str, Any] = {"normalization": method, "targets": targets}
    for aggregate in (scoring.weighted_sum, scoring.topsis):
        if aggregate is scoring.topsis and method == "target":
            continue
        before = aggregate(matrix, weights, benefit, **kwargs)[i]
        after = aggregate(better, weights, benefit, **kwargs)[i]
        assert after >= before - 1e-12


@given(arrays(np.float64, st.integers(1, 30), elements=st.sampled_from([0.0, 0.25, 0.5, 1.0])))
def test_ranks_follow_the_scores_and_the_tie_rule(scores: np.ndarray) -> None:
    shared = scoring.rank(scores)
    ordered = scoring.rank(scores, ties="order")
    assert sorted(ordered.tolist()) == list(range(1, scores.size + 1))
    for a in range(scores.size):
        for b in range(scores.size):
            if scores[a] > scores[b]:
                assert shared[a] < shared[b]
                assert ordered[a] < ordered[b]
            elif scores[a] == scores[b]:
                assert shared[a] == shared[b]
                assert (ordered[a] < ordered[b]) == (a < b) or a == b
        assert shared[a] == 1 + int((scores > scores[a]).sum())


@settings(max_examples=40, deadline=None)
@given(problems())
def test_sensitivity_flags_exactly_the_units_whose_rank_moves(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    matrix, weights, benefit = problem
    result = scoring.rank_sensitivity(matrix, weights, benefit)
    base = scoring.rank(scoring.weighted_sum(matrix, weights, benefit))
    assert_array_equal(result.ranks, base)
    for row, w in zip(result.perturbed, scoring.perturbed_weights(weights), strict=True):
        assert_array_equal(row, scoring.rank(scoring.weighted_sum(matrix, w, benefit)))
    assert_array_equal(result.flagged, np.any(result.perturbed != base, axis=0))
