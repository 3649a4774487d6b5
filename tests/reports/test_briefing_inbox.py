"""Briefing review and 签发 go through the shared review inbox (/reviews/): a submitted draft
waits in another office member's inbox (never the drafter's), once reviewed in the leader's for
签发 (whose only business permission is ``reports.sign_briefing``); decided there or on the
briefing's page alike; four eyes kept; the requests still open from before the change are
moved into the inbox by the data migration."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.core.models import ApprovalRequest, Unit
from yanzhen.core.workflow import inbox_qs
from yanzhen.notifications.models import Notification
from yanzhen.reports import briefings
from yanzhen.reports.models import Briefing

pytestmark = pytest.mark.usefixtures("demo_db")


def _summary() -> Briefing:
    return Briefing.objects.get(title="永济市2021年省校合作工作总结")


def _inbox(demo_db: Demo, who: str) -> list[tuple[str, str]]:
    mine = inbox_qs(demo_db.users[who]).filter(kind__startswith="reports.")
    return [(r.kind, r.title) for r in mine]


def test_the_draft_waits_in_another_members_inbox_then_in_the_leaders(demo_db: Demo) -> None:
    briefing = _summary()
    office = demo_db.client("office")
    office.post(reverse("reports:briefing_submit", args=[briefing.pk]))
    review = ApprovalRequest.objects.get(kind="reports.briefing_review", target_id=briefing.pk)
    office_unit = demo_db.users["office"].unit
    assert (review.submitted_unit, review.reviewer_unit, review.url) == (
        office_unit, office_unit, reverse("reports:briefing_detail", args=[briefing.pk]),
    )  # fmt: skip
    assert _inbox(demo_db, "reviewer") == [("reports.briefing_review", briefing.title)]
    assert _inbox(demo_db, "office") == []  # never the drafter
    assert _inbox(demo_db, "leader") == []
    page = demo_db.client("reviewer").get(reverse("core:review_list")).content.decode()
    assert briefing.title in page
    assert "简报审核" in page
    assert (
        Notification.objects.filter(
            kind="review.requested",
            recipient=demo_db.users["reviewer"],
            title__contains=briefing.title,
        ).count()
        == 1
    )
    # The drafter may not decide it from the inbox either.
    refused = office.post(
        reverse("api:decide_review", args=[review.pk]),
        {"decision": "approve"},
        content_type="application/json",
    )
    assert refused.status_code in (403, 404)
    assert briefings.state_of(briefing) == briefings.State.IN_REVIEW
    # The reviewer approves in /reviews/: the 签发 waits in the leader's inbox.
    response = demo_db.client("reviewer").post(
        reverse("core:review_detail", args=[review.pk]), {"decision": "approve", "comment": "同意"}
    )
    assert response.status_code == 302
    assert briefings.state_of(briefing) == briefings.State.AWAITING_SIGN
    sign = ApprovalRequest.objects.get(kind="reports.briefing_sign", target_id=briefing.pk)
    leader = demo_db.users["leader"]
    assert (sign.requester, sign.reviewer_unit) == (demo_db.users["reviewer"], leader.unit)
    assert _inbox(demo_db, "leader") == [("reports.briefing_sign", briefing.title)]
    assert _inbox(demo_db, "reviewer") == []
    assert _inbox(demo_db, "office") == []
    business = sorted(
        p for p in leader.get_all_permissions() if not p.split(".")[1].startswith("view_")
    )
    assert "reports.sign_briefing" in business
    assert not [p for p in business if p.startswith("reports.") and p != "reports.sign_briefing"]
    api = demo_db.client("leader").get("/api/v1/reviews").json()
    assert [(i["kind"], i["title"]) for i in api["items"] if i["kind"].startswith("reports.")] == [
        ("reports.briefing_sign", briefing.title)
    ]
    signed = demo_db.client("leader").post(
        reverse("api:decide_review", args=[sign.pk]),
        {"decision": "approve", "comment": "签发"},
        content_type="application/json",
    )
    assert signed.status_code == 200
    issued = Briefing.objects.get(pk=briefing.pk)
    assert briefings.state_of(issued) == briefings.State.ISSUED
    assert (issued.reviewed_by, issued.signed_by) == (demo_db.users["reviewer"], leader)
    assert _inbox(demo_db, "leader") == []


def test_the_briefing_page_offers_the_decision_only_to_whom_it_waits_for(demo_db: Demo) -> None:
    briefing = _summary()
    url = reverse("reports:briefing_detail", args=[briefing.pk])
    demo_db.client("office").post(reverse("reports:briefing_submit", args=[briefing.pk]))
    assert "审核通过" not in demo_db.client("office").get(url).content.decode()
    assert "审核通过" in demo_db.client("reviewer").get(url).content.decode()
    assert 'value="approve"' not in demo_db.client("leader").get(url).content.decode()


def test_returning_in_the_inbox_makes_it_a_draft_again_with_the_comment(demo_db: Demo) -> None:
    briefing = _summary()
    demo_db.client("office").post(reverse("reports:briefing_submit", args=[briefing.pk]))
    review = ApprovalRequest.objects.get(kind="reports.briefing_review", target_id=briefing.pk)
    no_comment = demo_db.client("reviewer").post(
        reverse("api:decide_review", args=[review.pk]),
        {"decision": "return"},
        content_type="application/json",
    )
    assert no_comment.status_code == 422
    assert briefings.state_of(briefing) == briefings.State.IN_REVIEW
    returned = demo_db.client("reviewer").post(
        reverse("api:decide_review", args=[review.pk]),
        {"decision": "return", "comment": "请补充人才工作"},
        content_type="application/json",
    )
    assert returned.status_code == 200
    assert briefings.state_of(briefing) == briefings.State.DRAFT
    told = Notification.objects.filter(
        kind="review.decided", recipient=demo_db.users["office"]
    ).latest("pk")  # the demo's own decisions (its 揭榜挂帅 call) came before
    assert (told.title, told.body) == (f"简报审核已退回：{briefing.title}", "请补充人才工作")


def test_the_migration_moves_the_open_requests_of_before_into_the_inbox(demo_db: Demo) -> None:
    from importlib import import_module

    briefing = _summary()
    reviewer = demo_db.users["reviewer"]
    before = ApprovalRequest.objects.create(
        kind="reports.briefing_sign",
        target_type=ContentType.objects.get_for_model(Briefing),
        target_id=briefing.pk,
        target_label=briefing.title,
        unit=briefing.unit,
        requester=reviewer,
        reason="审核通过，提请签发",
    )
    assert _inbox(demo_db, "leader") == []
    migration = import_module("yanzhen.reports.migrations.0003_briefing_requests_in_review_inbox")
    migration.forwards(apps, None)
    before.refresh_from_db()
    county = Unit.objects.get(name="永济市", kind="county")
    assert (before.submitted_unit, before.reviewer_unit, before.title, before.url) == (
        reviewer.unit, county, briefing.title, f"/briefings/{briefing.pk}/",
    )  # fmt: skip
    assert before.deadline is not None
    assert _inbox(demo_db, "leader") == [("reports.briefing_sign", briefing.title)]
