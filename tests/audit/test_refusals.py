"""Refusals (403) cannot flood the security log: the first of an account on one kind of page
in a five-minute window is written, the others are counted and written as one row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from yanzhen.audit.models import DeniedWindow, SecurityEvent
from yanzhen.audit.services import verify_chain
from yanzhen.core.models import User

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)  # 10:00 in Yongji


def refusals() -> list[tuple[str, str, dict[str, object]]]:
    rows = SecurityEvent.objects.filter(kind="permission_denied").order_by("pk")
    return [(e.username, e.path, e.detail) for e in rows]


def test_a_flood_of_refusals_is_one_row_and_a_count(clerk: User) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.force_login(clerk)
    units = reverse("core:unit_list")
    with time_machine.travel(START, tick=False) as clock:
        for n in range(50):
            clock.move_to(START + dt.timedelta(seconds=n))
            assert client.get(units).status_code == 403
        assert client.get(reverse("audit:event_list")).status_code == 403  # another page
        assert refusals() == [
            ("zhangwei", "/units/", {"method": "GET", "route": "/units/"}),
            ("zhangwei", "/audit/events/", {"method": "GET", "route": "/audit/events/"}),
        ]
        clock.move_to(START + dt.timedelta(minutes=6))
        assert client.get(units).status_code == 403  # the next window: the count is written
    assert refusals()[2:] == [
        ("zhangwei", "/units/", {
            "route": "/units/", "more_refusals": 49,
            "from": "2026-11-27T10:00:00+08:00", "to": "2026-11-27T10:00:49+08:00",
            "note": "另有 49 次越权访问被拒绝（2026-11-27T10:00:00+08:00 至 2026-11-27T10:00:49+08:00，合并记录）",
        }),
        ("zhangwei", "/units/", {"method": "GET", "route": "/units/"}),
    ]  # fmt: skip
    aggregated = SecurityEvent.objects.filter(kind="permission_denied").order_by("pk")[2]
    assert (aggregated.ip, aggregated.unit) == ("10.1.2.3", "开张镇")
    assert verify_chain().ok


def test_an_ended_window_is_written_by_the_checkpoint_command(clerk: User) -> None:
    client = Client()
    client.force_login(clerk)
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            client.get(reverse("core:unit_list"))
        assert len(refusals()) == 1
        clock.move_to(START + dt.timedelta(minutes=4))
        call_command("checkpoint_audit", stdout=io.StringIO())
        assert len(refusals()) == 1  # the window has not ended yet
        clock.move_to(START + dt.timedelta(minutes=5))
        call_command("checkpoint_audit", stdout=io.StringIO())
    assert [d.get("more_refusals") for _, _, d in refusals()] == [None, 2]
    assert DeniedWindow.objects.count() == 0


def test_signed_out_refusals_are_counted_by_address(db: None) -> None:
    client = Client(REMOTE_ADDR="10.9.9.9", enforce_csrf_checks=True)
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            assert client.post(reverse("core:login"), {"username": "x"}).status_code == 403
    assert [(e.username, e.ip, e.path) for e in SecurityEvent.objects.order_by("pk")] == [
        ("", "10.9.9.9", "/login/")
    ]
    assert DeniedWindow.objects.get().suppressed == 4
