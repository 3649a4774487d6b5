"""Delegated administration: a county's own system administrator, security administrator and
auditor (Yongji's, 盐湖区's) administer only their county's accounts, roles, lockouts and logs;
another county's are refused (404/403) with nothing changed; a county role is seen and granted
only in its county, a province role everywhere and edited only by the province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import GOOD, verified_client
from yanzhen.accounts import lockout, services
from yanzhen.audit.models import AccessLog, ExportLog, SecurityEvent
from yanzhen.audit.services import access_logged, export_logged, record
from yanzhen.core.models import DataScope, Role, RoleKind, Unit, UnitKind, User
from yanzhen.core.services import unit_create, user_create
from yanzhen.core.trail import EventKind

pytestmark = pytest.mark.django_db

ADMIN_PERMS = {
    RoleKind.SYSTEM_ADMIN: ["core.view_user", "core.add_user", "core.change_user",
                            "core.view_unit", "core.view_approvalrequest"],
    RoleKind.SECURITY_ADMIN: [
        "core.view_user", "core.view_role", "core.add_role", "core.change_role",
        "axes.view_accessattempt", "axes.delete_accessattempt",
        "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice",
        "core.view_approvalrequest", "core.decide_approvalrequest",
    ],
    RoleKind.AUDITOR: ["audit.view_securityevent", "audit.view_accesslog", "audit.view_exportlog"],
}  # fmt: skip
SHORT = {RoleKind.SYSTEM_ADMIN: "sysadmin", RoleKind.SECURITY_ADMIN: "secadmin",
         RoleKind.AUDITOR: "auditor"}  # fmt: skip
BUSINESS_PERMS = ["cooperation.view_cooperation", "core.view_unit"]


def perms(*names: str) -> list[Permission]:
    out = []
    for name in names:
        app, codename = name.split(".")
        out.append(Permission.objects.get(content_type__app_label=app, codename=codename))
    return out


def make_role(code: str, kind: str, scope: str, unit: Unit | None, names: list[str]) -> Role:
    strict = kind != RoleKind.BUSINESS
    role = Role.objects.create(
        code=code, name=code, kind=kind, data_scope=scope, unit=unit,
        requires_otp=strict, password_max_age_days=90 if strict else None,
    )  # fmt: skip
    role.permissions.set(perms(*names))
    return role


@dataclass
class World:
    units: dict[str, Unit]
    roles: dict[str, Role]
    users: dict[str, User]

    def client(self, username: str) -> Client:
        return verified_client(self.users[username])


YONGJI_ACCOUNTS = ["yj_auditor", "yj_clerk", "yj_secadmin", "yj_sysadmin", "yj_town"]
YANHU_ACCOUNTS = ["yh_auditor", "yh_clerk", "yh_secadmin", "yh_sysadmin"]
PROVINCE_ACCOUNTS = ["p_auditor", "p_secadmin", "p_sysadmin"]


@pytest.fixture
def world(db: None) -> World:
    province = unit_create(actor=None, parent=None, name="山西省", kind=UnitKind.PROVINCE)
    city = unit_create(actor=None, parent=province, name="运城市", kind=UnitKind.CITY)
    units = {"province": province, "city": city}
    for key, name, office in (("yj", "永济市", "永济市省校合作办公室"),
                              ("yh", "盐湖区", "盐湖区省校合作办公室")):  # fmt: skip
        county = unit_create(actor=None, parent=city, name=name, kind=UnitKind.COUNTY)
        units[key] = county
        units[f"{key}_office"] = unit_create(
            actor=None, parent=county, name=office, kind=UnitKind.DEPARTMENT
        )
    units["yj_town"] = unit_create(
        actor=None, parent=units["yj"], name="开张镇", kind=UnitKind.TOWN
    )
    roles: dict[str, Role] = {}
    for kind, short in SHORT.items():
        roles[f"p_{short}"] = make_role(f"p-{short}", kind, DataScope.ALL, None, ADMIN_PERMS[kind])
        for key in ("yj", "yh"):
            roles[f"{key}_{short}"] = make_role(
                f"{key}-{short}", kind, DataScope.COUNTY, units[key], ADMIN_PERMS[kind]
            )
    roles["clerk"] = make_role("clerk", RoleKind.BUSINESS, DataScope.UNIT, None, BUSINESS_PERMS)
    roles["yj_role"] = make_role(
        "yj-role", RoleKind.BUSINESS, DataScope.UNIT, units["yj"], ["core.view_unit"]
    )
    roles["yh_role"] = make_role(
        "yh-role", RoleKind.BUSINESS, DataScope.UNIT, units["yh"], ["core.view_unit"]
    )
    users: dict[str, User] = {}
    for prefix, unit in (("p", province), ("yj", units["yj_office"]), ("yh", units["yh_office"])):
        for short in SHORT.values():
            name = f"{prefix}_{short}"
            users[name] = user_create(username=name, password=GOOD, unit=unit, roles=[roles[name]])
    users["yj_clerk"] = user_create(
        username="yj_clerk", password=GOOD, unit=units["yj_office"], roles=[roles["clerk"]]
    )
    users["yj_town"] = user_create(
        username="yj_town", password=GOOD, unit=units["yj_town"], roles=[roles["yj_role"]]
    )
    users["yh_clerk"] = user_create(
        username="yh_clerk", password=GOOD, unit=units["yh_office"], roles=[roles["yh_role"]]
    )
    return World(units, roles, users)


def rows_of(response: Any) -> list[Any]:
    """Every row of a list page (one page of them; the total is checked against it)."""
    assert response.status_code == 200
    page = response.context["page"]
    rows = list(page.object_list)
    assert page.paginator.count == len(rows)
    return rows


def name_of(row: Any) -> str:
    if isinstance(row, tuple):  # the lockout list: (user name, locked until)
        return str(row[0])
    return str(row.username if isinstance(row, User) else row.code)


def usernames_in(client: Client, name: str) -> list[str]:
    return sorted(name_of(row) for row in rows_of(client.get(reverse(name))))


def role_state(role: Role) -> tuple[object, ...]:
    role.refresh_from_db()
    keys = sorted(f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all())
    return (role.name, role.kind, role.data_scope, role.unit_id, tuple(keys))


def role_post(role: Role | None, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "new-role", "name": "新角色", "kind": RoleKind.BUSINESS,
        "data_scope": DataScope.UNIT, "permissions": [p.pk for p in perms("core.view_unit")],
        "password_max_age_days": "", "unit": "",
    }  # fmt: skip
    if role is not None:
        data.update(
            code=role.code, name=role.name, kind=role.kind, data_scope=role.data_scope,
            permissions=[p.pk for p in role.permissions.all()],
            unit=role.unit_id or "", password_max_age_days=role.password_max_age_days or "",
        )  # fmt: skip
        if role.requires_otp:
            data["requires_otp"] = "on"
    data.update(changes)
    return data


# Accounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admin", "expected"),
    [
        ("yj_sysadmin", YONGJI_ACCOUNTS),
        ("yj_secadmin", YONGJI_ACCOUNTS),
        ("yh_sysadmin", YANHU_ACCOUNTS),
        ("yh_secadmin", YANHU_ACCOUNTS),
        ("p_sysadmin", sorted(YONGJI_ACCOUNTS + YANHU_ACCOUNTS + PROVINCE_ACCOUNTS)),
    ],
)
def test_the_account_list_is_the_administrators_county(
    world: World, admin: str, expected: list[str]
) -> None:
    assert usernames_in(world.client(admin), "accounts:user_list") == expected


@pytest.mark.parametrize("admin", ["yj_sysadmin", "yj_secadmin"])
def test_another_countys_account_is_a_404_and_nothing_changes(world: World, admin: str) -> None:
    client = world.client(admin)
    target = world.users["yh_clerk"]
    before = (target.full_name, target.unit_id, target.is_active, target.password)
    pk = target.pk
    for name, method, data in (
        ("accounts:user_detail", "get", {}),
        ("accounts:user_edit", "get", {}),
        ("accounts:user_edit", "post", {"full_name": "改名", "unit": world.units["yj_office"].pk}),
        ("accounts:user_active", "post", {"active": "0", "reason": "离职"}),
        ("accounts:user_password", "post", {"new_password": "Zx9!kLm3#qWe", "reason": "忘记"}),
        ("accounts:user_roles", "post", {"roles": [world.roles["yj_role"].pk]}),
        ("accounts:user_otp_reset", "post", {}),
    ):
        response = getattr(client, method)(reverse(name, kwargs={"pk": pk}), data)
        assert response.status_code in (403, 404), name
    target.refresh_from_db()
    assert (target.full_name, target.unit_id, target.is_active, target.password) == before
    assert list(target.roles.values_list("code", flat=True)) == ["yh-role"]
    assert not SecurityEvent.objects.filter(
        kind__in=[EventKind.USER_CHANGE, EventKind.ROLE_CHANGE]
    ).exists()


def test_a_county_sysadmin_places_accounts_only_in_its_county(world: World) -> None:
    client = world.client("yj_sysadmin")
    response = client.post(
        reverse("accounts:user_new"),
        {"username": "yh_new", "full_name": "王五", "unit": world.units["yh_office"].pk,
         "password": "Zx9!kLm3#qWe"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not User.objects.filter(username="yh_new").exists()
    response = client.post(
        reverse("accounts:user_new"),
        {"username": "yj_new", "full_name": "王五", "unit": world.units["yj_town"].pk,
         "password": "Zx9!kLm3#qWe"},
    )  # fmt: skip
    assert response.status_code == 302
    assert User.objects.get(username="yj_new").unit == world.units["yj_town"]


# Roles -------------------------------------------------------------------------------------

PROVINCE_ROLES = ["clerk", "p-auditor", "p-secadmin", "p-sysadmin"]


@pytest.mark.parametrize(
    ("admin", "expected"),
    [
        ("yj_secadmin", sorted([*PROVINCE_ROLES, "yj-auditor", "yj-role", "yj-secadmin",
                                "yj-sysadmin"])),
        ("yh_secadmin", sorted([*PROVINCE_ROLES, "yh-auditor", "yh-role", "yh-secadmin",
                                "yh-sysadmin"])),
        ("p_secadmin", None),
    ],
)  # fmt: skip
def test_the_role_list_is_the_provinces_and_the_own_countys(
    world: World, admin: str, expected: list[str] | None
) -> None:
    response = world.client(admin).get(reverse("accounts:role_list"))
    codes = sorted(name_of(r) for r in rows_of(response))
    if expected is None:  # the province: every role
        expected = sorted(Role.objects.values_list("code", flat=True))
        assert len(expected) == 12
    assert codes == expected


def test_another_countys_role_is_a_404_and_unchanged(world: World) -> None:
    client = world.client("yj_secadmin")
    role = world.roles["yh_role"]
    before = role_state(role)
    url = reverse("accounts:role_edit", kwargs={"pk": role.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, role_post(role, name="改了")).status_code == 404
    assert role_state(role) == before


def test_a_province_role_is_seen_in_the_county_but_edited_only_by_the_province(
    world: World,
) -> None:
    role = world.roles["clerk"]
    before = role_state(role)
    url = reverse("accounts:role_edit", kwargs={"pk": role.pk})
    client = world.client("yj_secadmin")
    page = client.get(url)
    assert page.status_code == 200
    assert "这是省级角色（各县继承），只能由省级管理员修改。" in page.content.decode()
    assert client.post(url, role_post(role, name="改了")).status_code == 403
    assert role_state(role) == before
    response = world.client("p_secadmin").post(url, role_post(role, name="业务员"))
    assert response.status_code == 302
    assert role_state(role)[0] == "业务员"


def test_a_county_secadmin_edits_its_own_countys_role(world: World) -> None:
    role = world.roles["yj_role"]
    url = reverse("accounts:role_edit", kwargs={"pk": role.pk})
    response = world.client("yj_secadmin").post(url, role_post(role, name="永济业务员"))
    assert response.status_code == 302
    assert role_state(role)[0] == "永济业务员"
    assert role.unit == world.units["yj"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": ""}, "这个字段是必填项"),
        ({"unit": "yh"}, "选择一个有效的选项"),
        ({"data_scope": DataScope.ALL}, "县级管理员不能使用“全部数据”范围的角色"),
        ({"data_scope": DataScope.CUSTOM, "custom_units": "yh_office"}, "自定义单位超出本县"),
        # A business permission no province role holds: not delegated to the counties.
        ({"permissions": "cooperation.delete_cooperation"}, "县级角色只能使用省级同类角色已有的权限"),
        # 三员分立 still holds: a county security administrator's role gets no account rights.
        ({"kind": RoleKind.SECURITY_ADMIN, "requires_otp": "on", "password_max_age_days": 90,
          "permissions": "core.add_user"}, "安全管理员角色不能有系统管理员的权限"),
    ],
)  # fmt: skip
def test_a_county_secadmin_cannot_make_a_role_beyond_its_county(
    world: World, changes: dict[str, str], message: str
) -> None:
    data = role_post(None, unit=world.units["yj"].pk)
    for key, value in changes.items():
        if key in ("unit", "custom_units") and value:
            data[key] = [world.units[value].pk] if key == "custom_units" else world.units[value].pk
        elif key == "permissions":
            data[key] = [p.pk for p in perms(value)]
        else:
            data[key] = value
    count = Role.objects.count()
    response = world.client("yj_secadmin").post(reverse("accounts:role_new"), data)
    assert response.status_code in (200, 403)
    assert message in response.content.decode()
    assert Role.objects.count() == count
    assert not SecurityEvent.objects.filter(kind=EventKind.ROLE_CHANGE).exists()


def test_a_county_secadmin_makes_a_role_of_its_county(world: World) -> None:
    data = role_post(None, unit=world.units["yj"].pk, data_scope=DataScope.COUNTY)
    data["permissions"] = [p.pk for p in perms(*BUSINESS_PERMS)]
    response = world.client("yj_secadmin").post(reverse("accounts:role_new"), data)
    assert response.status_code == 302
    role = Role.objects.get(code="new-role")
    assert (role.unit, role.data_scope) == (world.units["yj"], DataScope.COUNTY)
    # 盐湖区 does not see it; Yongji does.
    assert "new-role" not in usernames_in(world.client("yh_secadmin"), "accounts:role_list")
    assert "new-role" in usernames_in(world.client("yj_secadmin"), "accounts:role_list")


# Granting roles ----------------------------------------------------------------------------


def grant(world: World, admin: str, account: str, *roles: str) -> tuple[int, list[str], str]:
    client = world.client(admin)
    user = world.users[account]
    url = reverse("accounts:user_roles", kwargs={"pk": user.pk})
    response = client.post(url, {"roles": [world.roles[r].pk for r in roles]}, follow=True)
    return (
        response.status_code,
        sorted(user.roles.values_list("code", flat=True)),
        response.content.decode(),
    )


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (("yh_role",), "角色“yh-role”不属于该账户所在的县（市、区），不能授予"),
        (("p_sysadmin",), "县级管理员不能使用“全部数据”范围的角色"),
        (("yj_sysadmin", "yj_auditor"), "三者只能担任其一"),
        (("yj_sysadmin", "clerk"), "管理员角色不能与业务角色同时授予同一账户"),
    ],
)
def test_a_county_secadmin_cannot_grant_beyond_its_county(
    world: World, roles: tuple[str, ...], message: str
) -> None:
    status, codes, page = grant(world, "yj_secadmin", "yj_town", *roles)
    assert status == 200
    assert message in page
    assert codes == ["yj-role"]
    assert not SecurityEvent.objects.filter(kind=EventKind.ROLE_CHANGE).exists()


def test_a_county_secadmin_grants_its_countys_and_the_provinces_roles(world: World) -> None:
    status, codes, page = grant(world, "yj_secadmin", "yj_town", "clerk", "yj_role")
    assert (status, codes) == (200, ["clerk", "yj-role"])
    assert "角色已更新" in page
    # The account page offers exactly those roles: the province's and Yongji's, no 盐湖区's,
    # none of scope 全部数据 (they reach beyond the county).
    response = world.client("yj_secadmin").get(
        reverse("accounts:user_detail", kwargs={"pk": world.users["yj_town"].pk})
    )
    offered = sorted(r.code for r in response.context["roles_form"].fields["roles"].queryset)
    assert offered == ["clerk", "yj-auditor", "yj-role", "yj-secadmin", "yj-sysadmin"]


def test_even_the_province_gives_a_county_role_only_in_its_county(world: World) -> None:
    status, codes, page = grant(world, "p_secadmin", "yj_town", "yh_role")
    assert status == 200
    assert "不属于该账户所在的县（市、区）" in page
    assert codes == ["yj-role"]


# Lockouts ----------------------------------------------------------------------------------


def lock(username: str) -> None:
    AccessFailureLog.objects.create(
        username=username, locked_out=True, attempt_time=timezone.now() - dt.timedelta(minutes=1),
        ip_address="10.0.0.1", user_agent="t", path_info="/login/",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("admin", "expected"),
    [
        ("yj_secadmin", ["yj_clerk", "yj_town"]),
        ("yh_secadmin", ["yh_clerk"]),
        ("p_secadmin", ["nobody", "yh_clerk", "yj_clerk", "yj_town"]),
    ],
)
def test_the_lockout_list_is_the_county_s(world: World, admin: str, expected: list[str]) -> None:
    for name in ("yj_clerk", "yj_town", "yh_clerk", "nobody"):
        lock(name)
    assert usernames_in(world.client(admin), "accounts:lockout_list") == expected


def test_a_county_secadmin_unlocks_only_its_county(world: World) -> None:
    lock("yj_town")
    lock("yh_clerk")
    lock("nobody")
    client = world.client("yj_secadmin")
    for name in ("yh_clerk", "nobody"):
        assert client.post(reverse("accounts:unlock"), {"username": name}).status_code == 404
    assert lockout.locked_until("yh_clerk") is not None
    assert lockout.locked_until("nobody") is not None
    assert not SecurityEvent.objects.filter(kind=EventKind.UNLOCK).exists()
    assert client.post(reverse("accounts:unlock"), {"username": "yj_town"}).status_code == 302
    assert lockout.locked_until("yj_town") is None
    assert list(SecurityEvent.objects.filter(kind=EventKind.UNLOCK).values_list(
        "detail__account", flat=True)) == ["yj_town"]  # fmt: skip


# Logs --------------------------------------------------------------------------------------


def write_logs(world: World) -> None:
    factory = RequestFactory()
    for name in ("yj_clerk", "yj_town", "yh_clerk", "p_sysadmin"):
        user = world.users[name]
        request = factory.get("/x/")
        request.user = user
        record(EventKind.LOGIN, request=request, user=user)
        access_logged(request=request, action="view", record_type="person", record_id=1)
        export_logged(
            request=request, title="合作台账", filters={}, fmt="xlsx", rows=1, content=b"x",
            unmasked=False,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("admin", "expected"),
    [
        ("yj_auditor", ["yj_clerk", "yj_town"]),
        ("yh_auditor", ["yh_clerk"]),
        ("p_auditor", ["p_sysadmin", "yh_clerk", "yj_clerk", "yj_town"]),
    ],
)
def test_the_logs_are_the_county_s(world: World, admin: str, expected: list[str]) -> None:
    write_logs(world)
    client = world.client(admin)
    events = client.get(reverse("audit:event_list"), {"kind": EventKind.LOGIN})
    # The auditor's own login (the client's) is in its county's log too.
    assert sorted(e.username for e in rows_of(events)) == sorted([*expected, admin])
    for name in ("audit:access_list", "audit:export_list"):
        rows = rows_of(client.get(reverse(name)))
        assert sorted(r.user.username for r in rows) == expected
    assert AccessLog.objects.count() == 4
    assert ExportLog.objects.count() == 4


def test_a_province_administrator_placed_in_the_county_is_out_of_the_countys_reach(
    world: World,
) -> None:
    """The demo's province administrators sit in Yongji's office: Yongji's own administrators
    neither see nor change them, nor read their log entries."""
    placed = user_create(
        username="p_placed", password=GOOD, unit=world.units["yj_office"],
        roles=[world.roles["p_secadmin"]],
    )  # fmt: skip
    assert usernames_in(world.client("yj_sysadmin"), "accounts:user_list") == YONGJI_ACCOUNTS
    assert "p_placed" in usernames_in(world.client("p_sysadmin"), "accounts:user_list")
    client = world.client("yj_secadmin")
    url = reverse("accounts:user_roles", kwargs={"pk": placed.pk})
    assert client.post(url, {"roles": []}).status_code == 404
    assert list(placed.roles.values_list("code", flat=True)) == ["p-secadmin"]
    lock("p_placed")
    assert client.post(reverse("accounts:unlock"), {"username": "p_placed"}).status_code == 404
    assert lockout.locked_until("p_placed") is not None
    request = RequestFactory().get("/x/")
    request.user = placed
    record(EventKind.ROLE_CHANGE, request=request, user=placed, detail={"account": "yh_clerk"})
    access_logged(request=request, action="view", record_type="person", record_id=1)
    auditor = world.client("yj_auditor")
    events = rows_of(auditor.get(reverse("audit:event_list"), {"username": "p_placed"}))
    assert events == []
    assert rows_of(auditor.get(reverse("audit:access_list"))) == []
    province = rows_of(
        world.client("p_auditor").get(reverse("audit:event_list"), {"username": "p_placed"})
    )
    assert [e.kind for e in province] == [EventKind.ROLE_CHANGE]


def test_a_county_secadmin_cannot_decide_a_request_about_a_province_account(
    world: World,
) -> None:
    """The province's system administrator asks to disable a province administrator placed in
    Yongji: Yongji's security administrator neither sees nor approves it."""
    placed = user_create(
        username="p_placed", password=GOOD, unit=world.units["yj_office"],
        roles=[world.roles["p_secadmin"]],
    )  # fmt: skip
    approval = services.account_disable(
        request=None, actor=world.users["p_sysadmin"], user=placed, reason="调岗"
    )
    assert approval is not None
    client = world.client("yj_secadmin")
    url = reverse("accounts:request_detail", kwargs={"pk": approval.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert approval.pk not in [r.pk for r in rows_of(client.get(reverse("accounts:request_list")))]
    placed.refresh_from_db()
    approval.refresh_from_db()
    assert (placed.is_active, approval.state) == (True, "requested")
    assert world.client("p_secadmin").get(url).status_code == 200
