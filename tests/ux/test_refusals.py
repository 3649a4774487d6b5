"""A user is never shown a link or button that refuses them (the four cases of issue 18), and
the 429 and 500 pages are Chinese."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.supervision.models import ActionItem
from yanzhen.talent.models import ServiceAgreement

pytestmark = pytest.mark.usefixtures("demo_db")


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'<a\b[^>]*href="([^"]+)"', html))


def test_a_town_sees_its_cooperations_base_without_a_link(demo_db: Demo) -> None:
    town = demo_db.users["town"]
    assert not town.has_perm("cooperation.view_base")
    coop = cooperation_qs(town).filter(base__isnull=False).order_by("pk").first()
    assert coop is not None
    client = demo_db.client("town")
    html = client.get(reverse("cooperation:cooperation_detail", args=[coop.pk])).content.decode()
    base_url = reverse("cooperation:base_detail", args=[coop.base_id])
    assert base_url not in _hrefs(html)
    assert coop.base is not None
    assert coop.base.name in html
    assert 'title="您没有权限打开此页面"' in html
    assert client.get(base_url).status_code == 403  # what the link would have answered


def test_an_enterprises_dashboard_links_no_activity(demo_db: Demo) -> None:
    enterprise = demo_db.users["enterprise"]
    assert not enterprise.has_perm("cooperation.view_activity")
    html = demo_db.client("enterprise").get("/").content.decode()
    assert [h for h in _hrefs(html) if h.startswith("/cooperation/activities/")] == []


def test_a_base_role_is_not_linked_to_a_meeting_outside_its_scope(demo_db: Demo) -> None:
    client = demo_db.client("base")
    html = client.get(reverse("supervision:action_item_list")).content.decode()
    linked = [h for h in _hrefs(html) if h.startswith("/cooperation/activities/")]
    for href in linked:
        assert client.get(href).status_code == 200
    meetings = ActionItem.objects.filter(meeting__isnull=False).values_list("meeting", flat=True)
    assert meetings.exists()
    hidden = [
        pk for pk in meetings if client.get(f"/cooperation/activities/{pk}/").status_code == 404
    ]
    assert hidden  # the demo has such meetings, and none of them is linked
    assert not {f"/cooperation/activities/{pk}/" for pk in hidden} & set(linked)


def test_the_read_only_leader_sees_no_edit_buttons(demo_db: Demo) -> None:
    leader = demo_db.users["leader"]
    agreement = ServiceAgreement.objects.order_by("pk").first()
    assert agreement is not None
    assert not leader.has_perm("talent.add_workloadentry")
    client = demo_db.client("leader")
    html = client.get(reverse("talent:talent_detail", args=[agreement.talent_id])).content.decode()
    assert agreement.title in html
    assert reverse("talent:workload_new", args=[agreement.pk]) not in html
    assert reverse("talent:agreement_edit", args=[agreement.pk]) not in html
    coop = Cooperation.objects.order_by("pk").first()
    assert coop is not None
    html = client.get(reverse("cooperation:cooperation_detail", args=[coop.pk])).content.decode()
    assert reverse("cooperation:cooperation_edit", args=[coop.pk]) not in html
    assert client.get(reverse("cooperation:cooperation_edit", args=[coop.pk])).status_code == 403


def test_the_office_keeps_its_links(demo_db: Demo) -> None:
    agreement = ServiceAgreement.objects.order_by("pk").first()
    assert agreement is not None
    client = demo_db.client("office")
    html = client.get(reverse("talent:talent_detail", args=[agreement.talent_id])).content.decode()
    assert reverse("talent:workload_new", args=[agreement.pk]) in html
    assert reverse("talent:agreement_edit", args=[agreement.pk]) in html


@override_settings(DEBUG=False)
def test_the_500_page_is_chinese_with_a_way_back() -> None:
    from yanzhen.core.error_pages import server_error

    response = server_error(Client().get("/health/").wsgi_request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in html
    assert 'href="/"' in html
    assert 'lang="zh-hans"' in html


def test_the_429_page_is_chinese_in_the_layout(demo_db: Demo) -> None:
    from yanzhen.core.error_pages import too_many_requests

    client = demo_db.client("office")
    request = client.get("/").wsgi_request
    response = too_many_requests(request)
    html = response.content.decode()
    assert response.status_code == 429
    assert "操作过于频繁" in html
    assert 'id="sidebar"' in html
