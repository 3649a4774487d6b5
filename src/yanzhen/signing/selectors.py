"""Reads of 云签约, in the data scope: a user sees the agreements their scope's units are a
party to, and those of the cooperations in their scope (the office: all)."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yanzhen.core.filters import Filters, choice, day, record, text
from yanzhen.core.models import Unit, User
from yanzhen.core.scope import scope_of
from yanzhen.signing.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementState,
    AgreementVersion,
    Ceremony,
    Obligation,
    OrganisationCertificate,
)
from yanzhen.supervision.models import MilestoneStatus

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


def agreement_qs(user: AnyUser) -> QuerySet[Agreement]:
    scope = scope_of(user)
    if scope.everything:
        return Agreement.objects.all()
    parties = AgreementParty.objects.filter(scope.q("unit", None)).values("agreement")
    return Agreement.objects.filter(Q(pk__in=parties) | scope.q("cooperation__owner_unit", None))


def agreement_get(user: AnyUser, pk: int) -> Agreement:
    return get_object_or_404(agreement_qs(user).select_related("cooperation", "ceremony"), pk=pk)


EXPIRY_CHOICES = (("soon", "90天内到期"), ("expired", "已到期"))


@dataclass(frozen=True)
class AgreementFilters(Filters):
    q: str = text("搜索")
    state: str = choice("状态", AgreementState)
    kind: str = choice("协议类型", AgreementKind)
    expiry: str = choice("到期", EXPIRY_CHOICES)
    expires_before: dt.date | None = day("到期日不晚于")
    cooperation: int | None = record("所属合作", hidden=True)
    ceremony: int | None = record("集中云签约", hidden=True)


def agreement_list(*, user: AnyUser, filters: AgreementFilters) -> QuerySet[Agreement]:
    qs = (
        agreement_qs(user)
        .select_related("cooperation")
        .annotate(
            n_parties=Count("parties", distinct=True),
            n_signed=Count("parties", filter=Q(parties__signed_at__isnull=False), distinct=True),
        )
        .order_by("-id")
    )
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(code__icontains=filters.q)
            | Q(cooperation__title__icontains=filters.q)
            | Q(parties__unit__name__icontains=filters.q)
        ).distinct()
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    today = timezone.localdate()
    if filters.expiry == "soon":
        qs = qs.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=90))
    elif filters.expiry == "expired":
        qs = qs.filter(expires_on__lt=today)
    if filters.expires_before is not None:
        qs = qs.filter(expires_on__lte=filters.expires_before)
    if filters.cooperation is not None:
        qs = qs.filter(cooperation_id=filters.cooperation)
    if filters.ceremony is not None:
        qs = qs.filter(ceremony_id=filters.ceremony)
    return qs


def agreement_list_with_parties(*, user: AnyUser, filters: AgreementFilters) -> QuerySet[Agreement]:
    """``agreement_list`` with each agreement's parties (unit, signer) in their order."""
    return agreement_list(user=user, filters=filters).prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("unit", "signer").order_by("position"),
        )
    )


def signer_choices(user: AnyUser) -> QuerySet[User]:
    """The active accounts of the units in the user's scope: who may sign for a party."""
    return (
        User.objects.filter(is_active=True, unit__in=scope_of(user).units())
        .select_related("unit")
        .order_by("unit__name", "username")
    )


def party_units(agreement: Agreement) -> QuerySet[Unit]:
    """The units that are parties to an agreement, by name."""
    return Unit.objects.filter(pk__in=agreement.parties.values("unit")).order_by("name")


def is_renewed(agreement: Agreement) -> bool:
    return agreement.renewals.exists()


def parties_of(agreement: Agreement) -> list[AgreementParty]:
    return list(
        agreement.parties.select_related("unit", "signer", "certificate").order_by("position")
    )


@dataclass(frozen=True)
class ObligationRow:
    """An obligation with what its milestone says: pending (not yet signed by all),
    done, overdue or open."""

    obligation: Obligation
    status: str
    tag: str


