"""Services that keep talents: the catalogue and its rules, entitlements generated from the
rules, deliveries, and the monthly subsidy payment list for finance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yanzhen.benefits.eligibility import (
    RuleSpec,
    TalentFacts,
    Verdict,
    entitlement_period,
    evaluate,
)
from yanzhen.benefits.models import (
    MONTHLY_KINDS,
    Benefit,
    BenefitKind,
    Delivery,
    EligibilityRule,
    Entitlement,
    EntitlementStatus,
)
from yanzhen.core import integrity
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, Degree, RequestState, Unit, UnitKind, User
from yanzhen.core.workflow import Flow, register_flow, review_submit
from yanzhen.talent.models import Talent, TalentType
from yanzhen.talent.services.common import changed, check_unit, fail, not_in_future, save

BENEFIT_FIELDS = (
    "code",
    "name",
    "kind",
    "owner_unit",
    "paying_unit",
    "monthly_amount",
    "amount",
    "duration_months",
    "interval_months",
    "annual_budget",
    "description",
    "is_active",
    "sort_order",
)


def benefit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    owner_unit: Unit,
    paying_unit: Unit,
    monthly_amount: Decimal = Decimal(0),
    amount: Decimal = Decimal(0),
    duration_months: int | None = None,
    interval_months: int | None = None,
    annual_budget: Decimal = Decimal(0),
    description: str = "",
    is_active: bool = True,
    sort_order: int = 0,
) -> Benefit:
    benefit = Benefit(
        code=code,
        name=name,
        kind=kind,
        owner_unit=owner_unit,
        paying_unit=paying_unit,
        monthly_amount=monthly_amount,
        amount=amount,
        duration_months=duration_months,
        interval_months=interval_months,
        annual_budget=annual_budget,
        description=description,
        is_active=is_active,
        sort_order=sort_order,
    )
    return _benefit_save(actor, benefit)


def benefit_update(*, actor: User | None, benefit: Benefit, **fields: Any) -> Benefit:
    """Change the fields given (``BENEFIT_FIELDS``); the others keep their values."""
    return _benefit_save(actor, changed(benefit, fields, BENEFIT_FIELDS))


def _benefit_save(actor: User | None, instance: Benefit) -> Benefit:
    check_unit(actor, instance.owner_unit, field="owner_unit", label=_("制定单位"))
    check_unit(actor, instance.paying_unit, field="paying_unit", label=_("发放单位"))
    errors: dict[str, str] = {}
    for name in ("monthly_amount", "amount", "annual_budget"):
        if getattr(instance, name) < 0:
            errors[name] = _("金额不能为负数")
    if instance.kind in MONTHLY_KINDS and instance.monthly_amount <= 0:
        errors["monthly_amount"] = _("按月发放的待遇须填写每月标准")
    if instance.kind in (BenefitKind.VISIT, BenefitKind.CHECKUP) and not instance.interval_months:
        errors["interval_months"] = _("走访、体检须填写周期")
    duplicate = Benefit.objects.filter(code=instance.code).exclude(pk=instance.pk)
    if duplicate.exists():
        errors["code"] = _("代码“%(code)s”已被使用") % {"code": instance.code}
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    save(instance, actor)
    integrity.seal(instance)
    return instance


RULE_FIELDS = (
    *("name", "talent_types", "degrees", "employer_kinds", "min_years", "max_years"),
    *("is_active", "sort_order"),
)


def rule_create(
    *,
    actor: User | None,
    benefit: Benefit,
    name: str,
    talent_types: Sequence[str] = (),
    degrees: Sequence[str] = (),
    employer_kinds: Sequence[str] = (),
    min_years: int | None = None,
    max_years: int | None = None,
    is_active: bool = True,
    sort_order: int = 0,
) -> EligibilityRule:
    rule = EligibilityRule(
        benefit=benefit,
        name=name,
        talent_types=list(talent_types),
        degrees=list(degrees),
        employer_kinds=list(employer_kinds),
        min_years=min_years,
        max_years=max_years,
        is_active=is_active,
        sort_order=sort_order,
    )
    return _rule_save(actor, rule)


def rule_update(*, actor: User | None, rule: EligibilityRule, **fields: Any) -> EligibilityRule:
    """Change the fields given (``RULE_FIELDS``); the others keep their values."""
    return _rule_save(actor, changed(rule, fields, RULE_FIELDS))


def _rule_save(actor: User | None, rule: EligibilityRule) -> EligibilityRule:
    talent_types, degrees, employer_kinds = rule.talent_types, rule.degrees, rule.employer_kinds
    min_years, max_years = rule.min_years, rule.max_years
    errors: dict[str, str] = {}
    bad_types = [t for t in talent_types if t not in TalentType.values]
    if bad_types:
        errors["talent_types"] = _("未知的人才类型：%(join)s") % {"join": "、".join(bad_types)}
    bad_kinds = [k for k in employer_kinds if k not in UnitKind.values]
    if bad_kinds:
        errors["employer_kinds"] = _("未知的单位类型：%(join)s") % {"join": "、".join(bad_kinds)}
    bad_degrees = [d for d in degrees if d not in Degree.values]
    if bad_degrees:
        errors["degrees"] = _("未知的学位：%(join)s") % {"join": "、".join(bad_degrees)}
    if min_years is not None and max_years is not None and min_years >= max_years:
        errors["max_years"] = _("“到岗不超过”的年数应大于“到岗满”的年数")
    if errors:
        raise DomainError("invalid", next(iter(errors.values())), errors)
    rule.name = rule.name.strip()
    rule.talent_types = list(dict.fromkeys(talent_types))
    rule.degrees = list(dict.fromkeys(degrees))
    rule.employer_kinds = list(dict.fromkeys(employer_kinds))
    save(rule, actor)
    return rule


def rule_delete(*, actor: User | None, rule: EligibilityRule) -> None:
    rule._history_user = actor  # type: ignore[attr-defined]
    rule.delete()


# Eligibility and entitlements ----------------------------------------------------------------


def rule_spec(rule: EligibilityRule) -> RuleSpec:
    return RuleSpec(
        name=rule.name,
        talent_types=tuple(rule.talent_types),
        degrees=tuple(rule.degrees),
        employer_kinds=tuple(rule.employer_kinds),
        min_years=rule.min_years,
        max_years=rule.max_years,
        rule_id=rule.pk,
    )


def facts_of(talent: Talent) -> TalentFacts:
    return TalentFacts(
        talent_type=talent.talent_type,
        degree=talent.degree,
        employer_name=talent.employer.name,
        employer_kind=talent.employer.kind,
        start_date=talent.start_date,
    )


def catalogue(benefits: QuerySet[Benefit] | None = None) -> list[tuple[Benefit, list[RuleSpec]]]:
    """Active benefits with their active rules (two queries)."""
    qs = benefits if benefits is not None else Benefit.objects.all()
    items = list(qs.filter(is_active=True).order_by("sort_order", "id"))
    rules: dict[int, list[RuleSpec]] = {b.pk: [] for b in items}
    for rule in EligibilityRule.objects.filter(benefit__in=items, is_active=True).order_by(
        "sort_order", "id"
    ):
        rules[rule.benefit_id].append(rule_spec(rule))
    return [(b, rules[b.pk]) for b in items]


def eligibility(
    talent: Talent, on: dt.date, items: list[tuple[Benefit, list[RuleSpec]]] | None = None
) -> list[tuple[Benefit, Verdict]]:
    """Each active benefit with whether ``talent`` qualifies on ``on``, and why."""
    facts = facts_of(talent)
    return [
        (benefit, evaluate(benefit.name, rules, facts, on))
        for benefit, rules in (items if items is not None else catalogue())
    ]


@dataclass
class Generation:
    created: list[Entitlement] = field(default_factory=list)
    existing: int = 0
    not_eligible: list[tuple[Talent, Benefit, Verdict]] = field(default_factory=list)


def entitlements_plan(
    talents: Iterable[Talent], on: dt.date, report: Generation | None = None
) -> list[Entitlement]:
    """The entitlements the rules give ``talents`` on ``on`` that they do not have yet,
    unsaved (each with its reason); ``report`` collects the existing and refused ones."""
    items = catalogue()
    report = report if report is not None else Generation()
    talent_list = list(talents)
    have: set[tuple[int, int]] = set(
        Entitlement.objects.filter(talent__in=talent_list).values_list("talent_id", "benefit_id")
    )
    planned: list[Entitlement] = []
    for talent in talent_list:
        for benefit, verdict in eligibility(talent, on, items):
            if (talent.pk, benefit.pk) in have:
                report.existing += 1
                continue
            matched = verdict.matched
            if matched is None:
                report.not_eligible.append((talent, benefit, verdict))
                continue
            start, end = entitlement_period(
                matched.rule,
                talent_start=talent.start_date,
                talent_end=talent.end_date,
                duration_months=benefit.duration_months,
            )
            planned.append(
                Entitlement(
                    talent=talent,
                    benefit=benefit,
                    rule_id=matched.rule.rule_id,
                    start_date=start,
                    end_date=end,
                    monthly_amount=benefit.monthly_amount,
                    amount=benefit.amount,
                    reason=_("%(on)s认定：%(summary)s")
                    % {"on": format(on, "%Y-%m-%d"), "summary": verdict.summary()},
                    generated=True,
                )
            )
    return planned


@transaction.atomic
def entitlements_generate(
    *, actor: User | None, talents: Iterable[Talent], on: dt.date
) -> Generation:
    """Create, for each talent, the entitlements its rules give it on ``on`` (idempotent:
    an entitlement that exists is left as it is)."""
    report = Generation()
    for entitlement in entitlements_plan(talents, on, report):
        save(entitlement, actor, history=True)
        report.created.append(entitlement)
    integrity.seal(*report.created)
    return report


@transaction.atomic
def entitlement_cancel(*, actor: User | None, entitlement: Entitlement, reason: str) -> Entitlement:
    if entitlement.status == EntitlementStatus.CANCELLED:
        raise fail("reason", _("该待遇已取消"))
    if not reason.strip():
        raise fail("reason", _("取消待遇须说明原因"))
    entitlement.status = EntitlementStatus.CANCELLED
    entitlement.reason = (
        _("%(reason)s\n取消：%(why)s") % {"reason": entitlement.reason, "why": reason.strip()}
    ).strip()
    save(entitlement, actor, history=True)
    integrity.seal(entitlement)
    return entitlement


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def payable(entitlement: Entitlement, month: dt.date) -> bool:
    """A monthly entitlement is paid for a month when it runs on the month's first day."""
    first = first_of_month(month)
    talent_end = entitlement.talent.end_date
    return (
        entitlement.status == EntitlementStatus.ACTIVE
        and entitlement.start_date <= first
        and (entitlement.end_date is None or entitlement.end_date >= first)
        and (talent_end is None or talent_end >= first)
    )


