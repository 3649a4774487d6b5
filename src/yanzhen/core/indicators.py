"""The contract between the assessment and the apps whose records it scores.

An app that can compute figures per assessed subject for a period declares them in its
``indicators.py`` as ``SOURCES: tuple[IndicatorSource, ...]`` (see core.registry). The
assessment discovers them; it never imports the apps' models itself.

A *subject* is what is assessed: a base (``("base", base_id)``) or a unit
(``("unit", unit_id)`` — a department, a town, ...; a unit's figures include its sub-units).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

SubjectKind = Literal["base", "unit"]
Subject = tuple[SubjectKind, int]


@dataclass(frozen=True)
class IndicatorSource:
    """A figure computed from records, per subject, for the period ``[start, end]``."""

    code: str  # stable, "<app>.<name>", e.g. "cooperation.agreements"
    label: str  # Chinese, e.g. "签约项目数"
    measure: str  # what it counts, e.g. "项", "万元", "%"
    subjects: frozenset[SubjectKind]
    compute: Callable[[Sequence[Subject], dt.date, dt.date], dict[Subject, Decimal]]
    # The URL of the list of records behind one subject's value (for the score page).
    records_url: Callable[[Subject, dt.date, dt.date], str] | None = None
