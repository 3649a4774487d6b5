"""Accounts of a small unit tree for the security tests (no demo needed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from yanzhen.core.models import DataScope, Person, Role, RoleKind, Unit, UnitKind, User
from yanzhen.core.services import person_create, unit_create, user_create

GOOD = "Tq7#mVr2!pLx"


@pytest.fixture
def town(db: None) -> Unit:
    county = unit_create(actor=None, parent=None, name="永济市", kind=UnitKind.COUNTY)
    return unit_create(actor=None, parent=county, name="开张镇", kind=UnitKind.TOWN)


@pytest.fixture
def clerk(town: Unit) -> User:
    person: Person = person_create(
        actor=None, name="张伟", unit=town, id_number="140881198803124015", mobile="13812345678"
    )
    role = Role.objects.create(code="clerk", name="镇工作人员", data_scope=DataScope.UNIT)
    user = user_create(
        username="zhangwei", password=GOOD, unit=town, roles=[role], full_name="张伟", person=person
    )
    return user


def admin_role(kind: str, code: str, perms: list[str]) -> Role:
    role = Role.objects.create(
        code=code, name=code, kind=kind, data_scope=DataScope.ALL, requires_otp=True
    )
    for perm in perms:
        app, codename = perm.split(".")
        role.permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    return role


@pytest.fixture
def make_admin(town: Unit) -> Callable[..., User]:
    perms = {
        RoleKind.SYSTEM_ADMIN: ["core.view_user", "core.add_user", "core.change_user", "core.view_unit",
                                "core.view_approvalrequest"],
        RoleKind.SECURITY_ADMIN: [
            "core.view_user", "core.view_role", "core.add_role", "core.change_role",
            "axes.view_accessattempt", "axes.delete_accessattempt",
            "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice",
            "core.view_approvalrequest", "core.decide_approvalrequest",
        ],
        RoleKind.AUDITOR: ["audit.view_securityevent", "audit.view_accesslog", "audit.view_exportlog"],
    }  # fmt: skip

    def make(kind: str, suffix: str = "") -> User:
        role = Role.objects.filter(code=f"r-{kind}").first() or admin_role(
            kind, f"r-{kind}", perms[RoleKind(kind)]
        )
        return user_create(username=f"u-{kind}{suffix}", password=GOOD, unit=town, roles=[role])

    return make


def verified_client(user: User) -> Client:
    """Logged in, two factors done (a confirmed TOTP device in the session)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client
