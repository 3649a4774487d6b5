"""The page helpers of core/pages.py: a column's cell, and a list page through HTTP (the
talent lists use them): sorting, the live filter's rows for htmx, the filters in effect, the
export of exactly the exported columns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.lists import exported
from tests.rows import talent as rows
from yanzhen.core.models import DataScope, Unit, User
from yanzhen.core.pages import Col, Tag, cell_text
from yanzhen.talent.models import Talent


@dataclass
class Row:
    name: str
    stage: str
    mobile: str
    teachers: list[str]


ROW = Row("<张三>", "landed", "13912345678", ["甲", "乙"])


def test_a_cell_shows_its_value_with_its_link_tag_marks_and_note() -> None:
    plain: Col[Row] = Col("姓名", lambda r: r.name)
    assert str(plain.cell(ROW)) == "&lt;张三&gt;"
    linked: Col[Row] = Col(
        "姓名",
        lambda r: r.name,
        lambda r: "/x/?a=1&b=2",
        tag=lambda r: r.stage,
        marks=lambda r: [Tag("逾期", "gap")],
        note=lambda r: dt.date(2021, 5, 1),
    )
    assert str(linked.cell(ROW)) == (
        '<a href="/x/?a=1&amp;b=2"><span class="tag landed">&lt;张三&gt;</span></a> '
        '<span class="tag gap">逾期</span><br><small>2021-05-01</small>'
    )
    tags: Col[Row] = Col("教师", lambda r: r.teachers, tag=lambda r: "")
    assert str(tags.cell(ROW)) == '<span class="tag ">甲</span><span class="tag ">乙</span>'
    masked: Col[Row] = Col("手机号", lambda r: r.mobile, pii="mobile")
    assert str(masked.cell(ROW)) == "139****5678"
    empty: Col[Row] = Col("无", lambda r: None)
    assert str(empty.cell(ROW)) == "—"


def test_a_value_is_shown_as_a_table_shows_it() -> None:
    assert [
        cell_text(v) for v in (None, "", True, False, dt.date(2021, 5, 1), ["a", "b"], [], 3)
    ] == ["—", "—", "是", "否", "2021-05-01", "a、b", "—", "3"]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2021, 12, 20, 2, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def office(county: Unit, make_user: Callable[..., User]) -> Client:
    perms = ["talent.view_talent", "benefits.view_entitlement", "talent.export_talent"]
    client = Client()
    client.force_login(make_user(county, DataScope.UNIT_AND_BELOW, perms))
    return client


def names(html: str) -> list[str]:
    body = html[html.index('<div id="rows">') :]
    return re.findall(r'<td><a href="/talent/\d+/">([^<]*)</a></td>', body)


@pytest.mark.django_db
def test_a_sortable_column_orders_the_rows_both_ways(county: Unit, office: Client) -> None:
    rows.talents(3, county)
    Talent.objects.filter(person__name__endswith="1").update(start_date=dt.date(2019, 1, 1))
    by_start = list(
        Talent.objects.order_by("start_date", "pk").values_list("person__name", flat=True)
    )
    url = reverse("talent:talent_list")
    ascending = office.get(url, {"sort": "start_date"}).content.decode()
    assert names(ascending) == by_start
    assert '<a href="?sort=-start_date">到岗日期 ↑</a>' in ascending
    descending = office.get(url, {"sort": "-start_date"}).content.decode()
    assert names(descending) == list(
        Talent.objects.order_by("-start_date", "-pk").values_list("person__name", flat=True)
    )
    assert '<a href="?sort=start_date">到岗日期 ↓</a>' in descending
    unknown = office.get(url, {"sort": "person__id_number"}).content.decode()
    assert names(unknown) == names(office.get(url).content.decode())


@pytest.mark.django_db
def test_the_live_filter_gets_only_the_rows_and_the_export_links_of_its_filters(
    county: Unit, office: Client
) -> None:
    rows.talents(2, county)
    url = reverse("talent:talent_list")
    page = office.get(url).content.decode()
    assert page.count('<form method="get" class="filters" hx-get="/talent/"') == 1
    assert '<span id="export-links">' in page
    rows_only = office.get(url, {"q": "人员", "page": "1"}, headers={"HX-Request": "true"})
    html = rows_only.content.decode()
    assert html.lstrip().startswith('<div id="rows">')
    assert "<html" not in html
    assert '<span id="export-links" hx-swap-oob="true">' in html
    assert 'href="?q=%E4%BA%BA%E5%91%98&amp;export=xlsx"' in html


@pytest.mark.django_db
def test_the_filters_set_by_a_link_are_named_above_the_rows_with_a_way_to_clear_them(
    county: Unit, office: Client
) -> None:
    url = reverse("talent:talent_list")
    html = office.get(url, {"campaign": "5", "university": "0"}).content.decode()
    assert (
        '当前筛选：<span class="tag">来源高校=0</span><span class="tag">招聘活动=5</span> '
        '<a href="/talent/">清除</a>'
    ) in html
    assert "当前筛选" not in office.get(url).content.decode()


@pytest.mark.django_db
def test_the_export_holds_the_exported_columns_and_the_page_the_shown_ones(
    county: Unit, office: Client
) -> None:
    rows.reminders(1, county)
    url = reverse("talent:reminder_list")
    html = office.get(url).content.decode()
    headers = re.findall(r"<th>([^<]*)</th>", html)
    assert headers == ["类别", "日期", "提醒"]
    table = exported(office, url, {})
    assert table[0] == ["类别", "日期", "人才", "用人单位", "待遇", "提醒"]
    assert len(table) == 2
    assert table[1][0] == "待遇即将到期"


@pytest.mark.django_db
def test_the_next_page_and_the_export_links_keep_the_filters(county: Unit, office: Client) -> None:
    """The links are written as ``{% querystring %}`` gives them (it starts with "?"): a
    browser following "下一页" gets page 2 of the same filtered list, and the export the same
    rows (``??page=2`` was read as a parameter named "?page": page 1 again, no export)."""
    rows.talents(25, county)
    url = reverse("talent:talent_list")
    html = office.get(url, {"q": "人员"}).content.decode()
    next_page = re.search(r'<a href="([^"]*)">下一页</a>', html)
    assert next_page is not None
    target = urljoin(url, unescape(next_page.group(1)))
    assert target == f"{url}?q=%E4%BA%BA%E5%91%98&page=2"
    second = office.get(target).content.decode()
    assert len(names(second)) == 5
    assert "2 / 2" in second
    export = re.search(r'href="([^"]*)">导出 Excel</a>', html)
    assert export is not None
    link = urljoin(url, unescape(export.group(1)))
    assert link == f"{url}?q=%E4%BA%BA%E5%91%98&export=xlsx"
    assert len(exported(office, link, {})) == 26
