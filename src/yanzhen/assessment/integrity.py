"""The assessment's figures sealed against changes outside the platform (``core/integrity.py``):
each score's total, dimension subtotals and rank, and each indicator's values and points."""

from __future__ import annotations

from yanzhen.core.integrity import Protected

PROTECTED = (
    Protected("assessment.Score", ("period", "base", "unit", "total", "subtotals", "rank")),
    Protected("assessment.ScoreItem", ("score", "code", "computed", "value", "target", "points")),
)
