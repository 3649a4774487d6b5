"""The API of the notifications: ``GET /api/v1/notifications`` (a Page of my own) and
``POST /api/v1/notifications/read`` (ids or all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from tests.notifications.conftest import Counties
from yanzhen.core.models import User
from yanzhen.notifications.events import Event
from yanzhen.notifications.models import Notification
from yanzhen.notifications.services import notify

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications"
ZONE = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def inbox(counties: Counties) -> list[Notification]:
    notices = []
    for n in range(3):
        with time_machine.travel(dt.datetime(2026, 11, 27, 9, n, tzinfo=ZONE), tick=False):
            notices += notify(
                event=Event.PROBLEM_ASSIGNED, about=counties.a_town, occasion=str(n),
                title=f"交办问题{n}", body=f"内容{n}", url=f"/supervision/problems/{n}/",
                users=[counties.a_clerk, counties.b_clerk],
            )  # fmt: skip
    return notices


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.usefixtures("inbox")
def test_a_page_of_my_notifications_newest_first(counties: Counties) -> None:
    client = client_of(counties.a_clerk)
    first = Notification.objects.filter(recipient=counties.a_clerk).order_by("pk").first()
    assert first is not None
    response = client.get(URL, {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (3, 1, 2)
    assert body["items"][0] == {
        "id": first.pk + 4,
        "kind": "problem.assigned",
        "kind_label": "问题交办",
        "title": "交办问题2",
        "body": "内容2",
        "url": "/supervision/problems/2/",
        "read": False,
        "created_at": "2026-11-27T01:02:00Z",
    }
    assert [i["title"] for i in client.get(URL, {"page": 2, "page_size": 2}).json()["items"]] == [
        "交办问题0"
    ]


def test_marking_read_by_ids_and_all(counties: Counties, inbox: list[Notification]) -> None:
    client = client_of(counties.a_clerk)
    mine = [n.pk for n in inbox if n.recipient_id == counties.a_clerk.pk]
    others = [n.pk for n in inbox if n.recipient_id != counties.a_clerk.pk]
    response = client.post(
        f"{URL}/read", {"ids": [mine[0], *others]}, content_type="application/json"
    )
    assert response.json() == {"marked": 1, "unread": 2}
    assert Notification.objects.filter(pk__in=others, read_at__isnull=False).count() == 0
    unread = client.get(URL, {"unread": "true"}).json()
    assert [i["title"] for i in unread["items"]] == ["交办问题2", "交办问题1"]
    response = client.post(f"{URL}/read", {"all": True}, content_type="application/json")
    assert response.json() == {"marked": 2, "unread": 0}
    assert client.get(URL).json()["items"][0]["read"] is True


@pytest.mark.usefixtures("inbox")
@pytest.mark.parametrize(
    "body", [{}, {"all": True, "ids": [1]}, {"ids": [0]}, {"ids": [1], "x": 1}]
)
def test_a_bad_request_is_refused_and_nothing_changes(
    counties: Counties, body: dict[str, object]
) -> None:
    response = client_of(counties.a_clerk).post(
        f"{URL}/read", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_anonymous_is_refused(make_user: Callable[..., User]) -> None:
    assert Client().get(URL).status_code == 401
    assert (
        Client().post(f"{URL}/read", {"all": True}, content_type="application/json").status_code
        == 401
    )
