"""Each user's choices: which kinds also come by e-mail and to the group robot, and the daily
digest (in the platform every notification always comes)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.notifications.conftest import Counties
from yanzhen.notifications.events import DEFAULTS, Event
from yanzhen.notifications.models import Preference

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_defaults_and_saves_the_choices(counties: Counties) -> None:
    client = Client()
    client.force_login(counties.a_clerk)
    url = reverse("notifications:preferences")
    page = client.get(url)
    form = page.context["form"]
    assert form["email_problem_assigned"].value() is True
    assert form["robot_talent_reminder"].value() is False
    assert form["digest"].value() is True
    assert "消息发送失败" not in page.content.decode()  # the administrator's only
    data = {f"email_{k.replace('.', '_')}": "on" for k in Event.values}
    data.pop("email_escalation")
    data["robot_round_opened"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    saved = {p.kind: (p.email, p.robot) for p in Preference.objects.filter(user=counties.a_clerk)}
    assert saved["escalation"] == (False, False)
    assert saved["round.opened"] == (True, True)
    assert saved["digest"] == (False, False)
    assert "delivery.failed" not in saved
    assert len(saved) == len(Event.values)  # every kind shown, and the digest


def test_every_kind_has_defaults() -> None:
    assert set(DEFAULTS) == set(Event.values)
