"""Cooperations reported by lower units wait for the county office's review (issue 13 (a)):
the figures count approved stages only, the API shows what waits, the office decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.audit.models import SecurityEvent
from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Cooperation, EventStatus, StageEvent
from yanzhen.cooperation.selectors import REVIEW_KIND, cooperation_qs
from yanzhen.cooperation.services import cooperation_move
from yanzhen.core.models import ApprovalRequest, DataScope, RequestState, Unit, User
from yanzhen.demo.reviews import LANDED_REASON, NEW_CODE
from yanzhen.engines.stages import Stage
from yanzhen.notifications.models import Notification
from yanzhen.reports.selectors import dashboard

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC), tick=False):
        yield


def funnel(demo_db: Demo, year: int | None = 2021) -> tuple[int, ...]:
    board = dashboard(user=demo_db.users["office"], year=year, today=TODAY)
    return tuple(int(f.value) for f in board.figures[:3])


def landing() -> ApprovalRequest:
    event = StageEvent.objects.get(reason=LANDED_REASON)
    return ApprovalRequest.objects.get(kind=REVIEW_KIND, payload__event=event.pk)


def intention() -> ApprovalRequest:
    cooperation = Cooperation.objects.get(code=NEW_CODE)
    return ApprovalRequest.objects.get(kind=REVIEW_KIND, target_id=cooperation.pk)


def decide(demo_db: Demo, who: str, review: ApprovalRequest, **body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = demo_db.client(who).post(
        reverse("api:decide_review", args=[review.pk]), body, content_type="application/json"
    )
    return response.status_code, response.json()


def test_the_demo_waits_for_review_and_the_case_figures_stay(demo_db: Demo) -> None:
    assert funnel(demo_db) == (120, 81, 63)
    page = demo_db.client("office").get(reverse("api:list_reviews")).json()
    assert page["count"] == 4  # and two towns' 数据填报
    page["items"] = [i for i in page["items"] if i["kind"].startswith("cooperation")]
    assert [(i["kind"], i["submitted_by"]) for i in page["items"]] == [
        ("cooperation.stage", "开张镇工作人员"),
        ("cooperation.stage", "企业人力资源经理"),
    ]
    new = Cooperation.objects.get(code=NEW_CODE)
    assert (new.approved, new.stage) == (False, Stage.INTENTION)
    # The office's members (office, reviewer): one notification per report, nobody else told.
    told = Notification.objects.filter(kind="review.requested", title__contains="合作报送")
    assert sorted((n.recipient.username, n.title) for n in told) == sorted(
        (who, title)
        for who in ("office", "reviewer")
        for title in (
            f"待审核：合作报送 {landing().title}",
            f"待审核：合作报送 {new.code} {new.title}",
        )
    )
    html = demo_db.client("office").get(reverse("reports:dashboard")).content.decode()
    assert "另有 2 项待审核" in html


def test_the_api_gives_the_approved_stage_and_what_is_pending(demo_db: Demo) -> None:
    review = landing()
    client = demo_db.client("office")
    out = client.get(reverse("api:get_cooperation", args=[review.target_id])).json()
    event = StageEvent.objects.get(reason=LANDED_REASON)
    assert (out["stage"], out["landed_date"]) == ("agreement", None)
    assert out["pending"] == {
        "stage": "landed",
        "date": event.date.isoformat(),  # type: ignore[union-attr]
        "review_id": review.pk,
    }
    new = client.get(reverse("api:get_cooperation", args=[intention().target_id])).json()
    assert (new["stage"], new["pending"]["stage"]) == (None, "intention")
    listed = client.get(reverse("api:list_cooperations"), {"review": "pending"}).json()
    assert sorted(i["id"] for i in listed["items"]) == sorted(
        [review.target_id, intention().target_id]
    )


def new_notices() -> list[int]:
    """The notifications already there (the demo's own decisions, e.g. its 揭榜挂帅 call)."""
    return list(Notification.objects.values_list("pk", flat=True))


def test_approval_applies_the_move_and_the_figures_follow(demo_db: Demo) -> None:
    known = new_notices()
    review = landing()
    event = StageEvent.objects.get(reason=LANDED_REASON)
    landed_year = event.date.year  # type: ignore[union-attr]
    before = funnel(demo_db, landed_year)
    status, body = decide(demo_db, "office", review, decision="approve", comment="材料齐全")
    assert status == 200, body
    assert body["state"] == "approved"
    cooperation = Cooperation.objects.get(pk=review.target_id)
    assert (cooperation.stage, cooperation.landed_date) == (Stage.LANDED, event.date)
    event.refresh_from_db()
    assert event.status == EventStatus.APPROVED
    assert funnel(demo_db, landed_year) == (before[0], before[1], before[2] + 1)
    assert tally.differences() == []
    out = demo_db.client("town").get(reverse("api:get_cooperation", args=[cooperation.pk]))
    assert (out.json()["stage"], out.json()["pending"]) == ("landed", None)
    told = Notification.objects.filter(kind="review.decided").exclude(pk__in=known)
    assert [(n.recipient.username, n.title) for n in told] == [
        ("town", f"合作报送已批准：{review.title}")
    ]
    logged = SecurityEvent.objects.filter(kind="review").order_by("id")
    assert [e.detail["state"] for e in logged][-1:] == ["approved"]
    # Decided once.
    assert decide(demo_db, "office", review, decision="approve")[0] == 409


def test_approving_the_new_intention_counts_it(demo_db: Demo) -> None:
    assert funnel(demo_db, 2022)[0] == 0
    status, _ = decide(demo_db, "office", intention(), decision="approve")
    assert status == 200
    assert Cooperation.objects.get(code=NEW_CODE).approved is True
    assert funnel(demo_db, 2022) == (1, 0, 0)
    assert funnel(demo_db) == (120, 81, 63)


def test_a_return_needs_a_comment_and_changes_nothing_without_one(demo_db: Demo) -> None:
    review = landing()
    status, body = decide(demo_db, "office", review, decision="return", comment=" ")
    assert status == 422
    assert body["error"]["fields"] == {"comment": "退回时请填写审核意见"}
    review.refresh_from_db()
    assert review.state == RequestState.REQUESTED
    status, body = decide(
        demo_db,
        "office",
        review,
        decision="return",
        comment="验收记录未盖章",
        fields={"evidence": "请补盖章"},
    )
    assert (status, body["state"]) == (200, "returned")
    review.refresh_from_db()
    assert (review.decision_note, review.field_comments) == (
        "验收记录未盖章",
        {"evidence": "请补盖章"},
    )
    assert StageEvent.objects.get(reason=LANDED_REASON).status == EventStatus.RETURNED
    assert Cooperation.objects.get(pk=review.target_id).stage == Stage.AGREEMENT
    assert funnel(demo_db) == (120, 81, 63)
    # Returned → submitted again: a new request, the first kept in the record's history.
    town = demo_db.users["town"]
    cooperation = Cooperation.objects.get(pk=review.target_id)
    cooperation_move(
        actor=town,
        cooperation=cooperation,
        target=Stage.LANDED,
        date=StageEvent.objects.get(reason=LANDED_REASON).date,
        reason="补充盖章的验收记录",
        evidence=SimpleUploadedFile("验收记录.pdf", b"%PDF-1.4\n", "application/pdf"),
    )
    states = list(
        ApprovalRequest.objects.filter(kind=REVIEW_KIND, target_id=cooperation.pk)
        .order_by("id")
        .values_list("state", flat=True)
    )
    assert states == ["returned", "requested"]
    assert Notification.objects.filter(kind="review.decided", recipient=town).count() == 1


def test_a_unit_never_approves_what_it_reported(
    demo_db: Demo, make_user: Callable[..., User]
) -> None:
    review = landing()
    # The author…
    status, body = decide(demo_db, "town", review, decision="approve")
    assert (status, body["error"]["code"]) == (403, "self_approval")
    # … and a colleague of the same unit holding the permission.
    colleague = make_user(
        Unit.objects.get(name="开张镇"),
        DataScope.UNIT_AND_BELOW,
        ["cooperation.review_cooperation", "cooperation.view_cooperation"],
    )
    demo_db.users["colleague"] = colleague
    status, body = decide(demo_db, "colleague", review, decision="approve")
    assert (status, body["error"]["code"]) == (403, "self_approval")
    review.refresh_from_db()
    assert review.state == RequestState.REQUESTED
    assert Cooperation.objects.get(pk=review.target_id).stage == Stage.AGREEMENT
    # Someone else's (the enterprise's report is not the town's to decide): 404.
    assert decide(demo_db, "town", intention(), decision="approve")[0] == 404


def test_evidence_is_required_at_submit(demo_db: Demo) -> None:
    town = demo_db.users["town"]
    cooperation = cooperation_qs(town).filter(stage=Stage.INTENTION).order_by("id").first()
    assert cooperation is not None
    response = demo_db.client("town").post(
        reverse("api:move_cooperation", args=[cooperation.pk]),
        {"target": "agreement", "date": "2026-11-01", "reason": "已签约"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["evidence"]
    assert "须上传佐证材料" in response.json()["error"]["fields"]["evidence"]
    assert not StageEvent.objects.filter(cooperation=cooperation, reason="已签约").exists()
    assert not ApprovalRequest.objects.filter(target_id=cooperation.pk, kind=REVIEW_KIND).exists()
    assert town.unit is not None


def test_the_offices_own_move_takes_effect_at_once(demo_db: Demo) -> None:
    cooperation = Cooperation.objects.filter(stage=Stage.AGREEMENT).order_by("id").last()
    assert cooperation is not None
    response = demo_db.client("office").post(
        reverse("api:move_cooperation", args=[cooperation.pk]),
        {"target": "landed", "date": "2026-11-02"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["pending"]) == ("landed", None)
    assert funnel(demo_db, 2026)[2] == 1


def test_the_bulk_approval_decides_all_with_one_comment(demo_db: Demo) -> None:
    known = new_notices()
    ids = [landing().pk, intention().pk]
    response = demo_db.client("office").post(
        reverse("core:review_bulk"), {"ids": [str(i) for i in ids], "comment": "同意"}
    )
    assert response.status_code == 302
    decided = ApprovalRequest.objects.filter(pk__in=ids).order_by("id")
    assert [(r.state, r.decision_note, r.approver.username) for r in decided] == [  # type: ignore[union-attr]
        ("approved", "同意", "office"),
        ("approved", "同意", "office"),
    ]
    left = demo_db.client("office").get(reverse("api:list_reviews")).json()["items"]
    assert [i["kind"] for i in left] == ["reporting.submission", "reporting.submission"]
    assert Notification.objects.filter(kind="review.decided").exclude(pk__in=known).count() == 2


def test_the_migration_marks_every_existing_cooperation_approved(demo_db: Demo) -> None:
    migration = import_module("yanzhen.cooperation.migrations.0012_cooperation_review")
    Cooperation.all_objects.update(approved=False)
    StageEvent.objects.update(status=EventStatus.PENDING)
    migration.approve_existing(apps, None)
    tally.recount()
    assert funnel(demo_db) == (120, 81, 63)
    assert not Cooperation.all_objects.filter(approved=False).exists()
    assert not StageEvent.objects.exclude(status=EventStatus.APPROVED).exists()
