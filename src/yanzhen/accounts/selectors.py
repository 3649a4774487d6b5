"""Reads of accounts and roles. Accounts are scoped by their unit (an administrator sees the
accounts of the units in the data scope); roles are the province's (seen everywhere) or a
county's (seen by the administrators of that county, ``accounts.delegation``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.accounts import delegation, lockout
from yanzhen.accounts.services import unused_accounts
from yanzhen.core import masking
from yanzhen.core.filters import Filters, choice, flag, text
from yanzhen.core.models import ApprovalRequest, DataScope, RequestState, Role, User
from yanzhen.core.scope import NOTHING


def account_qs(user: User) -> QuerySet[User]:
    """Accounts of the units in the user's data scope; for a county's administrator, not the
    province's accounts (of scope everything) even where their unit is in the county."""
    return delegation.administered_accounts(user)


def account_get(user: User, pk: int) -> User:
    return get_object_or_404(account_qs(user).select_related("unit"), pk=pk)


@dataclass(frozen=True)
class AccountFilters(Filters):
    q: str = text("搜索")
    unused: bool = flag("90天未登录")


def account_list(*, user: User, filters: AccountFilters) -> QuerySet[User]:
    """The accounts ``user`` administers: searched by name, or only those unused 90 days."""
    qs = unused_accounts() if filters.unused else User.objects.all()
    qs = qs.filter(pk__in=account_qs(user).values("pk")).select_related("unit")
    if found := filters.q.strip():
        qs = qs.filter(Q(username__icontains=found) | Q(full_name__icontains=found))
    return qs.prefetch_related("roles").order_by("username")


def account_roles(account: User) -> list[Role]:
    """All the roles of ``account`` (also those no longer active)."""
    return list(account.roles.all())


def role_list(*, user: User) -> QuerySet[Role]:
    """The roles ``user`` sees: the province's and those of the counties in its scope."""
    return (
        delegation.visible_roles(user)
        .select_related("unit")
        .prefetch_related("permissions")
        .order_by("kind", "code")
    )


def role_get(user: User, pk: int) -> Role:
    """One role ``user`` sees (another county's is a 404)."""
    roles = delegation.visible_roles(user).select_related("unit")
    return get_object_or_404(roles.prefetch_related("permissions", "custom_units"), pk=pk)


def assignable_roles(user: User, account: User) -> QuerySet[Role]:
    """The active roles ``user`` sees that fit ``account``: the province's and those of the
    account's county."""
    county = delegation.county_of(account.unit)
    own = Q(unit__isnull=True) | (Q(unit=county) if county is not None else NOTHING)
    roles = delegation.visible_roles(user).filter(own, is_active=True)
    if not delegation.is_province_admin(user):  # nothing that reaches beyond the county
        roles = roles.exclude(data_scope=DataScope.ALL)
    return roles.order_by("kind", "code")


def locked_accounts(*, user: User) -> list[tuple[str, dt.datetime]]:
    """The locked user names ``user`` may unlock: every one for the province's administrators,
    the accounts of the scope for a county's."""
    locked = lockout.locked_names()
    if delegation.is_province_admin(user):
        return locked
    names = set(
        account_qs(user)
        .filter(username__in=[n for n, _ in locked])
        .values_list("username", flat=True)
    )
    return [(name, until) for name, until in locked if name in names]


def role_held(role: Role, user: User) -> bool:
    """Whether ``user`` holds ``role`` (and so may not change it)."""
    return role.users.filter(pk=user.pk).exists()


@dataclass(frozen=True)
class RequestFilters(Filters):
    """The filters of the approval requests' list (``core.workflow.request_list``)."""

    state: str = choice("状态", RequestState)


@dataclass(frozen=True)
class PiiRequestFilters(Filters):
    state: str = choice("状态", RequestState)
    purpose: str = choice("用途", masking.Purpose)
    q: str = text("申请人")


def pii_request_list(*, user: User, filters: PiiRequestFilters) -> QuerySet[ApprovalRequest]:
    """The requests for full personal data ``user`` may read (``masking.pii_requests``),
    filtered, the latest first."""
    qs = masking.pii_requests(user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.purpose:
        qs = qs.filter(payload__purpose=filters.purpose)
    if found := filters.q.strip():
        qs = qs.filter(
            Q(requester__username__icontains=found) | Q(requester__full_name__icontains=found)
        )
    return qs
