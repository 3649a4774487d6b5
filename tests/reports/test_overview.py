"""The year at a glance: every figure of the case for 2021, each opening exactly its records,
the year applied alike, 同比, the annual targets as completion, the export; the targets page
checks versions; the dashboard's current stages follow its year filter."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from tests.reports.test_figures import CASE_2021
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.services import unit_create
from yanzhen.reference.models import LocalIndustry
from yanzhen.reports.followups import FIGURES as FOLLOW_UP_FIGURES
from yanzhen.reports.models import AnnualTarget

FOLLOW_UP_SUMS = [f[0] for f in FOLLOW_UP_FIGURES]

pytestmark = pytest.mark.usefixtures("demo_db")


def _values(client: Client, **params: str) -> dict[str, tuple[str, str]]:
    """figure → (value, url of its records) as the page shows them."""
    response = client.get(reverse("reports:overview"), params)
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(
        r'<tr data-figure="([^"]+)">\s*<td>[^<]+</td>\s*<td><a class="figure-value" '
        r'href="([^"]+)"><strong>([^<]+)</strong>',
        html,
    )
    return {name: (value, url.replace("&amp;", "&")) for name, url, value in rows}


def _listed(client: Client, url: str) -> int:
    html = client.get(url).content.decode()
    found = re.search(r"共 (\d+) 条", html)
    assert found is not None, url
    return int(found.group(1))


def test_the_case_figures_of_2021_on_one_page(demo_db: Demo) -> None:
    shown = _values(demo_db.client("office"), year="2021")
    assert {k: shown[k][0] for k in CASE_2021} == {k: str(v) for k, v in CASE_2021.items()}
    assert shown["落地投资"][0] == "56,369"


def test_each_figure_opens_exactly_its_records(demo_db: Demo) -> None:
    client = demo_db.client("office")
    shown = _values(client, year="2021")
    for name, (value, url) in shown.items():
        if name in ("落地投资", "国际合作学生数", *FOLLOW_UP_SUMS):
            continue  # sums over their records, not counts
        assert _listed(client, url) == int(value), name
    assert _listed(client, shown["国际合作学生数"][1]) == 1
    assert {_listed(client, shown[name][1]) for name in FOLLOW_UP_SUMS} == {2}  # two projects
    county = Unit.objects.get(name="永济市")
    gap = unit_create(actor=None, parent=county, name="未结对链主企业", kind=UnitKind.ENTERPRISE)
    Unit.objects.filter(pk=gap.pk).update(
        is_leading=True, local_industry=LocalIndustry.objects.get(code="YJ-L06")
    )
    html = client.get(reverse("reports:overview"), {"year": "2021"}).content.decode()
    _coverage_opens_its_units(client, html)
    assert "1家未结对</a>：未结对链主企业" in html
    _assessment_opens_its_scores(client, html)
    _meetings_open_their_records(client, html, shown)


def _href(text: str) -> str:
    return text.replace("&amp;", "&")


def _coverage_opens_its_units(client: Client, html: str) -> None:
    """横向覆盖: each industry's leading enterprises and its gaps open exactly those units."""
    rows = re.findall(
        r'<tr data-coverage="([^"]+)"><td>[^<]+</td><td><a class="covered" href="([^"]+)">'
        r"(\d+) / (\d+)</a></td><td>(.*?)</td></tr>",
        html,
    )
    assert len(rows) == 16
    gaps = 0
    for label, url, covered, total, cell in rows:
        assert _listed(client, _href(url)) == int(total), label
        gap = re.search(r'<a class="gaps" href="([^"]+)">(\d+)家未结对</a>', cell)
        if int(covered) < int(total):
            assert gap is not None, label
            assert int(gap.group(2)) == int(total) - int(covered)
            assert _listed(client, _href(gap.group(1))) == int(gap.group(2)), label
            gaps += 1
        else:
            assert gap is None, label
            assert cell == "无缺口", label
    assert gaps == 1


