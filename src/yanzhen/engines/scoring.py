"""The assessment engine: normalisation, weights, aggregation, ranks and rank sensitivity.

Pure Python and numpy (no Django). Plain arrays in and out: a decision ``matrix`` holds one
row per assessed unit and one column per indicator; ``benefit`` marks the columns that are
better when higher (the others are "lower is better"). Every function is deterministic.

Normalisation (``normalize``), per column ``x`` of ``m`` values, to ``r`` (1 = best):

* ``minmax`` — benefit ``(x - min) / (max - min)``, lower-is-better ``(max - x) / (max - min)``;
  a constant column gives 1 for everyone.
* ``vector`` — benefit ``x / ||x||``, lower-is-better ``1 - x / ||x||`` (``||x||`` the
  Euclidean norm, as pymcdm); an all-zero column gives 1.
* ``target`` — completion of a target ``t`` (per column, or per unit and column), capped:
  benefit ``min(max(x, 0) / t, cap)``, lower-is-better ``min(t / x, cap)`` (``cap`` when
  ``x <= 0``). ``cap`` defaults to 1.2 (120 % of the target at most).
* ``rank`` — by rank among the units, ties sharing the average rank ``a`` (1 = smallest):
  benefit ``(a - 1) / (m - 1)``, lower-is-better ``(m - a) / (m - 1)``; one unit gives 1.

Weights:

* ``ahp`` — Saaty's principal-eigenvector method: ``w`` the Perron eigenvector of the
  pairwise matrix ``A`` (``a_ij`` how much more important ``i`` is than ``j``, ``a_ji = 1/a_ij``)
  scaled to sum 1; ``CI = (lambda_max - n) / (n - 1)``; ``CR = CI / RI(n)`` with Saaty's random
  indices (``RANDOM_INDEX``); ``CR = 0`` for ``n <= 2``. ``CR >= 0.10`` is refused: the error
  names the most inconsistent comparison, the ``(i, j)`` whose judgement ``a_ij`` is farthest
  (in ``|ln(a_ij w_j / w_i)|``, first in row order on a tie) from the ratio ``w_i / w_j``
  the matrix as a whole implies.
* ``entropy_weights`` — ``p_ij = x_ij / sum_i x_ij``, ``e_j = -sum_i p_ij ln p_ij / ln m`` (with
  ``0 ln 0 = 0``; an all-zero column has ``e_j = 1``), ``w_j = (1 - e_j) / sum_k (1 - e_k)``;
  equal weights when no column carries information (every ``e_j = 1``, or ``m = 1``).
* ``combine_weights`` — subjective ``s`` and objective ``o``: ``linear``
  ``alpha * s + (1 - alpha) * o``; ``multiplicative`` ``s * o / sum(s * o)``.

Every weight vector is scaled to sum 1 before use (``weights``: non-negative, not all 0).

Aggregation, on the normalised matrix ``r``:

* ``weighted_sum`` — ``S_i = sum_j w_j r_ij`` (in [0, 1] for min–max, vector, rank);
* ``topsis`` — ``v_ij = w_j r_ij``, ideal ``v+_j = max_i v_ij``, anti-ideal ``v-_j = min_i v_ij``,
  ``D+_i = ||v_i - v+||``, ``D-_i = ||v_i - v-||``, closeness ``C_i = D-_i / (D+_i + D-_i)`` (1 when
  both distances are 0, i.e. every unit is identical on every weighted indicator);
* ``subtotals`` — the sums of the contributions ``w_j r_ij`` per dimension.

Ranks (``rank``): descending scores; with ``ties="shared"`` units whose scores are equal
(to 12 decimals) share the best rank of their group ("1, 1, 3", 并列); with ``ties="order"``
ties are broken by row order (the earlier row ranks first), so the ranks are 1..m.

Sensitivity (``rank_sensitivity``): each weight ``w_j`` in turn multiplied by ``1 + delta`` and by
``1 - delta`` (default 10 %), the weights scaled back to sum 1, the scores recomputed with the
same method and ranked (shared ties); a unit whose rank differs in any of the ``2n`` runs is
flagged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Method = Literal["minmax", "vector", "target", "rank"]
Aggregation = Literal["weighted_sum", "topsis"]
METHODS: tuple[Method, ...] = ("minmax", "vector", "target", "rank")
AGGREGATIONS: tuple[Aggregation, ...] = ("weighted_sum", "topsis")

# Saaty's random consistency indices RI(n), n = 1..15 (Saaty 1980, The Analytic Hierarchy
# Process, table 1.7; 11–15 from Saaty 1990).
RANDOM_INDEX: tuple[float, ...] = (
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
)  # fmt: skip
CR_LIMIT = 0.10
DEFAULT_CAP = 1.2
DEFAULT_DELTA = 0.10
TIE_DECIMALS = 12
TIE_SCALE = 10.0**TIE_DECIMALS


class ScoringError(ValueError):
    """The input cannot be scored; the message says why (in Chinese, for the pages)."""


class InconsistencyError(ScoringError):
    """A pairwise comparison matrix whose consistency ratio is 0.10 or more."""

    def __init__(
        self,
        *,
        consistency_ratio: float,
        pair: tuple[int, int],
        judgement: float,
        implied: float,
        weights: Array,
        labels: Sequence[str],
    ) -> None:
        self.consistency_ratio = consistency_ratio
        self.pair = pair
        self.judgement = judgement
        self.implied = implied
        self.weights = weights
        i, j = pair
        super().__init__(
            f"判断矩阵的一致性比率 CR={consistency_ratio:.3f}，未达到 CR<0.10 的要求。"
            f"最不一致的比较是“{labels[i]}”相对“{labels[j]}”：判断为 {_judgement(judgement)}，"
            f"而其余判断推出约为 {_judgement(implied)}，请重新比较这一对。"
        )


def _judgement(value: float) -> str:
    if value >= 1:
        return f"{value:.3g}"
    return f"1/{1 / value:.3g}"


# Inputs -----------------------------------------------------------------------------------------


def _matrix(matrix: ArrayLike) -> Array:
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ScoringError("决策矩阵应为非空的二维数组（行为单位，列为指标）")
    if not np.all(np.isfinite(x)):
        raise ScoringError("决策矩阵含有空值或无穷大")
    return x


def _benefit(benefit: ArrayLike | None, n: int) -> NDArray[np.bool_]:
    if benefit is None:
        return np.ones(n, dtype=bool)
    flags = np.asarray(benefit, dtype=bool).reshape(-1)
    if flags.shape != (n,):
        raise ScoringError(f"benefit 应有 {n} 项（每个指标一项），实为 {flags.size} 项")
    return flags


def _weights(weights: ArrayLike, n: int) -> Array:
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    if w.shape != (n,):
        raise ScoringError(f"权重应有 {n} 项（每个指标一项），实为 {w.size} 项")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ScoringError("权重不能为负数或空值")
    total = float(w.sum())
    if total <= 0:
        raise ScoringError("权重之和必须大于 0")
    return w / total


def _methods(method: str | Sequence[str], n: int) -> list[str]:
    methods = [method] * n if isinstance(method, str) else list(method)
    if len(methods) != n:
        raise ScoringError(f"标准化方法应有 {n} 项（每个指标一项），实为 {len(methods)} 项")
    unknown = sorted({m for m in methods if m not in METHODS})
    if unknown:
        raise ScoringError(f"未知的标准化方法：{'、'.join(unknown)}")
    return methods


# Normalisation ----------------------------------------------------------------------------------
# Inside, the engine works on the transposed matrix (one C-contiguous row per indicator), row by
# row and in place: numpy is fastest on long contiguous rows, and at 20,000 units a fresh large
# temporary costs more than the arithmetic on it. Products go through ``einsum`` rather than
# BLAS, whose threads can stall for milliseconds on a busy machine.


def _minmax_row(row: Array, benefit: bool) -> None:
    low, high = row.min(), row.max()
    span = high - low
    if span == 0:
        row.fill(1.0)
        return
    if benefit:
        row -= low
    else:
        np.subtract(high, row, out=row)
    row /= span


def _vector_row(row: Array, benefit: bool) -> None:
    norm = math.sqrt(float(np.einsum("i,i->", row, row)))
    if norm == 0:
        row.fill(1.0)
        return
    row /= norm
    if not benefit:
        np.subtract(1.0, row, out=row)


def _target_row(row: Array, benefit: bool, target: float | Array, cap: float) -> None:
    if benefit:
        np.maximum(row, 0.0, out=row)
        row /= target
    else:
        positive = row > 0
        with np.errstate(divide="ignore", over="ignore"):
            np.divide(target, row, out=row, where=positive)
        row[~positive] = cap
    np.minimum(row, cap, out=row)


def _group_starts(ordered: Array) -> NDArray[np.bool_]:
    """Where a run of equal values starts in a sorted row."""
    starts = np.empty(ordered.size, dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return starts


def _average_ranks(row: Array) -> Array:
    """1-based ranks of ``row`` (1 = smallest), ties sharing the mean of their positions."""
    m = row.size
    order = np.argsort(row)
    starts = _group_starts(row[order])
    out = np.empty(m)
    if starts.all():
        out[order] = np.arange(1, m + 1, dtype=np.float64)
        return out
    index = np.arange(m)
    first = np.maximum.accumulate(np.where(starts, index, 0))
    ends = np.empty(m, dtype=bool)
    ends[-1] = True
    ends[:-1] = starts[1:]
    last = np.minimum.accumulate(np.where(ends, index, m - 1)[::-1])[::-1]
    out[order] = (first + last) / 2.0 + 1.0
    return out


def _rank_row(row: Array, benefit: bool) -> None:
    m = row.size
    if m == 1:
        row.fill(1.0)
        return
    average = _average_ranks(row)
    if benefit:
        np.subtract(average, 1.0, out=row)
    else:
        np.subtract(m, average, out=row)
    row /= m - 1


def _targets(targets: ArrayLike | None, m: int, n: int) -> Array:
    if targets is None:
        raise ScoringError("按目标完成率标准化须提供目标值")
    t = np.asarray(targets, dtype=np.float64)
    if t.shape not in ((n,), (m, n)):
        raise ScoringError(f"目标值应为 ({n},) 或 ({m}, {n}) 的数组")
    return t


def _normalize_t(
    x: Array,
    methods: Sequence[str],
    flags: NDArray[np.bool_],
    targets: ArrayLike | None,
    cap: float,
) -> Array:
    """The normalised matrix, transposed: one row per indicator."""
    m, n = x.shape
    out = np.array(x.T, dtype=np.float64, order="C")
    t = _targets(targets, m, n) if "target" in methods else None
    for j, name in enumerate(methods):
        row, benefit = out[j], bool(flags[j])
        if name == "minmax":
            _minmax_row(row, benefit)
        elif name == "vector":
            _vector_row(row, benefit)
        elif name == "rank":
            _rank_row(row, benefit)
        else:
            assert t is not None
            target = t[j] if t.ndim == 1 else np.ascontiguousarray(t[:, j])
            if np.any(target <= 0) or not np.all(np.isfinite(target)):
                raise ScoringError("目标值必须为正数")
            _target_row(row, benefit, float(target) if t.ndim == 1 else target, cap)
    return out


def _checked(
    matrix: ArrayLike,
    method: str | Sequence[str],
    benefit: ArrayLike | None,
    cap: float,
) -> tuple[Array, list[str], NDArray[np.bool_]]:
    x = _matrix(matrix)
    n = x.shape[1]
    flags = _benefit(benefit, n)
    methods = _methods(method, n)
    if not cap >= 1 or not math.isfinite(cap):
        raise ScoringError("目标完成率的封顶值应不小于 1")
    return x, methods, flags


def normalize(
    matrix: ArrayLike,
    method: str | Sequence[str],
    benefit: ArrayLike | None = None,
    *,
    targets: ArrayLike | None = None,
    cap: float = DEFAULT_CAP,
) -> Array:
    """The normalised matrix (1 = best), one ``method`` for all columns or one per column.

    ``targets`` (for ``target`` columns): shape ``(n,)`` or ``(m, n)``; only the target
    columns' entries are read. ``cap`` bounds target completion (at least 1)."""
    x, methods, flags = _checked(matrix, method, benefit, cap)
    return _normalize_t(x, methods, flags, targets, cap).T


