"""Okapi BM25 over token lists: an eager index (every term's weight per document computed at
build time, stored term by term like a CSC matrix) so that a query only adds a few arrays.

``score(q, d) = Σ_{t ∈ set(q)} idf(t) · tf(t, d) · (k1 + 1) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl))``

Each distinct query term counts once. ``idf`` is Lucene's ``ln(1 + (N − df + 0.5) / (df + 0.5))``
(never negative, so that a term shared by most profiles of a small corpus still counts) or,
for comparison with the classic implementations, Robertson's ``ln(N − df + 0.5) − ln(df + 0.5)``
floored at 0. The weights are float64 and computed in rank-bm25's order of operations, so that
with ``idf="robertson"`` the scores equal rank-bm25's ``BM25Okapi`` bit for bit whenever no
term occurs in more than half of the documents.

Ranking is by score, then by document number (stable and deterministic); documents scoring 0
(no query term) are never returned.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
Idf = Literal["lucene", "robertson"]


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.5
    b: float = 0.75
    idf: Idf = "lucene"


@dataclass(frozen=True)
class Hit:
    doc: int
    score: float


class BM25Index:
    """An immutable BM25 index of ``n_docs`` token lists."""

    def __init__(
        self,
        *,
        params: BM25Params,
        vocabulary: dict[str, int],
        indptr: npt.NDArray[np.int64],
        doc_ids: IntArray,
        weights: FloatArray,
        doc_lengths: IntArray,
        idf: FloatArray,
    ) -> None:
        self.params = params
        self.vocabulary = vocabulary
        self.indptr = indptr
        self.doc_ids = doc_ids
        self.weights = weights
        self.doc_lengths = doc_lengths
        self.idf = idf
        self.n_docs = len(doc_lengths)
        self.avgdl = float(doc_lengths.sum()) / self.n_docs if self.n_docs else 0.0

    @classmethod
    def build(cls, docs: Sequence[Sequence[str]], params: BM25Params | None = None) -> BM25Index:
        """Index ``docs`` (each a sequence of tokens; the document number is its position)."""
        params = params or BM25Params()
        vocabulary: dict[str, int] = {}
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int32, count=len(docs))
        total = int(lengths.sum())
        add = vocabulary.setdefault
        term_of_token = np.fromiter(
            (add(token, len(vocabulary)) for doc in docs for token in doc),
            dtype=np.int64,
            count=total,
        )
        doc_of_token = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        n_docs = len(docs)
        # (term, doc) pairs, sorted by term then document, with their counts = tf.
        keys, tf = np.unique(term_of_token * max(n_docs, 1) + doc_of_token, return_counts=True)
        terms = keys // max(n_docs, 1)
        doc_ids = (keys % max(n_docs, 1)).astype(np.int32)
        df = np.bincount(terms, minlength=len(vocabulary))
        indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        idf = _idf(df, n_docs, params.idf)
        avgdl = total / n_docs if n_docs else 1.0
        q_freq = tf.astype(np.float64)
        doc_len = lengths[doc_ids].astype(np.float64)
        k1, b = params.k1, params.b
        weights = idf[terms] * (q_freq * (k1 + 1) / (q_freq + k1 * (1 - b + b * doc_len / avgdl)))
        return cls(
            params=params,
            vocabulary=vocabulary,
            indptr=indptr,
            doc_ids=doc_ids,
            weights=weights,
            doc_lengths=lengths,
            idf=idf,
        )

    # Queries ---------------------------------------------------------------------------------

    def term_ids(self, tokens: Sequence[str]) -> list[int]:
        """The known distinct terms of ``tokens``, in order of first appearance."""
        seen: dict[int, None] = {}
        for token in tokens:
            term = self.vocabulary.get(token)
            if term is not None:
                seen.setdefault(term, None)
        return list(seen)

    def scores(self, tokens: Sequence[str]) -> FloatArray:
        """The score of every document for the query ``tokens`` (dense, length ``n_docs``)."""
        return self._scores(self.term_ids(tokens))

    def _weighted(self, terms: Sequence[int]) -> list[int]:
        """The terms that can change a score (a term with idf 0 weighs 0 everywhere)."""
        idf = self.idf
        return [t for t in terms if idf[t] > 0]

    def _scores(self, terms: Sequence[int]) -> FloatArray:
        scores = np.zeros(self.n_docs, dtype=np.float64)
        indptr, doc_ids, weights = self.indptr, self.doc_ids, self.weights
        for term in self._weighted(terms):
            start, end = indptr[term], indptr[term + 1]
            scores[doc_ids[start:end]] += weights[start:end]
        return scores

    def top(self, tokens: Sequence[str], k: int = 10) -> list[Hit]:
        """The ``k`` best documents (score > 0), best first; ties by document number."""
        terms = self.term_ids(tokens)
        if not terms or k <= 0:
            return []
        scores = self._scores(terms)
        if len(scores) > 4 * k:
            # The k-th best score bounds the candidates without scanning them one by one.
            kth = scores[np.argpartition(scores, len(scores) - k)[len(scores) - k :]].min()
            candidates = np.flatnonzero(scores >= max(kth, np.nextafter(0.0, 1.0)))
        else:
            candidates = np.flatnonzero(scores > 0)
        return _best(candidates, scores[candidates], k)

    def top_many(
        self, queries: Sequence[Sequence[str]], k: int = 10, *, chunk: int = 256
    ) -> list[list[Hit]]:
        """``top`` for many queries at once: one sparse product per chunk of queries (the
        same sums in the same order, so the same hits as ``top``)."""
        from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

        if k <= 0:
            return [[] for _ in queries]
        matrix = csr_matrix(
            (self.weights, self.doc_ids, self.indptr), shape=(len(self.vocabulary), self.n_docs)
        )
        out: list[list[Hit]] = []
        for first in range(0, len(queries), chunk):
            rows = [self._weighted(self.term_ids(q)) for q in queries[first : first + chunk]]
            indptr = np.zeros(len(rows) + 1, dtype=np.int64)
            np.cumsum([len(r) for r in rows], out=indptr[1:])
            columns = np.fromiter((t for r in rows for t in r), dtype=np.int64, count=indptr[-1])
            selector = csr_matrix(
                (np.ones(len(columns)), columns, indptr),
                shape=(len(rows), len(self.vocabulary)),
            )
            selector.has_sorted_indices = False  # keep each query's order of terms
            product = (selector @ matrix).tocsr()
            for row in range(len(rows)):
                start, end = product.indptr[row], product.indptr[row + 1]
                values = product.data[start:end]
                positive = values > 0
                out.append(_best(product.indices[start:end][positive], values[positive], k))
        return out

    def matched(self, tokens: Sequence[str], doc: int) -> list[str]:
        """The distinct tokens of the query that occur in document ``doc``, in query order."""
        out: list[str] = []
        for token in dict.fromkeys(tokens):
            term = self.vocabulary.get(token)
            if term is None:
                continue
            start, end = self.indptr[term], self.indptr[term + 1]
            postings = self.doc_ids[start:end]
            at = int(np.searchsorted(postings, doc))
            if at < len(postings) and postings[at] == doc:
                out.append(token)
        return out

    def document_frequency(self, token: str) -> int:
        term = self.vocabulary.get(token)
        return 0 if term is None else int(self.indptr[term + 1] - self.indptr[term])

    def nbytes(self) -> int:
        """Bytes held by the index's arrays (the vocabulary dictionary not included)."""
        return int(
            self.indptr.nbytes
            + self.doc_ids.nbytes
            + self.weights.nbytes
            + self.doc_lengths.nbytes
            + self.idf.nbytes
        )


def _best(candidates: npt.NDArray[Any], values: FloatArray, k: int) -> list[Hit]:
    """The ``k`` best of ``candidates`` by value, ties by document number."""
    if len(candidates) > k:
        kth = np.partition(values, len(values) - k)[len(values) - k]
        keep = values >= kth
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))[:k]
    return [Hit(int(candidates[i]), float(values[i])) for i in order]


def _idf(df: npt.NDArray[np.int64], n_docs: int, variant: Idf) -> FloatArray:
    if variant == "lucene":
        return np.log1p((n_docs - df + 0.5) / (df + 0.5))
    # Robertson, as rank-bm25 computes it (a difference of logarithms), floored at 0.
    values = np.array(
        [math.log(n_docs - int(f) + 0.5) - math.log(int(f) + 0.5) for f in df], dtype=np.float64
    )
    return np.maximum(values, 0.0)