def obligations_of(agreement: Agreement, *, today: dt.date) -> list[ObligationRow]:
    rows = []
    for o in agreement.obligations.select_related("unit", "milestone").order_by("due_date", "pk"):
        milestone = o.milestone
        if milestone is None:
            status, tag = "签署生效后纳入督办", "muted"
        elif milestone.status == MilestoneStatus.DONE:
            status, tag = f"已完成（{milestone.done_date}）", "ok"
        elif milestone.is_overdue(today):
            status, tag = "已逾期", "gap"
        else:
            status, tag = milestone.get_status_display(), "warn"
        rows.append(ObligationRow(o, status, tag))
    return rows


def renewals_of(user: AnyUser, agreement: Agreement) -> list[Agreement]:
    """The agreements renewing ``agreement`` that the user sees."""
    return list(agreement_qs(user).filter(renews=agreement).order_by("pk"))


def renewed_of(user: AnyUser, agreement: Agreement) -> Agreement | None:
    """The agreement ``agreement`` renews, if the user sees it."""
    if agreement.renews_id is None:
        return None
    return agreement_qs(user).filter(pk=agreement.renews_id).first()


def obligation_get(agreement: Agreement, pk: int) -> Obligation:
    return get_object_or_404(agreement.obligations.all(), pk=pk)


def versions_of(agreement: Agreement) -> list[AgreementVersion]:
    return list(agreement.versions.select_related("created_by").order_by("number"))


def version_diff(older: AgreementVersion, newer: AgreementVersion) -> list[tuple[str, str]]:
    """The lines that changed between two versions: ("+" | "-" | " ", line)."""
    lines = difflib.ndiff(older.content.splitlines(), newer.content.splitlines())
    return [(line[0], line[2:]) for line in lines if line[0] in "+- "]


def party_to_sign(agreement: Agreement, user: AnyUser) -> AgreementParty | None:
    """The party the user is to sign for now, if any."""
    if agreement.state != AgreementState.SIGNING or not user.is_authenticated:
        return None
    return (
        agreement.parties.select_related("unit")
        .filter(signer_id=user.pk, signed_at__isnull=True)
        .order_by("position")
        .first()
    )


def ceremony_qs(user: AnyUser) -> QuerySet[Ceremony]:
    scope = scope_of(user)
    if scope.everything:
        return Ceremony.objects.all()
    visible = agreement_qs(user).values("ceremony")
    return Ceremony.objects.filter(Q(pk__in=visible) | scope.q("owner_unit", None))


def ceremony_get(user: AnyUser, pk: int) -> Ceremony:
    return get_object_or_404(ceremony_qs(user).select_related("owner_unit"), pk=pk)


@dataclass(frozen=True)
class CeremonyFilters(Filters):
    q: str = text("搜索")


def ceremony_list(*, user: AnyUser, filters: CeremonyFilters) -> QuerySet[Ceremony]:
    qs = (
        ceremony_qs(user)
        .select_related("owner_unit")
        .annotate(
            n_agreements=Count("agreements", distinct=True),
            n_signed=Count(
                "agreements",
                filter=Q(agreements__state=AgreementState.SIGNED),
                distinct=True,
            ),
        )
        .order_by("-held_on", "-id")
    )
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    return qs


def ceremony_agreements(user: AnyUser, ceremony: Ceremony) -> list[Agreement]:
    """The ceremony's agreements the user may see, each with its parties."""
    return list(
        agreement_qs(user)
        .filter(ceremony=ceremony)
        .prefetch_related("parties__unit")
        .order_by("pk")
    )


def signable_agreements(user: AnyUser) -> QuerySet[Agreement]:
    """Agreements not yet signed in the user's scope (to gather into a ceremony)."""
    return agreement_qs(user).exclude(state=AgreementState.SIGNED).order_by("-id")


def certificates_of(unit: Unit) -> QuerySet[OrganisationCertificate]:
    return OrganisationCertificate.objects.filter(unit=unit).order_by("-pk")
