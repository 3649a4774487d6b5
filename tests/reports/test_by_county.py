"""运城市 and its 13 counties side by side: the dashboard (page and API) of a user above the
counties compares them, ranked, from the county dimension of the tally; a county office still
sees only its own county; Yongji's figures stay those of the case."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.demo import province
from yanzhen.demo.shared import DemoResult

CITY_COUNTIES = [
    ("140802", "盐湖区"), ("140821", "临猗县"), ("140822", "万荣县"), ("140823", "闻喜县"),
    ("140824", "稷山县"), ("140825", "新绛县"), ("140826", "绛县"), ("140827", "垣曲县"),
    ("140828", "夏县"), ("140829", "平陆县"), ("140830", "芮城县"), ("140881", "永济市"),
    ("140882", "河津市"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def city(demo_db: Demo) -> None:
    """The other 12 counties of 运城市 and the login ``city``, as ``yanzhen demo`` loads them
    (the suite's shared demo is Yongji's case alone), in this test's transaction."""
    province.load(DemoResult())


def _city() -> Client:
    client = Client()
    client.force_login(User.objects.get(username=province.CITY_USER[0]))
    return client


def test_the_city_has_its_13_counties_with_real_names_and_codes(demo_db: Demo) -> None:
    city = Unit.objects.get(code="140800", kind=UnitKind.CITY)
    assert sorted(Unit.objects.filter(parent=city, kind=UnitKind.COUNTY).values_list(
        "code", "name"
    )) == CITY_COUNTIES  # fmt: skip
    assert tally.differences() == []


def test_the_city_compares_its_counties_ranked(demo_db: Demo) -> None:
    body = _city().get(reverse("api:get_dashboard")).json()
    rows = body["by_county"]
    assert sorted((r["county"]["code"], r["county"]["name"]) for r in rows) == CITY_COUNTIES
    assert [r["rank"] for r in rows] == list(range(1, 14))
    yongji = next(r for r in rows if r["county"]["name"] == "永济市")
    assert yongji["rank"] == 1
    figures = {f["label"]: Decimal(str(f["value"])) for f in yongji["figures"]}
    assert [figures[k] for k in ("合作意向", "签约协议", "落地项目", "终止")] == [120, 81, 63, 4]
    assert figures["落地投资（万元）"] == Decimal("56369")
    assert [f["label"] for f in yongji["figures"][:6]] == [f["label"] for f in body["figures"]]
    assert yongji["figures"][0]["url"] == (
        reverse("reports:overview") + f"?unit={yongji['county']['id']}"
    )
    # The city's totals are the sums of its counties'.
    for index in range(3):
        total = sum(Decimal(str(r["figures"][index]["value"])) for r in rows)
        assert total == Decimal(str(body["figures"][index]["value"]))
    # Ranked by landed projects, then agreements, then intentions.
    keys = [(-int(r["figures"][2]["value"]), -int(r["figures"][1]["value"])) for r in rows]
    assert keys == sorted(keys)
    page = _city().get(reverse("reports:dashboard")).content.decode()
    assert "各县（市、区）对比" in page
    assert "盐湖区" in page
    # The drill-down: the county's year at a glance.
    drill = _city().get(yongji["figures"][0]["url"])
    assert drill.status_code == 200


def test_a_county_office_sees_nothing_of_another_county(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    body = demo_db.client("office").get(reverse("api:get_dashboard")).json()
    assert body["by_county"] is None
    assert [f["value"] for f in body["figures"][:3]] == ["120", "81", "63"]
    others = Cooperation.objects.filter(code__startswith="HZ1408")
    assert others.count() == 85  # the other 12 counties' (their codes carry the division)
    assert not cooperation_qs(office).filter(pk__in=others.values("pk")).exists()
    client = demo_db.client("office")
    assert "盐湖区" not in client.get(reverse("reports:dashboard")).content.decode()
    assert "盐湖区" not in client.get(reverse("core:unit_list"), {"q": "盐湖"}).content.decode()
    one = others.order_by("pk").first()
    assert one is not None
    detail = client.get(reverse("cooperation:cooperation_detail", args=[one.pk]))
    assert detail.status_code == 404
