"""揭榜挂帅 calls: the lifecycle from the draft to the agreement (the review in the shared
inbox with four eyes, applications with a bounded attachment, scores per criterion never of
the evaluator's own organisation, the seven days' 公示 with objections answered before the
award, the cooperation created in the ledger at 意向 then 签约), each step in the history and
notifying the next actor; the office's list, the API, the demo's call, and refusals that change
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.errors import DomainError
from yanzhen.core.models import ApprovalRequest, Unit, UnitKind, User
from yanzhen.core.services import unit_create, user_create
from yanzhen.notifications.models import Notification
from yanzhen.portal import call_services as services
from yanzhen.portal.models import (
    Call,
    CallApplication,
    CallObjection,
    CallScore,
    OutsideAccount,
    PartyKind,
)
from yanzhen.portal.services import ensure_roles
from yanzhen.reference.models import University

pytestmark = pytest.mark.usefixtures("demo_db")

LOCAL = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 12, 14, 9, 0, tzinfo=LOCAL)  # a Monday
TITLE = "高速动车组牵引电机轴承电蚀防护"
DEMO_TITLE = "低温等离子体印染前处理节水工艺攻关"


def login(user: User) -> Client:
    return Demo(users={"u": user}).client("u")


def outside(username: str, university: str, kind: str, full_name: str) -> User:
    """A portal account of ``university``'s organisation (created outside every county)."""
    entry = University.objects.get(name=university)
    unit = Unit.objects.filter(university=entry, parent__isnull=True).first()
    if unit is None:
        unit = unit_create(
            actor=None, parent=None, name=entry.name, kind=UnitKind.UNIVERSITY,
            university=entry, code=entry.code,
        )  # fmt: skip
    role = ensure_roles()[kind]
    user = user_create(
        username=username, password="x-Unused-Password-1", unit=unit, roles=[role],
        full_name=full_name,
    )  # fmt: skip
    if role.requires_otp:
        TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    OutsideAccount.objects.create(
        user=user, kind=kind, organisation=unit, is_manager=kind == PartyKind.UNIVERSITY
    )
    return user


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def nwpu() -> User:
    return outside("hezuo@nwpu.example.cn", "西北工业大学", PartyKind.UNIVERSITY, "西工大合作处")


@pytest.fixture
def thu_expert() -> User:
    return outside("expert@thu.example.cn", "清华大学", PartyKind.EXPERT, "清华评审专家")


def users(*names: str) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=names)}


def told(call: Call, occasion: str) -> list[str]:
    rows = Notification.objects.filter(kind="call.step", subject=f"portal.call:{call.pk}")
    return sorted(
        n.recipient.username for n in rows.select_related("recipient") if n.occasion == occasion
    )


def _new_call(client: Client, enterprise: Unit, deadline: dt.date) -> Call:
    response = client.post(
        reverse("portal:call_new"),
        {"enterprise": enterprise.pk, "title": TITLE, "problem": "变频供电下轴承电蚀，需绝缘轴承或接地方案。",
         "field": "轨道交通装备", "budget_min": 50, "budget_max": 120,
         "deadline": deadline.isoformat(), "criteria": "技术方案：50\n团队实力：30\n经费预算：20"},
    )  # fmt: skip
    call = Call.objects.get(title=TITLE)
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("portal:call_detail", args=[call.pk]),
    )
    return call


