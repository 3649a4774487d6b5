"""The assessment through its pages and API: configuring a system, creating, computing,
reviewing and publishing a period, the data scope of every list, and the query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessment.conftest import County, FakeData
from yanzhen.assessment import selectors, services
from yanzhen.assessment.models import (
    Dimension,
    Entry,
    IndicatorSystem,
    Period,
    PeriodState,
    ScoreItem,
)
from yanzhen.cooperation.models import Base

pytestmark = pytest.mark.django_db
D = dt.date


def build(place: County, fake: FakeData) -> IndicatorSystem:
    """A system made through the pages: one dimension, a computed and a hand-scored indicator."""
    client = place.client(place.office_user)
    response = client.post(
        reverse("assessment:system_new"),
        {"name": "县直部门考核", "owner_unit": place.county.pk, "subject_kind": "base", "template": "blank"},
    )  # fmt: skip
    system = IndicatorSystem.objects.get(name="县直部门考核")
    assert response["Location"] == reverse("assessment:system_detail", args=[system.pk])
    added = client.post(
        reverse("assessment:dimension_new", args=[system.pk]), {"name": "成效", "sort_order": "0"}
    )
    assert added["Location"] == reverse("assessment:system_detail", args=[system.pk])
    dimension = Dimension.objects.get(system=system)
    url = reverse("assessment:indicator_new", args=[system.pk])
    common = {"dimension": dimension.pk, "benefit": "on", "normalization": "target", "sort_order": "0"}  # fmt: skip
    client.post(url, {**common, "code": "count", "name": "签约数", "weight": "60",
                      "source": "computed", "source_code": "fake.count", "target": "8",
                      "prorate": "on", "measure": "项"})  # fmt: skip
    client.post(url, {**common, "code": "review", "name": "工作评价", "weight": "40",
                      "source": "manual", "target": "10"})  # fmt: skip
    fake.values["fake.count"] = {place.subject(i): Decimal(v) for i, v in enumerate((8, 4, 6))}
    return system


def test_a_system_is_configured_through_its_pages(place: County, fake: FakeData) -> None:
    system = build(place, fake)
    assert [
        (i.code, i.weight, i.source, i.source_code) for i in selectors.indicators_of(system)
    ] == [
        ("count", Decimal("60.00"), "computed", "fake.count"),
        ("review", Decimal("40.00"), "manual", ""),
    ]
    client = place.client(place.office_user)
    detail = reverse("assessment:system_detail", args=[system.pk])
    refused = client.post(
        reverse("assessment:indicator_new", args=[system.pk]),
        {"dimension": system.dimensions.get().pk, "code": "x", "name": "无来源", "weight": "10",
         "source": "computed", "normalization": "minmax"},
    )  # fmt: skip
    assert "自动计算的指标须选择数据来源" in refused.content.decode()
    assert system.indicators.count() == 2
    count = system.indicators.get(code="count")
    targets = client.post(
        reverse("assessment:indicator_edit", args=[count.pk]),
        {"form": "targets", f"t_base_{place.bases[0].pk}": "10"},
    )
    assert targets.status_code == 302
    assert count.targets.get().value == Decimal("10.00")
    edit = reverse("assessment:system_edit", args=[system.pk])
    matrix = client.post(edit, {"form": "pairwise", "a_0_1": "1/3"})
    assert matrix.status_code == 302
    system.refresh_from_db()
    assert system.pairwise == [[1.0, 1 / 3], [3.0, 1.0]]
    bad = client.post(edit, {"form": "pairwise", "a_0_1": "0"})
    assert "请填写 1–9 的判断值，如 3 或 1/3" in bad.content.decode()
    settings = client.post(
        edit,
        {"name": "县直部门考核", "subject_kind": "base", "aggregation": "topsis",
         "weighting": "ahp", "alpha": "0.5", "cap": "1.5"},
    )  # fmt: skip
    assert settings.status_code == 302
    system.refresh_from_db()
    assert (system.aggregation, system.weighting, system.cap) == ("topsis", "ahp", Decimal("1.50"))
    review = system.indicators.get(code="review")
    assert client.post(reverse("assessment:indicator_delete", args=[review.pk])).status_code == 302
    system.refresh_from_db()
    assert (system.indicators.count(), system.pairwise) == (1, [])  # the matrix no longer fits
    dimension = system.dimensions.get()
    kept = client.post(reverse("assessment:dimension_edit", args=[dimension.pk]), {"delete": "1"})
    assert "维度下还有指标，请先删除或移走指标" in kept.content.decode()
    assert Dimension.objects.filter(pk=dimension.pk).exists()
    viewer = place.client(place.viewer)
    assert viewer.get(detail).status_code == 200
    assert viewer.get(edit).status_code == 403
    new_dimension = reverse("assessment:dimension_new", args=[system.pk])
    assert viewer.post(new_dimension, {"name": "越权"}).status_code == 403
    assert Dimension.objects.filter(name="越权").count() == 0


def test_a_period_goes_from_creation_to_publication_through_the_pages(
    place: County, fake: FakeData
) -> None:
    system = build(place, fake)
    office = place.client(place.office_user)
    created = office.post(
        reverse("assessment:period_new"),
        {"system": system.pk, "name": "2021年度", "kind": "year", "start": "2021-01-01", "end": "2021-12-31"},
    )  # fmt: skip
    period = Period.objects.get(name="2021年度")
    assert created["Location"] == reverse("assessment:period_detail", args=[period.pk])
    move = reverse("assessment:period_move", args=[period.pk])
    assert office.post(move, {"action": "compute"}).status_code == 302
    page = office.get(reverse("assessment:period_detail", args=[period.pk])).content.decode()
    assert "3 项指标值不可用（工作评价），请补录或更正" in page
    items = {i.score.name: i for i in ScoreItem.objects.filter(score__period=period, code="review").select_related("score")}  # fmt: skip
    lead = place.client(place.lead_user)
    response = lead.post(
        reverse("assessment:item_edit", args=[items["电机基地"].pk]),
        {
            "value": "9",
            "reason": "专班运转良好",
            "evidence": SimpleUploadedFile("自评.pdf", b"%PDF"),
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.kind, entry.value, entry.entered_by) == ("manual", Decimal(9), place.lead_user)
    evidence = reverse("assessment:entry_evidence", args=[entry.pk])
    assert lead.get(evidence).status_code == 200
    assert lead.get(reverse("assessment:item_edit", args=[items["农业基地"].pk])).status_code == 404
    for name, value in (("化工基地", "6"), ("农业基地", "7")):
        office.post(
            reverse("assessment:item_edit", args=[items[name].pk]),
            {"value": value, "reason": "考核组评分"},
        )
    refused = office.post(move, {"action": "publish"})
    assert refused.status_code == 400
    assert "3 条人工评分或更正尚未审核" in refused.content.decode()
    own = office.post(reverse("assessment:item_edit", args=[items["化工基地"].pk]), {"review": "1"})
    assert own.status_code == 200  # the office may not review its own entry
    reviewer = place.client(place.reviewer)
    assert (
        reviewer.post(
            reverse("assessment:item_edit", args=[items["电机基地"].pk]), {"review": "1"}
        ).status_code
        == 302
    )
    assert reviewer.post(move, {"action": "review_all"}).status_code == 302
    assert office.post(move, {"action": "publish"}).status_code == 302
    period.refresh_from_db()
    assert period.state == PeriodState.PUBLISHED
    # The lead department sees its two bases in the ranking, the API and the 通报; never the third.
    html = lead.get(reverse("assessment:period_detail", args=[period.pk])).content.decode()
    ranking = html.split('id="ranking">')[1].split("</section>")[0]
    assert (ranking.count("<tr data-subject="), "农业基地" in ranking) == (2, False)
    api = lead.get(reverse("api:get_assessment_period", args=[period.pk])).json()
    assert [(r["name"], r["total"]) for r in api["ranking"]] == [
        ("电机基地", "96.00"),
        ("化工基地", "54.00"),
    ]
    sheet = openpyxl.load_workbook(
        io.BytesIO(lead.get(f"/assessment/periods/{period.pk}/?export=xlsx").content)
    ).active
    assert sheet is not None
    names = [row[1].value for row in sheet.iter_rows(min_row=5, max_row=6)]
    assert names == ["电机基地", "化工基地"]
    score = api["ranking"][0]["score_id"]
    detail = lead.get(reverse("api:get_assessment_score", args=[score])).json()
    assert [(i["code"], i["status"], i["points"]) for i in detail["items"]] == [
        ("count", "computed", "60.00"), ("review", "manual", "36.00"),
    ]  # fmt: skip
    other = next(s for s in api["ranking"] if s["name"] == "化工基地")["score_id"]
    assert lead.get(reverse("api:get_assessment_score", args=[other])).status_code == 200
    third = period.scores.get(name="农业基地").pk
    assert lead.get(reverse("api:get_assessment_score", args=[third])).status_code == 404
    assert lead.get(reverse("assessment:score_detail", args=[third])).status_code == 404


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_ranking_and_list_pages_make_no_query_per_row(place: County, fake: FakeData) -> None:
    system = build(place, fake)
    period = services.period_create(
        actor=None, system=system, name="2021年度", kind="year", start=D(2021, 1, 1), end=D(2021, 12, 31)
    )  # fmt: skip
    services.period_compute(actor=None, period=period)
    client = place.client(place.office_user)
    urls = [
        reverse("assessment:period_detail", args=[period.pk]),
        reverse("assessment:period_list"),
        reverse("assessment:trend") + f"?system={system.pk}&kind=year",
    ]
    before = [queries(client, url) for url in urls]
    for n in range(4, 10):
        base = Base.objects.create(
            code=f"B{n}", name=f"第{n}基地", county=place.county, lead_department=place.lead, sort_order=n
        )  # fmt: skip
        fake.values["fake.count"][("base", base.pk)] = Decimal(n)
    services.period_compute(actor=None, period=period)
    assert period.scores.count() == 9
    assert [queries(client, url) for url in urls] == before
