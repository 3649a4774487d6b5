"""The apartment and college lists have filters on the page, and their exports hold exactly
the filtered rows."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.talent.conftest import World
from yanzhen.benefits import services
from yanzhen.college import services as college_services
from yanzhen.core.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def client_for(world: World, make_user: Callable[..., User], *perms: str) -> Client:
    client = Client()
    client.force_login(make_user(world.county, "unit_and_below", list(perms)))
    return client


def names(page: str) -> list[str]:
    body = page[page.index('<div id="rows"') :]
    return re.findall(r'<td><a href="/talent/(?:apartments|colleges)/\d+/">([^<]*)</a></td>', body)


def exported(client: Client, path: str, query: dict[str, str]) -> list[tuple[object, ...]]:
    response = client.get(path, {**query, "export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_apartment_list_filters_by_name_or_address_and_free_beds(
    world: World, make_user: Callable[..., User]
) -> None:
    east = services.apartment_create(actor=None, name="东区人才公寓",
                                   owner_unit=world.hrss, address="永济市舜都大道1号")  # fmt: skip
    services.room_create(actor=None, apartment=east, number="101", beds=2)
    services.apartment_create(actor=None, name="西区人才公寓",
                            owner_unit=world.hrss, address="永济市银杏路8号")  # fmt: skip
    client = client_for(world, make_user, "benefits.view_apartment", "talent.export_talent")
    path = reverse("talent:apartment_list")
    page = client.get(path).content.decode()
    assert '<form method="get" class="filters"' in page
    assert 'name="q"' in page
    assert 'name="free"' in page
    assert names(page) == ["东区人才公寓", "西区人才公寓"]
    assert names(client.get(path, {"q": "银杏路"}).content.decode()) == ["西区人才公寓"]
    assert names(client.get(path, {"free": "on"}).content.decode()) == ["东区人才公寓"]
    rows = exported(client, path, {"free": "on"})
    assert [r[:5] for r in rows] == [
        ("公寓", "管理单位", "地址", "房间", "床位"),
        ("东区人才公寓", "人社局", "永济市舜都大道1号", 1, 2),
    ]
    assert [r[0] for r in exported(client, path, {"q": "西区"})] == ["公寓", "西区人才公寓"]


def test_the_college_list_filters_by_name(world: World, make_user: Callable[..., User]) -> None:
    for name in ("永济面食培训学院", "永济农业技术学院"):
        college_services.college_create(actor=None, name=name, owner_unit=world.hrss)
    client = client_for(world, make_user, "college.view_college", "talent.export_talent")
    path = reverse("talent:college_list")
    page = client.get(path).content.decode()
    assert '<form method="get" class="filters"' in page
    assert names(page) == ["永济面食培训学院", "永济农业技术学院"]
    assert names(client.get(path, {"q": "面食"}).content.decode()) == ["永济面食培训学院"]
    assert exported(client, path, {"q": "农业"})[1:] == [("永济农业技术学院", "人社局", None, 0, 0)]
