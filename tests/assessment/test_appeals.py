"""Appeals (申诉) against hand-entered scores: the assessed unit appeals within its county's
window after publication; the appeal waits in the county office's review inbox; the office
upholds the score or changes it (the period's totals and ranks recalculated), recorded in the
history and the audit, and the appellant is told. Pages and API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.assessment.conftest import County, FakeData
from tests.assessment.test_periods import annual, feed, make_system, table
from tests.forms import post_form
from yanzhen.assessment import services
from yanzhen.assessment.models import (
    Appeal,
    Entry,
    Period,
    PeriodState,
    Score,
    ScoreItem,
)
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.counties import county_settings_save
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, DataScope, User, default_stage_rules
from yanzhen.core.workflow import inbox_qs
from yanzhen.demo.assessment import PERMISSIONS
from yanzhen.notifications.models import Notification

pytestmark = pytest.mark.django_db
UTC = dt.UTC
# Published on 2026-11-02 at 10:00 in the county (02:00 UTC); the window is 7 days.
PUBLISHED = dt.datetime(2026, 11, 2, 2, tzinfo=UTC)


@pytest.fixture
def published(place: County, fake: FakeData) -> Iterator[Period]:
    county_settings_save(
        actor=place.office_user,
        county=place.county,
        office=place.office,
        reviewer="office",
        rules=default_stage_rules(),
    )
    # 化工基地 is one point behind 农业基地 before any appeal.
    feed(place, fake, rate=[100, 80, 50], count=[10, 7, 8])
    with time_machine.travel(PUBLISHED - dt.timedelta(hours=1), tick=False):
        period = services.period_compute(actor=place.office_user, period=annual(make_system(place)))
        for name, value in (("电机基地", 9), ("化工基地", 6), ("农业基地", 10)):
            item = ScoreItem.objects.get(score__period=period, score__name=name, code="review")
            services.entry_create(
                actor=place.office_user, item=item, value=Decimal(value), reason="考核组评分"
            )
        services.entries_review_all(actor=place.reviewer, period=period)
    with time_machine.travel(PUBLISHED, tick=False):
        services.period_publish(actor=place.office_user, period=period)
    with time_machine.travel(PUBLISHED + dt.timedelta(days=3), tick=False):
        yield period


def review_item(period: Period, name: str, code: str = "review") -> ScoreItem:
    return ScoreItem.objects.get(score__period=period, score__name=name, code=code)


def appeal(place: County, period: Period, **kwargs: object) -> Appeal:
    return services.appeal_create(
        actor=place.lead_user,
        item=review_item(period, "化工基地"),
        reason=str(kwargs.pop("reason", "专班运转记录齐全，评分偏低")),
        **kwargs,  # type: ignore[arg-type]
    )


def notes(user: User) -> list[tuple[str, str, str]]:
    return [(n.kind, n.title, n.body) for n in Notification.objects.filter(recipient=user)]


BEFORE = [
    ("电机基地", 1, "106.00", ["40.00", "66.00"], False),
    ("农业基地", 2, "80.00", ["20.00", "60.00"], True),
    ("化工基地", 3, "79.00", ["32.00", "47.00"], True),
]


def test_an_appeal_waits_in_the_offices_inbox_and_a_change_rescores_the_period(
    place: County, published: Period
) -> None:
    assert table(published) == BEFORE
    made = appeal(place, published, attachment=SimpleUploadedFile("记录.pdf", b"%PDF-1.4 x"))
    assert (made.state, made.original, made.unit, made.created_by) == (
        "pending", Decimal(6), place.lead, place.lead_user,
    )  # fmt: skip
    assert made.attachment.read() == b"%PDF-1.4 x"
    review = ApprovalRequest.objects.get(kind="assessment.appeal")
    assert (review.submitted_unit, review.reviewer_unit, review.title) == (
        place.lead, place.office, "化工基地·工作评价（2021年度）",
    )  # fmt: skip
    assert review.url == reverse("assessment:appeal_detail", args=[made.pk])
    assert list(inbox_qs(place.office_user)) == [review]
    assert list(inbox_qs(place.reviewer)) == [review]
    assert list(inbox_qs(place.lead_user)) == []
    assert notes(place.office_user) == [
        (
            "review.requested",
            "待审核：考核申诉 化工基地·工作评价（2021年度）",
            "工信局报送，请审核。",
        )
    ]
    decided = services.appeal_decide(
        actor=place.office_user,
        appeal=made,
        decision="change",
        value=Decimal(8),
        comment="核实专班记录，改为8分",
    )
    assert (decided.state, decided.value, decided.decided_by) == (
        "changed", Decimal(8), place.office_user,
    )  # fmt: skip
    # 化工基地: 32 + 35 + 16 = 83 passes 农业基地's 80.
    assert table(published) == [
        ("电机基地", 1, "106.00", ["40.00", "66.00"], False),
        ("化工基地", 2, "83.00", ["32.00", "51.00"], False),
        ("农业基地", 3, "80.00", ["20.00", "60.00"], False),
    ]
    item = review_item(published, "化工基地")
    assert (item.value, item.points, item.status) == (Decimal(8), Decimal("16.00"), "manual")
    entry = Entry.objects.get(item=item, active=True)
    assert (entry.kind, entry.value, entry.previous, entry.reason, entry.reviewed_by) == (
        "appeal", Decimal(8), Decimal(6), "申诉改分：核实专班记录，改为8分", place.office_user,
    )  # fmt: skip
    published.refresh_from_db()
    assert published.state == PeriodState.PUBLISHED
    assert [(e.action, e.note) for e in published.events.all()][-1] == (
        "appeal", "化工基地·工作评价（2021年度）：6 → 8",
    )  # fmt: skip
    score = Score.objects.get(period=published, name="化工基地")
    assert [(h.total, h.rank) for h in score.history.order_by("history_id")][-2:] == [
        (Decimal("79.00"), 3), (Decimal("83.00"), 2),
    ]  # fmt: skip
    assert [h.state for h in made.history.order_by("history_id")] == ["pending", "changed"]
    review.refresh_from_db()
    assert (review.state, review.approver, review.decision_note) == (
        "approved", place.office_user, "核实专班记录，改为8分",
    )  # fmt: skip
    audit = [
        e for e in SecurityEvent.objects.filter(kind="review") if e.detail["request"] == review.pk
    ]
    assert sorted(e.detail["state"] for e in audit) == ["approved", "requested"]
    assert notes(place.lead_user) == [
        ("review.decided", "考核申诉已改分：化工基地·工作评价（2021年度）",
         "分值由6调整为8。核实专班记录，改为8分"),
    ]  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.appeal_decide(
            actor=place.reviewer, appeal=decided, decision="uphold", comment="再议"
        )
    assert (caught.value.code, caught.value.status) == ("already_decided", 409)
    assert notes(place.lead_user) == notes(place.lead_user)[:1]


def test_upholding_keeps_the_score_and_needs_a_comment(place: County, published: Period) -> None:
    made = appeal(place, published)
    with pytest.raises(DomainError) as caught:
        services.appeal_decide(actor=place.office_user, appeal=made, decision="uphold", comment=" ")
    assert caught.value.fields == {"comment": "请填写处理意见"}
    with pytest.raises(DomainError) as caught:
        services.appeal_decide(
            actor=place.office_user, appeal=made, decision="change", comment="改"
        )
    assert caught.value.fields == {"value": "改分须填写调整后的分值"}
    with pytest.raises(DomainError) as caught:
        services.appeal_decide(
            actor=place.office_user, appeal=made, decision="change", value=Decimal(6), comment="改"
        )
    assert caught.value.fields == {"value": "调整后的分值与原分值相同，请选择“维持原分”"}
    assert Appeal.objects.get().state == "pending"
    services.appeal_decide(
        actor=place.office_user, appeal=made, decision="uphold", comment="评分依据充分"
    )
    made.refresh_from_db()
    assert (made.state, made.value, made.decision_note) == ("upheld", None, "评分依据充分")
    assert table(published) == BEFORE
    assert not Entry.objects.filter(kind="appeal").exists()
    assert ApprovalRequest.objects.get(kind="assessment.appeal").state == "returned"
    assert notes(place.lead_user) == [
        ("review.decided", "考核申诉维持原分：化工基地·工作评价（2021年度）", "评分依据充分")
    ]


def test_the_appeal_through_the_shared_inbox_is_upheld_by_a_return(
    place: County, published: Period
) -> None:
    """Returning it in /reviews/ upholds the score; approving there needs the value, which
    only the appeal's page asks for (nothing changes)."""
    appeal(place, published)
    review = ApprovalRequest.objects.get(kind="assessment.appeal")
    client = place.client(place.office_user)
    url = reverse("core:review_detail", args=[review.pk])
    response = client.post(url, {"decision": "approve", "comment": "同意"})
    assert response.status_code == 200
    assert "改分须在申诉页面填写调整后的分值" in response.content.decode()
    assert table(published) == BEFORE
    response = client.post(url, {"decision": "return", "comment": "维持"})
    assert response.status_code == 302
    assert Appeal.objects.get().state == "upheld"


