"""Okapi BM25 over token lists: an eager index (every term's weight per document computed at
build time, stored term by term like a CSC matrix) so that a query only adds a few arrays:
one ``bincount`` over the postings of its terms gives every document's score, and the top k
are found among the few documents scoring at least the k-th best of a sample (no sort or
partition of all the scores).

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
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
DocArray = npt.NDArray[np.intp]
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
        doc_ids: DocArray,
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
        n_docs = len(docs)
        # (term, doc) pairs as term · N + doc, sorted by term then document, with their
        # counts = tf. In place where possible: the build's temporary arrays are what its
        # memory peaks at (several times the index).
        keys = term_of_token
        keys *= max(n_docs, 1)
        keys += np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        keys, tf = np.unique(keys, return_counts=True)
        del term_of_token
        terms = keys // max(n_docs, 1)
        # Document numbers as intp, numpy's index type: ``bincount`` over int32 numbers
        # converts them first and is several times slower.
        keys %= max(n_docs, 1)
        doc_ids = keys.astype(np.intp, copy=False)
        del keys
        df = np.bincount(terms, minlength=len(vocabulary))
        indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        idf = _idf(df, n_docs, params.idf)
        avgdl = total / n_docs if n_docs else 1.0
        k1, b = params.k1, params.b
        # idf · tf · (k1 + 1) / (tf + k1 · (1 − b + b · |d| / avgdl)), each operation in this
        # order (as rank-bm25), in place: the same float64 results as the plain expression.
        q_freq = tf.astype(np.float64)
        del tf
        norm = lengths[doc_ids].astype(np.float64)
        norm *= b
        norm /= avgdl
        norm += 1 - b
        norm *= k1
        norm += q_freq
        q_freq *= k1 + 1
        q_freq /= norm
        del norm
        weights = idf[terms]
        weights *= q_freq
        del q_freq, terms
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
        # One pass of ``bincount`` over the query terms' postings, in the order of the terms:
        # each document's sum is 0.0 + w(t1) + w(t2) + … in that order, exactly the sums of a
        # term-at-a-time accumulation, without a scatter (gather, add, store) per term.
        indptr, doc_ids, weights = self.indptr, self.doc_ids, self.weights
        spans = [(int(indptr[t]), int(indptr[t + 1])) for t in self._weighted(terms)]
        if not spans:
            return np.zeros(self.n_docs, dtype=np.float64)
        if len(spans) == 1:
            start, end = spans[0]
            ids, values = doc_ids[start:end], weights[start:end]
        else:
            ids = np.concatenate([doc_ids[start:end] for start, end in spans])
            values = np.concatenate([weights[start:end] for start, end in spans])
        # float64 with weights (numpy's stubs say int)
        return cast(FloatArray, np.bincount(ids, weights=values, minlength=self.n_docs))

    def top(self, tokens: Sequence[str], k: int = 10) -> list[Hit]:
        """The ``k`` best documents (score > 0), best first; ties by document number."""
        if k <= 0:
            return []
        return self._top(self.term_ids(tokens), k)

    def _top(self, terms: Sequence[int], k: int) -> list[Hit]:
        if not terms:
            return []
        scores = self._scores(terms)
        candidates = _candidates(scores, k)
        return _best(candidates, scores[candidates], k)

    def top_many(
        self, queries: Sequence[Sequence[str]], k: int = 10, *, chunk: int = 256
    ) -> list[list[Hit]]:
        """``top`` for many queries: the same code for each query, so the same hits as ``top``.
        (``chunk`` is accepted for compatibility; one dense score array per query is at least
        as fast as a sparse product per chunk of queries, and needs far less memory.)"""
        del chunk
        if k <= 0:
            return [[] for _ in queries]
        return [self._top(self.term_ids(query), k) for query in queries]

    def matched(self, tokens: Sequence[str], doc: int) -> list[str]:
        """The distinct tokens of the query that occur in document ``doc``, in query order."""
        return self.matched_many(tokens, [doc])[0]

    def matched_many(self, tokens: Sequence[str], docs: Sequence[int]) -> list[list[str]]:
        """``matched`` for each of ``docs``: one binary search per term for all the documents."""
        wanted = np.asarray(docs, dtype=np.intp)
        out: list[list[str]] = [[] for _ in range(len(wanted))]
        if not len(wanted):
            return out
        for token in dict.fromkeys(tokens):
            term = self.vocabulary.get(token)
            if term is None:
                continue
            postings = self.doc_ids[self.indptr[term] : self.indptr[term + 1]]
            at = np.minimum(postings.searchsorted(wanted), len(postings) - 1)
            for i in np.flatnonzero(postings[at] == wanted).tolist():
                out[i].append(token)
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


SAMPLE = 2048  # scores looked at to bound the k-th best score from below


def _candidates(scores: FloatArray, k: int) -> npt.NDArray[np.intp]:
    """The documents that may be among the ``k`` best (score > 0): every document scoring at
    least the k-th best score of an evenly spaced sample of the documents. That score is never
    above the k-th best of all the documents, so no document of the top k (nor any tied with
    the k-th) is left out; and it is found without partitioning the whole array (``argpartition``
    of 50,000 scores, many of them equal, costs ~0.5 ms and several ms at worst)."""
    n = len(scores)
    step = max(1, n // SAMPLE)
    sample = scores[::step]
    floor = np.nextafter(0.0, 1.0)  # a positive score, however small
    if len(sample) > k:
        kth = float(np.partition(sample, len(sample) - k)[len(sample) - k])
        floor = max(floor, kth)
    return np.flatnonzero(scores >= floor)


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