@transaction.atomic
def delivery_create(
    *,
    actor: User | None,
    entitlement: Entitlement,
    date: dt.date,
    amount: Decimal | None = None,
    period: dt.date | None = None,
    evidence: UploadedFile[bytes] | None = None,
    note: str = "",
) -> Delivery:
    """Record one delivery; a monthly subsidy names its month, once per month."""
    if entitlement.status != EntitlementStatus.ACTIVE:
        raise fail("date", _("已取消的待遇不能兑现"))
    not_in_future(date, "date", _("兑现日期"))
    if date < entitlement.start_date:
        raise fail(
            "date",
            _("兑现日期不能早于待遇起始日期（%(start_date)s）")
            % {"start_date": format(entitlement.start_date, "%Y-%m-%d")},
        )
    monthly = entitlement.benefit.kind in MONTHLY_KINDS
    if monthly:
        if period is None:
            raise fail("period", _("按月发放的补贴须填写所属月份"))
        period = first_of_month(period)
        if not payable(entitlement, period):
            raise fail(
                "period",
                _("%(period)s不在该待遇的享受期内") % {"period": format(period, "%Y年%m月")},
            )
        if Delivery.objects.filter(entitlement=entitlement, period=period).exists():
            raise fail("period", _("%(period)s已发放") % {"period": format(period, "%Y年%m月")})
    elif period is not None:
        raise fail("period", _("只有按月发放的补贴填写所属月份"))
    if amount is None:
        amount = entitlement.monthly_amount if monthly else entitlement.amount
    if amount < 0:
        raise fail("amount", _("金额不能为负数"))
    delivery = Delivery(
        entitlement=entitlement, date=date, amount=amount, period=period, note=note.strip()
    )
    if evidence is not None:
        delivery.evidence.save(evidence.name or "evidence", evidence, save=False)
    save(delivery, actor, history=True)
    integrity.seal(delivery)
    return delivery


