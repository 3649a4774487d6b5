"""信息报送: towns send 工作信息 with photos (bounded), the office adopts it into a 工作简报 issue or
returns it with a comment (the submitter is told), adoptions per unit are the assessment's
indicator source 信息采用数, the county's 专报 are recorded; lists are scoped, filtered and
exported; the API follows the same rules."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.conftest import Demo
from yanzhen.assessment.sources import all_sources
from yanzhen.core.indicators import Subject
from yanzhen.core.models import Unit
from yanzhen.demo.reports import BULLETIN_TITLE
from yanzhen.notifications.models import Notification
from yanzhen.reports.models import (
    Briefing,
    InfoState,
    OutgoingReport,
    WorkInfo,
    WorkInfoPhoto,
)

pytestmark = pytest.mark.usefixtures("demo_db")


def _png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def _listed(client: Client, url: str, **params: str) -> int:
    html = client.get(url, params).content.decode()
    found = re.search(r"共 (\d+) 条", html)
    assert found is not None, html[:500]
    return int(found.group(1))


def _bulletin() -> Briefing:
    return Briefing.objects.get(title=BULLETIN_TITLE)


def _waiting(unit_name: str = "开张镇") -> WorkInfo:
    return WorkInfo.objects.filter(unit__name=unit_name, state=InfoState.SUBMITTED).order_by("pk")[
        0
    ]


def test_the_demo_has_items_per_town_some_adopted_into_the_bulletin() -> None:
    assert WorkInfo.objects.count() == 21
    counts = {s: WorkInfo.objects.filter(state=s).count() for s in InfoState.values}
    assert counts == {"submitted": 14, "adopted": 6, "returned": 1}
    assert WorkInfo.objects.filter(briefing=_bulletin()).count() == 6
    assert OutgoingReport.objects.get().briefing == _bulletin()
    assert WorkInfoPhoto.objects.count() == 1


def test_the_office_lists_all_and_a_town_only_its_own(demo_db: Demo) -> None:
    url = reverse("reports:info_list")
    assert _listed(demo_db.client("office"), url) == 21
    assert _listed(demo_db.client("office"), url, state="adopted") == 6
    town = demo_db.client("town")
    assert _listed(town, url) == 2
    other = WorkInfo.objects.exclude(unit__name="开张镇").order_by("pk")[0]
    assert town.get(reverse("reports:info_detail", args=[other.pk])).status_code == 404
    photo = WorkInfoPhoto.objects.get()
    assert (
        demo_db.client("base").get(reverse("reports:info_photo", args=[photo.pk])).status_code
        == 404
    )


def test_the_list_exports_exactly_the_filtered_rows(demo_db: Demo) -> None:
    response = demo_db.client("office").get(
        reverse("reports:info_list"), {"state": "adopted", "export": "xlsx"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[4] == "已采用"]
    assert len(rows) == 6
    assert {r[5] for r in rows} == {"省校合作工作简报第12期"}


def test_a_town_submits_with_a_photo(demo_db: Demo) -> None:
    client = demo_db.client("town")
    photo = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    response = client.post(
        reverse("reports:info_new"),
        {"title": "开张镇签约新项目", "text": "开张镇与某大学签约。", "date": "2021-12-20",
         "photos": [photo]},
    )  # fmt: skip
    assert response.status_code == 302
    item = WorkInfo.objects.get(title="开张镇签约新项目")
    assert (item.unit.name, item.state, item.submitted_by.username) == (
        "开张镇",
        "submitted",
        "town",
    )
    stored = item.photos.get()
    assert (stored.name, stored.width, stored.height) == ("现场.png", 40, 30)
    shown = client.get(reverse("reports:info_photo", args=[stored.pk]))
    assert shown["Content-Type"] == "image/png"
    assert shown.getvalue() == _png()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.gif", b"GIF89a" + b"\x00" * 30, "须为 JPEG 或 PNG 格式"),
        ("a.png", b"\x89PNG\r\n\x1a\nbroken", "无法识别或已损坏"),
    ],
)
def test_a_bad_photo_is_refused_and_nothing_saved(
    demo_db: Demo, name: str, data: bytes, message: str
) -> None:
    if name.endswith(".gif"):
        out = io.BytesIO()
        Image.new("RGB", (4, 4)).save(out, format="GIF")
        data = out.getvalue()
    before = WorkInfo.objects.count()
    response = demo_db.client("town").post(
        reverse("reports:info_new"),
        {"title": "带图信息", "text": "正文", "date": "2021-12-20",
         "photos": [SimpleUploadedFile(name, data)]},
    )  # fmt: skip
    assert response.status_code == 200
    assert f"第1张图片（{name}）" in response.content.decode()
    assert message in response.content.decode()
    assert WorkInfo.objects.count() == before
    assert WorkInfoPhoto.objects.count() == 1


def test_photos_past_the_bounds_are_refused(demo_db: Demo, settings: object) -> None:
    settings.YANZHEN_INFO_PHOTO_MAX_PIXELS = 1000  # type: ignore[attr-defined]
    settings.YANZHEN_INFO_PHOTO_MAX_COUNT = 2  # type: ignore[attr-defined]
    client = demo_db.client("town")
    big = SimpleUploadedFile("大图.png", _png(50, 30))
    response = client.post(
        reverse("reports:info_new"),
        {"title": "x", "text": "y", "date": "2021-12-20", "photos": [big]},
    )
    assert "第1张图片（大图.png）像素过多" in response.content.decode()
    three = [SimpleUploadedFile(f"{i}.png", _png()) for i in range(3)]
    response = client.post(
        reverse("reports:info_new"),
        {"title": "x", "text": "y", "date": "2021-12-20", "photos": three},
    )
    assert "图片过多：每条信息最多 2 张" in response.content.decode()
    assert not WorkInfo.objects.filter(title="x").exists()


def test_a_blank_title_is_named_and_nothing_saved(demo_db: Demo) -> None:
    before = WorkInfo.objects.count()
    response = demo_db.client("town").post(
        "/api/v1/info",
        {"title": "   ", "text": "正文", "date": "2021-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"title": "请填写标题"}
    assert WorkInfo.objects.count() == before


def test_the_office_adopts_and_the_submitter_is_told(demo_db: Demo) -> None:
    item = _waiting()
    response = demo_db.client("office").post(
        reverse("reports:info_adopt", args=[item.pk]),
        {"briefing": _bulletin().pk, "comment": "采用", "version": item.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.briefing, item.decided_by) == (
        "adopted", _bulletin(), demo_db.users["office"],
    )  # fmt: skip
    told = Notification.objects.filter(recipient=demo_db.users["town"], kind="info.decided")
    assert [n.title for n in told if item.title in n.title] == [
        f"信息已采用：{item.title}（省校合作工作简报第12期）"
    ]
    again = demo_db.client("office").post(
        reverse("reports:info_return", args=[item.pk]), {"comment": "x", "version": item.version}
    )
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.state == "adopted"


def test_a_town_may_not_adopt(demo_db: Demo) -> None:
    item = _waiting()
    response = demo_db.client("town").post(
        reverse("reports:info_adopt", args=[item.pk]),
        {"briefing": _bulletin().pk, "version": item.version},
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.state, item.briefing_id) == ("submitted", None)


def test_a_return_needs_a_comment_and_a_returned_item_goes_up_again(demo_db: Demo) -> None:
    item = _waiting()
    office = demo_db.client("office")
    url = reverse("reports:info_return", args=[item.pk])
    office.post(url, {"comment": "", "version": item.version})
    item.refresh_from_db()
    assert item.state == "submitted"
    office.post(url, {"comment": "请补充数据", "version": item.version})
    item.refresh_from_db()
    assert (item.state, item.comment) == ("returned", "请补充数据")
    assert (
        Notification.objects.filter(
            recipient=demo_db.users["town"], title=f"信息被退回：{item.title}"
        ).count()
        == 1
    )
    response = demo_db.client("town").post(
        reverse("reports:info_edit", args=[item.pk]),
        {"title": item.title, "text": "补充后的正文", "date": "2021-12-03",
         "version": item.version},
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.text) == ("submitted", "补充后的正文")


def test_adoptions_per_unit_are_an_indicator_source(demo_db: Demo) -> None:
    source = all_sources().get("reports.info_adopted")
    assert source is not None
    assert source.label == "信息采用数"
    county = Unit.objects.get(name="永济市")
    towns = list(
        Unit.objects.filter(parent=county, kind__in=["town", "street"]).order_by("sort_order", "pk")
    )
    today = timezone.localdate()
    subjects: list[Subject] = [("unit", county.pk), *(("unit", t.pk) for t in towns)]
    values = source.compute(subjects, dt.date(2021, 1, 1), today + dt.timedelta(days=1))
    assert values[("unit", county.pk)] == 6
    assert [int(values[("unit", t.pk)]) for t in towns] == [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]
    none = source.compute(subjects, dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert set(none.values()) == {0}  # adopted today, not in 2021
    assert source.records_url is not None
    client = demo_db.client("office")
    for subject in subjects:
        url = source.records_url(subject, dt.date(2021, 1, 1), today + dt.timedelta(days=1))
        assert _listed(client, url) == values[subject], subject


def test_the_api_submits_adopts_and_returns(demo_db: Demo) -> None:
    town, office = demo_db.client("town"), demo_db.client("office")
    created = town.post(
        "/api/v1/info",
        {"title": "API信息", "text": "正文", "date": "2021-12-01"},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["unit"], body["state"], body["version"]) == ("开张镇", "submitted", 1)
    refused = town.post(
        f"/api/v1/info/{body['id']}/adopt",
        {"briefing_id": _bulletin().pk, "version": 1},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"]
    empty = office.post(
        f"/api/v1/info/{body['id']}/return", {"comment": "", "version": 1},
        content_type="application/json",
    )  # fmt: skip
    assert empty.status_code == 400
    assert empty.json()["error"]["fields"] == {"comment": "退回时请填写意见"}
    adopted = office.post(
        f"/api/v1/info/{body['id']}/adopt",
        {"briefing_id": _bulletin().pk, "version": 1},
        content_type="application/json",
    )
    assert adopted.status_code == 200
    assert (adopted.json()["state"], adopted.json()["issue"]) == ("adopted", 12)
    listed = town.get("/api/v1/info", {"state": "adopted"}).json()
    assert [i["title"] for i in listed["items"]] == ["API信息"]
    twice = office.post(
        f"/api/v1/info/{body['id']}/adopt",
        {"briefing_id": _bulletin().pk, "version": 2},
        content_type="application/json",
    )
    assert twice.status_code == 409
    assert twice.json()["error"]["message"] == "该信息已处理，不能再次采用或退回"


def test_the_office_records_a_report_and_the_leader_may_not(demo_db: Demo) -> None:
    url = reverse("reports:outgoing_new")
    data = {"briefing": _bulletin().pk, "recipient": "山西省委组织部", "sent_on": "2022-01-05"}
    assert demo_db.client("leader").post(url, data).status_code == 403
    assert OutgoingReport.objects.count() == 1
    assert demo_db.client("office").post(url, data).status_code == 302
    report = OutgoingReport.objects.get(recipient="山西省委组织部")
    assert (report.briefing, report.sent_on) == (_bulletin(), dt.date(2022, 1, 5))
    listed = demo_db.client("leader").get("/api/v1/outgoing-reports").json()
    assert [r["recipient"] for r in listed["items"]] == [
        "山西省委组织部",
        "运城市省校合作工作领导小组办公室",
    ]
    assert demo_db.client("town").get(reverse("reports:outgoing_list")).status_code == 403
