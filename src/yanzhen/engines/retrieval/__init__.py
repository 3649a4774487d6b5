"""Retrieval and recommendation for the talent demand map (人才需求图谱). Pure Python: numpy
for the arrays, rjieba for Chinese words; no Django.

* :mod:`.text` — :class:`Tokenizer`: rjieba with the domain dictionary, search-mode tokens;
* :mod:`.bm25` — :class:`BM25Index`: our own BM25, eager weights, deterministic top-k;
* :mod:`.recommend` — :class:`Recommender`: the final score of a university-discipline or an
  expert profile for a need, with its parts and reasons.
"""

from __future__ import annotations

from yanzhen.engines.retrieval.bm25 import BM25Index, BM25Params, Hit
from yanzhen.engines.retrieval.recommend import (
    DEGREE_LABELS,
    DEGREES,
    GRADE_VALUES,
    Context,
    Need,
    Outcome,
    Part,
    Profile,
    Recommendation,
    Recommender,
    Weights,
)
from yanzhen.engines.retrieval.text import STOPWORDS, Tokenizer, default_tokenizer, fold, load_terms

__all__ = [
    "DEGREES",
    "DEGREE_LABELS",
    "GRADE_VALUES",
    "STOPWORDS",
    "BM25Index",
    "BM25Params",
    "Context",
    "Hit",
    "Need",
    "Outcome",
    "Part",
    "Profile",
    "Recommendation",
    "Recommender",
    "Tokenizer",
    "Weights",
    "default_tokenizer",
    "fold",
    "load_terms",
]
