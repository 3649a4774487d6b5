"""Staff sub-accounts of a university: its institution account (the demo's ``university``,
西安交通大学's 科研院合作处) invites them with a one-time activation link and deactivates them;
a sub-account acts for the same organisation, manages no account, is confined to the portal
and never sees another university's records."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import Demo
from yanzhen.accounts.models import UserSession
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.errors import DomainError
from yanzhen.core.models import UnitKind, User
from yanzhen.core.services import unit_create, user_create
from yanzhen.portal import staff_services
from yanzhen.portal.models import Call, OutsideAccount
from yanzhen.portal.services import ensure_roles
from yanzhen.reference.models import University

pytestmark = pytest.mark.usefixtures("demo_db")

DEMO_TITLE = "低温等离子体印染前处理节水工艺攻关"


def login(user: User) -> Client:
    return Demo(users={"u": user}).client("u")


def invite(demo: Demo, email: str, capture: Any) -> User:
    with capture(execute=True):
        response = login(demo.users["university"]).post(
            reverse("portal:staff_new"), {"full_name": "王科研", "email": email}
        )
    assert (response.status_code, response["Location"]) == (302, reverse("portal:staff_list"))
    return User.objects.get(username=email)


def other_university() -> User:
    entry = University.objects.get(name="西北工业大学")
    unit = unit_create(
        actor=None, parent=None, name=entry.name, kind=UnitKind.UNIVERSITY, university=entry,
        code=entry.code,
    )  # fmt: skip
    role = ensure_roles()["university"]
    user = user_create(
        username="hezuo@nwpu.example.cn", password="x-Unused-Password-1", unit=unit, roles=[role]
    )
    TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    OutsideAccount.objects.create(user=user, kind="university", organisation=unit, is_manager=True)
    return user


def test_the_institution_account_invites_a_sub_account_with_a_one_time_link(
    demo_db: Demo, django_capture_on_commit_callbacks: Any
) -> None:
    staff = invite(demo_db, "wang@xjtu.example.cn", django_capture_on_commit_callbacks)
    xjtu = demo_db.users["university"].unit
    account = OutsideAccount.objects.get(user=staff)
    assert (staff.unit, staff.full_name, staff.is_active, staff.has_usable_password()) == (
        xjtu,
        "王科研",
        True,
        False,
    )
    assert [r.code for r in staff.roles.all()] == ["university_staff"]
    assert (account.kind, account.organisation, account.is_manager) == ("university", xjtu, False)
    assert [m.to for m in mail.outbox] == [["wang@xjtu.example.cn"]]
    found = re.search(r"/portal/activate/[^/\s]+/[^/\s]+/", str(mail.outbox[0].body))
    assert found is not None
    strong = "Xijiao-Staff-Account-2026"
    done = Client().post(found.group(0), {"password": strong, "confirm": strong})
    assert (done.status_code, done["Location"]) == (302, reverse("core:login"))
    assert User.objects.get(pk=staff.pk).check_password(strong)
    assert (
        SecurityEvent.objects.filter(
            kind="user_change", detail__created="wang@xjtu.example.cn"
        ).count()
        == 1
    )
    listed = login(demo_db.users["university"]).get(reverse("portal:staff_list"))
    assert listed.status_code == 200
    assert "wang@xjtu.example.cn" in listed.content.decode()


def test_a_sub_account_manages_no_staff_and_nothing_changes(
    demo_db: Demo, django_capture_on_commit_callbacks: Any
) -> None:
    staff = invite(demo_db, "wang@xjtu.example.cn", django_capture_on_commit_callbacks)
    expert_account = OutsideAccount.objects.get(user=demo_db.users["expert"])
    client = login(staff)
    before = User.objects.count()
    assert client.get(reverse("portal:staff_list")).status_code == 403
    assert client.get(reverse("portal:staff_new")).status_code == 403
    response = client.post(
        reverse("portal:staff_new"), {"full_name": "越权", "email": "x@xjtu.example.cn"}
    )
    assert response.status_code == 403
    deactivate = client.post(reverse("portal:staff_deactivate", args=[expert_account.pk]))
    assert deactivate.status_code == 403
    assert User.objects.count() == before
    assert User.objects.get(pk=demo_db.users["expert"].pk).is_active is True
    # The expert's account is no institution account either.
    expert = login(demo_db.users["expert"])
    assert (
        expert.post(
            reverse("portal:staff_new"), {"full_name": "越权", "email": "y@xjtu.example.cn"}
        ).status_code
        == 403
    )
    assert User.objects.count() == before
    # Confined to the portal like every outside account.
    assert client.get(reverse("cooperation:cooperation_list")).status_code == 403


def test_a_sub_account_acts_for_its_university_and_sees_no_other_s_records(
    demo_db: Demo, django_capture_on_commit_callbacks: Any
) -> None:
    staff = invite(demo_db, "wang@xjtu.example.cn", django_capture_on_commit_callbacks)
    call = Call.objects.get(title=DEMO_TITLE)
    mine = login(staff).get(reverse("portal:my_applications"))
    assert mine.status_code == 200
    assert DEMO_TITLE in mine.content.decode()
    assert (
        login(staff)
        .get(f"/api/v1/portal/calls/{call.pk}")
        .json()["applications"][0]["organisation"]
        == "西安交通大学"
    )
    # A sub-account of another university sees none of XJTU's records.
    nwpu = other_university()
    with django_capture_on_commit_callbacks(execute=True):
        login(nwpu).post(
            reverse("portal:staff_new"), {"full_name": "李工", "email": "li@nwpu.example.cn"}
        )
    other = User.objects.get(username="li@nwpu.example.cn")
    assert (other.unit, OutsideAccount.objects.get(user=other).is_manager) == (nwpu.unit, False)
    client = login(other)
    assert DEMO_TITLE not in client.get(reverse("portal:my_applications")).content.decode()
    assert client.get(f"/api/v1/portal/calls/{call.pk}").json()["applications"] == []
    application = call.applications.get()
    assert (
        client.get(reverse("portal:application_download", args=[application.pk])).status_code == 404
    )
    assert client.get(reverse("portal:application_score", args=[application.pk])).status_code == 404
    staff_account = OutsideAccount.objects.get(user=staff)
    # Another university's institution account cannot reach XJTU's sub-account.
    refused = login(nwpu).post(reverse("portal:staff_deactivate", args=[staff_account.pk]))
    assert refused.status_code == 404
    assert User.objects.get(pk=staff.pk).is_active is True
    assert (
        "wang@xjtu.example.cn" not in login(nwpu).get(reverse("portal:staff_list")).content.decode()
    )


def test_the_institution_account_deactivates_a_sub_account_and_its_sessions_end(
    demo_db: Demo, django_capture_on_commit_callbacks: Any
) -> None:
    staff = invite(demo_db, "wang@xjtu.example.cn", django_capture_on_commit_callbacks)
    login(staff)  # a session of the sub-account
    account = OutsideAccount.objects.get(user=staff)
    done = login(demo_db.users["university"]).post(
        reverse("portal:staff_deactivate", args=[account.pk])
    )
    assert (done.status_code, done["Location"]) == (302, reverse("portal:staff_list"))
    assert User.objects.get(pk=staff.pk).is_active is False
    assert UserSession.objects.filter(user=staff).count() == 0
    assert (
        SecurityEvent.objects.filter(
            kind="user_change", detail__disabled="wang@xjtu.example.cn"
        ).count()
        == 1
    )
    manager = OutsideAccount.objects.get(user=demo_db.users["university"])
    with pytest.raises(DomainError, match="只能停用本机构的工作人员子账户"):
        staff_services.staff_deactivate(actor=demo_db.users["university"], account=manager)
    assert User.objects.get(pk=demo_db.users["university"].pk).is_active is True


def test_the_staff_list_is_filtered_and_exported_and_a_deactivation_is_confirmed_first(
    demo_db: Demo, django_capture_on_commit_callbacks: Any
) -> None:
    staff = invite(demo_db, "li@xjtu.example.cn", django_capture_on_commit_callbacks)
    client = login(demo_db.users["university"])
    listed = client.get(reverse("portal:staff_list"), {"state": "pending"}).content.decode()
    assert "li@xjtu.example.cn" in listed
    assert demo_db.users["university"].username not in listed  # activated: not pending
    export = client.get(reverse("portal:staff_list"), {"q": "li@", "export": "csv"})
    rows = export.content.decode("utf-8-sig").splitlines()
    assert (export.status_code, rows[1:]) == (
        200,
        [
            "账户名,姓名,类型,机构账户,状态,停用",
            "li@xjtu.example.cn,王科研,高校（科研院所）,否,待激活,停用",
        ],
    )
    account = OutsideAccount.objects.get(user=staff)
    url = reverse("portal:staff_deactivate", args=[account.pk])
    asked = client.get(url)
    staff.refresh_from_db()
    assert (asked.status_code, staff.is_active) == (200, True)  # a GET only asks
    assert client.post(url).status_code == 302
    staff.refresh_from_db()
    assert staff.is_active is False
    listed = client.get(reverse("portal:staff_list"), {"state": "inactive"}).content.decode()
    assert "li@xjtu.example.cn" in listed
