"""Expiry reminders from the worker's daily job (time-machine: 90, 30 and 7 days before, each
once, to the parties and the county office) and the renewal that ends them: a new draft linked
to the old agreement, once."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.jobs.schedule import periodic_jobs
from yanzhen.notifications.models import Notification
from yanzhen.signing.models import Agreement, AgreementState


@pytest.fixture
def signed(demo_db: Demo) -> Agreement:
    return Agreement.objects.get(state=AgreementState.SIGNED)


def _run(day: dt.date) -> str:
    """The daily job as the worker runs it (no --today: the clock says which day it is)."""
    out = io.StringIO()
    moment = dt.datetime(day.year, day.month, day.day, 7, 20, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        call_command("remind_agreements", stdout=out)
    return out.getvalue()


def _sent(agreement: Agreement) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(subject=f"signing.agreement:{agreement.pk}").values_list(
            "recipient__username", "title"
        )
    )


def test_the_worker_runs_the_reminders_daily() -> None:
    [job] = [j for j in periodic_jobs() if j.name == "remind_agreements"]
    assert (job.cron, job.command, job.label) == (
        "20 7 * * *",
        "remind_agreements",
        "协议到期与续签提醒",
    )


def test_reminders_go_once_per_threshold_to_the_parties_and_the_office(signed: Agreement) -> None:
    expires = signed.expires_on
    assert _run(expires - dt.timedelta(days=91)) == "已发送协议到期提醒 0 条\n"
    assert _sent(signed) == []
    first = _run(expires - dt.timedelta(days=90))
    soon = f"协议《{signed.title}》将于{expires}到期，请商议续签"
    recipients = sorted(u for u, _ in _sent(signed))
    assert set(recipients) >= {"enterprise", "office", "reviewer"}  # parties, the office
    assert {t for _, t in _sent(signed)} == {soon}
    assert first == f"已发送协议到期提醒 {len(recipients)} 条\n"
    assert _run(expires - dt.timedelta(days=60)) == "已发送协议到期提醒 0 条\n"
    assert _run(expires - dt.timedelta(days=90)) == "已发送协议到期提醒 0 条\n"  # once
    assert _run(expires - dt.timedelta(days=30)) == first  # the next threshold, once
    assert _run(expires - dt.timedelta(days=29)) == "已发送协议到期提醒 0 条\n"
    assert len(_sent(signed)) == 2 * len(recipients)


def test_a_renewal_is_a_linked_draft_and_ends_the_reminders(
    signed: Agreement, demo_db: Demo
) -> None:
    client = demo_db.client("office")
    detail = reverse("signing:agreement_detail", args=[signed.pk])
    renew = reverse("signing:agreement_renew", args=[signed.pk])
    assert renew in client.get(detail).content.decode()
    form = client.get(renew).content.decode()
    starts = signed.expires_on + dt.timedelta(days=1)
    assert f'value="{starts.isoformat()}"' in form
    bad = client.post(
        renew, {"starts_on": signed.starts_on.isoformat(), "expires_on": "2040-01-01"}
    )
    assert f"续签协议的起始日期须晚于{signed.starts_on}" in bad.content.decode()
    assert not Agreement.objects.filter(renews=signed).exists()
    response = client.post(renew, {"starts_on": starts.isoformat(), "expires_on": "2031-12-31"})
    renewal = Agreement.objects.get(renews=signed)
    assert response.status_code == 302
    assert response["Location"] == reverse("signing:agreement_detail", args=[renewal.pk])
    assert (renewal.state, renewal.kind, renewal.title) == (
        "draft",
        signed.kind,
        f"{signed.title}（续签）",
    )
    assert (renewal.starts_on, renewal.expires_on) == (starts, dt.date(2031, 12, 31))
    assert renewal.cooperation_id == signed.cooperation_id
    assert [(p.unit_id, p.signer_id) for p in renewal.parties.order_by("position")] == [
        (p.unit_id, p.signer_id) for p in signed.parties.order_by("position")
    ]
    assert renewal.versions.get().content == signed.versions.order_by("-number")[0].content
    page = client.get(detail).content.decode()
    assert renewal.code in page
    assert renew not in page  # once
    assert client.get(renew).status_code == 404
    assert (
        renewal.title
        in client.get(reverse("signing:agreement_detail", args=[renewal.pk])).content.decode()
    )
    assert _run(signed.expires_on - dt.timedelta(days=7)) == "已发送协议到期提醒 0 条\n"
    assert _sent(signed) == []


def test_only_a_signed_agreement_in_scope_is_renewed(
    signed: Agreement, demo_db: Demo, make_user: Callable[..., User]
) -> None:
    pending = Agreement.objects.get(state=AgreementState.SIGNING)
    client = demo_db.client("office")
    assert client.get(reverse("signing:agreement_renew", args=[pending.pk])).status_code == 404
    other = unit_create(
        actor=None,
        parent=Unit.objects.get(name="开张镇"),
        name="别的企业",
        kind=UnitKind.ENTERPRISE,
    )
    stranger = make_user(other, DataScope.UNIT, ["signing.view_agreement", "signing.add_agreement"])
    outsider = Client()
    outsider.force_login(stranger)
    url = reverse("signing:agreement_renew", args=[signed.pk])
    assert (
        outsider.post(url, {"starts_on": "2030-01-01", "expires_on": "2031-12-31"}).status_code
        == 404
    )
    leader = demo_db.client("leader")  # sees the register, may not draft
    assert leader.get(url).status_code == 403
    assert (
        url
        not in leader.get(reverse("signing:agreement_detail", args=[signed.pk])).content.decode()
    )
    assert not Agreement.objects.filter(renews__isnull=False).exists()