def test_the_unit_never_decides_its_own_appeal(
    place: County, published: Period, make_user: Callable[..., User]
) -> None:
    made = appeal(place, published)
    colleague = make_user(
        place.lead, DataScope.ALL, [*PERMISSIONS["office"], "cooperation.view_base"]
    )
    for user in (place.lead_user, colleague):
        user.user_permissions.add(
            *type(user).user_permissions.field.related_model.objects.filter(  # type: ignore[attr-defined]
                codename="decide_appeal"
            )
        )
        user = User.objects.get(pk=user.pk)
        with pytest.raises(DomainError) as caught:
            services.appeal_decide(
                actor=user, appeal=made, decision="change", value=Decimal(10), comment="自己改"
            )
        assert (caught.value.code, caught.value.status) == ("self_approval", 403)
    made.refresh_from_db()
    assert (made.state, made.value) == ("pending", None)
    assert table(published) == BEFORE
    assert ApprovalRequest.objects.get(kind="assessment.appeal").state == "requested"


def test_the_window_closes_days_after_publication(place: County, published: Period) -> None:
    closes = PUBLISHED + dt.timedelta(days=7)
    item = review_item(published, "化工基地")
    with time_machine.travel(closes, tick=False):
        assert services.appeal_open(item)
    with time_machine.travel(closes + dt.timedelta(seconds=1), tick=False):
        assert not services.appeal_open(item)
        with pytest.raises(DomainError) as caught:
            appeal(place, published)
        assert (caught.value.code, caught.value.status) == ("window_closed", 409)
        assert caught.value.message == "申诉期已于2026-11-09 10:00截止"
    assert not Appeal.objects.exists()
    assert not ApprovalRequest.objects.filter(kind="assessment.appeal").exists()
    settings = place.county.county_settings
    county_settings_save(
        actor=place.office_user,
        county=place.county,
        office=place.office,
        reviewer="office",
        rules=default_stage_rules(),
        expected_version=settings.version,
        appeal_days=2,
    )
    with pytest.raises(DomainError) as caught:  # three days after publication
        appeal(place, published)
    assert caught.value.message == "申诉期已于2026-11-04 10:00截止"
    with pytest.raises(DomainError) as caught:
        county_settings_save(
            actor=place.office_user,
            county=place.county,
            office=place.office,
            reviewer="office",
            rules=default_stage_rules(),
            appeal_days=0,
        )
    assert caught.value.fields == {"appeal_days": "考核申诉期须为1至60天"}


