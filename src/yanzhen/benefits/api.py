"""API of the services that keep talents: eligibility with its reasons, entitlements and the
payment list. The same selectors (data scope) and services (rules) as the pages; the paths and
operation ids of the talent app's API, where these endpoints were first published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router

from yanzhen.benefits import selectors, services
from yanzhen.benefits.schemas import (
    BudgetOut,
    CheckOut,
    EligibilityOut,
    EntitlementOut,
    PaymentLineOut,
    PaymentListOut,
    RuleVerdictOut,
)
from yanzhen.core import integrity
from yanzhen.core.api import page_of, require
from yanzhen.core.errors import DomainError
from yanzhen.core.filters import FilterQuery
from yanzhen.core.http import AuthenticatedHttpRequest
from yanzhen.core.masking import api_pii
from yanzhen.core.schemas import ErrorOut, Id, Page, PageQuery, Reveal
from yanzhen.talent import selectors as talent_selectors
from yanzhen.talent.api import ERRORS
from yanzhen.talent.schemas import NamedRef

router = Router(tags=["人才工作"])


@router.get(
    "/talent/talents/{talent_id}/eligibility",
    response={200: list[EligibilityOut], **ERRORS},
    operation_id="yanzhen_talent_api_talent_eligibility",
    url_name="talent_eligibility",
)
def talent_eligibility(
    request: AuthenticatedHttpRequest, talent_id: int, on: dt.date | None = None
) -> list[EligibilityOut]:
    """Each benefit of the catalogue: whether the talent qualifies on ``on``, and why."""
    require(request, "benefits.view_entitlement")
    talent = talent_selectors.talent_get(request.user, talent_id)
    day = on or timezone.localdate()
    return [
        EligibilityOut(
            benefit=NamedRef(id=benefit.pk, name=benefit.name),
            eligible=verdict.eligible,
            summary=verdict.summary(),
            rules=[
                RuleVerdictOut(
                    rule=r.rule.name,
                    passed=r.passed,
                    checks=[
                        CheckOut(condition=c.condition, passed=c.passed, text=c.text)
                        for c in r.checks
                    ],
                )
                for r in verdict.rules
            ],
        )
        for benefit, verdict in services.eligibility(talent, day)
    ]


# Entitlements and the payment list ------------------------------------------------------------------------------------


class EntitlementQuery(FilterQuery[selectors.EntitlementFilters], PageQuery):
    pass


@router.get(
    "/talent/entitlements",
    response={200: Page[EntitlementOut], **ERRORS},
    operation_id="yanzhen_talent_api_list_entitlements",
    url_name="talent_list_entitlements",
)
def list_entitlements(
    request: AuthenticatedHttpRequest, query: Query[EntitlementQuery]
) -> dict[str, object]:
    require(request, "benefits.view_entitlement")
    page, size = query.page, query.page_size
    qs = selectors.entitlement_list(
        user=request.user, filters=query.filters(), today=timezone.localdate()
    )
    items = [
        EntitlementOut(
            id=e.pk,
            talent=NamedRef(id=e.talent.pk, name=e.talent.person.name),
            employer=NamedRef(id=e.talent.employer.pk, name=e.talent.employer.name),
            benefit=NamedRef(id=e.benefit.pk, name=e.benefit.name),
            kind=e.benefit.kind,
            start_date=e.start_date,
            end_date=e.end_date,
            monthly_amount=e.monthly_amount,
            amount=e.amount,
            status=e.status,
            deliveries=e.n_deliveries,  # type: ignore[attr-defined]
        )
        for e in qs[(page - 1) * size : page * size]
    ]
    return page_of(list(items), qs.count(), page, size)


@router.get(
    "/talent/payments",
    response={200: PaymentListOut, **ERRORS, 429: ErrorOut},
    operation_id="yanzhen_talent_api_payment_list",
    url_name="talent_payment_list",
)
def payment_list(
    request: AuthenticatedHttpRequest,
    paying_unit: Id | None = None,
    month: str = "",
    reveal: Reveal = "",
) -> PaymentListOut:
    """The month's subsidies a paying unit pays (``month`` as 2021-12; by default this month
    and the first paying unit in the user's scope), with the year's budget. ID numbers masked
    unless ``reveal=pii``."""
    require(request, "benefits.view_delivery")
    user = request.user
    pii = api_pii(request)
    units = selectors.paying_units(user)
    unit = units.filter(pk=paying_unit).first() if paying_unit is not None else units.first()
    if paying_unit is not None and unit is None:
        raise DomainError("not_found", "发放单位不存在或不在您的数据范围内", status=404)
    try:
        first = dt.date(int(month[:4]), int(month[5:7]), 1) if month else timezone.localdate()
    except ValueError:
        raise DomainError(
            "invalid", "月份应写成 2021-12", {"month": "月份应写成 2021-12"}
        ) from None
    first = first.replace(day=1)
    if unit is None:
        return PaymentListOut(
            paying_unit=None, month=f"{first:%Y-%m}", total=Decimal(0), lines=[], budget=[]
        )
    listing = services.payment_list(
        paying_unit=unit, month=first, entitlements=selectors.entitlement_qs(user)
    )
    out = PaymentListOut(
        paying_unit=NamedRef(id=unit.pk, name=unit.name),
        month=f"{first:%Y-%m}",
        total=listing.total,
        integrity_warnings=integrity.read_check(request, listing.records(), flash=False),
        lines=[
            PaymentLineOut(
                entitlement_id=line.entitlement.pk,
                name=line.entitlement.talent.person.name,
                id_number=pii(line.entitlement.talent.person.id_number, "id"),
                employer=line.entitlement.talent.employer.name,
                benefit=line.entitlement.benefit.name,
                amount=line.amount,
                paid_on=line.paid.date if line.paid else None,
            )
            for line in listing.lines
        ],
        budget=[
            BudgetOut(
                benefit=NamedRef(id=b.benefit.pk, name=b.benefit.name),
                budget=b.budget,
                paid_before=b.paid_before,
                this_month=b.this_month,
                remaining=b.remaining,
            )
            for b in listing.budget
        ],
    )
    pii.logged(
        request, record_type="payment_list", record_id=unit.pk, title="补贴发放表",
        rows=len(out.lines), payload=out.lines,
    )  # fmt: skip
    return out
