"""The ledger's lists on the house's table pages: sorted by their headers, filtered by the
selector's dataclass (in the page and in the API alike), every number opening exactly its
records, exports with the columns they had, and the trash restoring what it lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation import excel, services
from yanzhen.cooperation.models import Base, Cooperation
from yanzhen.reference.models import University

pytestmark = pytest.mark.usefixtures("demo_db")

LEDGER = "/cooperation/"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def total(html: str) -> int:
    found = re.search(r"共 (\d+) 条", html)
    assert found, "no total"
    return int(found.group(1))


def codes(html: str) -> list[str]:
    return re.findall(r'<td><a href="/cooperation/\d+/">([A-Z][A-Z0-9-]+)</a></td>', html)


def rows(response: object) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))[1:]  # after the watermark line


def test_the_ledger_sorts_by_its_headers_and_by_the_old_links(demo_db: Demo) -> None:
    client = demo_db.client("office")
    html = client.get(LEDGER, {"reached": "landed"}).content.decode()
    assert '<a href="?reached=landed&amp;sort=code">编号</a>' in html
    assert '<a href="?reached=landed&amp;sort=landed_date">落地日期</a>' in html
    landed = Cooperation.objects.filter(landed_date__isnull=False)
    newest = list(landed.order_by("-landed_date", "-pk").values_list("code", flat=True)[:20])
    html = client.get(LEDGER, {"reached": "landed", "sort": "-landed_date"}).content.decode()
    assert codes(html) == newest
    assert '<a href="?reached=landed&amp;sort=landed_date">落地日期 ↓</a>' in html
    # The ledger lists a lower unit's new entry waiting for review too (YJ-SB-2022-001).
    ledger = Cooperation.objects.all()
    by_code = list(ledger.order_by("code").values_list("code", flat=True)[:20])
    assert codes(client.get(LEDGER, {"sort": "code"}).content.decode()) == by_code
    biggest = list(
        ledger.order_by("-planned_investment", "-pk").values_list("code", flat=True)[:20]
    )
    html = client.get(LEDGER, {"sort": "-planned_investment"}).content.decode()
    assert codes(html) == biggest
    # a name no column sorts by keeps the ledger's order: newest intention first
    newest_first = list(
        ledger.order_by("-intention_date", "-pk").values_list("code", flat=True)[:20]
    )
    assert codes(client.get(LEDGER, {"sort": "title"}).content.decode()) == newest_first


def test_the_api_keeps_its_sort_and_takes_the_same_filters(demo_db: Demo) -> None:
    client = demo_db.client("office")
    url = reverse("api:list_cooperations")
    found = client.get(url, {"sort": "code", "page_size": "5"}).json()
    assert [c["code"] for c in found["items"]] == list(
        Cooperation.objects.order_by("code").values_list("code", flat=True)[:5]
    )
    # the API lists a new entry waiting for review too (``stage`` null, ``pending`` set)
    assert client.get(url, {"base": "none"}).json()["count"] == 5
    june = Cooperation.objects.filter(intention_date__year=2021, intention_date__month=6)
    assert client.get(url, {"month": "2021-06"}).json()["count"] == june.count() > 0
    bad = client.get(url, {"month": "2021-13", "stage": "signed"})
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"month", "stage"}
    assert client.get(url, {"sort": "title"}).status_code == 422


def test_hidden_filters_are_named_above_the_rows_and_cleared_by_a_link(demo_db: Demo) -> None:
    xjtu = University.objects.get(name="西安交通大学")
    html = (
        demo_db.client("office")
        .get(LEDGER, {"university": str(xjtu.pk), "month": "2021-06"})
        .content.decode()
    )
    assert (
        f'<span class="tag">月份=2021-06-01</span><span class="tag">合作高校={xjtu.pk}</span>'
        in html
    )
    assert '<a href="/cooperation/">清除</a>' in html
    expected = Cooperation.objects.filter(
        universities=xjtu, intention_date__year=2021, intention_date__month=6
    ).count()
    assert total(html) == expected


def test_the_ledger_exports_the_import_templates_columns(demo_db: Demo) -> None:
    client = demo_db.client("office")
    response = client.get(LEDGER, {"reached": "landed", "sort": "code", "export": "csv"})
    lines = rows(response)
    assert lines[0] == [c.header for c in excel.columns()]
    landed = Cooperation.objects.filter(landed_date__isnull=False).order_by("code")
    assert [line[0] for line in lines[1:]] == list(landed.values_list("code", flat=True))


def test_the_partner_list_numbers_open_exactly_their_cooperations(demo_db: Demo) -> None:
    client = demo_db.client("office")
    url = reverse("cooperation:partner_list")
    html = client.get(url, {"year": "2021"}).content.decode()
    assert "<h2>合作高校（院所） · 2021年</h2>" in html
    links = re.findall(r'<td><a href="(/cooperation/\?[^"]+)">(\d+)</a></td>', html)
    assert len(links) == 3 * total(html) == 3 * 38  # three numbers a university
    for href, number in links[:6]:
        page = client.get(href.replace("&amp;", "&")).content.decode()
        assert total(page) == int(number), href
    exported = rows(client.get(url, {"year": "2021", "export": "csv"}))
    assert exported[0] == ["高校（院所）", "省份", "层次", "意向", "签约", "落地"]
    assert len(exported) - 1 == total(html)


def test_the_base_list_numbers_open_exactly_their_cooperations(demo_db: Demo) -> None:
    client = demo_db.client("office")
    html = client.get(reverse("cooperation:base_list"), {"q": "农业"}).content.decode()
    base = Base.objects.get(name="现代农业科技示范基地")
    assert total(html) == 1
    for stage in ("intention", "agreement", "landed"):
        href = f"/cooperation/?reached={stage}&amp;base={base.pk}"
        number = re.search(rf'<a href="{re.escape(href)}">(\d+)</a>', html)
        assert number, stage
        page = client.get(LEDGER, {"reached": stage, "base": str(base.pk)}).content.decode()
        assert total(page) == int(number.group(1)) > 0
    exported = rows(client.get(reverse("cooperation:base_list"), {"export": "csv"}))
    assert exported[0] == [
        "基地名称",
        "责任领导",
        "基地类型",
        "所属县（市、区）",
        "牵头部门",
        "专班人数",
        "意向",
        "签约",
        "落地",
        "节点任务",
        "逾期节点",
    ]
    assert len(exported) - 1 == Base.objects.count()


def test_the_trash_lists_the_deleted_and_restores_them(demo_db: Demo) -> None:
    client = demo_db.client("office")
    cooperation = Cooperation.objects.order_by("pk")[0]
    services.cooperation_delete(actor=demo_db.users["office"], cooperation=cooperation)
    html = client.get(reverse("cooperation:cooperation_trash")).content.decode()
    restore = reverse("cooperation:cooperation_restore", args=[cooperation.pk])
    assert f"<td>{cooperation.code}</td><td>{cooperation.title}</td>" in html
    assert f'<form method="post" action="{restore}" class="inline">' in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token
    response = client.post(restore, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert Cooperation.objects.filter(pk=cooperation.pk).exists()
    html = client.get(reverse("cooperation:cooperation_trash")).content.decode()
    assert "回收站是空的" in html
