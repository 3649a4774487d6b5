"""G25's level-3 control: full ID numbers and mobiles need a second person. A holder of
``core.view_personal_data`` asks (a reason, a purpose: the export of a named list, the API,
the pages); another user holding ``core.approve_personal_data`` approves or refuses — never the
requester; an approval grants that purpose for ``YANZHEN_PII_GRANT_HOURS`` hours, each use
logged with the approval it was made under."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Demo
from tests.pii import personal_data_in
from tests.pii_grants import grant_pii
from yanzhen.accounts.separation import check_role_permissions
from yanzhen.audit.models import AccessLog, ExportLog, SecurityEvent
from yanzhen.core import workflow
from yanzhen.core.errors import DomainError
from yanzhen.core.masking import mask_id_number, pii_access_request
from yanzhen.core.models import ApprovalRequest, DataScope, Person, Role, RoleKind, Unit, User
from yanzhen.talent.models import Talent

pytestmark = pytest.mark.usefixtures("demo_db")

KIND = "core.personal_data"
TALENTS = "api:talent_list_talents"
EXPORT_REFUSED = "导出“人员”的完整身份证号和手机号须经他人批准：请先提交申请，批准后8小时内有效"
API_REFUSED = "通过接口查看完整身份证号和手机号须经他人批准：请先提交申请，批准后8小时内有效"
PAGE_REFUSED = "在页面上显示完整身份证号和手机号须经他人批准：请先提交申请，批准后8小时内有效"


def a_person() -> Person:
    person = Person.objects.filter(unit__name="永济市工业和信息化局").order_by("pk").first()
    assert person is not None
    assert person.id_number
    assert person.mobile
    return person


def export(client: Client, person: Person) -> tuple[int, str]:
    response = client.get(
        reverse("core:person_list"), {"q": person.name, "export": "csv", "unmasked": "1"}
    )
    return response.status_code, response.content.decode("utf-8-sig")


def logs() -> tuple[int, int]:
    return AccessLog.objects.count(), ExportLog.objects.count()


def ask(client: Client, **data: str) -> ApprovalRequest:
    response = client.post(reverse("accounts:pii_request_create"), data)
    approval = ApprovalRequest.objects.filter(kind=KIND).latest("id")
    assert response["Location"] == reverse("accounts:pii_request_detail", args=[approval.pk])
    return approval


def decide(client: Client, approval: ApprovalRequest, decision: str, note: str = "") -> int:
    url = reverse("accounts:pii_request_detail", args=[approval.pk])
    return int(client.post(url, {"decision": decision, "note": note}).status_code)


def test_the_demo_starts_with_no_grant_and_an_unmasked_export_is_refused(demo_db: Demo) -> None:
    assert not ApprovalRequest.objects.filter(kind=KIND).exists()
    person = a_person()
    before = logs()
    status, page = export(demo_db.client("office"), person)
    assert status == 403
    assert EXPORT_REFUSED in page
    ask_url = (
        reverse("accounts:pii_request_create")
        + "?"
        + urlencode({"purpose": "export", "list_title": "人员"})
    )
    assert f'href="{ask_url.replace("&", "&amp;")}"' in page
    assert person.id_number not in page
    assert person.mobile not in page
    assert personal_data_in(page) == []
    assert logs() == before  # nothing exported, nothing revealed


def test_an_export_is_unmasked_once_another_person_approved_it(demo_db: Demo) -> None:
    person = a_person()
    office, leader = demo_db.client("office"), demo_db.client("leader")
    approval = ask(office, purpose="export", list_title="人员", reason="核对年度人才补贴名单")
    assert (approval.state, approval.requester.username, approval.payload) == (
        "requested", "office", {"purpose": "export", "list": "人员"},
    )  # fmt: skip
    assert export(office, person)[0] == 403  # not before the decision
    listing = leader.get(reverse("accounts:pii_request_list")).content.decode()
    assert "核对年度人才补贴名单" in listing
    assert decide(leader, approval, "approve", "同意，限本次核对") == 302
    approval.refresh_from_db()
    assert (approval.state, approval.approver.username, approval.payload) == (  # type: ignore[union-attr]
        "approved", "leader", {"purpose": "export", "list": "人员"},
    )  # fmt: skip
    before = logs()
    status, content = export(office, person)
    assert status == 200
    assert person.id_number in content
    assert person.mobile in content
    assert logs() == (before[0] + 1, before[1] + 1)
    log = ExportLog.objects.latest("id")
    assert (log.user.username, log.title, log.unmasked) == ("office", "人员", True)
    row = AccessLog.objects.latest("id")
    assert (row.user.username, row.action, row.record_type, row.record_id, row.field,
            row.approval_id) == ("office", "reveal", "export", log.pk, "id_number,mobile",
                                 approval.pk)  # fmt: skip
    # The approval is for that list only: the talent list stays refused, and so do the API
    # and the pages.
    talents = office.get(reverse("talent:talent_list"), {"export": "csv", "unmasked": "1"})
    assert talents.status_code == 403
    assert "导出“人才库”的完整身份证号和手机号须经他人批准" in talents.content.decode()
    assert office.get(reverse(TALENTS), {"reveal": "pii"}).status_code == 403
    detail = office.get(reverse("core:person_detail", args=[person.pk]), {"reveal": "id"})
    assert person.id_number not in detail.content.decode()
    states = [e.detail["state"] for e in SecurityEvent.objects.filter(
        kind="role_change", detail__request_kind=KIND).order_by("id")]  # fmt: skip
    assert states == ["requested", "approved"]


def test_nobody_approves_their_own_request(demo_db: Demo, make_user: Callable[..., User]) -> None:
    user = make_user(Unit.objects.get(name="开张镇"), DataScope.ALL, ["core.view_person",
                     "core.view_personal_data", "core.approve_personal_data"])  # fmt: skip
    client = Client()
    client.force_login(user)
    approval = ask(client, purpose="page", reason="核对身份证号")
    response = client.post(
        reverse("accounts:pii_request_detail", args=[approval.pk]),
        {"decision": "approve", "note": ""},
    )
    assert response.status_code == 403
    assert "不能审批自己提出的申请" in response.content.decode()
    with pytest.raises(DomainError) as own:
        workflow.request_approve(approval=approval, approver=User.objects.get(pk=user.pk))
    assert (own.value.code, own.value.status, own.value.message) == (
        "self_approval", 403, "不能审批自己提出的申请",
    )  # fmt: skip
    # The office, which may ask but not approve, reaches neither another's request nor the
    # decision on its own.
    office = demo_db.client("office")
    assert decide(office, approval, "approve") == 404
    mine = ask(office, purpose="page", reason="核对")
    assert decide(office, mine, "approve") == 403
    mine.refresh_from_db()
    assert (mine.state, mine.approver) == ("requested", None)
    approval.refresh_from_db()
    assert (approval.state, approval.approver) == ("requested", None)
    person = a_person()
    page = client.get(reverse("core:person_detail", args=[person.pk]), {"reveal": "id"})
    assert person.id_number not in page.content.decode()


def test_a_grant_expires_after_the_grant_hours(demo_db: Demo, settings: Any) -> None:
    person = a_person()
    office = demo_db.client("office")
    start = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        grant_pii(demo_db.users["office"], "export", list_title="人员")
        clock.move_to(start + dt.timedelta(hours=7, minutes=59))
        assert export(office, person)[0] == 200
        clock.move_to(start + dt.timedelta(hours=8, minutes=1))
        status, page = export(office, person)
        assert status == 403
        assert EXPORT_REFUSED in page
        # The hours are a setting.
        settings.YANZHEN_PII_GRANT_HOURS = 12
        assert export(office, person)[0] == 200
        clock.move_to(start + dt.timedelta(hours=12, minutes=1))
        assert export(office, person)[0] == 403


def test_the_api_answers_approval_required_then_full_values(demo_db: Demo) -> None:
    office = demo_db.client("office")
    before = logs()
    refused = office.get(reverse(TALENTS), {"page_size": "5", "reveal": "pii"})
    assert refused.status_code == 403
    assert refused.json() == {
        "error": {"code": "approval_required", "message": API_REFUSED, "fields": {}}
    }
    assert logs() == before
    approval = grant_pii(demo_db.users["office"], "api")
    response = office.get(reverse(TALENTS), {"page_size": "5", "reveal": "pii"})
    assert response.status_code == 200
    items = response.json()["items"]
    talents = Talent.objects.select_related("person").in_bulk([i["id"] for i in items])
    assert [(i["id_number"], i["mobile"]) for i in items] == [
        (talents[i["id"]].person.id_number, talents[i["id"]].person.mobile) for i in items
    ]
    assert logs() == (before[0] + 1, before[1] + 1)  # counted in the export quota
    row = AccessLog.objects.latest("id")
    assert (row.action, row.record_type, row.approval_id) == ("reveal", "talent_list", approval.pk)
    assert ExportLog.objects.latest("id").unmasked is True


def test_a_page_reveal_needs_an_approval_and_names_it(demo_db: Demo) -> None:
    person = a_person()
    office = demo_db.client("office")
    url = reverse("core:person_detail", args=[person.pk])
    html = office.get(url, {"reveal": "id"}).content.decode()
    assert person.id_number not in html
    assert mask_id_number(person.id_number) in html
    assert PAGE_REFUSED in html
    ask_url = reverse("accounts:pii_request_create") + "?purpose=page"
    assert f'<a href="{ask_url}">申请批准</a>' in html
    row = AccessLog.objects.latest("id")
    assert (row.action, row.record_type, row.record_id, row.approval_id) == (
        "open", "person", person.pk, None,
    )  # fmt: skip
    approval = grant_pii(demo_db.users["office"], "page")
    html = office.get(url, {"reveal": "id"}).content.decode()
    assert person.id_number in html
    assert PAGE_REFUSED not in html
    row = AccessLog.objects.latest("id")
    assert (row.action, row.record_type, row.record_id, row.field, row.approval_id) == (
        "reveal", "person", person.pk, "id_number", approval.pk,
    )  # fmt: skip


def test_a_refused_request_gives_nothing(demo_db: Demo) -> None:
    person = a_person()
    office, leader = demo_db.client("office"), demo_db.client("leader")
    approval = ask(office, purpose="export", list_title="人员", reason="核对名单")
    assert decide(leader, approval, "refuse", "") == 200  # a refusal says why
    assert decide(leader, approval, "refuse", "用途不明确") == 302
    approval.refresh_from_db()
    assert (approval.state, approval.approver.username) == ("refused", "leader")  # type: ignore[union-attr]
    before = logs()
    status, page = export(office, person)
    assert (status, EXPORT_REFUSED in page, person.id_number in page) == (403, True, False)
    assert logs() == before
    # … and a decided request is not decided again.
    assert decide(leader, approval, "approve") == 409
    approval.refresh_from_db()
    assert approval.state == "refused"


def test_the_request_form_names_the_missing_reason_and_list(demo_db: Demo) -> None:
    office = demo_db.client("office")
    url = reverse("accounts:pii_request_create")
    filled = office.get(url, {"purpose": "export", "list_title": "人员"}).content.decode()
    assert 'value="人员"' in filled
    assert '<option value="export" selected>' in filled
    no_reason = office.post(url, {"purpose": "page", "reason": ""}).content.decode()
    assert "请填写申请理由" in no_reason
    no_list = office.post(url, {"purpose": "export", "reason": "核对"}).content.decode()
    assert "请填写要导出的名单" in no_list
    assert not ApprovalRequest.objects.filter(kind=KIND).exists()
    # Only a holder of the view permission asks.
    assert demo_db.client("leader").get(url).status_code == 403
    with pytest.raises(DomainError) as caught:
        pii_access_request(requester=demo_db.users["leader"], purpose="page", reason="看看")
    assert caught.value.code == "forbidden"
    # One open request at a time.
    ask(office, purpose="page", reason="核对")
    again = office.post(url, {"purpose": "api", "reason": "再次"}).content.decode()
    assert "已有一项待审批的查看/导出完整个人信息申请" in again
    assert ApprovalRequest.objects.filter(kind=KIND).count() == 1


def test_an_approver_sees_the_requests_of_its_scope_only(
    demo_db: Demo, make_user: Callable[..., User]
) -> None:
    office_user = demo_db.users["office"]
    approver = make_user(
        Unit.objects.get(name="开张镇"), DataScope.UNIT_AND_BELOW, ["core.approve_personal_data"]
    )
    town_approver = Client()
    town_approver.force_login(approver)
    approval = pii_access_request(requester=office_user, purpose="page", reason="核对")
    detail = reverse("accounts:pii_request_detail", args=[approval.pk])
    assert "核对" not in town_approver.get(reverse("accounts:pii_request_list")).content.decode()
    assert town_approver.get(detail).status_code == 404
    assert town_approver.post(detail, {"decision": "approve"}).status_code == 404
    leader = demo_db.client("leader")
    assert leader.get(detail).status_code == 200
    filtered = leader.get(reverse("accounts:pii_request_list"), {"state": "requested",
                                                                "purpose": "page", "q": "off"})  # fmt: skip
    assert detail in filtered.content.decode()
    other = leader.get(reverse("accounts:pii_request_list"), {"purpose": "export"})
    assert detail not in other.content.decode()
    # The requester sees its own request; nobody else without the approve permission does.
    assert demo_db.client("office").get(detail).status_code == 200
    assert demo_db.client("town").get(detail).status_code == 403
    approval.refresh_from_db()
    assert approval.state == "requested"


def test_only_business_roles_hold_the_approve_permission(demo_db: Demo) -> None:
    permission = Permission.objects.get(codename="approve_personal_data")
    holders = Role.objects.filter(permissions=permission).values_list("code", flat=True)
    assert list(holders) == ["leader"]
    for kind in (RoleKind.SYSTEM_ADMIN, RoleKind.SECURITY_ADMIN, RoleKind.AUDITOR):
        with pytest.raises(DomainError):
            check_role_permissions(kind, [permission])
    check_role_permissions(RoleKind.BUSINESS, [permission])
    # The security administrator's request pages leave these requests out.
    approval = pii_access_request(requester=demo_db.users["office"], purpose="page", reason="核对")
    security = demo_db.client("secadmin")
    assert (
        "核对" not in security.get(reverse("accounts:request_list"), {"state": ""}).content.decode()
    )
    url = reverse("accounts:request_detail", args=[approval.pk])
    assert security.get(url).status_code == 404
    assert security.get(reverse("accounts:pii_request_list")).status_code == 403


def test_without_the_second_person_the_permission_suffices(demo_db: Demo, settings: Any) -> None:
    settings.YANZHEN_PII_APPROVAL = False
    person = a_person()
    status, content = export(demo_db.client("office"), person)
    assert status == 200
    assert person.id_number in content
    row = AccessLog.objects.latest("id")
    assert (row.action, row.record_type, row.approval_id) == ("reveal", "export", None)
    # Without the permission nothing changes.
    status, content = export(demo_db.client("base"), person)
    assert status == 200
    assert person.id_number not in content


def test_the_payment_list_for_finance_needs_an_approval_for_that_list(demo_db: Demo) -> None:
    office = demo_db.client("office")
    params = {"month": "2021-12", "export": "xlsx", "unmasked": "1"}
    before = logs()
    refused = office.get(reverse("talent:payment_list"), params)
    assert refused.status_code == 403
    page = refused.content.decode()
    found = re.search(
        r"导出“(\S+?2021年12月人才补贴发放表)”的完整身份证号和手机号须经他人批准", page
    )
    assert found is not None
    assert personal_data_in(page) == []
    assert logs() == before
    approval = grant_pii(demo_db.users["office"], "export", list_title=found.group(1))
    response = office.get(reverse("talent:payment_list"), params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    numbers = [str(r[2]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
    assert numbers
    assert all(personal_data_in(n) == [n] for n in numbers)  # full, valid ID numbers
    log = ExportLog.objects.latest("id")
    assert (log.title, log.unmasked) == (found.group(1), True)
    row = AccessLog.objects.latest("id")
    assert (row.record_type, row.record_id, row.field, row.approval_id) == (
        "export", log.pk, "id_number", approval.pk,
    )  # fmt: skip
