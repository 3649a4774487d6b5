"""G21 re-checked: every page the office opens (and every JSON answer) carries the security
headers — a content security policy without inline script or style, ``frame-ancestors
'none'`` and ``X-Frame-Options: DENY``, ``nosniff``, ``Referrer-Policy: same-origin`` and
``Cache-Control: no-store`` — and an error shows no stack trace, neither in a page nor in the
API (a Chinese page for a server error)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import Demo
from tests.routes import ROUTES
from tests.test_access import ALL_ROUTES, _url

pytestmark = pytest.mark.usefixtures("demo_db")

GET_ROUTES = [r for r in ALL_ROUTES if ROUTES[r.name] not in ("public", "logout")]
LEAKS = ("Traceback", 'File "', "/src/yanzhen", "site-packages", "RuntimeError", "boom-")


def header_problems(response: Any) -> list[str]:
    problems = []
    policy = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    if directives.get("script-src") != ["'self'"]:
        problems.append(f"script-src {directives.get('script-src')}")
    if "'unsafe-inline'" in directives.get("style-src", ["'unsafe-inline'"]):
        problems.append("style-src")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("frame-ancestors")
    expected = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }
    problems += [f"{k}: {response.get(k)}" for k, v in expected.items() if response.get(k) != v]
    return problems


def test_every_page_and_answer_carries_the_headers(
    demo_db: Demo, yongji_ids: dict[str, int]
) -> None:
    client = demo_db.client("office")
    seen = 0
    problems = []
    for route in GET_ROUTES:
        response = client.get(_url(route, yongji_ids))
        if response.status_code not in (200, 403, 404):
            continue
        seen += 1
        found = header_problems(response)
        if found:
            problems.append((route.name, response.status_code, found))
    assert seen > 150
    assert problems == []


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger's selector fails as an unexpected bug would, naming a path and a secret."""
    from yanzhen.cooperation import selectors

    def boom(**kwargs: Any) -> Any:
        raise RuntimeError("boom-/src/yanzhen/cooperation/selectors.py secret=xyz")

    monkeypatch.setattr(selectors, "cooperation_list", boom)


@pytest.mark.usefixtures("failing")
@pytest.mark.parametrize("path", ["/cooperation/", "/api/v1/cooperations"])
def test_a_server_error_shows_no_stack_trace(path: str, demo_db: Demo) -> None:
    client = demo_db.client("office")
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 500
    body = response.content.decode()
    assert [leak for leak in LEAKS if leak in body] == []
    assert header_problems(response) == []
    if path == "/cooperation/":
        assert "服务器出错" in body


def test_an_unknown_address_shows_no_stack_trace(demo_db: Demo) -> None:
    for client in (demo_db.client("office"), Client()):
        response = client.get("/no/such/page/")
        assert response.status_code in (302, 404)
        body = response.content.decode()
        assert [leak for leak in (*LEAKS, "urlpatterns", "URLconf") if leak in body] == []
