"""The security log: events of every kind, an append-only hash chain, retention."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import GOOD
from tests.audit.tamper import drop_guards
from yanzhen.audit.models import ChainHead, SecurityEvent
from yanzhen.audit.services import purge, record, verify_chain
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User

pytestmark = pytest.mark.django_db


def test_logins_failures_logouts_and_denials_are_logged(clerk: User) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post(reverse("core:login"), {"username": "zhangwei", "password": "Wrong-Pass-99!"})
    client.post(reverse("core:login"), {"username": "zhangwei", "password": GOOD})
    client.get(reverse("core:unit_list"))  # no permission
    client.post(reverse("core:logout"))
    events = list(
        SecurityEvent.objects.order_by("id").values_list("kind", "username", "ip", "path")
    )
    assert events == [
        ("login_failed", "zhangwei", "10.1.2.3", "/login/"),
        ("login", "zhangwei", "10.1.2.3", "/login/"),
        ("permission_denied", "zhangwei", "10.1.2.3", "/units/"),
        ("logout", "zhangwei", "10.1.2.3", "/logout/"),
    ]
    login = SecurityEvent.objects.get(kind="login")
    assert login.unit == "开张镇"
    assert login.created_at.tzinfo is not None


def test_the_chain_verifies_and_names_an_edited_row(db: None) -> None:
    for n in range(6):
        record("export", username=f"u{n}", detail={"rows": n})
    call_command("verify_audit")
    assert verify_chain().message == (
        "审计日志完整：安全日志 6 条、个人信息访问日志 0 条、导出记录 0 条，检查点 1 个"
    )
    ids = list(SecurityEvent.objects.order_by("id").values_list("id", flat=True))
    drop_guards()
    SecurityEvent.objects.filter(pk=ids[2]).update(detail={"rows": 999})
    report = verify_chain()
    assert report.first_broken_id == ids[2]
    assert report.message == f"安全日志校验失败：编号 {ids[2]} 的记录内容被修改"
    with pytest.raises(CommandError, match=f"编号 {ids[2]} 的记录内容被修改"):
        call_command("verify_audit")


def test_a_deleted_row_is_found(db: None) -> None:
    for n in range(4):
        record("export", username=f"u{n}")
    ids = list(SecurityEvent.objects.order_by("id").values_list("id", flat=True))
    drop_guards()
    SecurityEvent.objects.filter(pk=ids[1]).delete()
    report = verify_chain()
    assert report.first_broken_id == ids[2]
    assert report.message == (
        f"安全日志校验失败：编号 {ids[2]} 的记录与前一条不衔接：前一条被修改或删除"
    )


def test_an_edited_last_row_is_found(db: None) -> None:
    for n in range(3):
        record("export", username=f"u{n}")
    last = SecurityEvent.objects.order_by("id").last()
    assert last is not None
    drop_guards()
    SecurityEvent.objects.filter(pk=last.pk).update(username="changed")
    assert verify_chain().message == f"安全日志校验失败：编号 {last.pk} 的记录内容被修改"


def test_the_database_refuses_to_change_or_delete_young_events(db: None) -> None:
    event = record("export", username="u")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).delete()
    assert SecurityEvent.objects.get(pk=event.pk).username == "u"


def test_purge_keeps_everything_younger_than_the_retention(db: None) -> None:
    times = [dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
             dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 1, tzinfo=dt.UTC)]  # fmt: skip
    for when in times:
        with time_machine.travel(when, tick=False):
            record("export", username=when.isoformat())
    with pytest.raises(DomainError, match="安全日志至少保留 184 天"):
        purge(days=100)
    with time_machine.travel(dt.datetime(2026, 11, 27, tzinfo=dt.UTC), tick=False):
        assert purge() == 2  # default 365 days: 2024-01 and 2025-02 go
    kept = list(SecurityEvent.objects.order_by("id").values_list("username", flat=True))
    assert kept == ["2026-01-01T00:00:00+00:00", "2026-11-01T00:00:00+00:00", "system"]
    assert verify_chain().ok
    assert ChainHead.objects.get(chain="security").purged_through > 0
