"""The ledger's stages sealed against changes outside the platform (``core/integrity.py``):
stage, the dates of intention, agreement, landing and drop, and the investments."""

from __future__ import annotations

from yanzhen.core.integrity import Protected

PROTECTED = (
    Protected(
        "cooperation.Cooperation",
        (
            "owner_unit",
            "stage",
            "intention_date",
            "agreement_date",
            "landed_date",
            "dropped_date",
            "planned_investment",
            "landed_investment",
        ),
    ),
)
