"""Matchmaking on the portal: an expression of interest opens a negotiation thread between an
enterprise and a university (or its expert); the two parties write messages (with a bounded
attachment) and move its status, the other side is told of each message, the county office of
the enterprise reads the thread and turns an agreed one into a cooperation of its ledger. Each
party sees its own organisation's threads only; another county sees none; refused writes change
nothing; every step is in the security log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.audit.models import SecurityEvent
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import DataScope, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.notifications.models import Notification
from yanzhen.portal.models import Result, TechNeed, Thread, ThreadMessage, ThreadStatus

pytestmark = pytest.mark.usefixtures("demo_db")

NEED_A = "牵引电机绝缘系统耐电晕寿命提升"
NEED_B = "永磁同步电机高温退磁在线监测"
RESULT_B = "永磁电机无传感器温度估计算法"
DRAFT = "轻量化铝合金铸件缺陷控制工艺"
API = "/api/v1/portal/threads"


def _thread() -> Thread:
    return Thread.objects.get(need__title=NEED_A)


def _state(thread: Thread) -> tuple[str, int, int | None, int]:
    thread.refresh_from_db()
    return thread.status, thread.messages_count, thread.cooperation_id, thread.messages.count()


def _portal_log(since: int) -> list[tuple[str, dict[str, object]]]:
    rows = SecurityEvent.objects.filter(pk__gt=since, kind="portal").order_by("pk")
    return [(e.username, e.detail) for e in rows]


def _last_event() -> int:
    return SecurityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def stranger(make_user: Callable[..., User]) -> Client:
    """A user of another county holding every permission of the portal and the ledger."""
    county = unit_create(actor=None, parent=None, name="临猗县", kind=UnitKind.COUNTY)
    perms = ["portal.review_registration", "portal.access_portal", "portal.view_thread",
             "cooperation.add_cooperation", "cooperation.view_cooperation"]  # fmt: skip
    client = Client()
    client.force_login(make_user(county, DataScope.UNIT_AND_BELOW, perms))
    return client


def test_the_demo_thread_is_seen_by_both_parties_and_the_office(demo_db: Demo) -> None:
    thread = _thread()
    expected = {
        "id": thread.pk, "subject": NEED_A, "source": "need", "need_id": thread.need_id,
        "result_id": None, "enterprise": "中车永济电机有限公司", "organisation": "西安交通大学",
        "status": "agreed", "status_label": "已达成意向", "messages_count": 4,
        "cooperation_code": None,
    }  # fmt: skip
    for user in ("university", "expert", "enterprise", "office", "leader"):
        response = demo_db.client(user).get(API)
        assert response.status_code == 200, user
        body = response.json()
        items = [{k: v for k, v in i.items() if not k.endswith("_at")} for i in body["items"]]
        assert (body["count"], items) == (1, [expected]), user
        when = dt.datetime.fromisoformat(body["items"][0]["last_message_at"])
        assert abs(when - thread.last_message_at) < dt.timedelta(milliseconds=1)
    detail = demo_db.client("enterprise").get(f"{API}/{thread.pk}").json()
    assert [(m["side"], m["author"], m["attachment_name"]) for m in detail["messages"]] == [
        ("西安交通大学", "西安交通大学科研院合作处", ""),
        ("中车永济电机有限公司", demo_db.users["enterprise"].full_name, ""),
        ("西安交通大学", "西安交通大学科研院合作处", ""),
        ("中车永济电机有限公司", demo_db.users["enterprise"].full_name, "试验条件说明.txt"),
    ]
    last = ThreadMessage.objects.filter(thread=thread).order_by("pk").last()
    assert last is not None
    assert detail["messages"][3]["attachment_url"] == reverse(
        "portal:message_attachment", args=[last.pk]
    )


def test_each_message_told_the_other_side_only(demo_db: Demo) -> None:
    thread = _thread()
    told = Notification.objects.filter(kind="thread.message", subject=f"portal.thread:{thread.pk}")
    rows = sorted(told.values_list("occasion", "recipient__username"))
    messages = list(thread.messages.order_by("pk").values_list("pk", flat=True))
    enterprise_side = sorted(
        User.objects.filter(unit__name="中车永济电机有限公司", is_active=True)
        .exclude(roles__kind__in=("sysadmin", "secadmin", "auditor"))
        .values_list("username", flat=True)
        .distinct()
    )
    expected = []
    for number, pk in enumerate(messages):
        names = ["expert", "university"] if number % 2 else enterprise_side
        expected += [(f"message:{pk}", name) for name in names]
    assert rows == sorted(expected)


def test_an_expert_expresses_interest_and_the_enterprise_is_told(demo_db: Demo) -> None:
    need = TechNeed.objects.get(title=NEED_B)
    since = _last_event()
    client = demo_db.client("expert")
    response = client.post(
        API, {"need_id": need.pk, "message": "我们在永磁体温度估计方面有成果，愿意合作。"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("subject", "source", "enterprise", "organisation", "status",
                                 "messages_count")} == {
        "subject": NEED_B, "source": "need", "enterprise": "中车永济电机有限公司",
        "organisation": "西安交通大学", "status": "open", "messages_count": 1,
    }  # fmt: skip
    told = Notification.objects.filter(kind="thread.message", subject=f"portal.thread:{body['id']}")
    recipients = set(told.values_list("recipient__username", flat=True))
    assert "enterprise" in recipients
    assert recipients.isdisjoint({"expert", "university", "office"})
    assert _portal_log(since) == [
        ("expert", {"action": "interest", "record": f"portal.thread:{body['id']}",
                    "source": f"portal.techneed:{need.pk}"}),
    ]  # fmt: skip
    again = client.post(
        API, {"need_id": need.pk, "message": "再次"}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "本单位已对该技术难题表达过意向，请在原洽谈中继续"
    assert Thread.objects.filter(need=need).count() == 1


def test_an_enterprise_expresses_interest_in_a_result_on_its_page(demo_db: Demo) -> None:
    result = Result.objects.get(title=RESULT_B)
    client = demo_db.client("enterprise")
    page = client.get(reverse("portal:result_detail", args=[result.pk])).content.decode()
    assert "表达合作意向" in page
    response = client.post(
        reverse("portal:result_interest", args=[result.pk]),
        {"body": "希望了解该算法在牵引电机上的应用条件。"},
    )
    thread = Thread.objects.get(result=result)
    assert response["Location"] == reverse("portal:thread_detail", args=[thread.pk])
    assert (thread.enterprise.name, thread.organisation.name, thread.status) == (
        "中车永济电机有限公司",
        "西安交通大学",
        "open",
    )
    told = Notification.objects.filter(kind="thread.message", subject=f"portal.thread:{thread.pk}")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["expert", "university"]
    page = client.get(reverse("portal:result_detail", args=[result.pk])).content.decode()
    assert "表达合作意向" not in page
    assert "查看本单位的对接洽谈" in page


def test_the_wrong_side_cannot_express_interest_and_nothing_is_made(demo_db: Demo) -> None:
    need = TechNeed.objects.get(title=NEED_B)
    result = Result.objects.get(title=RESULT_B)
    draft = Result.objects.get(title=DRAFT)
    before = Thread.objects.count(), ThreadMessage.objects.count()
    answers = [
        demo_db.client("enterprise").post(
            API, {"need_id": need.pk, "message": "越权"}, content_type="application/json"
        ),
        demo_db.client("university").post(
            API, {"result_id": result.pk, "message": "越权"}, content_type="application/json"
        ),
        demo_db.client("office").post(
            API, {"need_id": need.pk, "message": "越权"}, content_type="application/json"
        ),
        demo_db.client("enterprise").post(
            API, {"result_id": draft.pk, "message": "草稿"}, content_type="application/json"
        ),
        demo_db.client("university").post(
            API, {"need_id": need.pk, "result_id": result.pk, "message": "两项"},
            content_type="application/json",
        ),
        demo_db.client("university").post(
            API, {"need_id": need.pk, "message": ""}, content_type="application/json"
        ),
        demo_db.client("leader").post(reverse("portal:need_interest", args=[need.pk]),
                                      {"body": "越权"}),
    ]  # fmt: skip
    assert [a.status_code for a in answers] == [403, 403, 403, 404, 422, 422, 403]
    assert answers[4].json()["error"]["fields"] == {
        "need_id": "请填写技术难题编号（need_id）或科技成果编号（result_id）中的一项"
    }
    assert (Thread.objects.count(), ThreadMessage.objects.count()) == before


def test_another_county_sees_no_thread_and_changes_nothing(demo_db: Demo, stranger: Client) -> None:
    thread = _thread()
    before = _state(thread)
    assert stranger.get(API).json()["count"] == 0
    page = stranger.get(reverse("portal:thread_list"))
    assert page.status_code == 200
    assert NEED_A not in page.content.decode()
    attachment = ThreadMessage.objects.exclude(attachment="").get(thread=thread)
    answers = [
        stranger.get(f"{API}/{thread.pk}").status_code,
        stranger.post(f"{API}/{thread.pk}/messages", {"body": "越权"},
                      content_type="application/json").status_code,
        stranger.post(f"{API}/{thread.pk}/status", {"status": "closed"},
                      content_type="application/json").status_code,
        stranger.post(f"{API}/{thread.pk}/cooperation",
                      {"title": "越权", "kind": "research", "intention_date": "2021-12-01"},
                      content_type="application/json").status_code,
        stranger.get(reverse("portal:thread_detail", args=[thread.pk])).status_code,
        stranger.get(reverse("portal:message_attachment", args=[attachment.pk])).status_code,
        stranger.get(reverse("portal:thread_cooperation", args=[thread.pk])).status_code,
    ]  # fmt: skip
    assert answers == [404] * 7
    assert _state(thread) == before


def test_the_office_reads_but_does_not_negotiate(demo_db: Demo) -> None:
    thread = _thread()
    before = _state(thread)
    office = demo_db.client("office")
    page = office.get(reverse("portal:thread_detail", args=[thread.pk])).content.decode()
    assert "加速老化试验约需三个月" in page
    assert "发送留言" not in page
    assert "转为合作（意向）" in page
    answers = [
        office.post(f"{API}/{thread.pk}/messages", {"body": "插话"},
                    content_type="application/json").status_code,
        office.post(f"{API}/{thread.pk}/status", {"status": "closed"},
                    content_type="application/json").status_code,
        office.post(reverse("portal:thread_detail", args=[thread.pk]), {"body": "插话"}).status_code,
        office.post(reverse("portal:thread_move", args=[thread.pk]), {"status": "closed"}).status_code,
    ]  # fmt: skip
    assert answers == [403] * 4
    assert _state(thread) == before


def test_messages_carry_a_bounded_attachment_that_the_other_side_downloads(
    demo_db: Demo,
) -> None:
    thread = _thread()
    university = demo_db.client("university")
    detail = reverse("portal:thread_detail", args=[thread.pk])
    sent = university.post(
        detail,
        {"body": "附上试验方案。", "attachment": SimpleUploadedFile("试验方案.txt", "第一阶段：样机绝缘测试".encode())},
    )  # fmt: skip
    assert sent["Location"] == detail
    message = thread.messages.order_by("pk").last()
    assert message is not None
    assert (message.body, message.attachment_name, message.side.name) == (
        "附上试验方案。",
        "试验方案.txt",
        "西安交通大学",
    )
    download = demo_db.client("enterprise").get(
        reverse("portal:message_attachment", args=[message.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "第一阶段：样机绝缘测试"  # type: ignore[attr-defined]
    before = _state(thread)
    with override_settings(YANZHEN_UPLOAD_MAX_BYTES=10):
        refused = university.post(
            detail, {"body": "太大", "attachment": SimpleUploadedFile("大.txt", b"x" * 11)}
        )
    assert refused.status_code == 200
    assert "文件过大：上限 9.53674e-06 MB" in refused.content.decode()
    assert _state(thread) == before
    empty = university.post(f"{API}/{thread.pk}/messages", {"body": "  "},
                            content_type="application/json")  # fmt: skip
    assert (empty.status_code, empty.json()["error"]["fields"]) == (422, {"body": "留言不能为空"})
    assert _state(thread) == before


def test_the_parties_move_the_status_and_each_move_is_logged(demo_db: Demo) -> None:
    thread = _thread()
    since = _last_event()
    enterprise = demo_db.client("enterprise")
    reopened = enterprise.post(f"{API}/{thread.pk}/status", {"status": "open"},
                               content_type="application/json")  # fmt: skip
    assert (reopened.status_code, reopened.json()["status"]) == (200, "open")
    closed = demo_db.client("expert").post(
        reverse("portal:thread_move", args=[thread.pk]), {"status": "closed"}
    )
    assert closed.status_code == 302
    assert _state(thread)[0] == ThreadStatus.CLOSED
    wrong = enterprise.post(f"{API}/{thread.pk}/status", {"status": "agreed"},
                            content_type="application/json")  # fmt: skip
    assert wrong.status_code == 409
    assert wrong.json()["error"]["message"] == "“已关闭”的洽谈不能变更为“已达成意向”"
    silent = enterprise.post(f"{API}/{thread.pk}/messages", {"body": "还在吗"},
                             content_type="application/json")  # fmt: skip
    assert (silent.status_code, silent.json()["error"]["message"]) == (409, "洽谈已关闭，不能留言")
    record = f"portal.thread:{thread.pk}"
    assert _portal_log(since) == [
        ("enterprise", {"action": "status", "record": record, "before": "agreed", "after": "open"}),
        ("expert", {"action": "status", "record": record, "before": "open", "after": "closed"}),
    ]
    assert _state(thread)[:2] == (ThreadStatus.CLOSED, 4)


def test_the_office_turns_an_agreed_thread_into_a_cooperation(demo_db: Demo) -> None:
    thread = _thread()
    since = _last_event()
    refused = demo_db.client("enterprise").post(
        f"{API}/{thread.pk}/cooperation",
        {"title": "越权", "kind": "research", "intention_date": "2021-12-01"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    office = demo_db.client("office")
    form = office.get(reverse("portal:thread_cooperation", args=[thread.pk]))
    assert form.status_code == 200
    assert NEED_A in form.content.decode()
    done = office.post(
        reverse("portal:thread_cooperation", args=[thread.pk]),
        {"title": "牵引电机绝缘耐电晕联合攻关", "kind": "research", "intention_date": "2021-12-01"},
    )
    assert done["Location"] == reverse("portal:thread_detail", args=[thread.pk])
    thread.refresh_from_db()
    cooperation = thread.cooperation
    assert cooperation is not None
    assert (
        cooperation.title, cooperation.stage, cooperation.owner_unit.name,
        [u.name for u in cooperation.parties.all()],
        [u.name for u in cooperation.universities.all()],
        cooperation.channel, cooperation.kind, str(cooperation.intention_date),
        cooperation.online, cooperation.approved,
    ) == (
        "牵引电机绝缘耐电晕联合攻关", "intention", "中车永济电机有限公司", ["中车永济电机有限公司"],
        ["西安交通大学"], "find", "research", "2021-12-01", True, True,
    )  # fmt: skip
    assert _portal_log(since) == [
        ("office", {"action": "cooperation", "record": f"portal.thread:{thread.pk}",
                    "cooperation": cooperation.code}),
    ]  # fmt: skip
    listed = demo_db.client("university").get(API).json()["items"][0]
    assert listed["cooperation_code"] == cooperation.code
    again = office.post(
        f"{API}/{thread.pk}/cooperation",
        {"title": "再来一次", "kind": "research", "intention_date": "2021-12-01"},
        content_type="application/json",
    )
    assert (again.status_code, again.json()["error"]["message"]) == (409, "该洽谈已转入合作台账")
    frozen = demo_db.client("university").post(
        f"{API}/{thread.pk}/status", {"status": "closed"}, content_type="application/json"
    )
    assert frozen.status_code == 409
    assert Cooperation.objects.filter(title="再来一次").count() == 0
    assert _state(thread)[0] == ThreadStatus.AGREED


def test_only_an_agreed_thread_becomes_a_cooperation(demo_db: Demo) -> None:
    thread = _thread()
    demo_db.client("university").post(
        f"{API}/{thread.pk}/status", {"status": "open"}, content_type="application/json"
    )
    count = Cooperation.objects.count()
    office = demo_db.client("office")
    assert office.get(reverse("portal:thread_cooperation", args=[thread.pk])).status_code == 403
    response = office.post(
        f"{API}/{thread.pk}/cooperation",
        {"title": "尚未达成", "kind": "research", "intention_date": "2021-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "只有已达成意向的洽谈可以转为合作"
    assert Cooperation.objects.count() == count


def test_the_thread_list_filters_and_exports(demo_db: Demo) -> None:
    office = demo_db.client("office")
    assert office.get(API, {"status": "closed"}).json()["count"] == 0
    assert office.get(API, {"status": "agreed", "source": "need"}).json()["count"] == 1
    assert office.get(API, {"status": "nope"}).status_code == 422
    page = office.get(reverse("portal:thread_list"), {"q": "绝缘"}).content.decode()
    assert NEED_A in page
    export = office.get(reverse("portal:thread_list"), {"export": "csv"})
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[-1].split(",")[:6] == [
        NEED_A,
        "技术难题",
        "中车永济电机有限公司",
        "西安交通大学",
        "已达成意向",
        "4",
    ]
    outside = demo_db.client("university").get(reverse("portal:thread_list")).content.decode()
    assert "雁阵 · 对接门户" in outside  # the portal's frame, with no link into the intranet
    assert reverse("reports:search") not in outside
