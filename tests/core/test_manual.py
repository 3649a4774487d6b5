"""The operator's manual (操作手册, /help/): every menu page has a section and its help link
opens it, the chapters are rendered without raw HTML, the screenshots are the platform's own
static files and small, every reader (administrators too) opens the manual, and each role
finds its own chapter first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import Demo
from tests.routes import ROUTES
from yanzhen.core import manual
from yanzhen.core.menu import MENU

MANUAL = Path(__file__).resolve().parents[2] / "docs" / "manual"
IMAGE = re.compile(r"!\[[^\]]*\]\((img/[^)]+)\)")


@pytest.fixture(autouse=True)
def _fresh_manual() -> None:
    manual.chapters.cache_clear()
    manual.sections.cache_clear()


def _menu_pages() -> list[str]:
    return list(dict.fromkeys(e.url_name for g in MENU for e in g.entries))


def test_every_menu_page_has_its_own_section() -> None:
    missing = [name for name in _menu_pages() if name not in manual.sections()]
    assert missing == []


def test_every_section_documents_a_route_of_the_platform() -> None:
    unknown = [route for route in manual.sections() if route not in ROUTES]
    assert unknown == []


def test_every_menu_pages_help_link_resolves_to_its_section(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("core:help")).content.decode()
    for name in _menu_pages():
        link = manual.help_url(name)
        anchor = manual.anchor_of(name)
        assert link == f"/help/#{anchor}"
        assert html.count(f'id="{anchor}"') == 1, name


def test_each_page_shows_the_help_link_of_its_section(demo_db: Demo) -> None:
    client = demo_db.client("office")
    page = client.get(reverse("cooperation:cooperation_list")).content.decode()
    assert 'href="/help/#cooperation-cooperation_list" id="help-link">帮助</a>' in page
    # A page outside the menu opens the section of the menu entry it belongs to.
    page = client.get(reverse("cooperation:cooperation_new")).content.decode()
    assert 'href="/help/#cooperation-cooperation_list" id="help-link">帮助</a>' in page
    # A page without a section of its own or of its entry opens the manual's start.
    assert manual.help_url("accounts:password_change") == "/help/"
    # Outside the menu, a page of the same namespace and noun as a section opens that one.
    assert manual.help_url("portal:result_detail") == "/help/#portal-result_hall"


def test_no_section_is_a_placeholder(demo_db: Demo) -> None:
    """Each page's section says what the page is for: at least 60 characters of its own."""
    html = demo_db.client("office").get(reverse("core:help")).content.decode()
    short = []
    for route in manual.sections():
        after = html.split(f'id="{manual.anchor_of(route)}"', 1)[1].split("</h2>", 1)[1]
        body = re.split(r"<h[12][ >]|</article>", after, maxsplit=1)[0]
        text = re.sub(r"<[^>]+>|\s", "", body)
        if len(text) < 60:
            short.append((route, len(text)))
    assert short == [], short


def test_the_manual_has_a_chapter_per_role() -> None:
    assert [c.slug for c in manual.chapters()] == [
        "start", "office", "leader", "department", "town", "enterprise", "base", "portal",
        "admin",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("username", "chapter"),
    [
        ("office", "office"),
        ("leader", "leader"),
        ("base", "base"),
        ("town", "town"),
        ("enterprise", "enterprise"),
        ("university", "portal"),
        ("expert", "portal"),
        ("sysadmin", "admin"),
        ("secadmin", "admin"),
        ("auditor", "admin"),
    ],
)
def test_each_role_finds_its_chapter_first(demo_db: Demo, username: str, chapter: str) -> None:
    response = demo_db.client(username).get(reverse("core:help"))
    assert response.status_code == 200
    html = response.content.decode()
    first = re.search(r'data-chapter="([a-z]+)"', html)
    assert first is not None
    assert first.group(1) == chapter
    assert f'<a href="#{chapter}">' in html


def test_the_manual_needs_a_login(client: Client) -> None:
    response = client.get(reverse("core:help"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_raw_html_in_a_chapter_is_shown_as_text(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "01-x.md").write_text(
        "# 章 {#x}\n\n## 页 {#core:unit_list}\n\n<script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(2)">\n\n[点我](javascript:alert(3))\n\n'
        "![图](img/a.jpg) [台账](page:cooperation:cooperation_list) [节](01-x.md#core:unit_list)\n",
        encoding="utf-8",
    )
    with override_settings(MANUAL_DIR=tmp_path):
        manual.chapters.cache_clear()
        (chapter,) = manual.chapters()
    html = str(chapter.html)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=" in html
    assert 'href="javascript' not in html
    assert '<img src="/static/manual/a.jpg" alt="图" loading="lazy" />' in html
    assert '<a href="/cooperation/">台账</a>' in html
    assert '<a href="#core-unit_list">节</a>' in html
    assert '<h2 id="core-unit_list">页</h2>' in html
    assert chapter.sections == (manual.Section("core:unit_list", "页", "core-unit_list"),)


def test_a_page_documented_twice_is_refused(tmp_path: Path) -> None:
    for name in ("01-a.md", "02-b.md"):
        (tmp_path / name).write_text("# 章\n\n## 页 {#core:unit_list}\n\n说明\n", encoding="utf-8")
    with override_settings(MANUAL_DIR=tmp_path), pytest.raises(ValueError, match="有两个章节"):
        manual.sections()


def test_the_screenshots_are_static_files_kept_small() -> None:
    used = {m for path in MANUAL.glob("*.md") for m in IMAGE.findall(path.read_text("utf-8"))}
    files = {f"img/{p.name}" for p in (MANUAL / "img").iterdir()}
    assert used == files  # every image shown, none missing
    assert 15 <= len(files) <= 25
    for name in files:
        path = MANUAL / name
        assert path.stat().st_size <= 150 * 1024, name
        assert finders.find(f"manual/{path.name}") == str(path)
