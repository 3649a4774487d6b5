"""A crawl through the test client as each business role, from its home page: every link the
role is shown opens (no 403, 404 or 500) — a user is never shown a link that refuses them."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.conftest import Demo

pytestmark = pytest.mark.usefixtures("demo_db")

ROLES = ("office", "leader", "base", "town", "enterprise")
PAGES_PER_ROLE = 60
SAMPLES_PER_VIEW = 2  # pages of one kind (a detail page) visited with different ids or filters
_HREF = re.compile(r'<a\b[^>]*\shref="([^"#]+)"', re.I)
# Downloads are links too but cost a file each: one per kind is enough.
_SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/admin/", "/i18n/", "/logout/")


def _links(html: str) -> list[str]:
    found = []
    for href in _HREF.findall(html):
        href = unescape(href)
        if (
            href.startswith("/")
            and not href.startswith("//")
            and not href.startswith(_SKIP_PREFIXES)
        ):
            found.append(href)
    return found


def _kind(url: str) -> str:
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        return f"unresolved:{parts.path}"
    keys = sorted({k for k, _ in parse_qsl(parts.query) if k not in {"page", "o"}})
    return f"{name}?{'&'.join(keys)}"


def crawl(demo: Demo, username: str) -> tuple[int, list[tuple[str, str, int]]]:
    client = demo.client(username)
    start = "/"
    seen = {start}
    per_kind: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque([(start, "")])
    refused: list[tuple[str, str, int]] = []
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url, source = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code in (403, 404) or response.status_code >= 500:
            refused.append((url, source, response.status_code))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()):
            kind = _kind(link)
            if link in seen or per_kind.get(kind, 0) >= SAMPLES_PER_VIEW:
                continue
            seen.add(link)
            per_kind[kind] = per_kind.get(kind, 0) + 1
            queue.append((link, url))
    return visited, refused


@pytest.mark.parametrize("username", ROLES)
def test_no_link_shown_to_a_role_refuses_it(demo_db: Demo, username: str) -> None:
    visited, refused = crawl(demo_db, username)
    assert refused == [], "\n".join(f"{s} {u} (from {f})" for u, f, s in refused)
    assert visited == PAGES_PER_ROLE  # 5 roles × 60 = 300 pages