def test_a_call_goes_from_its_draft_to_the_agreement(
    demo_db: Demo, frozen: time_machine.Traveller, nwpu: User, thu_expert: User
) -> None:
    u = users("enterprise", "office", "reviewer", "university", "expert")
    enterprise = u["enterprise"].unit
    assert enterprise is not None
    # The enterprise drafts its call and sends it to the county office.
    call = _new_call(login(u["enterprise"]), enterprise, dt.date(2026, 12, 20))
    assert (call.state, call.county.name, call.criteria) == (
        "draft",
        "永济市",
        [{"name": "技术方案", "max": 50}, {"name": "团队实力", "max": 30},
         {"name": "经费预算", "max": 20}],
    )  # fmt: skip
    sent = login(u["enterprise"]).post(reverse("portal:call_submit", args=[call.pk]))
    assert sent.status_code == 302
    call.refresh_from_db()
    approval = ApprovalRequest.objects.get(kind="portal.call", target_id=call.pk)
    assert (call.state, approval.reviewer_unit.name, approval.state) == (  # type: ignore[union-attr]
        "review",
        "永济市省校合作办公室",
        "requested",
    )
    decided = login(u["office"]).post(
        f"/api/v1/reviews/{approval.pk}", {"decision": "approve"}, content_type="application/json"
    )
    assert decided.status_code == 200
    call.refresh_from_db()
    assert (call.state, call.published_at) == ("published", START)
    assert told(call, "published") == sorted(
        ["expert", "university", "hezuo@nwpu.example.cn", "expert@thu.example.cn"]
    )
    # Universities apply: through the API with an attachment, through the page.
    applied = login(u["university"]).post(
        f"/api/v1/portal/calls/{call.pk}/applications",
        {"proposal": "绝缘轴承+轴接地碳刷组合方案",
         "attachment": SimpleUploadedFile("方案.txt", "技术方案".encode(), "text/plain")},
    )  # fmt: skip
    assert applied.status_code == 201
    body = applied.json()
    xjtu = CallApplication.objects.get(pk=body["id"])
    assert body == {
        "id": xjtu.pk, "call_id": call.pk, "organisation": "西安交通大学",
        "applicant": "西安交通大学科研院合作处", "proposal": "绝缘轴承+轴接地碳刷组合方案",
        "has_attachment": True, "submitted_at": "2026-12-14T01:00:00Z",
    }  # fmt: skip
    again = login(u["expert"]).post(
        f"/api/v1/portal/calls/{call.pk}/applications", {"proposal": "同一机构再次申报"}
    )
    assert (again.status_code, again.json()["error"]["message"]) == (
        409,
        "西安交通大学已申报该榜单（每个机构申报一次）",
    )
    page = login(nwpu).post(reverse("portal:call_apply", args=[call.pk]), {"proposal": "陶瓷涂层"})
    assert page.status_code == 302
    nw = CallApplication.objects.get(call=call, organisation=nwpu.unit)
    assert told(call, f"applied:{nwpu.unit_id}") == ["office", "reviewer"]
    # Closing waits for the deadline; after it no one applies.
    early = login(u["office"]).post(reverse("portal:call_close", args=[call.pk]))
    assert early.status_code == 302
    assert Call.objects.get(pk=call.pk).state == "published"
    frozen.move_to(dt.datetime(2026, 12, 21, 9, 0, tzinfo=LOCAL))
    with pytest.raises(DomainError, match="该榜单不在揭榜期内"):
        services.application_create(
            actor=thu_expert, call=call, proposal="截止后申报", attachment=None
        )
    login(u["office"]).post(reverse("portal:call_close", args=[call.pk]))
    call.refresh_from_db()
    assert call.state == "closed"
    assert told(call, "closed") == sorted(["expert", "university", "hezuo@nwpu.example.cn"])
    # Evaluation: the XJTU expert never scores XJTU's application.
    experts = [u["expert"].pk, thu_expert.pk]
    chosen = login(u["office"]).post(
        reverse("portal:call_evaluate", args=[call.pk]), {"evaluators": experts}
    )
    assert chosen.status_code == 302
    call.refresh_from_db()
    assert (call.state, told(call, "evaluation")) == (
        "evaluation",
        ["expert", "expert@thu.example.cn"],
    )
    own = login(u["expert"]).post(
        reverse("portal:application_score", args=[xjtu.pk]), {"c0": 50, "c1": 30, "c2": 20}
    )
    assert own.status_code == 403
    assert CallScore.objects.filter(application=xjtu).count() == 0
    for user, application, values in (
        (u["expert"], nw, (30, 20, 10)),
        (thu_expert, nw, (40, 25, 15)),
        (thu_expert, xjtu, (45, 28, 18)),
    ):
        response = login(user).post(
            reverse("portal:application_score", args=[application.pk]),
            {"c0": values[0], "c1": values[1], "c2": values[2], "comment": "评审"},
        )
        assert response.status_code == 302, response.content.decode()
    assert told(call, "scored") == ["office", "reviewer"]
    too_high = login(thu_expert).post(
        reverse("portal:application_score", args=[xjtu.pk]), {"c0": 51, "c1": 1, "c2": 1}
    )
    assert too_high.status_code == 200
    assert CallScore.objects.get(application=xjtu).scores == {
        "技术方案": 45, "团队实力": 28, "经费预算": 18
    }  # fmt: skip
    assert [(a.organisation.name, avg, n) for a, avg, n in services.ranking(call)] == [
        ("西安交通大学", 91.0, 1),
        ("西北工业大学", 70.0, 2),
    ]
    # 公示: seven calendar days, the day of publication the first.
    frozen.move_to(dt.datetime(2026, 12, 22, 10, 0, tzinfo=LOCAL))
    login(u["office"]).post(reverse("portal:call_publicise", args=[call.pk]))
    call.refresh_from_db()
    assert (call.state, call.winner, call.publicity_end) == (
        "publicity",
        xjtu,
        dt.datetime(2026, 12, 29, 0, 0, tzinfo=LOCAL),
    )
    assert told(call, "publicity") == sorted(["expert", "university", "hezuo@nwpu.example.cn"])
    objection = login(nwpu).post(
        reverse("portal:objection_new", args=[call.pk]), {"text": "评分过程请说明"}
    )
    assert objection.status_code == 302
    filed = CallObjection.objects.get(call=call)
    assert told(call, f"objection:{filed.pk}") == ["office", "reviewer"]
    frozen.move_to(dt.datetime(2026, 12, 28, 23, 59, tzinfo=LOCAL))
    with pytest.raises(DomainError, match="公示期至2026-12-28，公示期满后才能确定揭榜"):
        services.call_award(actor=u["office"], call=call)
    frozen.move_to(dt.datetime(2026, 12, 29, 0, 0, tzinfo=LOCAL))
    with pytest.raises(DomainError, match="还有1项异议未答复"):
        services.call_award(actor=u["office"], call=call)
    with pytest.raises(DomainError, match="只能在公示期内提出异议"):
        services.objection_create(actor=nwpu, call=call, text="逾期异议")
    answered = login(u["office"]).post(
        reverse("portal:objection_answer", args=[call.pk]),
        {"objection": filed.pk, "answer": "评分按评审指标逐项进行，已复核"},
    )
    assert answered.status_code == 302
    assert told(call, f"answered:{filed.pk}") == ["hezuo@nwpu.example.cn"]
    cooperations = Cooperation.objects.count()
    awarded = login(u["office"]).post(reverse("portal:call_award", args=[call.pk]), {})
    assert awarded.status_code == 302, awarded.content.decode()
    call.refresh_from_db()
    cooperation = call.cooperation
    assert cooperation is not None
    assert Cooperation.objects.count() == cooperations + 1
    assert (
        call.state, cooperation.title, cooperation.stage, cooperation.intention_date,
        [p.name for p in cooperation.parties.all()],
        [x.name for x in cooperation.universities.all()], cooperation.online,
        cooperation.approved,
    ) == (
        "awarded", TITLE, "intention", dt.date(2026, 12, 29), ["中车永济电机有限公司"],
        ["西安交通大学"], True, True,
    )  # fmt: skip
    assert "enterprise" in told(call, "awarded")
    signed = login(u["office"]).post(
        reverse("portal:call_agreement", args=[call.pk]), {"date": "2026-12-29"}
    )
    assert signed.status_code == 302
    call.refresh_from_db()
    cooperation.refresh_from_db()
    assert (call.state, cooperation.stage, cooperation.agreement_date) == (
        "agreement",
        "agreement",
        dt.date(2026, 12, 29),
    )
    states = [h.state for h in call.history.order_by("history_date", "history_id")]
    assert states == [
        "draft", "review", "published", "closed", "evaluation", "publicity", "awarded",
        "agreement",
    ]  # fmt: skip
    assert call.history.filter(state="published").get().history_user == u["office"]


