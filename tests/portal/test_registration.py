"""The portal's open registration: anonymous, without a CSRF token, 10 an hour per address;
the 统一社会信用代码 and the MoE school code checked (422 naming the field in Chinese, nothing
saved); decided by the county office in the shared review inbox, which creates the
organisation (outside every county tree for a university) and the account, whose password the
registrant sets through a one-time link (the password rules apply)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.models import ApprovalRequest, Unit, UnitKind, User
from yanzhen.portal.models import OutsideAccount, Registration
from yanzhen.reference.models import University

pytestmark = pytest.mark.usefixtures("demo_db")

URL = "/api/v1/portal/registrations"
REQUESTER = "portal-registrations"  # core.workflow.ANONYMOUS_REQUESTER
ENTERPRISE: dict[str, Any] = {
    "kind": "enterprise",
    "name": "永济新材料科技有限公司",
    "credit_code": "91330100716105852F",
    "contact": "王建华",
    "mobile": "13912345678",
    "email": "wang@xincailiao.example.cn",
}
UNIVERSITY: dict[str, Any] = {
    "kind": "university",
    "name": "清华大学",
    "school_code": "4111010003",
    "contact": "李丽娟",
    "mobile": "13812345678",
    "email": "hezuo@tsinghua.example.cn",
}


def post(body: dict[str, Any], address: str = "203.0.113.5") -> Any:
    client = Client(enforce_csrf_checks=True)
    return client.post(URL, body, content_type="application/json", REMOTE_ADDR=address)


def test_an_anonymous_registration_without_csrf_is_pending_in_the_office_inbox(
    demo_db: Demo,
) -> None:
    response = post(ENTERPRISE)
    assert response.status_code == 201
    registration = Registration.objects.get(email=ENTERPRISE["email"])
    assert response.json() == {"id": registration.pk, "state": "pending"}
    assert (registration.kind, registration.credit_code, registration.address) == (
        "enterprise",
        "91330100716105852F",
        "203.0.113.5",
    )
    approval = ApprovalRequest.objects.get(kind="portal.registration", target_id=registration.pk)
    assert approval.reviewer_unit == demo_db.users["office"].unit
    inbox = demo_db.client("office").get(reverse("api:list_reviews")).json()
    assert approval.pk in [item["id"] for item in inbox["items"]]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {**ENTERPRISE, "credit_code": "91330100716105852A"},
            "credit_code",
            "统一社会信用代码校验位不正确（第18位应为“F”）",
        ),
        ({**ENTERPRISE, "credit_code": ""}, "credit_code", "必填"),
        (
            {**UNIVERSITY, "school_code": "4111099999"},
            "school_code",
            "“4111099999”不在全国高校名单中",
        ),
        (
            {**UNIVERSITY, "name": "清华"},
            "name",
            "与学校标识码不符（4111010003为“清华大学”）",
        ),
        (
            {**ENTERPRISE, "kind": "expert", "credit_code": "", "university_id": 2**40},
            "university_id",
            "不在全国高校和科研院所名单中",
        ),
        ({**ENTERPRISE, "school_code": "4111010003"}, "school_code", "企业注册不填写此项"),
        ({**ENTERPRISE, "mobile": "1391234567"}, "mobile", "手机号应为11位数字，以13–19开头"),
        ({**ENTERPRISE, "email": "不是邮箱"}, "email", "格式不正确"),
    ],
)
def test_a_wrong_field_is_422_named_in_chinese_and_nothing_is_saved(
    body: dict[str, Any], field: str, message: str
) -> None:
    before = (Registration.objects.count(), ApprovalRequest.objects.count())
    response = post(body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"] == {field: message}
    labels = {
        "credit_code": "统一社会信用代码",
        "school_code": "学校标识码",
        "name": "名称",
        "university_id": "所在高校（科研院所）",
        "mobile": "手机号",
        "email": "电子邮箱",
    }
    assert error["message"] == f"{labels[field]}：{message}"
    assert (Registration.objects.count(), ApprovalRequest.objects.count()) == before


def test_an_address_registers_ten_times_an_hour() -> None:
    for k in range(10):
        assert post({**ENTERPRISE, "email": f"r{k}@example.cn"}).status_code == 201
    refused = post({**ENTERPRISE, "email": "r10@example.cn"})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert not Registration.objects.filter(email="r10@example.cn").exists()
    assert post({**ENTERPRISE, "email": "r10@example.cn"}, "198.51.100.7").status_code == 201


def test_an_email_registers_once() -> None:
    assert post(ENTERPRISE).status_code == 201
    again = post({**ENTERPRISE, "name": "另一家公司"}, "198.51.100.8")
    assert (again.status_code, again.json()["error"]["fields"]) == (
        422,
        {"email": "已注册（每个电子邮箱只能注册一个账户）"},
    )


def _decide(demo_db: Demo, registration_id: int, decision: str, comment: str = "") -> Any:
    approval = ApprovalRequest.objects.get(kind="portal.registration", target_id=registration_id)
    return demo_db.client("office").post(
        reverse("api:decide_review", args=[approval.pk]),
        {"decision": decision, "comment": comment},
        "application/json",
    )


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"/portal/activate/[^/\s]+/[^/\s]+/", str(message.body))
    assert found is not None
    return found.group(0)


def test_approval_creates_the_university_outside_every_county_and_a_one_time_link(
    demo_db: Demo, django_capture_on_commit_callbacks: Any
) -> None:
    registration_id = post(UNIVERSITY).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(demo_db, registration_id, "approve")
    assert (response.status_code, response.json()["state"]) == (200, "approved")
    registration = Registration.objects.get(pk=registration_id)
    tsinghua = University.objects.get(name="清华大学")
    unit = Unit.objects.get(university=tsinghua, parent__isnull=True)
    assert (registration.state, registration.unit, unit.kind, unit.code) == (
        "approved",
        unit,
        UnitKind.UNIVERSITY,
        "4111010003",
    )
    user = User.objects.get(username="hezuo@tsinghua.example.cn")
    assert (user.unit, user.full_name, user.has_usable_password()) == (unit, "李丽娟", False)
    assert [r.code for r in user.roles.all()] == ["university"]
    account = OutsideAccount.objects.get(user=user)
    assert (account.kind, account.organisation, account.is_manager) == ("university", unit, True)
    assert SecurityEvent.objects.filter(
        kind="user_change", detail__created="hezuo@tsinghua.example.cn"
    ).exists()
    assert [m.to for m in mail.outbox] == [["hezuo@tsinghua.example.cn"]]
    link = _link(mail.outbox[0])

    anonymous = Client()
    weak = anonymous.post(link, {"password": "abc", "confirm": "abc"})
    assert weak.status_code == 200
    assert not User.objects.get(pk=user.pk).has_usable_password()
    strong = "Qinghua-Cooperation-2026"
    done = anonymous.post(link, {"password": strong, "confirm": strong})
    assert (done.status_code, done["Location"]) == (302, reverse("core:login"))
    assert User.objects.get(pk=user.pk).check_password(strong)
    used = anonymous.post(link, {"password": "Another-Password-2026", "confirm": "x"})
    assert "链接无效" in used.content.decode()
    assert User.objects.get(pk=user.pk).check_password(strong)


def test_an_approved_enterprise_is_a_unit_of_the_county_with_the_enterprise_role(
    demo_db: Demo, django_capture_on_commit_callbacks: Any
) -> None:
    registration_id = post(ENTERPRISE).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert _decide(demo_db, registration_id, "approve").status_code == 200
    unit = Unit.objects.get(code="91330100716105852F")
    county = Unit.objects.get(name="永济市")
    assert (unit.name, unit.kind, unit.parent) == (
        "永济新材料科技有限公司",
        UnitKind.ENTERPRISE,
        county,
    )
    user = User.objects.get(username=ENTERPRISE["email"])
    assert [r.code for r in user.roles.all()] == ["enterprise"]


def test_a_returned_registration_creates_nothing_and_tells_the_registrant(
    demo_db: Demo, django_capture_on_commit_callbacks: Any
) -> None:
    registration_id = post(ENTERPRISE).json()["id"]
    units = Unit.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert _decide(demo_db, registration_id, "return", "营业执照信息不符").status_code == 200
    assert Registration.objects.get(pk=registration_id).state == "returned"
    assert (Unit.objects.count(), User.objects.filter(username=ENTERPRISE["email"]).exists()) == (
        units,
        False,
    )
    assert "营业执照信息不符" in str(mail.outbox[0].body)


def test_the_registration_page_names_a_wrong_code() -> None:
    page = Client().get(reverse("portal:register"))
    assert page.status_code == 200
    response = Client().post(
        reverse("portal:register"),
        {**ENTERPRISE, "credit_code": "91330100716105852A"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确（第18位应为“F”）" in response.content.decode()
    done = Client().post(reverse("portal:register"), ENTERPRISE, REMOTE_ADDR="203.0.113.9")
    assert "待县合作办审核" in done.content.decode()
    assert Registration.objects.filter(email=ENTERPRISE["email"], state="pending").count() == 1


def test_the_office_sees_its_county_registrations(demo_db: Demo) -> None:
    registration_id = post(ENTERPRISE).json()["id"]
    office = demo_db.client("office")
    page = office.get(reverse("portal:registration_list")).content.decode()
    assert "永济新材料科技有限公司" in page
    detail = office.get(reverse("portal:registration_detail", args=[registration_id]))
    text = detail.content.decode()
    assert "13912345678" not in text
    assert "139****5678" in text
    assert demo_db.client("town").get(reverse("portal:registration_list")).status_code == 403


def test_a_form_body_to_the_api_is_refused_not_a_failure() -> None:
    response = Client().post(URL, {"kind": "enterprise"}, REMOTE_ADDR="203.0.113.11")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid", "message": "请求体应为 JSON", "fields": {}}
    }
    assert not Registration.objects.filter(address="203.0.113.11").exists()


def test_the_account_standing_for_anonymous_registrants_is_in_no_account_list(
    demo_db: Demo,
) -> None:
    assert post(ENTERPRISE).status_code == 201
    requester = User.objects.get(username=REQUESTER)
    assert (requester.is_active, requester.has_usable_password(), requester.unit_id) == (
        False,
        False,
        None,
    )
    system = demo_db.client("sysadmin")
    listed = system.get(reverse("accounts:user_list"), {"q": "portal"}).content.decode()
    assert REQUESTER not in listed
    pages = ["accounts:user_detail", "accounts:user_edit"]
    assert [system.get(reverse(p, args=[requester.pk])).status_code for p in pages] == [404] * 2
    writes = ["accounts:user_active", "accounts:user_password"]
    assert [system.post(reverse(p, args=[requester.pk])).status_code for p in writes] == [404] * 2
    requester.refresh_from_db()
    assert (requester.is_active, requester.has_usable_password()) == (False, False)
