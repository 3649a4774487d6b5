"""First-level disciplines as the demand map knows them: the research directions and industry
words of each (``data/discipline_terms.csv``, read once) and the choices of forms and filters."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from yanzhen.reference.models import Discipline

TERMS_CSV = Path(__file__).resolve().parent / "data" / "discipline_terms.csv"


@dataclass(frozen=True)
class DisciplineTerms:
    category_code: str
    category_name: str
    code: str
    name: str
    terms: tuple[str, ...]


@cache
def discipline_terms() -> dict[str, DisciplineTerms]:
    """Research directions and industry words of first-level disciplines, by code."""
    lines = TERMS_CSV.read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    return {
        row["code"]: DisciplineTerms(
            row["category_code"],
            row["category_name"],
            row["code"],
            row["name"],
            tuple(t.strip() for t in row["terms"].split("、") if t.strip()),
        )
        for row in rows
    }


def discipline_choices(codes: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(code, "code name") of the first-level disciplines known, for forms and filters."""
    names = {t.code: t.name for t in discipline_terms().values()}
    names.update(dict(Discipline.objects.filter(parent__isnull=False).values_list("code", "name")))
    keys = sorted(names) if codes is None else [c for c in codes if c in names]
    return [(c, f"{c} {names[c]}") for c in keys]
