"""Every error a person can meet is a Chinese page in the platform's layout with a way back;
under /api/ the same errors answer in the API's envelope."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation

pytestmark = pytest.mark.usefixtures("demo_db")


def _page(body: str) -> bool:
    """The platform's layout: its header and its footer."""
    return 'class="site-header"' in body and "雁阵 · 省校合作与人才工作平台" in body


def test_a_refused_page_is_a_chinese_page_with_a_way_back(demo_db: Demo) -> None:
    client = demo_db.client("leader")  # reads everything, writes nothing
    pk = Cooperation.objects.order_by("pk").values_list("pk", flat=True)[0]
    referer = "http://testserver" + reverse("cooperation:cooperation_detail", kwargs={"pk": pk})
    response = client.get(
        reverse("cooperation:cooperation_edit", kwargs={"pk": pk}), HTTP_REFERER=referer
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert _page(body)
    assert '<h2>没有权限 <small class="muted">（403）</small></h2>' in body
    assert f'href="{referer}"' in body
    assert f'href="{reverse("reports:dashboard")}"' in body
    assert "Forbidden" not in body


def test_an_unknown_address_is_a_chinese_page(demo_db: Demo) -> None:
    response = demo_db.client("town").get("/no/such/page/", HTTP_REFERER="http://evil.example/x")
    body = response.content.decode()
    assert response.status_code == 404
    assert _page(body)
    assert "页面不存在" in body
    assert "evil.example" not in body  # a way back only to this site
    assert "Not Found" not in body


def test_a_record_outside_the_scope_is_the_same_page(demo_db: Demo) -> None:
    town = demo_db.users["town"]
    foreign = Cooperation.objects.exclude(owner_unit__parent=town.unit).exclude(
        owner_unit=town.unit
    )[0]
    response = demo_db.client("town").get(
        reverse("cooperation:cooperation_detail", kwargs={"pk": foreign.pk})
    )
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_a_form_without_its_token_is_a_chinese_page(demo_db: Demo) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_db.users["office"])
    response = client.post(reverse("cooperation:cooperation_new"), {"title": "x"})
    body = response.content.decode()
    assert response.status_code == 403
    assert _page(body)
    assert "页面已过期" in body
    assert "CSRF verification failed" not in body


def test_a_host_not_served_here_is_a_chinese_400() -> None:
    client = Client()
    client.raise_request_exception = False
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    body = response.content.decode()
    assert response.status_code == 400
    assert "请求有误" in body
    assert "evil.example" not in body


@pytest.mark.parametrize("role", ["office", None])
def test_the_api_answers_unknown_addresses_in_its_envelope(role: str | None, demo_db: Demo) -> None:
    client = demo_db.client(role) if role else Client()
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404  # an address that does not exist, for anyone
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "您访问的页面或记录不存在，或不在您的数据范围内。",
            "fields": {},
        }
    }