def test_the_office_s_own_call_needs_a_second_person_of_the_office(
    demo_db: Demo, frozen: time_machine.Traveller
) -> None:
    u = users("office", "reviewer")
    textile = Unit.objects.get(name="永济纺织印染示范企业（演示）")
    call = _new_call(login(u["office"]), textile, dt.date(2026, 12, 31))
    services.call_submit(actor=u["office"], call=call)
    approval = ApprovalRequest.objects.get(kind="portal.call", target_id=call.pk)
    own = login(u["office"]).post(
        f"/api/v1/reviews/{approval.pk}", {"decision": "approve"}, content_type="application/json"
    )
    assert (own.status_code, own.json()["error"]["code"]) == (403, "self_approval")
    assert Call.objects.get(pk=call.pk).state == "review"
    returned = login(u["reviewer"]).post(
        f"/api/v1/reviews/{approval.pk}",
        {"decision": "return", "comment": "悬赏金额请再核"},
        content_type="application/json",
    )
    assert returned.status_code == 200
    assert Call.objects.get(pk=call.pk).state == "draft"


def test_outside_parties_are_refused_the_office_s_steps_and_nothing_changes(
    demo_db: Demo, frozen: time_machine.Traveller
) -> None:
    call = Call.objects.get(title=DEMO_TITLE)
    before = (call.state, call.closed_at, list(call.evaluators.all()))
    for name in ("university", "expert", "enterprise"):
        client = login(demo_db.users[name])
        assert client.get(reverse("portal:call_list")).status_code == 403, name
        for step in ("call_evaluate", "call_award", "call_agreement", "objection_answer"):
            response = client.post(reverse(f"portal:{step}", args=[call.pk]), {})
            assert response.status_code == 403, (name, step)
        assert client.post(reverse("portal:call_close", args=[call.pk])).status_code == 403
    other = Call.objects.get(pk=call.pk)
    assert (other.state, other.closed_at, list(other.evaluators.all())) == before
    # The enterprise's user drafts only for its own enterprise.
    textile = Unit.objects.get(name="永济纺织印染示范企业（演示）")
    with pytest.raises(DomainError, match="只有本企业或本县合作办可以发布该企业的揭榜挂帅"):
        services.call_create(
            actor=demo_db.users["enterprise"],
            data=services.CallData(
                enterprise=textile, title="越权", problem="越权", field="纺织", budget_min=1,
                budget_max=2, deadline=dt.date(2027, 1, 31),
            ),
        )  # fmt: skip
    assert Call.objects.filter(title="越权").count() == 0


