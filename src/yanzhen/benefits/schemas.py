"""API schemas of the services that keep talents: eligibility with its reasons, entitlements,
the payment list (ID numbers masked for users without ``core.view_personal_data``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema

from yanzhen.talent.schemas import NamedRef


class CheckOut(Schema):
    condition: str
    passed: bool
    text: str


class RuleVerdictOut(Schema):
    rule: str
    passed: bool
    checks: list[CheckOut]


class EligibilityOut(Schema):
    benefit: NamedRef
    eligible: bool
    summary: str
    rules: list[RuleVerdictOut]


class EntitlementOut(Schema):
    id: int
    talent: NamedRef
    employer: NamedRef
    benefit: NamedRef
    kind: str
    start_date: dt.date
    end_date: dt.date | None
    monthly_amount: Decimal
    amount: Decimal
    status: str
    deliveries: int


class PaymentLineOut(Schema):
    entitlement_id: int
    name: str
    id_number: str
    employer: str
    benefit: str
    amount: Decimal
    paid_on: dt.date | None


class BudgetOut(Schema):
    benefit: NamedRef
    budget: Decimal
    paid_before: Decimal
    this_month: Decimal
    remaining: Decimal


class PaymentListOut(Schema):
    paying_unit: NamedRef | None
    month: str
    total: Decimal
    lines: list[PaymentLineOut]
    budget: list[BudgetOut]
    # Set when an amount of the list fails its integrity check.
    integrity_warnings: list[str] = []
