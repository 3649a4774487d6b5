"""What was global is now per county (``CountySettings``): its local industries in their
groups, the e-mail sender, the home province of the recommendations and the format of new
cooperation codes; the office edits them on the settings page; Yongji keeps its values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.core.counties import home_province
from yanzhen.core.models import (
    CodeFormat,
    CountySettings,
)
from yanzhen.demand.recommendations import context_for
from yanzhen.reference.local import industry_groups

YONGJI_GROUPS = ["工业“六强五新”", "农产品加工集群", "文化旅游"]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 30, 2, tzinfo=dt.UTC), tick=False):
        yield


def form(settings: CountySettings, **changes: object) -> dict[str, object]:
    rules = settings.stage_rules
    data: dict[str, object] = {
        "office": settings.office_id,
        "reviewer": settings.reviewer,
        "version": settings.version,
        **{f"{s}_text": rules[s]["text"] for s in ("intention", "agreement", "landed")},
        **{f"{s}_evidence": "on" for s in ("agreement", "landed")},
        "industry_groups": "",
        "email_sender": settings.email_sender,
        "home_province": settings.home_province,
        "code_format": settings.code_format,
    }
    data.update(changes)
    return data


def test_yongji_keeps_the_values_that_were_global(demo_db: Demo) -> None:
    settings = CountySettings.objects.get(county__name="永济市")
    assert (settings.code_format, settings.home_province, settings.email_sender) == (
        CodeFormat.PLAIN,
        "山西省",
        "",
    )
    assert [g["name"] for g in settings.industry_groups] == YONGJI_GROUPS
    assert [len(g["industries"]) for g in settings.industry_groups] == [11, 4, 1]
    office = demo_db.users["office"]
    groups = industry_groups(office.unit)
    assert [(name, len(items)) for name, items in groups] == [
        ("工业“六强五新”", 11),
        ("农产品加工集群", 4),
        ("文化旅游", 1),
    ]
    assert groups[0][1][0].name == "电机电器与轨道交通装备"


def test_the_office_edits_industries_sender_province_and_code_format(demo_db: Demo) -> None:
    client = demo_db.client("office")
    settings = CountySettings.objects.get(county__name="永济市")
    url = reverse("core:county_settings_edit", args=[settings.pk])
    page = client.get(url).content.decode()
    assert "工业“六强五新”：YJ-L01、YJ-L02" in page
    response = client.post(
        url,
        form(
            settings,
            industry_groups="装备制造：YJ-L01、汽车零部件\n文旅康养：YJ-C01",
            email_sender="hzb@yongji.example.gov.cn",
            home_province="陕西省",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    settings.refresh_from_db()
    assert settings.industry_groups == [
        {"name": "装备制造", "industries": ["YJ-L01", "YJ-L02"]},
        {"name": "文旅康养", "industries": ["YJ-C01"]},
    ]
    assert (settings.email_sender, settings.home_province, settings.version) == (
        "hzb@yongji.example.gov.cn",
        "陕西省",
        2,
    )
    office = demo_db.users["office"]
    assert home_province(office.unit) == "陕西省"
    assert context_for(office).home_province == "陕西省"
    # The ledger's form offers the county's industries only.
    new = client.get(reverse("cooperation:cooperation_new")).content.decode()
    assert ">汽车零部件</option>" in new
    assert ">精细化工</option>" not in new
    # The dashboard's industry coverage follows the county's groups.
    board = client.get(reverse("reports:dashboard")).content.decode()
    assert "装备制造" in board


def test_a_wrong_industry_line_is_named_and_nothing_is_saved(demo_db: Demo) -> None:
    client = demo_db.client("office")
    settings = CountySettings.objects.get(county__name="永济市")
    url = reverse("core:county_settings_edit", args=[settings.pk])
    before = (settings.industry_groups, settings.home_province, settings.version)
    response = client.post(
        url,
        form(settings, industry_groups="装备制造：YJ-L01\n农业：苹果种植", home_province="陕西省"),
    )
    assert response.status_code == 200
    assert "本地产业及分组第2行：本地产业“苹果种植”不在产业目录中" in response.content.decode()
    repeated = client.post(url, form(settings, industry_groups="甲：YJ-L01\n乙：YJ-L01"))
    assert "本地产业及分组第2行：本地产业“YJ-L01”已在第1行" in repeated.content.decode()
    bad_sender = client.post(url, form(settings, email_sender="不是邮箱"))
    assert "输入一个有效的 Email 地址。" in bad_sender.content.decode()
    settings.refresh_from_db()
    assert (settings.industry_groups, settings.home_province, settings.version) == before
