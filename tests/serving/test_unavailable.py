"""A database that is away (PostgreSQL restarting) gets a Chinese 503 page with Retry-After
(the API: its error envelope), not a 500; other errors keep the 500 page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from tests.conftest import Demo

pytestmark = pytest.mark.usefixtures("demo_db")

DOWN = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def _client(demo_db: Demo, login: str) -> Client:
    client = demo_db.client(login)
    client.raise_request_exception = False
    return client


def test_a_page_answers_503_in_chinese_while_the_database_is_away(demo_db: Demo) -> None:
    client = _client(demo_db, "office")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=DOWN):
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert '<h2>服务暂时不可用 <small class="muted">（503）</small></h2>' in body
    assert "数据库暂时无法连接（可能正在重启或维护），您的操作未被保存。" in body
    assert "127.0.0.1" not in body
    assert "5432" not in body


def test_the_api_answers_503_in_its_envelope(demo_db: Demo) -> None:
    client = _client(demo_db, "office")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=DOWN):
        response = client.get("/api/v1/me")
    assert response.status_code == 503
    assert response.json() == {
        "error": {
            "code": "unavailable",
            "message": "数据库暂时无法连接（可能正在重启或维护），您的操作未被保存。请稍候片刻后刷新页面重试。",
            "fields": {},
        }
    }


def test_another_error_keeps_the_500_page(demo_db: Demo) -> None:
    client = _client(demo_db, "office")
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load", side_effect=ValueError("bug")
    ):
        response = client.get("/")
    assert response.status_code == 500
    assert "<h2>服务器出错</h2>" in response.content.decode()
    assert not response.has_header("Retry-After")