def test_an_evaluator_of_the_applicant_s_organisation_is_refused(
    demo_db: Demo, frozen: time_machine.Traveller
) -> None:
    call = Call.objects.get(title=DEMO_TITLE)
    application = call.applications.get()
    Call.objects.filter(pk=call.pk).update(state="evaluation")
    call.evaluators.set([demo_db.users["expert"]])
    with pytest.raises(DomainError, match="不能评审本机构的申报") as error:
        services.score_set(
            actor=demo_db.users["expert"],
            application=application,
            scores={"技术方案": 40, "团队实力": 30, "经费预算": 15, "进度安排": 15},
        )
    assert error.value.status == 403
    assert CallScore.objects.count() == 0


def test_a_bad_upload_is_refused_naming_the_field(
    demo_db: Demo, frozen: time_machine.Traveller
) -> None:
    call = Call.objects.get(title=DEMO_TITLE)
    client = login(outside("apply@nwpu.example.cn", "西北工业大学", "university", "西工大"))
    with override_settings(YANZHEN_UPLOAD_MAX_BYTES=10):
        response = client.post(
            reverse("portal:call_apply", args=[call.pk]),
            {"proposal": "方案", "attachment": SimpleUploadedFile("big.txt", b"x" * 11)},
        )
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert call.applications.count() == 1
    empty = client.post(f"/api/v1/portal/calls/{call.pk}/applications", {"proposal": " "})
    assert (empty.status_code, empty.json()["error"]["fields"]) == (
        422,
        {"proposal": "揭榜方案不能为空"},
    )


def test_the_demo_call_is_published_with_an_application_of_xjtu(demo_db: Demo) -> None:
    call = Call.objects.get(title=DEMO_TITLE)
    application = call.applications.get()
    assert (call.state, call.enterprise.name, call.field, call.budget_min, call.budget_max) == (
        "published",
        "永济纺织印染示范企业（演示）",
        "纺织印染",
        100,
        200,
    )
    assert (application.organisation.name, application.applicant.username) == (
        "西安交通大学",
        "university",
    )
    assert str(application.attachment.name).endswith(".txt")
    assert Cooperation.objects.filter(title=DEMO_TITLE).count() == 0
    approval = ApprovalRequest.objects.get(kind="portal.call", target_id=call.pk)
    assert (approval.requester.username, approval.approver.username) == ("office", "reviewer")  # type: ignore[union-attr]


