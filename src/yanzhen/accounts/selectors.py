"""Reads of accounts and roles. Accounts are scoped by their unit (an administrator sees the
accounts of the units in the data scope); roles are configuration of the whole deployment."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from yanzhen.accounts.services import unused_accounts
from yanzhen.core import masking
from yanzhen.core.filters import Filters, choice, flag, text
from yanzhen.core.models import ApprovalRequest, RequestState, Role, User
from yanzhen.core.scope import scope_of


def account_qs(user: User) -> QuerySet[User]:
    """Accounts of the units in the user's data scope."""
    return User.objects.filter(scope_of(user).q("unit", None))


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


def role_list() -> QuerySet[Role]:
    return Role.objects.prefetch_related("permissions").order_by("kind", "code")


def role_get(pk: int) -> Role:
    return get_object_or_404(Role.objects.prefetch_related("permissions", "custom_units"), pk=pk)


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
