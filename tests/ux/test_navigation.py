"""The sidebar menu (one declaration, ``core.menu.MENU``), its breadcrumbs, and the header."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse

from tests.conftest import Demo
from tests.routes import ROUTES
from yanzhen.core.menu import MENU

pytestmark = pytest.mark.usefixtures("demo_db")


def _menu(html: str) -> dict[str, list[str]]:
    sidebar = html.split('id="sidebar"', 1)[1].split("</nav>", 1)[0]
    return {
        title: re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', body)
        for title, body in re.findall(r"<summary>([^<]+)</summary>(.*?)</details>", sidebar, re.S)
    }


def test_the_menu_is_declared_in_one_place() -> None:
    names = [e.url_name for g in MENU for e in g.entries]
    for name in names:
        assert reverse(name)  # each entry is a page without arguments
        assert name in ROUTES  # with an access rule
    declared_elsewhere = [a.label for a in apps.get_app_configs() if hasattr(a, "nav")]
    assert declared_elsewhere == [], "menu entries belong in yanzhen/core/menu.py"


def test_an_enterprise_sees_only_the_pages_it_may_open(demo_db: Demo) -> None:
    html = demo_db.client("enterprise").get("/").content.decode()
    menu = _menu(html)
    assert "对接活动" not in menu.get("省校合作", [])
    assert "系统管理" not in menu or "账户管理" not in menu["系统管理"]
    for links in menu.values():
        for link in links:
            assert link


def test_an_administrator_is_shown_no_business_page(demo_db: Demo) -> None:
    html = demo_db.client("sysadmin").get(reverse("accounts:user_list")).content.decode()
    menu = _menu(html)
    assert set(menu) <= {"系统管理", "消息", "单位与人员", "安全审计"}
    assert "工作看板" not in html
    assert 'action="/search/"' not in html  # no business search for an administrator


def test_a_detail_page_has_breadcrumbs_to_its_list(demo_db: Demo) -> None:
    from yanzhen.cooperation.models import Cooperation

    pk = Cooperation.objects.order_by("pk").values_list("pk", flat=True)[0]
    html = demo_db.client("office").get(f"/cooperation/{pk}/").content.decode()
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == ["工作台", "省校合作", "合作台账"]
    assert '<a href="/cooperation/">合作台账</a>' in crumbs
    # The group of the current page is open in the sidebar.
    assert re.search(r'<details data-menu-group="\d+" open data-current>\s*<summary>省校合作', html)


def test_the_header_keeps_search_inbox_messages_and_user(demo_db: Demo) -> None:
    html = demo_db.client("office").get("/").content.decode()
    header = html.split('class="site-header"', 1)[1].split("</header>", 1)[0]
    assert 'action="/search/"' in header
    assert 'id="inbox-link"' in header
    assert "/notifications/?unread=1" in header
    assert "省校合作办工作人员" in header
