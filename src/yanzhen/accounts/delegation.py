"""Delegated administration: a county's own system, security and audit administrators.

An administrator whose data scope is everything is the **province's** administrator; any other
administrator (a role of scope 本县（市、区）及以下, say, on a county unit) is a **county**
administrator and administers only what its data scope reaches:

* accounts, lockouts and the logs of the accounts of its units (the selectors filter by the
  data scope; another county's account is a 404);
* roles: a role belongs to a county (``Role.unit``: defined there, visible and assignable only
  there) or to the province (no unit: inherited, visible and assignable in every county,
  editable only by the province's administrators);
* a county administrator never makes or grants a role that reaches beyond its county (data
  scope 全部数据, custom units elsewhere), never a province role (no unit), and never a
  permission the province does not delegate: a county role holds only permissions that a
  province role of the same kind holds (the province's catalogue is the ceiling);
* 三员分立 holds unchanged (``accounts.separation`` and ``services.check_role_mix``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from yanzhen.core.errors import DomainError
from yanzhen.core.models import DataScope, Role, Unit, UnitClosure, UnitKind, User
from yanzhen.core.scope import everywhere_accounts, scope_of
from yanzhen.core.workflow import ANONYMOUS_REQUESTER


def is_province_admin(user: User) -> bool:
    """Whether ``user`` administers the whole province (its data scope is everything)."""
    return scope_of(user).everything


def county_of(unit: Unit | None) -> Unit | None:
    """The county (县级单位) ``unit`` is in (itself when it is one)."""
    if unit is None:
        return None
    if unit.kind == UnitKind.COUNTY:
        return unit
    closure = (
        UnitClosure.objects.filter(descendant_id=unit.pk, ancestor__kind=UnitKind.COUNTY)
        .select_related("ancestor")
        .first()
    )
    return closure.ancestor if closure is not None else None


def counties_of(user: User) -> QuerySet[Unit]:
    """The counties ``user`` may own roles in: every county for the province's
    administrators, the counties in the data scope otherwise."""
    counties = Unit.objects.filter(kind=UnitKind.COUNTY)
    scope = scope_of(user)
    if scope.everything:
        return counties.order_by("code", "name")
    return counties.filter(pk__in=scope.unit_ids()).order_by("code", "name")


def administered_accounts(user: User) -> QuerySet[User]:
    """Accounts of the units in the user's data scope; for a county's administrator, not the
    province's accounts (of scope everything) even where their unit is in the county."""
    scope = scope_of(user)
    qs = User.objects.filter(scope.q("unit", None)).exclude(username=ANONYMOUS_REQUESTER)
    if not scope.everything:
        qs = qs.exclude(pk__in=everywhere_accounts().values("pk"))
    return qs


def visible_roles(user: User) -> QuerySet[Role]:
    """The roles ``user`` sees: the province's and those of the counties in its scope."""
    scope = scope_of(user)
    if scope.everything:
        return Role.objects.all()
    return Role.objects.filter(Q(unit__isnull=True) | Q(unit__in=scope.unit_ids()))


def may_edit_role(user: User, role: Role) -> bool:
    """A province role only by the province's administrators; a county's by those whose
    scope holds the county."""
    if is_province_admin(user):
        return True
    return role.unit_id is not None and scope_of(user).contains_unit(role.unit)


def _refuse(code: str, message: str, field: str, status: int = 403) -> DomainError:
    return DomainError(code, message, {field: message}, status=status)


def _check_reach(
    actor: User, data_scope: str, custom_units: Iterable[Unit], field: str = "data_scope"
) -> None:
    """A county administrator's roles reach no further than its county."""
    scope = scope_of(actor)
    if scope.everything:
        return
    if data_scope == DataScope.ALL:
        raise _refuse(
            "beyond_county",
            _("县级管理员不能使用“全部数据”范围的角色（超出本县（市、区））"),
            field,
        )
    outside = [u.name for u in custom_units if not scope.contains_unit(u)]
    if data_scope == DataScope.CUSTOM and outside:
        raise _refuse(
            "beyond_county",
            _("自定义单位超出本县（市、区）：%(names)s") % {"names": "、".join(outside[:5])},
            "custom_units",
        )


def delegable_permissions(kind: str) -> QuerySet[Permission]:
    """The permissions a county role of ``kind`` may hold: those of the province's roles of
    that kind."""
    return Permission.objects.filter(
        role__unit__isnull=True, role__kind=kind, role__is_active=True
    ).distinct()


def check_role_save(
    *,
    actor: User,
    role: Role,
    unit: Unit | None,
    kind: str,
    data_scope: str,
    permissions: Iterable[Permission],
    custom_units: Iterable[Unit],
) -> None:
    """Whether ``actor`` may save ``role`` (new when it has no pk) as described."""
    if is_province_admin(actor):
        if unit is not None and unit.kind != UnitKind.COUNTY:
            raise _refuse(
                "not_a_county", _("角色只能属于省级或某个县（市、区）"), "unit", status=400
            )
        return
    if role.pk is not None and not may_edit_role(actor, role):
        raise _refuse(
            "province_role",
            _("省级角色（各县继承）只能由省级管理员修改"),
            "__all__",
        )
    if unit is None:
        raise _refuse("province_role", _("县级管理员不能创建或修改省级角色"), "unit")
    if not counties_of(actor).filter(pk=unit.pk).exists():
        raise _refuse("beyond_county", _("不能在其他县（市、区）定义角色"), "unit")
    _check_reach(actor, data_scope, custom_units)
    allowed = set(delegable_permissions(kind).values_list("pk", flat=True))
    refused = sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in permissions if p.pk not in allowed
    )
    if refused:
        message = _("县级角色只能使用省级同类角色已有的权限（%(names)s）") % {
            "names": "、".join(refused[:5])
        }
        raise DomainError("not_delegated", message, {"permissions": message}, status=403)


def check_role_grant(*, actor: User, account: User, roles: Iterable[Role]) -> None:
    """Whether ``actor`` may give ``account`` the ``roles``: each the province's or that of
    the account's county, visible to the actor and reaching no further than its county."""
    county = county_of(account.unit)
    visible = set(visible_roles(actor).values_list("pk", flat=True))
    for role in roles:
        if role.pk not in visible or (
            role.unit_id is not None and role.unit_id != getattr(county, "pk", None)
        ):
            message = _("角色“%(name)s”不属于该账户所在的县（市、区），不能授予") % {
                "name": role.name
            }
            raise DomainError("role_out_of_county", message, {"roles": message}, status=403)
        _check_reach(actor, role.data_scope, role.custom_units.all(), field="roles")
