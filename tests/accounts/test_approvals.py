"""No one takes an account over alone: the system administrator's reset of a password and
disabling of an administrator are requests that take effect only when a security administrator
approves them (``core.workflow``); each step is in the security log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.accounts.models import PasswordHistory
from yanzhen.audit.models import SecurityEvent
from yanzhen.core import workflow
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, Role, Unit, User
from yanzhen.demo import yongji

pytestmark = pytest.mark.usefixtures("demo_db")
# The account requests (the demo's review workflow has requests of its own: its reports).
ACCOUNT_REQUESTS = ApprovalRequest.objects.exclude(reviewer_unit__isnull=False)

TEMPORARY = "Velvet-Orchard-73-Kite"


def sign_in(username: str, password: str) -> Client:
    client = Client()
    client.post(reverse("core:login"), {"username": username, "password": password})
    return client


def reset(demo: Demo, target: str) -> Client:
    system = demo.client("sysadmin")
    response = system.post(
        reverse("accounts:user_password", kwargs={"pk": demo.users[target].pk}),
        {"new_password": TEMPORARY, "reason": "本人忘记密码，电话申请"},
    )
    assert response.status_code == 302
    return system


def test_the_system_administrator_cannot_take_over_an_account(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    before = User.objects.get(pk=office.pk).password
    session = demo_db.client("office")
    reset(demo_db, "office")
    after = User.objects.get(pk=office.pk)
    assert (after.password, after.must_change_password) == (before, False)
    assert after.check_password(yongji.DEMO_PASSWORD)
    # Signing in as the office with the temporary password fails; its session goes on.
    taken = sign_in("office", TEMPORARY)
    assert taken.get("/")["Location"].startswith("/login/")
    assert session.get("/").status_code == 200
    approval = ACCOUNT_REQUESTS.get()
    assert (approval.kind, approval.target_label, approval.state, approval.requester.username) == (
        "accounts.password_reset",
        "office",
        "requested",
        "sysadmin",
    )
    assert TEMPORARY not in str(approval.payload)
    event = SecurityEvent.objects.filter(kind="user_change").latest("id")
    assert (event.username, event.detail) == (
        "sysadmin",
        {"request": approval.pk, "request_kind": "accounts.password_reset",
         "state": "requested", "target": "office", "requester": "sysadmin"},
    )  # fmt: skip
    assert not SecurityEvent.objects.filter(kind="password_reset").exists()


def test_a_reset_takes_effect_when_the_security_administrator_approves(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    session = demo_db.client("office")
    history = PasswordHistory.objects.filter(user_id=office.pk).count()
    reset(demo_db, "office")
    approval = ACCOUNT_REQUESTS.get()
    security = demo_db.client("secadmin")
    listing = security.get(reverse("accounts:request_list")).content.decode()
    assert "本人忘记密码，电话申请" in listing
    url = reverse("accounts:request_detail", kwargs={"pk": approval.pk})
    assert "提交审批" in security.get(url).content.decode()
    response = security.post(url, {"decision": "approve", "note": "已电话核实"})
    assert response["Location"] == reverse("accounts:request_list")
    office.refresh_from_db()
    assert office.check_password(TEMPORARY)
    assert office.must_change_password is True
    assert PasswordHistory.objects.filter(user_id=office.pk).count() == history + 1
    assert PasswordHistory.objects.filter(user_id=office.pk).first().password == office.password  # type: ignore[union-attr]
    assert session.get("/")["Location"].startswith("/login/")  # its sessions ended
    approval.refresh_from_db()
    assert (approval.state, approval.approver, approval.decision_note, approval.payload) == (
        "approved",
        demo_db.users["secadmin"],
        "已电话核实",
        {},
    )
    reset_event = SecurityEvent.objects.get(kind="password_reset")
    assert (reset_event.username, reset_event.detail) == (
        "secadmin",
        {"account": "office", "request": approval.pk, "requested_by": "sysadmin",
         "sessions_ended": 1},
    )  # fmt: skip
    decided = SecurityEvent.objects.filter(kind="user_change").latest("id")
    assert decided.detail["state"] == "approved"
    assert decided.detail["approver"] == "secadmin"
    # The user signs in with it and must change it first.
    client = sign_in("office", TEMPORARY)
    assert client.get("/")["Location"].startswith("/accounts/password/")


def test_a_refusal_changes_nothing(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    reset(demo_db, "office")
    approval = ACCOUNT_REQUESTS.get()
    security = demo_db.client("secadmin")
    url = reverse("accounts:request_detail", kwargs={"pk": approval.pk})
    response = security.post(url, {"decision": "refuse", "note": ""})
    assert "拒绝时请填写审批意见" in response.content.decode()
    security.post(url, {"decision": "refuse", "note": "未核实到本人"})
    office.refresh_from_db()
    assert office.check_password(yongji.DEMO_PASSWORD)
    approval.refresh_from_db()
    assert (approval.state, approval.payload) == ("refused", {})
    # A decided request is not decided again.
    response = security.post(url, {"decision": "approve", "note": ""})
    assert "该申请的状态为“已拒绝”，不能再次审批" in response.content.decode()
    office.refresh_from_db()
    assert office.check_password(yongji.DEMO_PASSWORD)


def test_the_requester_sees_the_request_but_cannot_decide_it(demo_db: Demo) -> None:
    system = reset(demo_db, "office")
    approval = ACCOUNT_REQUESTS.get()
    url = reverse("accounts:request_detail", kwargs={"pk": approval.pk})
    page = system.get(url)
    assert page.status_code == 200
    assert "提交审批" not in page.content.decode()
    assert system.post(url, {"decision": "approve", "note": ""}).status_code == 403
    assert demo_db.client("auditor").get(reverse("accounts:request_list")).status_code == 403
    approval.refresh_from_db()
    assert approval.state == "requested"


def test_two_requests_for_the_same_account_make_one(demo_db: Demo) -> None:
    reset(demo_db, "office")
    system = reset(demo_db, "office")
    assert ACCOUNT_REQUESTS.count() == 1
    page = system.get(
        reverse("accounts:user_detail", kwargs={"pk": demo_db.users["office"].pk})
    ).content.decode()
    assert "待审批的申请" in page


def test_the_auditor_is_not_disabled_by_one_person(demo_db: Demo) -> None:
    auditor = demo_db.users["auditor"]
    session = demo_db.client("auditor")
    system = demo_db.client("sysadmin")
    url = reverse("accounts:user_active", kwargs={"pk": auditor.pk})
    response = system.post(url, {"reason": ""}, follow=True)
    assert "请填写申请理由" in response.content.decode()
    assert not ACCOUNT_REQUESTS.exists()
    system.post(url, {"reason": "调离岗位"})
    auditor.refresh_from_db()
    assert auditor.is_active is True
    assert session.get(reverse("audit:event_list")).status_code == 200
    approval = ACCOUNT_REQUESTS.get()
    assert approval.kind == "accounts.disable_admin"
    demo_db.client("secadmin").post(
        reverse("accounts:request_detail", kwargs={"pk": approval.pk}),
        {"decision": "approve", "note": "已核实"},
    )
    auditor.refresh_from_db()
    assert auditor.is_active is False
    assert session.get(reverse("audit:event_list"))["Location"].startswith("/login/")
    event = SecurityEvent.objects.get(kind="user_change", detail__disabled="auditor")
    assert (event.username, event.detail) == (
        "secadmin",
        {"disabled": "auditor", "sessions_ended": 1, "request": approval.pk},
    )


def test_a_business_account_is_still_disabled_at_once(demo_db: Demo) -> None:
    town = demo_db.users["town"]
    demo_db.client("sysadmin").post(reverse("accounts:user_active", kwargs={"pk": town.pk}))
    town.refresh_from_db()
    assert town.is_active is False
    assert not ACCOUNT_REQUESTS.exists()


def test_nobody_approves_a_request_about_their_own_account(demo_db: Demo) -> None:
    second = User.objects.create(username="secadmin2", unit=demo_db.users["secadmin"].unit)
    second.roles.set([Role.objects.get(code="secadmin")])
    approval = workflow.request_submit(
        kind=workflow.kind_of("accounts.disable_admin"),
        target=demo_db.users["secadmin"],
        requester=demo_db.users["sysadmin"],
        reason="调离岗位",
        unit=demo_db.users["secadmin"].unit,
    )
    with pytest.raises(DomainError) as own:
        workflow.request_approve(approval=approval, approver=demo_db.users["secadmin"])
    assert own.value.message == "不能审批与自己账户有关的申请"
    with pytest.raises(DomainError) as requester:
        workflow.request_approve(approval=approval, approver=demo_db.users["sysadmin"])
    assert requester.value.message == "没有审批此类申请的权限"
    workflow.request_approve(approval=approval, approver=second)
    assert User.objects.get(username="secadmin").is_active is False


# The workflow itself, on a kind of request declared here ------------------------------------


@pytest.fixture
def rename_kind() -> Iterator[workflow.RequestKind]:
    def apply(approval: ApprovalRequest, approver: User, request: object) -> None:
        Unit.objects.filter(pk=approval.target_id).update(short_name=approval.payload["name"])

    kind = workflow.register(
        workflow.RequestKind(
            code="tests.rename_unit",
            label="改简称",
            decide_perm="core.decide_approvalrequest",
            event_kind="user_change",
            apply=apply,
        )
    )
    yield kind
    workflow._KINDS.pop(kind.code)


def test_the_workflow_applies_an_approved_request_once(
    demo_db: Demo, rename_kind: workflow.RequestKind
) -> None:
    unit = Unit.objects.get(name="开张镇")
    town, office = demo_db.users["town"], demo_db.users["office"]
    decider = demo_db.users["secadmin"]
    with pytest.raises(DomainError) as empty:
        workflow.request_submit(
            kind=rename_kind, target=unit, requester=town, reason="  ", unit=unit
        )
    assert empty.value.fields == {"reason": "请填写申请理由"}
    approval = workflow.request_submit(
        kind=rename_kind, target=unit, requester=town, reason="更名", unit=unit,
        payload={"name": "开张"},
    )  # fmt: skip
    assert Unit.objects.get(pk=unit.pk).short_name == ""
    with pytest.raises(DomainError) as duplicate:
        workflow.request_submit(
            kind=rename_kind, target=unit, requester=office, reason="再次", unit=unit
        )
    assert duplicate.value.code == "duplicate_request"
    with pytest.raises(DomainError) as no_perm:
        workflow.request_approve(approval=approval, approver=office)
    assert no_perm.value.code == "forbidden"
    workflow.request_approve(approval=approval, approver=decider, note="同意")
    assert Unit.objects.get(pk=unit.pk).short_name == "开张"
    with pytest.raises(DomainError) as again:
        workflow.request_refuse(approval=approval, approver=decider, note="撤回")
    assert (again.value.code, again.value.status) == ("already_decided", 409)
    states = [
        e.detail["state"]
        for e in SecurityEvent.objects.filter(detail__request_kind="tests.rename_unit").order_by(
            "id"
        )
    ]
    assert states == ["requested", "approved"]
    # A town sees its own unit's requests, an enterprise none of them.
    kinds = ["tests.rename_unit"]
    assert list(workflow.request_list(user=town, kinds=kinds)) == [approval]
    assert list(workflow.request_list(user=demo_db.users["enterprise"], kinds=kinds)) == []


def test_a_failing_effect_approves_nothing(
    demo_db: Demo, rename_kind: workflow.RequestKind
) -> None:
    unit = Unit.objects.get(name="开张镇")
    approval = workflow.request_submit(
        kind=rename_kind, target=unit, requester=demo_db.users["town"], reason="更名", unit=unit,
        payload={},
    )  # fmt: skip
    with pytest.raises(KeyError):
        workflow.request_approve(approval=approval, approver=demo_db.users["secadmin"])
    approval.refresh_from_db()
    assert (approval.state, approval.approver) == ("requested", None)
    assert (
        SecurityEvent.objects.filter(detail__request=approval.pk, detail__state="approved").count()
        == 0
    )


def test_the_decide_permission_is_the_security_administrators_alone(demo_db: Demo) -> None:
    holders = Role.objects.filter(
        permissions=Permission.objects.get(codename="decide_approvalrequest")
    ).values_list("code", flat=True)
    # The province's security administrator and Yongji's own (delegated administration).
    assert list(holders) == ["secadmin", "yj-secadmin"]