def test_only_the_assessed_unit_appeals_its_hand_scores_once_at_a_time(
    place: County, published: Period, make_user: Callable[..., User]
) -> None:
    with pytest.raises(DomainError) as caught:
        services.appeal_create(
            actor=place.lead_user, item=review_item(published, "化工基地", "count"), reason="多签"
        )
    assert caught.value.fields == {"item": "只能对人工评分的指标申诉；自动计算的指标请核对台账记录"}
    outsider = make_user(place.other, DataScope.UNIT_AND_BELOW, PERMISSIONS["base_lead"])
    with pytest.raises(DomainError) as caught:
        services.appeal_create(actor=outsider, item=review_item(published, "化工基地"), reason="x")
    assert (caught.value.code, caught.value.status) == ("forbidden", 403)
    with pytest.raises(DomainError) as caught:
        appeal(place, published, reason="  ")
    assert caught.value.fields == {"reason": "请填写申诉理由"}
    appeal(place, published)
    with pytest.raises(DomainError) as caught:
        appeal(place, published)
    assert (caught.value.code, caught.value.status) == ("duplicate_request", 409)
    assert Appeal.objects.count() == 1
    viewer = place.viewer
    with pytest.raises(DomainError) as caught:
        services.appeal_create(actor=viewer, item=review_item(published, "电机基地"), reason="x")
    assert caught.value.code == "forbidden"


