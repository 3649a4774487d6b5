"""三员分立 on permission sets: nobody edits a role they hold; an administrator role holds only
its own kind's permissions and a business role none of an administrator's, whoever edits the
role (its pages or the Django admin)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import GOOD, verified_client
from yanzhen.accounts.separation import check_role_permissions, permission_key
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.checks import check_superusers
from yanzhen.core.models import DataScope, Role, RoleKind, User

pytestmark = pytest.mark.django_db


def perm_ids(*names: str) -> list[int]:
    ids = []
    for name in names:
        app, codename = name.split(".")
        ids.append(Permission.objects.get(content_type__app_label=app, codename=codename).pk)
    return ids


def role_perms(role: Role) -> list[str]:
    return sorted(permission_key(p) for p in role.permissions.select_related("content_type"))


def role_form(role: Role, *extra: str) -> dict[str, object]:
    return {
        "code": role.code, "name": role.name, "kind": role.kind, "data_scope": role.data_scope,
        "requires_otp": "on", "password_max_age_days": 90,
        "permissions": [p.pk for p in role.permissions.all()] + perm_ids(*extra),
    }  # fmt: skip


def test_the_security_administrator_cannot_widen_its_own_role(
    make_admin: Callable[..., User],
) -> None:
    admin = make_admin(RoleKind.SECURITY_ADMIN)
    role = admin.roles.get()
    before = role_perms(role)
    client = verified_client(admin)
    url = reverse("accounts:role_edit", kwargs={"pk": role.pk})
    response = client.post(
        url, role_form(role, "audit.view_securityevent", "core.add_user", "core.change_user")
    )
    assert role_perms(Role.objects.get(pk=role.pk)) == before
    assert "不能修改自己担任的角色" in response.content.decode()
    assert "您担任此角色，不能修改它" in client.get(url).content.decode()
    assert not SecurityEvent.objects.filter(kind="role_change").exists()


def test_another_security_administrator_cannot_give_the_role_log_or_account_rights(
    make_admin: Callable[..., User],
) -> None:
    holder = make_admin(RoleKind.SECURITY_ADMIN)
    role = holder.roles.get()
    before = role_perms(role)
    other_role = Role.objects.create(
        code="sec-b", name="安全管理员乙", kind=RoleKind.SECURITY_ADMIN, data_scope=DataScope.ALL,
        requires_otp=True, password_max_age_days=90,
    )  # fmt: skip
    other_role.permissions.set(role.permissions.all())
    other = make_admin(RoleKind.SECURITY_ADMIN, "b")
    other.roles.set([other_role])
    client = verified_client(other)
    url = reverse("accounts:role_edit", kwargs={"pk": role.pk})
    for extra, message in (
        (("audit.view_securityevent",), "审计日志只授予安全审计员"),
        (("core.add_user",), "安全管理员角色不能有系统管理员的权限"),
        (("cooperation.view_cooperation",), "管理员角色不能有业务数据权限"),
    ):
        response = client.post(url, role_form(role, *extra))
        assert message in response.content.decode(), extra
    assert role_perms(Role.objects.get(pk=role.pk)) == before


@pytest.mark.parametrize(
    ("kind", "perms", "message"),
    [
        (RoleKind.SYSTEM_ADMIN, ["core.change_role"], "系统管理员角色不能有安全管理员的权限"),
        (RoleKind.SYSTEM_ADMIN, ["axes.delete_accessattempt"], "系统管理员角色不能有安全管理员的权限"),
        (RoleKind.SYSTEM_ADMIN, ["core.decide_approvalrequest"], "系统管理员角色不能有安全管理员的权限"),
        (RoleKind.SYSTEM_ADMIN, ["audit.view_accesslog"], "审计日志只授予安全审计员"),
        (RoleKind.SYSTEM_ADMIN, ["core.view_personal_data"], "管理员角色不能有业务数据权限"),
        (RoleKind.SECURITY_ADMIN, ["core.add_user"], "安全管理员角色不能有系统管理员的权限"),
        (RoleKind.SECURITY_ADMIN, ["core.view_person"], "管理员角色不能有业务数据权限"),
        (RoleKind.AUDITOR, ["core.view_user"], "安全审计员只能有“查看”审计日志的权限"),
        (RoleKind.AUDITOR, ["audit.delete_securityevent"], "安全审计员只能有“查看”审计日志的权限"),
        (RoleKind.BUSINESS, ["core.add_user"], "业务角色不能有账户、角色、锁定、动态口令或审计等管理权限"),
        (RoleKind.BUSINESS, ["core.change_role"], "业务角色不能有账户、角色、锁定、动态口令或审计等管理权限"),
        (RoleKind.BUSINESS, ["axes.view_accessattempt"], "业务角色不能有账户、角色、锁定、动态口令或审计等管理权限"),
        (RoleKind.BUSINESS, ["otp_totp.delete_totpdevice"], "业务角色不能有账户、角色、锁定、动态口令或审计等管理权限"),
        (RoleKind.BUSINESS, ["audit.view_securityevent"], "审计日志只授予安全审计员"),
    ],
)  # fmt: skip
def test_a_role_holds_no_permission_of_another_kind(
    kind: str, perms: list[str], message: str, make_admin: Callable[..., User]
) -> None:
    client = verified_client(make_admin(RoleKind.SECURITY_ADMIN))
    response = client.post(
        reverse("accounts:role_new"),
        {"code": "new-role", "name": "新角色", "kind": kind, "data_scope": DataScope.UNIT,
         "requires_otp": "on", "password_max_age_days": 90, "permissions": perm_ids(*perms)},
    )  # fmt: skip
    assert message in response.content.decode()
    assert not Role.objects.filter(code="new-role").exists()


@pytest.mark.parametrize(
    ("kind", "perms"),
    [
        (RoleKind.BUSINESS, ["cooperation.view_cooperation", "core.view_unit", "core.add_unit",
                             "core.view_person", "core.view_personal_data"]),
        (RoleKind.SYSTEM_ADMIN, ["core.view_user", "core.add_user", "core.change_user",
                                 "core.view_unit", "core.view_approvalrequest"]),
        (RoleKind.SECURITY_ADMIN, ["core.change_role", "core.add_unit", "otp_totp.delete_totpdevice",
                                   "core.decide_approvalrequest"]),
        (RoleKind.AUDITOR, ["audit.view_securityevent", "audit.view_accesslog"]),
    ],
)  # fmt: skip
def test_a_role_of_its_own_kinds_permissions_is_saved(
    kind: str, perms: list[str], make_admin: Callable[..., User]
) -> None:
    client = verified_client(make_admin(RoleKind.SECURITY_ADMIN))
    response = client.post(
        reverse("accounts:role_new"),
        {"code": "new-role", "name": "新角色", "kind": kind, "data_scope": DataScope.UNIT,
         "requires_otp": "on", "password_max_age_days": 90, "permissions": perm_ids(*perms)},
    )  # fmt: skip
    assert response.status_code == 302
    assert role_perms(Role.objects.get(code="new-role")) == sorted(perms)


def test_a_role_with_two_factors_sets_a_password_age_of_at_most_90_days(
    make_admin: Callable[..., User],
) -> None:
    client = verified_client(make_admin(RoleKind.SECURITY_ADMIN))
    data = {"code": "leaders", "name": "领导", "kind": RoleKind.BUSINESS,
            "data_scope": DataScope.ALL, "requires_otp": "on",
            "permissions": perm_ids("cooperation.view_cooperation")}  # fmt: skip
    for age in ("", "91", "365"):
        response = client.post(reverse("accounts:role_new"), {**data, "password_max_age_days": age})
        assert "密码最长使用天数须在1至90天之间" in response.content.decode(), age
    assert not Role.objects.filter(code="leaders").exists()
    response = client.post(reverse("accounts:role_new"), {**data, "password_max_age_days": 90})
    assert response.status_code == 302


def test_the_django_admin_applies_the_same_rules(make_admin: Callable[..., User]) -> None:
    secadmin_role = make_admin(RoleKind.SECURITY_ADMIN).roles.get()
    before = role_perms(secadmin_role)
    staff = User.objects.create_superuser("ops", password="Ops-Console-2024!x")
    client = Client()
    client.force_login(staff)
    url = reverse("admin:core_role_change", args=[secadmin_role.pk])
    data = {
        "code": secadmin_role.code, "name": secadmin_role.name, "kind": secadmin_role.kind,
        "data_scope": secadmin_role.data_scope, "requires_otp": "on", "is_active": "on",
        "password_max_age_days": 90,
        "permissions": [*perm_ids("audit.view_securityevent", "core.add_user"),
                        *secadmin_role.permissions.values_list("pk", flat=True)],
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "审计日志只授予安全审计员" in response.content.decode()
    assert role_perms(Role.objects.get(pk=secadmin_role.pk)) == before
    # A staff member who holds the role may not change it there either.
    staff.roles.set([secadmin_role])
    client = verified_client(staff)
    assert client.get(url).status_code == 200  # read-only view
    data["permissions"] = list(secadmin_role.permissions.values_list("pk", flat=True))[:1]
    assert client.post(url, data).status_code == 403
    assert role_perms(Role.objects.get(pk=secadmin_role.pk)) == before


def test_the_django_admin_refuses_two_administrator_roles_on_one_account(
    make_admin: Callable[..., User], clerk: User
) -> None:
    auditor_role = make_admin(RoleKind.AUDITOR).roles.get()
    system_role = make_admin(RoleKind.SYSTEM_ADMIN).roles.get()
    staff = User.objects.create_superuser("ops", password="Ops-Console-2024!x")
    client = Client()
    client.force_login(staff)
    url = reverse("admin:core_user_change", args=[clerk.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        roles=[auditor_role.pk, system_role.pk], date_joined_0="2026-11-27",
        date_joined_1="09:00:00", is_active="on", groups=[], user_permissions=[],
    )  # fmt: skip
    data = {
        k: v for k, v in data.items() if k not in ("last_login", "date_joined", "person", "unit")
    }
    data["unit"] = clerk.unit_id
    response = client.post(url, data)
    assert "三者只能担任其一" in response.content.decode()
    assert list(clerk.roles.values_list("code", flat=True)) == ["clerk"]


def test_every_demo_role_keeps_the_separation(demo_db: object) -> None:
    for role in Role.objects.prefetch_related("permissions__content_type"):
        check_role_permissions(role.kind, role.permissions.all())


def _superuser(clerk: User) -> User:
    clerk.is_superuser = True
    clerk.save(update_fields=["is_superuser"])
    return clerk


def test_a_superuser_cannot_sign_in_or_stay_signed_in_in_production(
    clerk: User, settings: pytest.FixtureRequest
) -> None:
    """G12: a superuser passes over the data scope and the three administrators' separation;
    in production it neither signs in (the answer of a wrong password) nor keeps a session."""
    client = Client()
    client.force_login(clerk)
    _superuser(clerk)
    settings.YANZHEN_PRODUCTION = True  # type: ignore[attr-defined]
    page = Client().post(reverse("core:login"), {"username": "zhangwei", "password": GOOD})
    assert page.status_code == 200
    assert "用户名或密码不正确" in page.content.decode()
    assert client.get(reverse("reports:dashboard")).status_code == 302  # the session is gone
    settings.YANZHEN_PRODUCTION = False  # type: ignore[attr-defined]
    assert (
        Client().post(reverse("core:login"), {"username": "zhangwei", "password": GOOD}).status_code
        == 302
    )  # outside production the backend lets it in (development, the admin)


def test_check_deploy_names_an_active_superuser_in_production(
    clerk: User, settings: pytest.FixtureRequest
) -> None:
    settings.YANZHEN_PRODUCTION = True  # type: ignore[attr-defined]
    assert check_superusers(databases=["default"]) == []
    _superuser(clerk)
    (error,) = check_superusers(databases=["default"])
    assert error.id == "yanzhen.E003"
    assert error.msg.startswith(f"生产环境中有启用的超级用户账户（编号 {clerk.pk}）")
    assert check_superusers() == []  # only with --database: checks read no table otherwise
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    assert check_superusers(databases=["default"]) == []