@transaction.atomic
def delivery_delete(*, actor: User | None, delivery: Delivery) -> None:
    """Remove a delivery recorded by mistake (an import undone)."""
    check_unit(actor, delivery.entitlement.benefit.paying_unit, field="date", label=_("发放单位"))
    delivery._history_user = actor  # type: ignore[attr-defined]
    delivery.delete()


# The monthly payment list --------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentLine:
    entitlement: Entitlement
    amount: Decimal
    paid: Delivery | None


@dataclass
class BudgetLine:
    benefit: Benefit
    budget: Decimal
    paid_before: Decimal
    this_month: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.paid_before - self.this_month


@dataclass
class PaymentList:
    paying_unit: Unit
    month: dt.date
    lines: list[PaymentLine]
    budget: list[BudgetLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def unpaid(self) -> list[PaymentLine]:
        return [line for line in self.lines if line.paid is None]

    def records(self) -> list[Benefit | Entitlement | Delivery]:
        """The records the list is made of (checked against their integrity tags)."""
        out: list[Benefit | Entitlement | Delivery] = [b.benefit for b in self.budget]
        for line in self.lines:
            out.append(line.entitlement)
            if line.paid is not None:
                out.append(line.paid)
        return out

    @property
    def budget_total(self) -> Decimal:
        return sum((b.budget for b in self.budget), Decimal(0))

    @property
    def remaining_total(self) -> Decimal:
        return sum((b.remaining for b in self.budget), Decimal(0))


def payment_list(
    *, paying_unit: Unit, month: dt.date, entitlements: QuerySet[Entitlement] | None = None
) -> PaymentList:
    """The monthly subsidies ``paying_unit`` pays for ``month``: one line per talent and
    benefit running on the month's first day, and the year's budget, paid so far and left."""
    first = first_of_month(month)
    qs = entitlements if entitlements is not None else Entitlement.objects.all()
    qs = (
        qs.filter(
            benefit__paying_unit=paying_unit,
            benefit__kind__in=MONTHLY_KINDS,
            status=EntitlementStatus.ACTIVE,
            start_date__lte=first,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .filter(Q(talent__end_date__isnull=True) | Q(talent__end_date__gte=first))
        .select_related("talent__person", "talent__employer", "benefit")
        .order_by(
            "benefit__sort_order", "talent__employer__sort_order", "talent__person__name", "pk"
        )
    )
    paid = {d.entitlement_id: d for d in Delivery.objects.filter(entitlement__in=qs, period=first)}
    lines = [
        PaymentLine(e, paid[e.pk].amount if e.pk in paid else e.monthly_amount, paid.get(e.pk))
        for e in qs
    ]
    benefits = Benefit.objects.filter(paying_unit=paying_unit, kind__in=MONTHLY_KINDS).order_by(
        "sort_order", "id"
    )
    before = dict(
        Delivery.objects.filter(
            entitlement__benefit__in=benefits,
            period__year=first.year,
            period__lt=first,
        )
        .values("entitlement__benefit_id")
        .annotate(total=Sum("amount"))
        .values_list("entitlement__benefit_id", "total")
    )
    this_month: dict[int, Decimal] = {}
    for line in lines:
        key = line.entitlement.benefit_id
        this_month[key] = this_month.get(key, Decimal(0)) + line.amount
    budget = [
        BudgetLine(
            b, b.annual_budget, before.get(b.pk) or Decimal(0), this_month.get(b.pk, Decimal(0))
        )
        for b in benefits
    ]
    return PaymentList(paying_unit, first, lines, budget)


@transaction.atomic
def payment_confirm(
    *,
    actor: User | None,
    paying_unit: Unit,
    month: dt.date,
    date: dt.date,
    entitlements: Sequence[int] | None = None,
) -> list[Delivery]:
    """Record as paid every unpaid line of the month's list (idempotent); with
    ``entitlements`` (a list imported from a sheet), only those lines."""
    check_unit(actor, paying_unit, field="paying_unit", label=_("发放单位"))
    listing = payment_list(paying_unit=paying_unit, month=month)
    unpaid = _lines_of(listing, entitlements)
    if not unpaid:
        raise fail(
            "month", _("%(month)s没有待发放的补贴") % {"month": format(listing.month, "%Y年%m月")}
        )
    return [
        delivery_create(
            actor=actor,
            entitlement=line.entitlement,
            date=date,
            amount=line.amount,
            period=listing.month,
            note=_("%(month)s补贴发放") % {"month": format(listing.month, "%Y年%m月")},
        )
        for line in unpaid
    ]


def _lines_of(listing: PaymentList, entitlements: Sequence[int] | None) -> list[PaymentLine]:
    if entitlements is None:
        return listing.unpaid
    chosen = set(entitlements)
    return [line for line in listing.unpaid if line.entitlement.pk in chosen]


# Four eyes on the payment lists (core.workflow): one holder of benefits.add_delivery submits the
# month's list, another of the same unit approves it, and only then is it recorded as paid.


def _payment_conditions(paying_unit: Unit, payload: Any) -> dict[str, str]:
    month = dt.date.fromisoformat(str(payload["month"]))
    listing = payment_list(paying_unit=paying_unit, month=month)
    if not _lines_of(listing, payload.get("entitlements")):
        return {"month": _("%(month)s没有待发放的补贴") % {"month": format(month, "%Y年%m月")}}
    return {}


def _payment_apply(approval: ApprovalRequest, approver: User) -> None:
    payment_confirm(
        actor=approver,
        paying_unit=Unit.objects.get(pk=approval.target_id),
        month=dt.date.fromisoformat(str(approval.payload["month"])),
        date=dt.date.fromisoformat(str(approval.payload["date"])),
        entitlements=approval.payload.get("entitlements"),
    )


PAYMENT_FLOW = register_flow(
    Flow(
        code="talent.payment",
        label=gettext_noop("补贴发放清单"),  # a str: registered at import (core.workflow)
        model=Unit,
        permission="benefits.add_delivery",
        reviewer=lambda paying_unit, unit: unit,  # four eyes inside the paying unit
        title=lambda paying_unit: _("%(name)s补贴发放清单") % {"name": paying_unit.name},
        url=lambda paying_unit: reverse("talent:payment_list") + f"?paying_unit={paying_unit.pk}",
        conditions=_payment_conditions,
        apply=_payment_apply,
        deadline_days=3,
    )
)


@transaction.atomic
def payment_submit(
    *,
    actor: User,
    paying_unit: Unit,
    month: dt.date,
    date: dt.date,
    entitlements: Sequence[int] | None = None,
) -> ApprovalRequest:
    """Submit the month's list for a second person of the paying unit to approve; approved,
    its unpaid lines are recorded as paid on ``date`` (``payment_confirm``). With
    ``entitlements`` (a list imported from the office's sheet) only those lines are paid."""
    check_unit(actor, paying_unit, field="paying_unit", label=_("发放单位"))
    first = first_of_month(month)
    payload: dict[str, Any] = {"month": first.isoformat(), "date": date.isoformat()}
    if entitlements is not None:
        payload["entitlements"] = sorted(set(entitlements))
    return review_submit(
        flow=PAYMENT_FLOW,
        target=paying_unit,
        actor=actor,
        unit=paying_unit,
        payload=payload,
        note=_("%(first)s补贴发放，发放日期%(date)s")
        % {"first": format(first, "%Y年%m月"), "date": format(date, "%Y-%m-%d")},
    )


@transaction.atomic
def payment_withdraw(*, actor: User, approval: ApprovalRequest) -> None:
    """Take back a submitted list not yet decided (an import undone): it is refused with a
    note, so that its history stays; a decided list cannot be taken back."""
    if approval.kind != PAYMENT_FLOW.code:
        raise fail("__all__", _("不是补贴发放清单"))
    if approval.state != RequestState.REQUESTED:
        raise fail("__all__", _("该补贴发放清单已审批，不能撤回"))
    check_unit(actor, approval.unit, field="paying_unit", label=_("发放单位"))
    approval.state = RequestState.REFUSED
    approval.decided_at = timezone.now()
    approval.decision_note = _("报送人撤回")
    approval.save(update_fields=["state", "decided_at", "decision_note"])
