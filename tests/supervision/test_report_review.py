"""The office accepts or returns each base's report to a round (issue 13 (b)), through the
review workflow of core: the report waits in the office's inbox, a return needs a comment, the
lead department reports again, the office accepts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.supervision.conftest import World, build_world
from yanzhen.core.counties import county_settings_save
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, RequestState, Unit, User, default_stage_rules
from yanzhen.core.workflow import inbox_qs, review_decide
from yanzhen.notifications.models import Notification
from yanzhen.supervision import services
from yanzhen.supervision.models import ReportReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(county: Unit, make_user: Callable[..., User]) -> World:
    w = build_world(county, make_user)
    perm = Permission.objects.get(codename="review_report")
    for role in w.office_user.roles.all():
        role.permissions.add(perm)
    w.office_user = User.objects.get(pk=w.office_user.pk)  # permissions read afresh
    county_settings_save(
        actor=w.office_user,
        county=county,
        office=w.office,
        reviewer="office",
        rules=default_stage_rules(),
    )
    return w


def submit(w: World) -> None:
    round = services.round_create(
        actor=w.office_user,
        title="2021年6月工作调度",
        kind="monthly",
        opened_on=dt.date(2021, 6, 10),
        deadline=dt.date(2021, 6, 15),
        bases=[w.base],
    )
    services.report_submit(
        actor=w.lead_user,
        round=round,
        base=w.base,
        summary="稳步推进",
        items=[services.ProgressInput(w.milestones[1], 40, "推进中")],
    )


def test_a_report_waits_is_returned_reported_again_and_accepted(world: World) -> None:
    submit(world)
    report = world.base.reports.get()
    assert report.review == ReportReview.SUBMITTED
    (approval,) = inbox_qs(world.office_user)
    assert (approval.kind, approval.title, approval.submitted_unit) == (
        "supervision.report",
        "2021年6月工作调度 · 电机基地",
        world.lead,
    )
    assert [n.recipient for n in Notification.objects.filter(kind="review.requested")] == [
        world.office_user
    ]
    # The lead department never decides its own report.
    with pytest.raises(DomainError) as caught:
        review_decide(approval=approval, approver=world.lead_user, decision="approve")
    assert caught.value.code == "self_approval"
    with pytest.raises(DomainError) as caught:
        review_decide(approval=approval, approver=world.office_user, decision="return")
    assert caught.value.fields == {"comment": "退回时请填写审核意见"}
    review_decide(
        approval=approval, approver=world.office_user, decision="return", comment="请补充佐证"
    )
    report.refresh_from_db()
    assert report.review == ReportReview.RETURNED
    services.report_submit(
        actor=world.lead_user,
        round=report.round,
        base=world.base,
        summary="已补充",
        items=[services.ProgressInput(world.milestones[1], 50, "补充佐证")],
    )
    report.refresh_from_db()
    assert report.review == ReportReview.SUBMITTED
    (again,) = inbox_qs(world.office_user)
    review_decide(approval=again, approver=world.office_user, decision="approve")
    report.refresh_from_db()
    assert report.review == ReportReview.ACCEPTED
    assert list(
        ApprovalRequest.objects.filter(kind="supervision.report")
        .order_by("id")
        .values_list("state", flat=True)
    ) == [RequestState.RETURNED, RequestState.APPROVED]
    page = world.client(world.office_user).get(
        reverse("supervision:round_detail", args=[report.round_id])
    )
    assert 'data-review="accepted"' in page.content.decode()


def test_an_update_while_waiting_stays_in_the_same_review(world: World) -> None:
    submit(world)
    report = world.base.reports.get()
    services.report_submit(
        actor=world.lead_user,
        round=report.round,
        base=world.base,
        summary="再次更新",
        items=[services.ProgressInput(world.milestones[1], 45, "推进中")],
    )
    assert ApprovalRequest.objects.filter(kind="supervision.report").count() == 1
