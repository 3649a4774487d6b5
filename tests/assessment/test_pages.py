"""The create and edit pages of the assessment (``submit`` and ``form_page``): systems,
dimensions, indicators and periods are written through their ``<noun>_new`` and
``<noun>_edit`` pages; a refused form names its field in Chinese and saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.assessment.conftest import County, FakeData
from tests.assessment.test_periods import annual, feed, make_system
from yanzhen.assessment import services
from yanzhen.assessment.models import (
    Dimension,
    Entry,
    Indicator,
    IndicatorSystem,
    Period,
    ScoreItem,
)

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_default_system_is_created_on_its_page(place: County) -> None:
    client = place.client(place.office_user)
    url = reverse("assessment:system_new")
    assert 'value="省校合作量化考核指标体系"' in client.get(url).content.decode()
    data = {"name": "默认体系", "owner_unit": place.county.pk, "subject_kind": "base"}
    response = client.post(url, {**data, "template": "default"})
    system = IndicatorSystem.objects.get(name="默认体系")
    assert response["Location"] == reverse("assessment:system_detail", args=[system.pk])
    assert (system.dimensions.count(), system.indicators.count()) == (3, 10)
    viewer = place.client(place.viewer)
    assert viewer.post(url, {**data, "name": "越权", "template": "blank"}).status_code == 403
    assert not IndicatorSystem.objects.filter(name="越权").exists()


def test_dimensions_are_renamed_and_names_stay_unique(place: County, fake: FakeData) -> None:
    system = make_system(place)
    work = system.dimensions.get(name="工作推进")
    client = place.client(place.office_user)
    url = reverse("assessment:dimension_edit", args=[work.pk])
    refused = client.post(url, {"name": "合作成效", "sort_order": "0"})
    assert "维度名称重复" in refused.content.decode()
    response = client.post(url, {"name": "推进落实", "sort_order": "2"})
    assert response["Location"] == reverse("assessment:system_detail", args=[system.pk])
    work.refresh_from_db()
    assert (work.name, work.sort_order) == ("推进落实", 2)
    empty = services.dimension_create(actor=None, system=system, name="空维度")
    assert client.post(reverse("assessment:dimension_edit", args=[empty.pk]), {"delete": "1"})[
        "Location"
    ] == reverse("assessment:system_detail", args=[system.pk])
    assert not Dimension.objects.filter(pk=empty.pk).exists()


def test_an_indicator_is_changed_on_its_page(place: County, fake: FakeData) -> None:
    system = make_system(place)
    count = system.indicators.get(code="count")
    client = place.client(place.office_user)
    url = reverse("assessment:indicator_edit", args=[count.pk])
    page = client.get(url).content.decode()
    assert reverse("assessment:indicator_delete", args=[count.pk]) in page
    assert 'name="form" value="targets"' in page
    data = {"dimension": count.dimension_id, "code": "rate", "name": "签约数", "weight": "30",
            "normalization": "target", "source": "computed", "source_code": "fake.count",
            "sort_order": "1"}  # fmt: skip
    refused = client.post(url, data)
    assert "指标代码“rate”已被使用" in refused.content.decode()
    response = client.post(url, {**data, "code": "signed", "target": "9"})
    assert response["Location"] == reverse("assessment:system_detail", args=[system.pk])
    count.refresh_from_db()
    assert (count.code, count.weight, count.target, count.benefit, count.prorate) == (
        "signed",
        Decimal("30.00"),
        Decimal("9.00"),
        False,
        False,
    )
    assert Indicator.objects.filter(system=system).count() == 3


def test_a_period_is_created_on_its_page_and_moved_on_another(
    place: County, fake: FakeData
) -> None:
    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    system = make_system(place)
    client = place.client(place.office_user)
    url = reverse("assessment:period_new")
    data = {"system": system.pk, "name": "2021年度", "kind": "year", "start": "2021-01-01",
            "end": "2020-12-31"}  # fmt: skip
    refused = client.post(url, data)
    assert "不能早于开始日期" in refused.content.decode()
    assert Period.objects.count() == 0
    client.post(url, {**data, "end": "2021-12-31"})
    period = Period.objects.get()
    move = reverse("assessment:period_move", args=[period.pk])
    assert client.post(move, {"action": "compute"}).status_code == 302
    page = client.get(move).content.decode()
    assert "3 项指标值不可用（工作评价），请补录或更正" in page  # why it cannot be published
    refused = client.post(move, {"action": "publish"})
    assert refused.status_code == 400
    period.refresh_from_db()
    assert period.state == "review"
    duplicate = client.post(url, {**data, "end": "2021-12-31"})
    assert "名称重复" in duplicate.content.decode()
    assert Period.objects.filter(system=system).count() == 1


def test_a_cleared_evidence_field_enters_the_score_without_evidence(
    place: County, fake: FakeData
) -> None:
    feed(place, fake, rate=[100, 80, 50], count=[10, 4, 8])
    period = services.period_compute(actor=None, period=annual(make_system(place)))
    item = ScoreItem.objects.get(score__period=period, score__name="电机基地", code="review")
    client = place.client(place.office_user)
    url = reverse("assessment:item_edit", args=[item.pk])
    response = client.post(url, {"value": "8", "reason": "评分表", "evidence-clear": "on"})
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.value, entry.reason, bool(entry.evidence)) == (Decimal(8), "评分表", False)
