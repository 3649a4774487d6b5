"""The review workflow of core (``core.workflow.Flow``): every transition, four eyes inside
one unit, a unit never approving what it submitted upward, conditions, notifications once
per recipient and event, the inbox (待审核) page, its bulk approval and its API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yanzhen.audit.models import SecurityEvent
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, DataScope, RequestState, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.core.workflow import (
    _FLOWS,
    Flow,
    inbox_qs,
    register_flow,
    review_bulk_approve,
    review_decide,
    review_submit,
    reviews_for,
)
from yanzhen.notifications.models import Notification

PERM = "core.change_unit"
APPLIED: list[tuple[int, str]] = []


def _apply(approval: ApprovalRequest, approver: User) -> None:
    APPLIED.append((approval.target_id, "approved"))
    Unit.objects.filter(pk=approval.target_id).update(short_name="已批准")


def _return(approval: ApprovalRequest, approver: User) -> None:
    APPLIED.append((approval.target_id, "returned"))


def _conditions(target: Unit, payload: Any) -> dict[str, str]:
    return {} if target.address else {"address": "请填写地址"}


# Four eyes: a unit's own list (e.g. the office's payment lists) reviewed inside the unit.
FOUR_EYES = Flow(
    code="test.four_eyes",
    label="测试清单",
    model=Unit,
    permission=PERM,
    reviewer=lambda target, unit: unit,
    title=lambda target: f"清单 {target.name}",
    url=lambda target: f"/units/{target.pk}/",
    conditions=_conditions,
    apply=_apply,
    on_return=_return,
)
# Upward: a town's report decided by the county above it.
UPWARD = Flow(
    code="test.upward",
    label="测试报送",
    model=Unit,
    permission=PERM,
    reviewer=lambda target, unit: unit.parent if unit is not None else None,
    title=lambda target: f"报送 {target.name}",
    url=lambda target: f"/units/{target.pk}/",
    apply=_apply,
    on_return=_return,
)


@pytest.fixture(autouse=True)
def flows() -> Iterator[None]:
    register_flow(FOUR_EYES)
    register_flow(UPWARD)
    APPLIED.clear()
    yield
    _FLOWS.pop(FOUR_EYES.code)
    _FLOWS.pop(UPWARD.code)


@pytest.fixture
def office(county: Unit) -> Unit:
    return unit_create(
        actor=None, parent=county, name="合作办", kind=UnitKind.DEPARTMENT, address="县城"
    )


@pytest.fixture
def people(county: Unit, office: Unit, make_user: Callable[..., User]) -> dict[str, User]:
    town = unit_create(actor=None, parent=county, name="甲镇", kind=UnitKind.TOWN)
    return {
        "author": make_user(office, DataScope.UNIT, [PERM]),
        "second": make_user(office, DataScope.UNIT, [PERM]),
        "no_perm": make_user(office, DataScope.UNIT, []),
        "town": make_user(town, DataScope.UNIT, [PERM]),
        "town_mate": make_user(town, DataScope.UNIT, [PERM]),
        "county": make_user(county, DataScope.UNIT_AND_BELOW, [PERM]),
    }


def submit_list(people: dict[str, User], office: Unit) -> ApprovalRequest:
    return review_submit(
        flow=FOUR_EYES, target=office, actor=people["author"], unit=office, note="十一月清单"
    )


def code_of(call: Callable[[], object]) -> tuple[str, int]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code, caught.value.status


def test_four_eyes_another_holder_approves_never_the_author(
    people: dict[str, User], office: Unit
) -> None:
    approval = submit_list(people, office)
    assert (approval.state, approval.reviewer_unit_id, approval.title) == (
        RequestState.REQUESTED,
        office.pk,
        "清单 合作办",
    )
    assert code_of(
        lambda: review_decide(approval=approval, approver=people["author"], decision="approve")
    ) == ("self_approval", 403)
    assert code_of(
        lambda: review_decide(approval=approval, approver=people["no_perm"], decision="approve")
    ) == ("forbidden", 403)
    assert APPLIED == []
    decided = review_decide(approval=approval, approver=people["second"], decision="approve")
    assert (decided.state, APPLIED) == (RequestState.APPROVED, [(office.pk, "approved")])
    assert code_of(
        lambda: review_decide(approval=approval, approver=people["second"], decision="approve")
    ) == ("already_decided", 409)


def test_the_deciders_are_told_once_and_the_author_of_the_decision(
    people: dict[str, User], office: Unit
) -> None:
    approval = submit_list(people, office)
    requested = Notification.objects.filter(kind="review.requested")
    assert [n.recipient.username for n in requested] == [people["second"].username]
    review_decide(approval=approval, approver=people["second"], decision="approve")
    decided = Notification.objects.filter(kind="review.decided")
    assert [(n.recipient.username, n.title) for n in decided] == [
        (people["author"].username, "测试清单已批准：清单 合作办")
    ]
    # Each step is in the security log and in the record's history.
    steps = SecurityEvent.objects.filter(kind="review").order_by("id")
    assert [e.detail["state"] for e in steps] == ["requested", "approved"]
    assert [r.state for r in reviews_for(office)] == ["approved"]


def test_a_return_needs_a_comment_then_the_record_is_submitted_again(
    people: dict[str, User], office: Unit
) -> None:
    approval = submit_list(people, office)
    assert code_of(
        lambda: review_decide(
            approval=approval, approver=people["second"], decision="return", comment=""
        )
    ) == ("comment_required", 422)
    returned = review_decide(
        approval=approval,
        approver=people["second"],
        decision="return",
        comment="金额有误",
        field_comments={"amount": "第3行金额与合同不符"},
    )
    assert (returned.state, returned.decision_note, returned.field_comments) == (
        RequestState.RETURNED,
        "金额有误",
        {"amount": "第3行金额与合同不符"},
    )
    assert [(office.pk, "returned")] == APPLIED
    again = submit_list(people, office)
    assert [r.state for r in reviews_for(office)] == ["returned", "requested"]
    assert code_of(lambda: submit_list(people, office)) == ("duplicate_request", 409)
    assert again.pk != approval.pk


def test_conditions_are_checked_at_submit_and_before_approval(
    people: dict[str, User], office: Unit
) -> None:
    Unit.objects.filter(pk=office.pk).update(address="")
    office.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        submit_list(people, office)
    error = caught.value
    assert (error.code, error.fields) == ("conditions", {"address": "请填写地址"})
    assert not ApprovalRequest.objects.exists()
    Unit.objects.filter(pk=office.pk).update(address="县城")
    office.refresh_from_db()
    approval = submit_list(people, office)
    Unit.objects.filter(pk=office.pk).update(address="")
    assert code_of(
        lambda: review_decide(approval=approval, approver=people["second"], decision="approve")
    ) == ("conditions", 422)
    approval.refresh_from_db()
    assert (approval.state, APPLIED) == (RequestState.REQUESTED, [])


def test_a_unit_never_approves_what_it_submitted_upward(
    people: dict[str, User], county: Unit
) -> None:
    town = people["town"].unit
    assert town is not None
    approval = review_submit(flow=UPWARD, target=town, actor=people["town"], unit=town)
    assert approval.reviewer_unit_id == county.pk
    assert code_of(
        lambda: review_decide(approval=approval, approver=people["town_mate"], decision="approve")
    ) == ("self_approval", 403)
    assert list(inbox_qs(people["town_mate"])) == []
    assert list(inbox_qs(people["county"])) == [approval]
    decided = review_decide(approval=approval, approver=people["county"], decision="approve")
    assert decided.state == RequestState.APPROVED


def test_the_bulk_approval_is_all_or_nothing(people: dict[str, User], office: Unit) -> None:
    first = submit_list(people, office)
    town = people["town"].unit
    assert town is not None
    upward = review_submit(flow=UPWARD, target=town, actor=people["town"], unit=town)
    with pytest.raises(DomainError) as caught:
        review_bulk_approve(approvals=[first, upward], approver=people["second"], comment="同意")
    assert caught.value.code == "forbidden"
    assert caught.value.message.startswith("“报送 甲镇”：")
    # The first, approved before the second was refused, is rolled back with it.
    assert list(ApprovalRequest.objects.values_list("state", flat=True)) == ["requested"] * 2
    assert Unit.objects.get(pk=office.pk).short_name == ""


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_inbox_page_filters_exports_and_approves_in_bulk(
    people: dict[str, User], office: Unit
) -> None:
    town = people["town"].unit
    assert town is not None
    first = submit_list(people, office)
    client = _client(people["second"])
    page = client.get(reverse("core:review_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "清单 合作办" in html
    assert 'form="bulk-approve"' in html
    assert (
        "清单 合作办"
        not in client.get(reverse("core:review_list"), {"kind": "test.upward"}).content.decode()
    )
    assert client.get(reverse("core:review_list"), {"export": "xlsx"}).status_code == 200
    # The header's count.
    assert '待审核 <span class="tag gap">1</span>' in html
    response = client.post(reverse("core:review_bulk"), {"ids": [str(first.pk)], "comment": "好"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.state, first.decision_note) == (RequestState.APPROVED, "好")
    # Someone with no kind of review has no inbox.
    assert _client(people["no_perm"]).get(reverse("core:review_list")).status_code == 403


def test_the_review_page_decides_one(people: dict[str, User], office: Unit) -> None:
    approval = submit_list(people, office)
    url = reverse("core:review_detail", args=[approval.pk])
    response = _client(people["second"]).post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 200
    assert "退回时请填写审核意见" in response.content.decode()
    approval.refresh_from_db()
    assert approval.state == RequestState.REQUESTED
    response = _client(people["author"]).post(url, {"decision": "approve"})
    assert response.status_code == 403
    response = _client(people["second"]).post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.state == RequestState.APPROVED


def test_the_api_lists_my_pending_items_and_decides(people: dict[str, User], office: Unit) -> None:
    approval = submit_list(people, office)
    body = _client(people["second"]).get(reverse("api:list_reviews")).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert {k: item[k] for k in ("id", "kind", "title", "url", "submitted_by")} == {
        "id": approval.pk,
        "kind": "test.four_eyes",
        "title": "清单 合作办",
        "url": f"/units/{office.pk}/",
        "submitted_by": str(people["author"]),
    }
    assert _client(people["author"]).get(reverse("api:list_reviews")).json()["count"] == 0
    url = reverse("api:decide_review", args=[approval.pk])
    own = _client(people["author"]).post(url, {"decision": "approve"}, "application/json")
    assert (own.status_code, own.json()["error"]["code"]) == (403, "self_approval")
    bad = _client(people["second"]).post(url, {"decision": "maybe"}, "application/json")
    assert bad.status_code == 422
    done = _client(people["second"]).post(url, {"decision": "approve"}, "application/json")
    assert (done.status_code, done.json()["state"]) == (200, "approved")
    again = _client(people["second"]).post(url, {"decision": "approve"}, "application/json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_decided")


def test_me_gives_the_unit_id(people: dict[str, User], office: Unit) -> None:
    body = _client(people["author"]).get(reverse("api:me")).json()
    assert (body["unit"], body["unit_id"]) == ("合作办", office.pk)
