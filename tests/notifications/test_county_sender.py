"""Each county's e-mail goes out from its own sender (``CountySettings.email_sender``); a
county without one keeps the platform's."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tests.notifications.conftest import Counties, work
from yanzhen.core.counties import CountyConfig, county_settings_save
from yanzhen.core.models import CodeFormat, ReviewerChoice, default_stage_rules
from yanzhen.notifications.events import Event
from yanzhen.notifications.services import notify

pytestmark = pytest.mark.django_db
ZONE = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 17, 30, tzinfo=ZONE), tick=False) as t:
        yield t


def test_a_countys_mail_comes_from_its_own_sender(
    counties: Counties, clock: time_machine.Traveller, settings: object
) -> None:
    settings.DEFAULT_FROM_EMAIL = "yanzhen@platform.example.org"  # type: ignore[attr-defined]
    county_settings_save(
        actor=counties.a_office,
        county=counties.a,
        office=None,
        reviewer=ReviewerChoice.OFFICE,
        rules=default_stage_rules(),
        config=CountyConfig(email_sender="hzb@a.example.org", code_format=CodeFormat.PLAIN),
    )
    notify(
        event=Event.REVIEW_DECIDED, about=counties.a_town, occasion="1", title="审核结果",
        body="", url="/reviews/1/", units=[counties.a_town, counties.b_town],
    )  # fmt: skip
    call_command("send_digest", stdout=io.StringIO())
    work()
    assert sorted((m.to[0], m.from_email) for m in mail.outbox) == [
        ("clerk@a.example.org", "hzb@a.example.org"),
        ("clerk@b.example.org", "yanzhen@platform.example.org"),
    ]