# Weights ---------------------------------------------------------------------------------------


def consistency(pairwise: ArrayLike) -> tuple[Array, float, float]:
    """``(weights, lambda_max, consistency_ratio)`` of a pairwise comparison matrix."""
    a = np.asarray(pairwise, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ScoringError("判断矩阵应为方阵")
    n = a.shape[0]
    if n > len(RANDOM_INDEX):
        raise ScoringError(f"判断矩阵最多 {len(RANDOM_INDEX)} 阶")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ScoringError("判断矩阵的元素必须为正数")
    if not np.allclose(np.diag(a), 1.0):
        raise ScoringError("判断矩阵的对角线元素必须为 1")
    if not np.allclose(a * a.T, 1.0, rtol=1e-6, atol=1e-9):
        raise ScoringError("判断矩阵必须互反：a[j][i] = 1 / a[i][j]")
    if n == 1:
        return np.ones(1), 1.0, 0.0
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lambda_max = float(values[k].real)
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    if n <= 2:
        return w, lambda_max, 0.0
    ci = (lambda_max - n) / (n - 1)
    return w, lambda_max, max(ci, 0.0) / RANDOM_INDEX[n - 1]


def ahp(
    pairwise: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    max_cr: float | None = CR_LIMIT,
) -> tuple[Array, float]:
    """``(weights, consistency_ratio)``; refuses ``CR >= max_cr`` (``None``: never refuses)."""
    a = np.asarray(pairwise, dtype=np.float64)
    w, _lambda_max, cr = consistency(a)
    if max_cr is not None and cr >= max_cr:
        n = a.shape[0]
        names = list(labels) if labels is not None else [f"第{i + 1}项" for i in range(n)]
        if len(names) != n:
            raise ScoringError(f"名称应有 {n} 项")
        deviation = np.abs(np.log(a * w[np.newaxis, :] / w[:, np.newaxis]))
        upper = np.triu(deviation, k=1)
        i, j = (int(v) for v in np.unravel_index(int(np.argmax(upper)), upper.shape))
        raise InconsistencyError(
            consistency_ratio=cr,
            pair=(i, j),
            judgement=float(a[i, j]),
            implied=float(w[i] / w[j]),
            weights=w,
            labels=names,
        )
    return w, cr


def entropy_weights(matrix: ArrayLike) -> Array:
    """Objective weights by the entropy method (see the module's formulas)."""
    x = _matrix(matrix)
    if np.any(x < 0):
        raise ScoringError("熵权法要求指标值非负（请先标准化）")
    m, n = x.shape
    if m == 1:
        return np.full(n, 1.0 / n)
    columns = np.array(x.T, order="C")
    entropy = np.ones(n)
    plogp = np.empty(m)
    for j in range(n):
        p = columns[j]
        total = p.sum()
        if total == 0:
            continue  # no information: e_j = 1
        p /= total
        plogp.fill(0.0)
        np.log(p, out=plogp, where=p > 0)
        plogp *= p
        entropy[j] = -plogp.sum() / math.log(m)
    diversity = np.clip(1.0 - entropy, 0.0, None)
    spread = float(diversity.sum())
    if spread <= 1e-15:
        return np.full(n, 1.0 / n)
    weights: Array = diversity / spread
    return weights


def combine_weights(
    subjective: ArrayLike,
    objective: ArrayLike,
    *,
    alpha: float = 0.5,
    method: Literal["linear", "multiplicative"] = "linear",
) -> Array:
    """Subjective and objective weights combined (each scaled to sum 1 first)."""
    s = np.asarray(subjective, dtype=np.float64).reshape(-1)
    s = _weights(s, s.size)
    o = _weights(objective, s.size)
    if not 0 <= alpha <= 1:
        raise ScoringError("组合系数 α 应在 0 到 1 之间")
    if method == "multiplicative":
        product = s * o
        total = float(product.sum())
        if total > 0:
            return product / total
        return alpha * s + (1 - alpha) * o
    if method != "linear":
        raise ScoringError(f"未知的组合方法：{method}")
    return alpha * s + (1 - alpha) * o


# Aggregation ------------------------------------------------------------------------------------


def _normalized_t(
    matrix: ArrayLike,
    benefit: ArrayLike | None,
    normalization: str | Sequence[str] | None,
    targets: ArrayLike | None,
    cap: float,
) -> Array:
    """The matrix normalised by ``normalization`` (``None``: as given), transposed (a copy)."""
    if normalization is None:
        return np.array(_matrix(matrix).T, order="C")
    x, methods, flags = _checked(matrix, normalization, benefit, cap)
    return _normalize_t(x, methods, flags, targets, cap)


def weighted_sum(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | None = None,
    *,
    normalization: str | Sequence[str] | None = "minmax",
    targets: ArrayLike | None = None,
    cap: float = DEFAULT_CAP,
) -> Array:
    """``S_i = sum_j w_j r_ij`` on the matrix normalised by ``normalization`` (``None``: as is)."""
    rows = _normalized_t(matrix, benefit, normalization, targets, cap)
    scores: Array = np.einsum("n,nm->m", _weights(weights, rows.shape[0]), rows)
    return scores


def _closeness(rows: Array, w: Array) -> Array:
    """TOPSIS closeness of the units (columns of ``rows``, one row per normalised indicator)."""
    n, m = rows.shape
    d_plus, d_minus = np.zeros(m), np.zeros(m)
    v, gap = np.empty(m), np.empty(m)
    for j in range(n):
        np.multiply(rows[j], w[j], out=v)
        np.subtract(v, v.max(), out=gap)
        gap *= gap
        d_plus += gap
        np.subtract(v, v.min(), out=gap)
        gap *= gap
        d_minus += gap
    np.sqrt(d_plus, out=d_plus)
    np.sqrt(d_minus, out=d_minus)
    d_plus += d_minus
    out = np.ones(m)
    np.divide(d_minus, d_plus, out=out, where=d_plus > 0)
    return out


def topsis(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | None = None,
    *,
    normalization: str | Sequence[str] | None = "minmax",
    targets: ArrayLike | None = None,
    cap: float = DEFAULT_CAP,
) -> Array:
    """TOPSIS closeness in [0, 1] (``minmax`` or ``vector`` normalisation, or any other)."""
    rows = _normalized_t(matrix, benefit, normalization, targets, cap)
    return _closeness(rows, _weights(weights, rows.shape[0]))


def subtotals(contributions: ArrayLike, groups: ArrayLike, n_groups: int | None = None) -> Array:
    """Per row, the sum of the contributions of each group (``groups[j]`` in ``0..G-1``)."""
    c = _matrix(contributions)
    g = np.asarray(groups, dtype=np.int64).reshape(-1)
    if g.shape != (c.shape[1],) or np.any(g < 0):
        raise ScoringError("每个指标应属于一个维度（0 起的编号）")
    size = int(g.max()) + 1 if n_groups is None else n_groups
    onehot = np.zeros((c.shape[1], size))
    onehot[np.arange(c.shape[1]), g] = 1.0
    out: Array = c @ onehot
    return out


# Ranks and sensitivity --------------------------------------------------------------------------


def _rank_keys(scores: Array) -> Array:
    """In place: ``-round(score × 10^12)``, so that the ascending order is the descending
    order of the scores to 12 decimals (the same grouping as ``round(score, 12)``)."""
    np.multiply(scores, -TIE_SCALE, out=scores)
    np.rint(scores, out=scores)
    return scores


def _shared_ranks(values: Array, order: NDArray[np.intp], out: NDArray[np.int64]) -> None:
    """``out``: 1-based ranks of ``values`` by ascending ``order``, equal values sharing the
    best (lowest) rank of their group."""
    starts = _group_starts(values[order])
    if starts.all():
        out[order] = np.arange(1, values.size + 1)
    else:
        out[order] = np.maximum.accumulate(np.where(starts, np.arange(values.size), 0)) + 1


def rank(scores: ArrayLike, *, ties: Literal["shared", "order"] = "shared") -> NDArray[np.int64]:
    """Ranks of ``scores`` (1 = highest); see the module's tie rule."""
    keys = _rank_keys(np.array(scores, dtype=np.float64).reshape(-1))
    order = np.argsort(keys, kind="stable")
    out = np.empty(keys.size, dtype=np.int64)
    if ties == "order":
        out[order] = np.arange(1, keys.size + 1)
    elif ties == "shared":
        _shared_ranks(keys, order, out)
    else:
        raise ScoringError(f"未知的并列规则：{ties}")
    return out


def _ranks_by_row(scores: Array) -> NDArray[np.int64]:
    """Shared-tie ranks (1 = highest) of each row of ``scores`` (k runs × m units); ``scores``
    is used as scratch space.

    The keys are integers (``_rank_keys``); when they span less than ``2^53`` and leave room
    for the unit's index in the low bits of an int64, each row is ranked with one ``sort`` of
    ``(key - lowest) << bits | index`` — a plain sort of int64 is faster than an ``argsort``,
    and the order, the sorted keys and so the groups of equal keys are read back from it. The
    rows after the first are packed in the first row's order: the runs differ little, so the
    input is nearly sorted, which the stable sort (timsort) exploits. Otherwise (keys too far
    apart) one ``argsort`` per row. All give the same ranks: equal keys share a rank, whatever
    their order."""
    _rank_keys(scores)
    k, m = scores.shape
    out = np.empty((k, m), dtype=np.int64)
    bits = max(1, (m - 1).bit_length())
    low = float(scores.min())
    span = float(scores.max()) - low
    if not span < min(2.0**53, 2.0 ** (63 - bits)):  # also when a key is not finite
        for i in range(k):
            _shared_ranks(scores[i], np.argsort(scores[i]), out[i])
        return out
    # ``key - low`` is exact (integers below 2^53, or Sterbenz), so equal keys stay equal.
    scores -= low
    mask = (1 << bits) - 1
    index = np.arange(m, dtype=np.int64)
    positions = index + 1
    base = index  # the units in the order of the first row, once it is sorted
    row = np.empty(m)
    packed = np.empty(m, dtype=np.int64)
    order = np.empty(m, dtype=np.int64)
    starts = np.empty(m, dtype=bool)
    starts[0] = True
    for i in range(k):
        np.take(scores[i], base, out=row)
        packed[:] = row
        np.left_shift(packed, bits, out=packed)
        np.bitwise_or(packed, base, out=packed)
        packed.sort(kind="stable" if i else "quicksort")
        np.bitwise_and(packed, mask, out=order)
        if i == 0:
            base = order.copy()
        np.right_shift(packed, bits, out=packed)
        np.not_equal(packed[1:], packed[:-1], out=starts[1:])
        if starts.all():
            out[i, order] = positions
        else:
            out[i, order] = np.maximum.accumulate(np.where(starts, index, 0)) + 1
    return out


@dataclass(frozen=True)
class Sensitivity:
    """Ranks with the weights as given, and with each weight moved by ±delta."""

    ranks: NDArray[np.int64]  # (m,)
    perturbed: NDArray[np.int64]  # (2n, m): row 2j is w_j × (1 + delta), 2j + 1 is × (1 − delta)
    best: NDArray[np.int64]  # (m,) best rank over the runs (the given weights included)
    worst: NDArray[np.int64]  # (m,)
    flagged: NDArray[np.bool_]  # (m,) the rank changes in at least one run


def perturbed_weights(weights: ArrayLike, delta: float = DEFAULT_DELTA) -> Array:
    """``(2n, n)``: row ``2j`` has ``w_j × (1 + delta)``, row ``2j + 1`` ``× (1 − delta)``,
    each row scaled back to sum 1."""
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    w = _weights(w, w.size)
    if not 0 < delta < 1:
        raise ScoringError("权重扰动幅度应在 0 到 1 之间")
    n = w.size
    factors = np.ones((2 * n, n))
    factors[0::2][np.arange(n), np.arange(n)] = 1.0 + delta
    factors[1::2][np.arange(n), np.arange(n)] = 1.0 - delta
    moved = factors * w
    totals = moved.sum(axis=1, keepdims=True)
    out: Array = moved / np.where(totals == 0, 1.0, totals)
    return out


def rank_sensitivity(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | None = None,
    *,
    method: Aggregation = "weighted_sum",
    normalization: str | Sequence[str] | None = "minmax",
    targets: ArrayLike | None = None,
    cap: float = DEFAULT_CAP,
    delta: float = DEFAULT_DELTA,
) -> Sensitivity:
    """How each unit's rank moves when each weight changes by ±``delta`` (see the module)."""
    rows = _normalized_t(matrix, benefit, normalization, targets, cap)
    w = _weights(weights, rows.shape[0])
    runs = np.vstack([w, perturbed_weights(w, delta)])  # (2n + 1, n)
    if method == "weighted_sum":
        scores = np.einsum("kn,nm->km", runs, rows)  # (2n + 1, m)
    elif method == "topsis":
        scores = np.vstack([_closeness(rows, run) for run in runs])
    else:
        raise ScoringError(f"未知的汇总方法：{method}")
    ranks = _ranks_by_row(scores)
    base = ranks[0]
    moved = ranks[1:]
    return Sensitivity(
        ranks=base,
        perturbed=moved,
        best=ranks.min(axis=0),
        worst=ranks.max(axis=0),
        flagged=np.any(moved != base, axis=0),
    )


# One call for the platform ----------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """Everything a period's score page shows, for ``m`` units and ``n`` indicators."""

    weights: Array  # (n,) summing to 1
    normalized: Array  # (m, n)
    contributions: Array  # (m, n) w_j r_ij
    scores: Array  # (m,) weighted sum or TOPSIS closeness
    subtotals: Array  # (m, G) contributions per dimension
    ranks: NDArray[np.int64]  # (m,) shared ties
    sensitivity: Sensitivity


def evaluate(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | None,
    *,
    methods: Sequence[str],
    groups: ArrayLike,
    aggregation: Aggregation = "weighted_sum",
    targets: ArrayLike | None = None,
    cap: float = DEFAULT_CAP,
    delta: float = DEFAULT_DELTA,
    n_groups: int | None = None,
) -> Evaluation:
    """Normalise, aggregate, subtotal per dimension, rank and test the ranks' sensitivity."""
    x, checked, flags = _checked(matrix, methods, benefit, cap)
    rows = _normalize_t(x, checked, flags, targets, cap)
    w = _weights(weights, rows.shape[0])
    r = rows.T
    contributions = r * w
    if aggregation == "weighted_sum":
        scores = np.einsum("n,nm->m", w, rows)
    elif aggregation == "topsis":
        scores = _closeness(rows, w)
    else:
        raise ScoringError(f"未知的汇总方法：{aggregation}")
    sensitivity = rank_sensitivity(r, w, None, method=aggregation, normalization=None, delta=delta)
    return Evaluation(
        weights=w,
        normalized=r,
        contributions=contributions,
        scores=scores,
        subtotals=subtotals(contributions, groups, n_groups),
        ranks=sensitivity.ranks,
        sensitivity=sensitivity,
    )
