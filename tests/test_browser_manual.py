"""The manual in a real browser: a page's 帮助 opens its own section of the manual, scrolled
to it, with the screenshots served from the platform's static files; the sidebar's entries
stand one under another (Pico lays a nav's lists out as a row)."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page

from tests.test_browser import page, server  # noqa: F401 (the fixtures)
from tests.test_browser_ux import sign_in

pytestmark = pytest.mark.browser


def test_the_help_link_opens_the_pages_section(server: str, page: Page) -> None:  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, server)
    page.goto(f"{server}/demand/")
    page.click("#help-link")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{server}/help/#demand-demand_map"
    heading = page.locator("#demand-demand_map")
    assert heading.inner_text() == "需求图谱"
    top = heading.evaluate("h => h.getBoundingClientRect().top")
    assert 0 <= top < 200  # scrolled to the section
    images = page.evaluate(
        "() => [...document.querySelectorAll('.manual img')].map("
        "i => [i.getAttribute('src'), i.complete && i.naturalWidth])"
    )
    assert len(images) >= 20
    for src, _width in images:
        assert src.startswith("/static/manual/")
    # The lazily loaded images: each one answers from the static files.
    for src, _width in images:
        response = page.request.get(f"{server}{src}")
        assert response.status == 200
        assert response.headers["content-type"] == "image/jpeg"


def test_the_sidebars_entries_stand_one_under_another(server: str, page: Page) -> None:  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, server)
    page.goto(f"{server}/cooperation/")
    tops = page.evaluate(
        "() => [...document.querySelectorAll('#sidebar details[open] a')]"
        ".map(a => a.getBoundingClientRect().top)"
    )
    assert len(tops) > 5
    assert all(b > a for a, b in itertools.pairwise(tops))
    groups = page.evaluate(
        "() => [...document.querySelectorAll('#sidebar summary')]"
        ".map(s => s.getBoundingClientRect().top)"
    )
    assert all(b > a for a, b in itertools.pairwise(groups))
