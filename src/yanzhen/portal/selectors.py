"""Reads of the portal, through the data scope: the registrations a county office decides
(those of its county), and the accounts of an outside organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def organisation_accounts(user: AnyUser) -> QuerySet[OutsideAccount]:
    """The portal accounts of the user's own organisation (none for a user without one)."""
    if not user.is_authenticated or user.unit_id is None:
        return OutsideAccount.objects.none()
    return (
        OutsideAccount.objects.filter(organisation_id=user.unit_id)
        .select_related("user", "organisation")
        .order_by("-is_manager", "id")
    )