def test_no_appeal_before_publication(place: County, fake: FakeData) -> None:
    feed(place, fake, rate=[100, 80, 50], count=[10, 7, 8])
    period = services.period_compute(actor=place.office_user, period=annual(make_system(place)))
    with pytest.raises(DomainError) as caught:
        appeal(place, period)
    assert (caught.value.code, caught.value.message) == (
        "not_published",
        "考核结果尚未发布，不能申诉",
    )


# Pages ------------------------------------------------------------------------------------------


def test_the_units_page_offers_the_appeal_while_the_window_is_open(
    place: County, published: Period
) -> None:
    client = place.client(place.lead_user)
    page = client.get(reverse("assessment:appeal_list")).content.decode()
    new = reverse("assessment:appeal_new", args=[review_item(published, "化工基地").pk])
    assert new in page
    assert "2026-11-09 10:00" in page
    response = client.post(
        new,
        {"reason": "专班记录齐全", "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.4 y")},
    )
    made = Appeal.objects.get()
    assert response["Location"] == reverse("assessment:appeal_detail", args=[made.pk])
    page = client.get(reverse("assessment:appeal_list")).content.decode()
    assert new not in page
    assert "申诉待处理" in page
    detail = client.get(response["Location"]).content.decode()
    assert "专班记录齐全" in detail
    assert "提交处理结果" not in detail
    attachment = client.get(reverse("assessment:appeal_attachment", args=[made.pk]))
    assert b"".join(attachment.streaming_content) == b"%PDF-1.4 y"  # type: ignore[attr-defined]
    office = place.client(place.office_user)
    assert "提交处理结果" in office.get(response["Location"]).content.decode()
    refused = client.post(
        response["Location"], {"decision": "change", "value": "10", "comment": "x"}
    )
    assert refused.status_code == 403
    done = office.post(
        response["Location"], {"decision": "change", "value": "8", "comment": "核实后改为8分"}
    )
    assert done.status_code == 302
    assert table(published)[1] == ("化工基地", 2, "83.00", ["32.00", "51.00"], False)
    with time_machine.travel(PUBLISHED + dt.timedelta(days=8), tick=False):
        page = place.client(place.lead_user).get(reverse("assessment:appeal_list")).content.decode()
    assert "申诉期已过" in page
    assert "已改分" in page


def test_the_appeal_form_shows_the_errors_in_chinese(place: County, published: Period) -> None:
    new = reverse("assessment:appeal_new", args=[review_item(published, "化工基地").pk])
    with time_machine.travel(PUBLISHED + dt.timedelta(days=9), tick=False):
        response = place.client(place.lead_user).post(new, {"reason": "迟到的申诉"})
    assert response.status_code == 400
    assert "申诉期已于2026-11-09 10:00截止" in response.content.decode()
    assert not Appeal.objects.exists()


# API --------------------------------------------------------------------------------------------


