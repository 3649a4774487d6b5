"""Data scope: which records a user may see, from the scopes of their roles (RuoYi style).

A user's scope is the union of their active roles' scopes:

* 全部数据 — everything;
* 本单位及以下 — their unit and every unit below it in the tree;
* 仅本单位 — their unit only;
* 自定义单位 — the units listed on the role;
* 仅本人 — records they created themselves.

Selectors call :func:`scope_of` and filter with :meth:`Scope.q`; nothing else decides
visibility. A record outside the scope is a 404, exactly like a record that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from yanzhen.core.models import DataScope, Role, Unit, UnitClosure, UnitKind, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The user a selector reads for: signed in, or not (then the scope is empty).
    AnyUser = User | AnonymousUser

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    everything: bool
    unit_q: Q | None
    self_only: bool

    def units(self) -> QuerySet[Unit]:
        """The units in scope (all units when the scope is everything)."""
        if self.everything:
            return Unit.objects.all()
        if self.unit_q is None:
            return Unit.objects.none()
        return Unit.objects.filter(self.unit_q)

    def unit_ids(self) -> QuerySet[Unit, Any]:
        return self.units().values("pk")

    def q(self, unit_lookup: str | None, creator_lookup: str | None = "created_by") -> Q:
        """A filter for records whose ``unit_lookup`` is in scope (or that the user created)."""
        if self.everything:
            return Q()
        condition = NOTHING
        if unit_lookup is not None and self.unit_q is not None:
            condition |= Q(**{f"{unit_lookup}__in": self.unit_ids()})
        if creator_lookup is not None and self.self_only and self.user_id is not None:
            condition |= Q(**{creator_lookup: self.user_id})
        return condition

    def contains_unit(self, unit: Unit | None) -> bool:
        if self.everything:
            return True
        if unit is None or self.unit_q is None:
            return False
        return self.units().filter(pk=unit.pk).exists()


EMPTY = Scope(user_id=None, everything=False, unit_q=None, self_only=False)


def active_roles(user: User) -> list[Role]:
    """The user's active roles, read once per user object (the scope, the session policy and
    the separation of administrators all ask for them on every request)."""
    cached: list[Role] | None = getattr(user, "_yanzhen_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(users=user, is_active=True))
        setattr(user, "_yanzhen_roles", cached)  # noqa: B010 (a per-object cache)
    return cached


def scope_of(user: User | AnonymousUser) -> Scope:
    """The data scope of ``user``, computed once per user object."""
    if not user.is_authenticated:
        return EMPTY
    cached: Scope | None = getattr(user, "_yanzhen_scope", None)
    if cached is not None:
        return cached
    scope = _compute(user)
    setattr(user, "_yanzhen_scope", scope)  # noqa: B010 (a per-object cache)
    return scope


def _compute(user: User) -> Scope:
    if user.is_superuser:
        return Scope(user.pk, True, None, False)
    unit_q: Q | None = None
    self_only = False

    def add(q: Q) -> None:
        nonlocal unit_q
        unit_q = q if unit_q is None else unit_q | q

    for role in active_roles(user):
        if role.data_scope == DataScope.ALL:
            return Scope(user.pk, True, None, False)
        if role.data_scope == DataScope.SELF:
            self_only = True
        elif role.data_scope == DataScope.CUSTOM:
            through = Role.custom_units.through
            add(Q(pk__in=through.objects.filter(role_id=role.pk).values("unit_id")))
        elif user.unit_id is None:
            continue
        elif role.data_scope == DataScope.UNIT:
            add(Q(pk=user.unit_id))
        elif role.data_scope == DataScope.COUNTY:
            county = (
                UnitClosure.objects.filter(
                    descendant_id=user.unit_id, ancestor__kind=UnitKind.COUNTY
                )
                .values_list("ancestor_id", flat=True)
                .first()
            )
            root = county if county is not None else user.unit_id
            add(Q(pk__in=UnitClosure.objects.filter(ancestor_id=root).values("descendant_id")))
        elif role.data_scope == DataScope.UNIT_AND_BELOW:
            add(
                Q(
                    pk__in=UnitClosure.objects.filter(ancestor_id=user.unit_id).values(
                        "descendant_id"
                    )
                )
            )
    return Scope(user.pk, False, unit_q, self_only)


def scope_key(user: User) -> tuple[Any, ...]:
    """What the user's data scope is computed from (see ``_compute``): two users with equal
    keys have the same scope while the unit tree and the roles' custom units stay as they are
    (sums kept per key must also be kept per ledger generation, which those change). The user
    is part of the key only under a 仅本人 role, whose scope adds the user's own records."""
    roles = tuple(sorted((role.pk, role.data_scope) for role in active_roles(user)))
    self_only = any(scope == DataScope.SELF for _pk, scope in roles)
    return (user.is_superuser, user.unit_id, roles, user.pk if self_only else None)


def forget_scope(user: User) -> None:
    """Drop the cached scope and roles (after the user's roles or unit changed)."""
    if hasattr(user, "_yanzhen_scope"):
        del user._yanzhen_scope
    if hasattr(user, "_yanzhen_roles"):
        del user._yanzhen_roles


def everywhere_accounts() -> QuerySet[User]:
    """The accounts whose data scope is everything (superusers, holders of an active role of
    全部数据): the province's. Delegated administration keeps them, and their log entries,
    out of a county administrator's reach, wherever their unit sits."""
    return User.objects.filter(
        Q(is_superuser=True) | Q(roles__data_scope=DataScope.ALL, roles__is_active=True)
    ).distinct()