def _assessment_opens_its_scores(client: Client, html: str) -> None:
    """考核排名: the top and bottom three of each published 2021 assessment, each opening its
    score (whose page shows the same total)."""
    part = html[html.index('data-part="assessment"') : html.index('data-part="meetings"')]
    top = re.findall(
        r'<a class="top" href="([^"]+)">(\d+)\. ([^<]+)</a></td><td>([^<]+)</td>', part
    )
    bottom = re.findall(
        r'<a class="bottom" href="([^"]+)">(\d+)\. ([^<]+)</a></td><td>([^<]+)</td>', part
    )
    assert [(r, n, t) for _, r, n, t in top[:3]] == [
        ("1", "开发区科技创新基地", "104.50"),
        ("2", "智能制造与增材制造成果转化基地", "94.50"),
        ("3", "乡村振兴校村结对基地", "90.50"),
    ]
    assert [(r, n, t) for _, r, n, t in bottom[:3]] == [
        ("12", "实习实训与人才引进基地", "37.93"),
        ("11", "医疗卫生合作基地", "42.67"),
        ("10", "基础教育合作基地", "55.94"),
    ]
    for url, _, name, total in top + bottom:
        page = client.get(url).content.decode()
        assert name in page
        assert total in page


def _meetings_open_their_records(
    client: Client, html: str, shown: dict[str, tuple[str, str]]
) -> None:
    """会议与带队对接: each list is exactly the records of its figure."""
    part = html[html.index('data-part="meetings"') :]
    for name in ("常委会研究次数", "推介会次数", "带队对接次数"):
        block = part[part.index(f'data-meetings="{name}"') :]
        block = block[: block.find("<h4", 5) if block.find("<h4", 5) != -1 else None]
        head = re.search(r'<a href="([^"]+)"><strong>(\d+)</strong>', block)
        assert head is not None
        assert (head.group(2), _href(head.group(1))) == shown[name]
        held = re.findall(r'<a class="held" href="/cooperation/activities/(\d+)/">', block)
        assert len(held) == min(int(head.group(2)), 20)
        records = client.get(_href(head.group(1))).content.decode()
        for pk in held:
            assert f"/cooperation/activities/{pk}/" in records


def test_the_year_applies_to_every_dated_figure(demo_db: Demo) -> None:
    shown = _values(demo_db.client("office"), year="2020")
    assert shown["合作意向数"][0] == "0"
    assert shown["人才数"][0] == "0"
    assert shown["实习生数"][0] == "0"
    assert shown["基地数"][0] == "12"  # not dated
    nxt = demo_db.client("office").get(reverse("reports:overview"), {"year": "2022"})
    html = nxt.content.decode()
    row = re.search(r'<tr data-figure="合作意向数">.*?</tr>', html, re.S)
    assert row is not None
    assert '<td class="yoy">-100.0%</td>' in row.group(0)


def test_a_scoped_user_reads_their_own_figures(demo_db: Demo) -> None:
    shown = _values(demo_db.client("town"), year="2021")
    assert shown["合作意向数"][0] == "9"
    town = Unit.objects.get(name="开张镇")
    office = _values(demo_db.client("office"), year="2021", unit=str(town.pk))
    assert office["合作意向数"][0] == "9"
    assert office["人才数"][0] == "5"


def test_a_unit_outside_the_scope_is_not_found(demo_db: Demo) -> None:
    other = Unit.objects.get(name="永济市工业和信息化局")
    response = demo_db.client("town").get(reverse("reports:overview"), {"unit": other.pk})
    assert response.status_code == 404


def _versions(unit: Unit) -> dict[str, str]:
    return {
        f"v_{kind}": str(version)
        for kind, version in AnnualTarget.objects.filter(unit=unit, year=2021).values_list(
            "kind", "version"
        )
    }


def test_the_demo_targets_show_as_completion(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("reports:overview"), {"year": "2021"})
    rows = dict(re.findall(r'<tr data-figure="([^"]+)">.*?<td class="completion">([^<]+)</td>',
                           html.content.decode(), re.S))  # fmt: skip
    assert {k: rows[k] for k in ("合作意向数", "签约数", "落地数", "人才数", "实习生数")} == {
        "合作意向数": "120.0%", "签约数": "101.3%", "落地数": "105.0%", "人才数": "109.2%",
        "实习生数": "115.0%",
    }  # fmt: skip


