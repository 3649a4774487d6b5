"""Money sealed against changes outside the platform (``core/integrity.py``): the catalogue's
standards and budgets, each talent's entitlements, every delivery (the payment lists). The
seals keep the labels they were made with in the talent app (``talent.benefit``, …)."""

from __future__ import annotations

from yanzhen.core.integrity import Protected

PROTECTED = (
    Protected(
        "benefits.Benefit",
        ("kind", "paying_unit", "monthly_amount", "amount", "annual_budget"),
        label="talent.benefit",
    ),
    Protected(
        "benefits.Entitlement",
        ("talent", "benefit", "start_date", "end_date", "monthly_amount", "amount", "status"),
        label="talent.entitlement",
    ),
    Protected(
        "benefits.Delivery", ("entitlement", "date", "period", "amount"), label="talent.delivery"
    ),
)
