"""Made for phones and for every reader, in a real browser (Debian's Chromium, headless): every
list page of the route registry at 390 × 844 does not scroll sideways and its content starts
within the first 200 px; the page's Chinese text renders with real glyphs (not the boxes of a
missing font); the sidebar collapses behind its button and remembers its state; axe-core finds
no serious or critical WCAG 2.1 AA violation on the main pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page, Route

from tests.routes import ROUTES
from tests.test_browser import log_in, page, server  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"  # answered by the test itself (never by the platform)
# Lists that answer with another page or a file, not a list to look at.
NOT_PAGES = {"reports:figure_records"}


def list_urls() -> list[str]:
    urls = []
    for name, kind in sorted(ROUTES.items()):
        # The pickers' option lists (``*_options``) are fragments for htmx, not pages.
        if kind != "list" or name.startswith("api:") or name in NOT_PAGES:
            continue
        if name.endswith("_options"):
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:  # a list under a record (its id in the path)
            continue
    return urls


def sign_in(page: Page, server: str, username: str = "office") -> None:  # noqa: F811
    page.goto(f"{server}/login/")
    log_in(page, username)
    page.wait_for_url(f"{server}/")


def test_every_list_fits_a_phone(server: str, page: Page) -> None:  # noqa: F811
    sign_in(page, server)
    wide, low = [], []
    urls = list_urls()
    assert len(urls) > 40
    for url in urls:
        page.goto(f"{server}{url}")
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            wide.append(url)
        top = page.evaluate(
            "(() => { const h = document.querySelector('main h2, main h1, main .toolbar');"
            " return h ? h.getBoundingClientRect().top + window.scrollY : 0; })()"
        )
        if top > 200:
            low.append((url, round(top)))
    assert wide == []
    assert low == []


def test_the_sidebar_hides_behind_its_button_on_a_phone(server: str, page: Page) -> None:  # noqa: F811
    sign_in(page, server)
    sidebar = page.locator("#sidebar")
    assert not sidebar.is_visible()
    page.click("#menu-toggle")
    assert sidebar.is_visible()
    assert page.get_attribute("#menu-toggle", "aria-expanded") == "true"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    assert sidebar.is_visible()
    page.click("#menu-toggle")  # collapsed on a desktop, and remembered
    assert not sidebar.is_visible()
    page.reload()
    assert not sidebar.is_visible()
    page.click("#menu-toggle")
    assert sidebar.is_visible()


def test_chinese_text_renders_with_real_glyphs(server: str, page: Page) -> None:  # noqa: F811
    """Each character drawn in the page's own font differs from the others and from the
    missing-glyph box: without a CJK font every character is the same box, and this fails."""
    sign_in(page, server)
    same = page.evaluate(
        """() => {
          const font = getComputedStyle(document.querySelector('main h2')).font;
          const draw = (ch) => {
            const c = document.createElement('canvas'); c.width = 64; c.height = 64;
            const g = c.getContext('2d'); g.font = font.replace(/\\d+(\\.\\d+)?px/, '40px');
            g.fillText(ch, 4, 48); return Array.from(g.getImageData(0, 0, 64, 64).data).join();
          };
          const box = draw('\\u{10FFFD}');
          const text = document.querySelector('main').innerText;
          const chars = [...new Set(text.match(/[\\u4e00-\\u9fff]/g))].slice(0, 12);
          const drawn = chars.map(draw);
          return {n: chars.length, boxes: drawn.filter(d => d === box).length,
                  distinct: new Set(drawn).size};
        }"""
    )
    assert same["n"] == 12
    assert same["boxes"] == 0
    assert same["distinct"] == 12


MAIN_PAGES = ("/", "/cooperation/", "/search/?q=xajtdx", "/overview/", "/talent/", "/demand/needs/")


def test_the_main_pages_have_no_serious_accessibility_violation(server: str, page: Page) -> None:  # noqa: F811
    assert AXE.is_file(), "npm ci installs axe-core (a devDependency)"

    def serve_axe(route: Route) -> None:
        route.fulfill(body=AXE.read_text(encoding="utf-8"), content_type="text/javascript")

    page.route(f"**{AXE_URL}", serve_axe)
    sign_in(page, server)
    found = {}
    for url in MAIN_PAGES:
        page.goto(f"{server}{url}")
        page.add_script_tag(url=f"{server}{AXE_URL}")
        violations = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
               .filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
        )
        if violations:
            found[url] = violations
    assert found == {}


def test_no_list_breaks_a_header_or_a_name_one_character_a_line(server: str, page: Page) -> None:  # noqa: F811
    """At 1280 px (the sidebar open) a column is never narrower than its header, and the first
    column (the record's name) keeps at least 10 characters a line: a wide table scrolls
    sideways in its frame instead."""
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, server)
    broken = []
    for url in list_urls():
        page.goto(f"{server}{url}")
        found = page.evaluate(
            """(() => {
              const out = [];
              for (const th of document.querySelectorAll('main .table-wrap th')) {
                const line = parseFloat(getComputedStyle(th).lineHeight) || 20;
                if (th.textContent.trim() && th.getBoundingClientRect().height > 1.6 * line + 16)
                  out.push('th:' + th.textContent.trim());
              }
              for (const td of document.querySelectorAll('main .table-wrap tr td:first-child')) {
                const size = parseFloat(getComputedStyle(td).fontSize);
                const text = td.textContent.trim();
                if (text.length > 10 && td.getBoundingClientRect().width < 10 * size)
                  { out.push('td:' + text.slice(0, 12)); break; }
              }
              return out;
            })()"""
        )
        if found:
            broken.append((url, found[:3]))
    assert broken == []
