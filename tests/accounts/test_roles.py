"""三员分立: three administrator roles kept apart, an auditor who writes nothing, and idle
accounts found and disabled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import GOOD, admin_role, verified_client
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.models import DataScope, Role, RoleKind, User

pytestmark = pytest.mark.django_db


def perm_ids(*names: str) -> list[int]:
    ids = []
    for name in names:
        app, codename = name.split(".")
        ids.append(Permission.objects.get(content_type__app_label=app, codename=codename).pk)
    return ids


def test_one_person_holds_at_most_one_of_the_three(
    clerk: User, make_admin: Callable[[str], User]
) -> None:
    security = verified_client(make_admin(RoleKind.SECURITY_ADMIN))
    auditor = admin_role(RoleKind.AUDITOR, "aud2", ["audit.view_securityevent"])
    system = admin_role(RoleKind.SYSTEM_ADMIN, "sys2", ["core.view_user"])
    url = reverse("accounts:user_roles", kwargs={"pk": clerk.pk})
    response = security.post(url, {"roles": [auditor.pk, system.pk]}, follow=True)
    assert "系统管理员、安全管理员、安全审计员三者只能担任其一" in response.content.decode()
    response = security.post(url, {"roles": [auditor.pk, clerk.roles.get().pk]}, follow=True)
    assert "管理员角色不能与业务角色同时授予同一账户" in response.content.decode()
    assert list(clerk.roles.values_list("code", flat=True)) == ["clerk"]
    assert security.post(url, {"roles": [auditor.pk]}).status_code == 302
    assert list(clerk.roles.values_list("code", flat=True)) == ["aud2"]
    event = SecurityEvent.objects.get(kind="role_change")
    assert event.detail == {"account": "zhangwei", "before": ["clerk"], "after": ["aud2"]}


def test_an_auditor_role_cannot_be_given_any_write(make_admin: Callable[[str], User]) -> None:
    security = verified_client(make_admin(RoleKind.SECURITY_ADMIN))
    response = security.post(
        reverse("accounts:role_new"),
        {"code": "aud3", "name": "审计", "kind": RoleKind.AUDITOR, "data_scope": DataScope.ALL,
         "requires_otp": "on", "permissions": perm_ids("audit.view_securityevent", "core.change_user")},
    )  # fmt: skip
    assert "安全审计员只能有“查看”审计日志的权限" in response.content.decode()
    response = security.post(
        reverse("accounts:role_new"),
        {"code": "sys3", "name": "系统", "kind": RoleKind.SYSTEM_ADMIN, "data_scope": DataScope.ALL,
         "requires_otp": "on", "permissions": perm_ids("core.view_person")},
    )  # fmt: skip
    assert "管理员角色不能有业务数据权限" in response.content.decode()
    response = security.post(
        reverse("accounts:role_new"),
        {"code": "biz", "name": "业务", "kind": RoleKind.BUSINESS, "data_scope": DataScope.UNIT,
         "permissions": perm_ids("audit.view_securityevent")},
    )  # fmt: skip
    assert "审计日志只授予安全审计员" in response.content.decode()
    assert not Role.objects.filter(code__in=["aud3", "sys3", "biz"]).exists()


def test_the_auditor_reads_logs_and_writes_nothing(
    clerk: User, make_admin: Callable[[str], User]
) -> None:
    auditor = verified_client(make_admin(RoleKind.AUDITOR))
    assert auditor.get(reverse("audit:event_list")).status_code == 200
    for name, kwargs in (
        ("accounts:user_new", {}), ("accounts:role_new", {}),
        ("accounts:user_active", {"pk": clerk.pk}), ("accounts:unlock", {}),
        ("cooperation:cooperation_new", {}), ("core:unit_new", {}),
    ):  # fmt: skip
        assert auditor.post(reverse(name, kwargs=kwargs), {"username": "x"}).status_code == 403, (
            name
        )
    clerk.refresh_from_db()
    assert clerk.is_active is True


def test_the_system_administrator_sees_no_audit_log_or_business_data(
    make_admin: Callable[[str], User],
) -> None:
    system = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    for name in ("audit:event_list", "cooperation:cooperation_list", "core:person_list"):
        assert system.get(reverse(name)).status_code == 403, name
    assert system.get(reverse("accounts:user_list")).status_code == 200


def test_an_account_made_by_an_administrator_must_change_its_password(
    make_admin: Callable[[str], User], town: object
) -> None:
    system = verified_client(make_admin(RoleKind.SYSTEM_ADMIN))
    response = system.post(
        reverse("accounts:user_new"),
        {"username": "lisi", "full_name": "李四", "password": "Fresh-Lantern-42", "unit": ""},
    )
    assert response.status_code == 302
    created = User.objects.get(username="lisi")
    assert created.must_change_password is True
    client = Client()
    client.post(reverse("core:login"), {"username": "lisi", "password": "Fresh-Lantern-42"})
    assert client.get(reverse("reports:dashboard"))["Location"].startswith("/accounts/password/")


def test_no_account_of_the_demo_is_a_superuser_or_staff(demo_db: object) -> None:
    assert User.objects.filter(is_superuser=True).count() == 0
    assert User.objects.filter(is_staff=True).count() == 0


def test_idle_accounts_are_reported_and_disabled(
    clerk: User, capsys: pytest.CaptureFixture[str]
) -> None:
    User.objects.filter(pk=clerk.pk).update(last_login=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 4, 1, tzinfo=dt.UTC), tick=False):
        call_command("unused_accounts")
        out = capsys.readouterr().out
        assert out.splitlines()[0] == "超过 90 天未登录的有效账户：0 个"
    with time_machine.travel(dt.datetime(2026, 4, 2, tzinfo=dt.UTC), tick=False):
        call_command("unused_accounts")
        assert "zhangwei\t张伟\t2026-01-01" in capsys.readouterr().out
        call_command("unused_accounts", "--disable")
        assert "已停用 1 个超过 90 天未登录的账户：zhangwei" in capsys.readouterr().out
    clerk.refresh_from_db()
    assert clerk.is_active is False
    assert (
        Client().post(reverse("core:login"), {"username": "zhangwei", "password": GOOD}).status_code
        == 200
    )