def test_the_hall_the_api_and_the_office_s_list_show_the_call(demo_db: Demo) -> None:
    call = Call.objects.get(title=DEMO_TITLE)
    hall = login(demo_db.users["expert"]).get(reverse("portal:need_hall"))
    assert "揭榜挂帅（1）" in hall.content.decode()
    assert DEMO_TITLE in hall.content.decode()
    listed = login(demo_db.users["expert"]).get("/api/v1/portal/calls")
    assert listed.status_code == 200
    assert [(i["title"], i["state"], i["enterprise"]) for i in listed.json()["items"]] == [
        (DEMO_TITLE, "published", "永济纺织印染示范企业（演示）")
    ]
    detail = login(demo_db.users["expert"]).get(f"/api/v1/portal/calls/{call.pk}").json()
    assert [a["organisation"] for a in detail["applications"]] == ["西安交通大学"]
    assert [c["name"] for c in detail["criteria"]] == [
        "技术方案",
        "团队实力",
        "经费预算",
        "进度安排",
    ]
    # Another university sees the call, not XJTU's application.
    nwpu = login(outside("x@nwpu.example.cn", "西北工业大学", "university", "西工大"))
    assert nwpu.get(f"/api/v1/portal/calls/{call.pk}").json()["applications"] == []
    application = call.applications.get()
    assert (
        nwpu.get(reverse("portal:application_download", args=[application.pk])).status_code == 404
    )
    office = login(demo_db.users["office"])
    page = office.get(reverse("portal:call_list"), {"state": "published"})
    assert DEMO_TITLE in page.content.decode()
    assert (
        DEMO_TITLE
        not in office.get(reverse("portal:call_list"), {"state": "draft"}).content.decode()
    )
    exported = office.get(reverse("portal:call_list"), {"export": "csv"})
    assert exported.status_code == 200
    assert DEMO_TITLE in exported.content.decode("utf-8-sig")
    schema = office.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/portal/calls", "/api/v1/portal/calls/{call_id}",
            "/api/v1/portal/calls/{call_id}/applications"} <= set(schema)  # fmt: skip


def test_the_award_links_an_existing_cooperation_instead_of_creating_one(
    demo_db: Demo, frozen: time_machine.Traveller
) -> None:
    office = demo_db.users["office"]
    crrc = Unit.objects.get(name="中车永济电机有限公司")
    call = Call.objects.create(
        county=Unit.objects.get(name="永济市"), enterprise=crrc, title=TITLE, problem="轴承电蚀",
        field="轨道交通装备", budget_min=50, budget_max=120, deadline=dt.date(2026, 12, 1),
        state="publicity", publicity_end=START, created_by=office,
    )  # fmt: skip
    xjtu = Unit.objects.get(name="西安交通大学", parent__isnull=True)
    winner = CallApplication.objects.create(
        call=call, organisation=xjtu, applicant=demo_db.users["university"], proposal="方案"
    )
    Call.objects.filter(pk=call.pk).update(winner=winner)
    existing = Cooperation.objects.get(code="HZ2021000001")
    assert [c.code for c in services.linkable_cooperations(Call.objects.get(pk=call.pk))] == [
        "HZ2021000001",
        "YJ-SB-2022-001",
    ]
    other = Cooperation.objects.exclude(parties=crrc).order_by("pk").first()
    assert other is not None
    with pytest.raises(DomainError, match="所选合作不是该企业与揭榜高校的合作"):
        services.call_award(actor=office, call=call, cooperation=other)
    count, stage = Cooperation.objects.count(), existing.stage
    services.call_award(actor=office, call=call, cooperation=existing)
    services.call_agreement(actor=office, call=call, date=dt.date(2026, 12, 14))
    call.refresh_from_db()
    existing.refresh_from_db()
    assert (call.state, call.cooperation, Cooperation.objects.count(), existing.stage) == (
        "agreement",
        existing,
        count,
        stage,
    )