def test_the_api_files_and_decides_an_appeal(place: County, published: Period) -> None:
    lead = place.client(place.lead_user)
    item = review_item(published, "化工基地")
    url = f"/api/v1/assessment/items/{item.pk}/appeals"
    response = lead.post(
        url, {"reason": "专班记录齐全", "attachment": SimpleUploadedFile("a.pdf", b"%PDF")}
    )
    assert response.status_code == 201
    body = response.json()
    made = Appeal.objects.get()
    review = ApprovalRequest.objects.get(kind="assessment.appeal")
    assert body == {
        "id": made.pk, "item_id": item.pk, "score_id": item.score_id, "period_id": published.pk,
        "indicator": "工作评价", "subject": "化工基地", "unit_id": place.lead.pk,
        "reason": "专班记录齐全", "has_attachment": True, "state": "pending", "original": "6.0000",
        "value": None, "decision_note": "", "created_at": body["created_at"], "decided_at": None,
        "review_id": review.pk, "total": "79.00", "rank": 3,
    }  # fmt: skip
    assert lead.post(url, {"reason": "再次"}).json()["error"]["code"] == "duplicate_request"
    decide = f"/api/v1/assessment/appeals/{made.pk}/decision"
    office = place.client(place.office_user)
    missing = office.post(
        decide, json.dumps({"decision": "change", "comment": "改"}), content_type="application/json"
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["fields"] == {"value": "改分须填写调整后的分值"}
    own = lead.post(
        decide,
        json.dumps({"decision": "change", "value": "10", "comment": "改"}),
        content_type="application/json",
    )
    assert own.status_code == 403
    done = office.post(
        decide,
        json.dumps({"decision": "change", "value": "8", "comment": "核实后改为8分"}),
        content_type="application/json",
    )
    assert done.status_code == 200
    assert {k: done.json()[k] for k in ("state", "value", "total", "rank", "decision_note")} == {
        "state": "changed", "value": "8.0000", "total": "83.00", "rank": 2,
        "decision_note": "核实后改为8分",
    }  # fmt: skip
    listed = lead.get("/api/v1/assessment/appeals").json()
    assert [(a["id"], a["state"]) for a in listed] == [(made.pk, "changed")]


def test_the_api_refuses_an_appeal_without_a_reason_or_after_the_window(
    place: County, published: Period
) -> None:
    lead = place.client(place.lead_user)
    url = f"/api/v1/assessment/items/{review_item(published, '化工基地').pk}/appeals"
    empty = lead.post(url, {"reason": " "})
    assert empty.status_code == 422
    assert empty.json()["error"]["fields"] == {"reason": "请填写申诉理由"}
    with time_machine.travel(PUBLISHED + dt.timedelta(days=10), tick=False):
        late = place.client(place.lead_user).post(url, {"reason": "迟到"})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "window_closed"
    assert not Appeal.objects.exists()


def test_the_county_settings_page_sets_the_appeal_window(
    place: County, published: Period, make_user: Callable[..., User]
) -> None:
    settings = place.county.county_settings
    assert settings.appeal_days == 7
    admin = make_user(
        place.office,
        DataScope.ALL,
        ["core.change_countysettings", "core.view_countysettings", "core.view_unit"],
    )
    client = place.client(admin)
    url = reverse("core:county_settings_edit", args=[settings.pk])
    page = client.get(url).content.decode()
    assert 'name="appeal_days" value="7"' in page
    # The form as opened (every other setting as it is; the test county has no division code,
    # so its codes are in the plain format), the appeal window changed.
    data = post_form(page, containing="appeal_days").data(appeal_days="61")
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "60" in refused.content.decode()
    settings.refresh_from_db()
    assert settings.appeal_days == 7
    assert client.post(url, {**data, "appeal_days": "10"}).status_code == 302
    settings.refresh_from_db()
    assert (settings.appeal_days, settings.code_format) == (10, "plain")
    item = review_item(published, "化工基地")
    closes = services.appeal_closes(published, services.assessed_unit(item))
    assert closes == PUBLISHED + dt.timedelta(days=10)
