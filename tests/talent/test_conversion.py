"""Conversion of interns (intern → hired) on the Yongji demo: the figures exactly, filtered by
programme, host unit and year, every figure opening the internships it counts, and the
export holding exactly the rows shown."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import Demo
from yanzhen.core.models import Unit
from yanzhen.placement.models import Programme

pytestmark = pytest.mark.usefixtures("demo_db")
STATS = "/talent/internships/conversion/"
LIST = "/talent/internships/"


@pytest.fixture(autouse=True)
def _end_of_2021() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2021, 12, 20, 2, tzinfo=dt.UTC), tick=False):
        yield


def figures(page: str) -> list[tuple[str, str, str]]:
    """(value, label, link) of the figures above the tables."""
    found = re.findall(
        r'<(?:a|div) class="figure"(?: href="([^"]*)")?><span class="value">([^<]*)</span>'
        r'<span class="label">([^<]*)</span>',
        page,
    )
    return [(value, label, href) for href, value, label in found]


def tables(page: str) -> list[list[tuple[str, str, str, str, str, str]]]:
    """Per table: (label, interns, its link, hired, its link, rate)."""
    row = (
        r'<tr><td>([^<]*)</td>\s*<td><a href="([^"]*)">(\d+)</a></td>\s*'
        r'<td><a href="([^"]*)">(\d+)</a></td>\s*<td>([^<]*)</td></tr>'
    )
    out = [re.findall(row, body) for body in re.findall(r"<tbody>(.*?)</tbody>", page, re.S)]
    return [[(lab, n, n_href, h, h_href, rate) for lab, n_href, n, h_href, h, rate in t]
            for t in out]  # fmt: skip


def get(client: Client, path: str, data: dict[str, Any] | None = None) -> str:
    response = client.get(path, data or {})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def listed(client: Client, href: str) -> int:
    found = re.search(r"共 (\d+) 条", get(client, href))
    return int(found.group(1)) if found else 0


def test_the_demo_conversion_figures_open_their_internships(demo_db: Demo) -> None:
    office = demo_db.client("office")
    page = get(office, STATS)
    assert figures(page) == [
        ("69", "实习生", LIST),
        ("5", "留用", f"{LIST}?status=hired"),
        ("7.2%", "留用率", ""),
    ]
    by_university, by_host = tables(page)
    assert [(r[0], r[1], r[3], r[5]) for r in by_university] == [
        ("陕西师范大学", "15", "5", "33.3"), ("西安电子科技大学", "12", "0", "0.0"),
        ("苏州大学", "10", "0", "0.0"), ("四川大学", "9", "0", "0.0"),
        ("上海理工大学", "8", "0", "0.0"), ("运城学院", "6", "0", "0.0"),
        ("山西大学", "5", "0", "0.0"), ("太原理工大学", "4", "0", "0.0"),
    ]  # fmt: skip
    assert len(by_host) == 19
    assert sum(int(r[1]) for r in by_host) == 69
    assert sorted(r[0] for r in by_host if r[3] != "0") == sorted(
        ["栲栳镇", "永济市教育局", "永济市农业农村局", "蒲州镇", "韩阳镇"]
    )
    assert {r[3] for r in by_host if r[3] != "0"} == {"1"}
    shaanxi = by_university[0]
    assert (listed(office, shaanxi[2]), listed(office, shaanxi[4])) == (15, 5)
    puzhou = next(r for r in by_host if r[0] == "蒲州镇")
    assert (listed(office, puzhou[2]), listed(office, puzhou[4])) == (4, 1)
    assert (listed(office, LIST), listed(office, f"{LIST}?status=hired")) == (69, 5)
    # The town sees the interns it hosts only.
    town = get(demo_db.client("town"), STATS)
    assert figures(town)[:2] == [("5", "实习生", LIST), ("0", "留用", f"{LIST}?status=hired")]
    assert [(r[0], r[1]) for r in tables(town)[1]] == [("开张镇", "5")]


def test_the_filters_narrow_the_figures_and_their_links(demo_db: Demo) -> None:
    office = demo_db.client("office")
    programme = Programme.objects.get(name="2021年大学生暑期实习实训")
    puzhou = Unit.objects.get(name="蒲州镇")
    assert figures(get(office, STATS, {"programme": programme.pk}))[:2] == [
        ("69", "实习生", f"{LIST}?programme={programme.pk}"),
        ("5", "留用", f"{LIST}?programme={programme.pk}&status=hired"),
    ]
    query = {"programme": programme.pk, "unit": puzhou.pk, "year": 2021}
    page = get(office, STATS, query)
    base = f"{LIST}?programme={programme.pk}&unit={puzhou.pk}&year=2021"
    assert figures(page) == [
        ("4", "实习生", base),
        ("1", "留用", f"{base}&status=hired"),
        ("25.0%", "留用率", ""),
    ]
    by_university, by_host = tables(page)
    assert [(r[0], r[1], r[3], r[5]) for r in by_host] == [("蒲州镇", "4", "1", "25.0")]
    assert sum(int(r[1]) for r in by_university) == 4
    assert (listed(office, base), listed(office, f"{base}&status=hired")) == (4, 1)
    for row in by_university:
        assert listed(office, row[2]) == int(row[1])
        assert listed(office, row[4]) == int(row[3])
    empty = get(office, STATS, {"year": 2022})
    assert figures(empty) == [
        ("0", "实习生", f"{LIST}?year=2022"),
        ("0", "留用", f"{LIST}?year=2022&status=hired"),
        ("—", "留用率", ""),
    ]
    assert tables(empty) == [[], []]


def test_the_export_holds_exactly_the_filtered_rows(demo_db: Demo) -> None:
    office = demo_db.client("office")
    puzhou = Unit.objects.get(name="蒲州镇")
    response = office.get(STATS, {"unit": str(puzhou.pk), "year": "2021", "export": "xlsx"})
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    page = get(office, STATS, {"unit": puzhou.pk, "year": 2021})
    shown = [("来源高校", r[0], int(r[1]), int(r[3]), float(r[5])) for r in tables(page)[0]]
    assert rows[0] == ("维度", "名称", "实习生", "留用", "留用率（%）")
    assert rows[1] == ("合计", "全部实习生", 4, 1, 25)
    assert rows[2:] == [*shown, ("接收单位", "蒲州镇", 4, 1, 25)]
    everything = office.get(STATS, {"export": "xlsx"})
    book = load_workbook(io.BytesIO(everything.content)).worksheets[0]
    assert book.max_row == 1 + 1 + 8 + 19
