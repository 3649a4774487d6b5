"""Money sealed against changes outside the platform (``core/integrity.py``): the catalogue's
standards and budgets, each talent's entitlements, every delivery (the payment lists), and the
dates, days and pay of the service agreements of flexibly introduced experts."""

from __future__ import annotations

from yanzhen.core.integrity import Protected

PROTECTED = (
    Protected(
        "talent.Benefit", ("kind", "paying_unit", "monthly_amount", "amount", "annual_budget")
    ),
    Protected(
        "talent.Entitlement",
        ("talent", "benefit", "start_date", "end_date", "monthly_amount", "amount", "status"),
    ),
    Protected("talent.Delivery", ("entitlement", "date", "period", "amount")),
    Protected(
        "talent.ServiceAgreement",
        ("talent", "signed_on", "start_date", "end_date", "days_per_year", "remuneration"),
    ),
)