def test_targets_show_as_completion(demo_db: Demo) -> None:
    county = Unit.objects.get(name="永济市")
    client = demo_db.client("office")
    url = reverse("reports:targets") + f"?year=2021&unit={county.pk}"
    response = client.post(
        url,
        {"intention": "100", "agreement": "90", "landed": "", "talent": "131", "intern": "0",
         **_versions(county)},
    )  # fmt: skip
    assert response.status_code == 302
    targets = dict(AnnualTarget.objects.filter(unit=county, year=2021).values_list("kind", "value"))
    assert targets == {"intention": 100, "agreement": 90, "talent": 131, "intern": 0}
    html = client.get(reverse("reports:overview"), {"year": "2021"}).content.decode()
    rows = dict(re.findall(r'<tr data-figure="([^"]+)">.*?<td class="completion">([^<]+)</td>',
                           html, re.S))  # fmt: skip
    assert (rows["合作意向数"], rows["签约数"], rows["落地数"], rows["人才数"]) == (
        "120.0%",
        "90.0%",
        "—",
        "100.0%",
    )


def test_a_target_edited_on_an_old_version_is_refused(demo_db: Demo) -> None:
    county = Unit.objects.get(name="永济市")
    client = demo_db.client("office")
    url = reverse("reports:targets") + f"?year=2021&unit={county.pk}"
    target = AnnualTarget.objects.get(unit=county, year=2021, kind="intention")
    seen = {**_versions(county), "agreement": "80", "landed": "60", "talent": "120", "intern": "60"}
    client.post(url, {**seen, "intention": "110"})
    response = client.post(url, {**seen, "intention": "120"})
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert AnnualTarget.objects.get(pk=target.pk).value == 110
    response = client.post(url, {"intention": "130"})  # made without seeing the targets
    assert "已被他人设置" in response.content.decode()
    assert AnnualTarget.objects.get(pk=target.pk).value == 110
    assert AnnualTarget.objects.get(pk=target.pk).version == target.version + 1


def test_the_leader_may_not_set_targets(demo_db: Demo) -> None:
    county = Unit.objects.get(name="永济市")
    url = reverse("reports:targets") + f"?year=2021&unit={county.pk}"
    before = list(AnnualTarget.objects.values_list("kind", "value", "version"))
    response = demo_db.client("leader").post(url, {"intention": "1", **_versions(county)})
    assert response.status_code == 403
    assert list(AnnualTarget.objects.values_list("kind", "value", "version")) == before


def test_the_overview_exports(demo_db: Demo) -> None:
    response = demo_db.client("office").get(
        reverse("reports:overview"), {"year": "2021", "export": "xlsx"}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = {r[1]: r for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert rows["合作意向数"][2:5] == ("120", "0", "—")
    assert rows["门店数"][2] == "106"


def test_the_catalogue_page_lists_every_figure(demo_db: Demo) -> None:
    html = demo_db.client("office").get(reverse("reports:figure_records")).content.decode()
    assert "合作意向数" in html
    assert "同比增长" in html


def test_the_dashboard_current_stages_follow_the_year(demo_db: Demo) -> None:
    client = demo_db.client("office")

    def current(**params: str) -> dict[str, tuple[str, str]]:
        html = client.get(reverse("reports:dashboard"), params).content.decode()
        part = html.split("当前阶段", 1)[1].split("</table>", 1)[0]
        found = re.findall(r'<td>([^<]+)<br><a href="([^"]+)"><strong>(\d+)</strong>', part)
        return {label: (n, url.replace("&amp;", "&")) for label, url, n in found}

    assert {k: v[0] for k, v in current(year="2020").items()} == {
        "意向": "0", "签约": "0", "落地": "0", "终止": "0",
    }  # fmt: skip
    in_2021 = current(year="2021")
    assert sum(int(n) for n, _ in in_2021.values()) == 120
    for n, url in in_2021.values():
        assert _listed(client, url) == int(n)
