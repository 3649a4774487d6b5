"""Reads of the portal, through the data scope: the registrations a county office decides
(those of its county), and the accounts of an outside organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.core.filters import Filters, choice, text
from yanzhen.core.models import CountySettings
from yanzhen.core.scope import scope_of
from yanzhen.portal.models import OutsideAccount, PartyKind, Registration, RegistrationState

if TYPE_CHECKING:
    from yanzhen.core.scope import AnyUser


@dataclass(frozen=True)
class RegistrationFilters(Filters):
    q: str = text("搜索")
    kind: str = choice("注册类型", PartyKind)
    state: str = choice("状态", RegistrationState)


def registration_qs(user: AnyUser) -> QuerySet[Registration]:
    """The registrations of the counties in the user's scope, and of the county whose office
    is the user's unit."""
    if not user.is_authenticated:
        return Registration.objects.none()
    scope = scope_of(user)
    offices = CountySettings.objects.filter(office_id=user.unit_id).values("county_id")
    return Registration.objects.filter(scope.q("county", None) | Q(county_id__in=offices))


def registration_list(*, user: AnyUser, filters: RegistrationFilters) -> QuerySet[Registration]:
    qs = registration_qs(user).select_related("county", "university", "unit")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(contact__icontains=filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-created_at", "-id")


def registration_get(user: AnyUser, pk: int) -> Registration:
    return get_object_or_404(
        registration_qs(user).select_related("county", "university", "unit", "user"), pk=pk
    )


STAFF_STATES = (("active", "已激活"), ("pending", "待激活"), ("inactive", "已停用"))


@dataclass(frozen=True)
class StaffFilters(Filters):
    q: str = text("搜索")
    state: str = choice("状态", STAFF_STATES)


def staff_list(*, user: AnyUser, filters: StaffFilters) -> QuerySet[OutsideAccount]:
    """The accounts of the user's own organisation, searched by account or name, by state
    (activated, waiting for its activation, deactivated)."""
    qs = organisation_accounts(user)
    if found := filters.q.strip():
        qs = qs.filter(Q(user__username__icontains=found) | Q(user__full_name__icontains=found))
    if filters.state == "inactive":
        qs = qs.filter(user__is_active=False)
    elif filters.state in ("pending", "active"):
        # Waiting for its activation: Django's mark of an unusable password ("!…").
        unusable = Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        qs = qs.filter(user__is_active=True)
        qs = qs.filter(unusable) if filters.state == "pending" else qs.exclude(unusable)
    return qs


def staff_state(account: OutsideAccount) -> str:
    user = account.user
    if not user.is_active:
        return "已停用"
    return "已激活" if user.has_usable_password() else "待激活"


def organisation_accounts(user: AnyUser) -> QuerySet[OutsideAccount]:
    """The portal accounts of the user's own organisation (none for a user without one)."""
    if not user.is_authenticated or user.unit_id is None:
        return OutsideAccount.objects.none()
    return (
        OutsideAccount.objects.filter(organisation_id=user.unit_id)
        .select_related("user", "organisation")
        .order_by("-is_manager", "id")
    )
