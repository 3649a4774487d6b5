"""Money sealed against changes outside the platform (``core/integrity.py``): the dates, days
and pay of the service agreements of flexibly introduced experts (the entitlements and their
payments: ``yanzhen.benefits.integrity``)."""

from __future__ import annotations

from yanzhen.core.integrity import Protected

PROTECTED = (
    Protected(
        "talent.ServiceAgreement",
        ("talent", "signed_on", "start_date", "end_date", "days_per_year", "remuneration"),
    ),
)
