"""Activities as first-class records: planned ahead (upcoming, then overdue until held), with
minutes, participants and files; history and revert, the version check, delete and restore
(the trash); only held activities count; list, filters, export and API within the scope."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import TODAY, Demo
from yanzhen.cooperation.models import (
    Activity,
    ActivityAttachment,
    ActivityParticipant,
    ActivityStatus,
    Cooperation,
)
from yanzhen.cooperation.services import activities as services
from yanzhen.core.errors import DomainError
from yanzhen.core.models import DataScope, Unit
from yanzhen.reference.models import University
from yanzhen.reports.selectors import dashboard

pytestmark = pytest.mark.usefixtures("demo_db")

NOON = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
OFFICE = "永济市省校合作办公室"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(NOON, tick=False):
        yield


def field_errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" role="alert">(.*?)</p>', html)


def listed(client: Client, **params: str) -> int:
    html = client.get(reverse("cooperation:activity_list"), params).content.decode()
    found = re.search(r"共 (\d+) 条", html)
    assert found is not None
    return int(found.group(1))


def form(**overrides: str) -> dict[str, str]:
    values = {
        "kind": "delegation",
        "title": "带队赴西安电子科技大学对接",
        "status": "planned",
        "date": "2026-12-15",
        "organizer_unit": str(Unit.objects.get(name=OFFICE).pk),
        "location": "西安",
        "universities": "西安电子科技大学",
        "participants": "冯雅琴，永济市省校合作办公室，主任\n"
        "石磊\t西安电子科技大学\t科学研究院副院长\n"
        "郝敏，中车永济电机有限公司，人力资源部部长、党委委员",
    }
    values.update(overrides)
    return values


def delegations(user: Any) -> int:
    board = dashboard(user=user, year=None, today=TODAY)
    return int({f.label: f.value for f in board.activities}["带队赴高校对接"])


def test_a_delegation_planned_for_next_month_is_upcoming_then_overdue_then_held(
    demo_db: Demo,
) -> None:
    client = demo_db.client("office")
    office = demo_db.users["office"]
    response = client.post(reverse("cooperation:activity_create"), form())
    assert response.status_code == 302
    activity = Activity.objects.get(title="带队赴西安电子科技大学对接")
    assert (activity.status, activity.date, activity.planned_date) == (
        "planned",
        dt.date(2026, 12, 15),
        dt.date(2026, 12, 15),
    )
    assert (listed(client, timing="upcoming"), listed(client, timing="overdue")) == (1, 0)
    detail = client.get(reverse("cooperation:activity_detail", args=[activity.pk])).content
    assert "即将举办" in detail.decode()
    assert delegations(office) == 5  # planned: not yet a delegation led to a university

    with time_machine.travel(dt.datetime(2026, 12, 20, 12, tzinfo=dt.UTC), tick=False):
        client = demo_db.client("office")  # a new session: the first one has long expired
        assert (listed(client, timing="upcoming"), listed(client, timing="overdue")) == (0, 1)
        html = client.get(reverse("cooperation:activity_detail", args=[activity.pk])).content
        assert "计划日期已过，尚未标记为已举办" in html.decode()
        edit = reverse("cooperation:activity_edit", args=[activity.pk])
        held = form(status="held", date="2026-12-18", version=str(activity.version))
        assert client.post(edit, held).status_code == 302
        assert (listed(client, timing="overdue"), listed(client, timing="held")) == (0, 12)
    activity.refresh_from_db()
    assert (activity.status, activity.date, activity.planned_date, activity.version) == (
        "held",
        dt.date(2026, 12, 18),
        dt.date(2026, 12, 15),
        2,
    )
    assert delegations(office) == 6


def test_dates_that_contradict_the_status_are_refused_beside_the_date(demo_db: Demo) -> None:
    client = demo_db.client("office")
    count = Activity.all_objects.count()
    past_plan = client.post(reverse("cooperation:activity_create"), form(date="2026-11-20"))
    assert field_errors(past_plan.content.decode()) == [
        "计划日期不能早于今天；已经举办的请选“已举办”"
    ]
    future_held = client.post(
        reverse("cooperation:activity_create"), form(status="held", date="2026-12-01")
    )
    assert field_errors(future_held.content.decode()) == [
        "已举办的活动，日期不能晚于今天；尚未举办的请选“计划中”"
    ]
    assert Activity.all_objects.count() == count


def test_minutes_and_participants_from_units_and_outside_are_kept_and_shown(
    demo_db: Demo,
) -> None:
    client = demo_db.client("office")
    minutes = "一、双方商定共建联合实验室。\n二、下月互派人员对接。"
    client.post(reverse("cooperation:activity_create"), form(minutes=minutes))
    activity = Activity.objects.get(title="带队赴西安电子科技大学对接")
    assert activity.minutes == minutes
    rows = [
        (p.name, p.unit.name if p.unit else None, p.organization, p.title, p.sort_order)
        for p in activity.participants.all()
    ]
    assert rows == [
        ("冯雅琴", OFFICE, "", "主任", 0),
        ("石磊", None, "西安电子科技大学", "科学研究院副院长", 1),
        ("郝敏", "中车永济电机有限公司", "", "人力资源部部长、党委委员", 2),
    ]
    html = client.get(reverse("cooperation:activity_detail", args=[activity.pk])).content.decode()
    assert "一、双方商定共建联合实验室。<br>二、下月互派人员对接。" in html
    assert "<td>石磊</td><td>西安电子科技大学</td><td>科学研究院副院长</td>" in html
    edit = client.get(reverse("cooperation:activity_edit", args=[activity.pk])).content.decode()
    assert "郝敏，中车永济电机有限公司，人力资源部部长、党委委员" in edit


def test_a_participant_without_a_unit_is_refused_naming_the_row(demo_db: Demo) -> None:
    client = demo_db.client("office")
    participants = ActivityParticipant.objects.count()
    response = client.post(
        reverse("cooperation:activity_create"),
        form(participants="冯雅琴，永济市省校合作办公室，主任\n\n石磊"),
    )
    assert field_errors(response.content.decode()) == ["第 2 位参加人员“石磊”：请填写所在单位"]
    assert not Activity.all_objects.filter(title="带队赴西安电子科技大学对接").exists()
    assert ActivityParticipant.objects.count() == participants


def test_changing_the_participants_keeps_those_who_stay_with_one_history_row_per_change(
    demo_db: Demo,
) -> None:
    client = demo_db.client("office")
    client.post(reverse("cooperation:activity_create"), form())
    activity = Activity.objects.get(title="带队赴西安电子科技大学对接")
    stays = activity.participants.get(name="石磊")
    before = ActivityParticipant.history.count()
    edit = reverse("cooperation:activity_edit", args=[activity.pk])
    changed = form(
        participants="石磊\t西安电子科技大学\t科学研究院副院长\n王越，西北工业大学，教授",
        version="1",
    )
    assert client.post(edit, changed).status_code == 302
    assert [(p.pk == stays.pk, p.name, p.sort_order) for p in activity.participants.all()] == [
        (True, "石磊", 0),
        (False, "王越", 1),
    ]
    types = sorted(
        ActivityParticipant.history.order_by("history_id")[before:].values_list(
            "history_type", "name"
        )
    )
    assert types == [("+", "王越"), ("-", "冯雅琴"), ("-", "郝敏"), ("~", "石磊")]


def test_files_are_bounded_and_served_only_within_the_scope(demo_db: Demo) -> None:
    client = demo_db.client("office")
    activity = Activity.objects.get(title="市委书记带队赴西安交通大学、西北工业大学对接")
    upload = reverse("cooperation:activity_attachment_add", args=[activity.pk])
    response = client.post(
        upload, {"title": "会谈纪要（签字版）", "file": SimpleUploadedFile("jy.pdf", b"%PDF-1")}
    )
    assert response.status_code == 302
    attachment = activity.attachments.get()
    url = reverse("cooperation:activity_attachment_download", args=[attachment.pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1"  # type: ignore[attr-defined]
    assert demo_db.client("town").get(url).status_code == 404
    with override_settings(YANZHEN_UPLOAD_MAX_BYTES=4):
        refused = client.post(
            upload, {"title": "过大", "file": SimpleUploadedFile("big.pdf", b"%PDF-1")}, follow=True
        )
    assert "文件：文件过大：上限 3.8147e-06 MB" in refused.content.decode()
    assert ActivityAttachment.objects.filter(activity=activity).count() == 1


def test_delete_takes_it_out_of_lists_figures_and_api_and_restore_brings_it_back(
    demo_db: Demo,
) -> None:
    client = demo_db.client("office")
    office = demo_db.users["office"]
    activity = Activity.objects.get(title="带队赴清华大学、北京理工大学对接")
    assert client.get(reverse("cooperation:activity_delete", args=[activity.pk])).status_code == 200
    response = client.post(reverse("cooperation:activity_delete", args=[activity.pk]))
    assert response["Location"] == reverse("cooperation:activity_list")
    assert listed(client) == 10
    assert delegations(office) == 4
    detail = reverse("cooperation:activity_detail", args=[activity.pk])
    assert client.get(detail).status_code == 404
    api = reverse("api:get_activity", kwargs={"activity_id": activity.pk})
    assert client.get(api).status_code == 404
    trash = client.get(reverse("cooperation:activity_trash")).content.decode()
    assert "带队赴清华大学、北京理工大学对接" in trash
    restore = client.post(reverse("cooperation:activity_restore", args=[activity.pk]))
    assert restore["Location"] == detail
    assert (listed(client), delegations(office)) == (11, 5)
    reasons = list(
        Activity.history.filter(id=activity.pk)
        .order_by("-history_id")
        .values_list("history_change_reason", "history_user__username")[:2]
    )
    assert reasons == [("恢复", "office"), ("删除", "office")]


def test_a_user_outside_the_scope_can_neither_delete_nor_restore(
    demo_db: Demo, make_user: Any
) -> None:
    town = Unit.objects.get(name="开张镇")
    clerk = make_user(
        town, DataScope.UNIT_AND_BELOW, ["cooperation.view_activity", "cooperation.delete_activity"]
    )
    client = Client()
    client.force_login(clerk)
    activity = Activity.objects.get(title="带队赴清华大学、北京理工大学对接")
    assert (
        client.post(reverse("cooperation:activity_delete", args=[activity.pk])).status_code == 404
    )
    services.activity_delete(actor=None, activity=activity)
    assert (
        client.post(reverse("cooperation:activity_restore", args=[activity.pk])).status_code == 404
    )
    assert Activity.all_objects.get(pk=activity.pk).deleted_at is not None


def test_an_edit_made_on_an_older_version_changes_nothing(demo_db: Demo) -> None:
    activity = Activity.objects.get(title="永济市产业人才需求推介会（太原）")
    office = demo_db.users["office"]
    data = services.ActivityData(
        kind=activity.kind,
        title=activity.title,
        date=activity.date,
        organizer_unit=activity.organizer_unit,
        summary="第一位编辑",
    )
    services.activity_update(actor=office, activity=activity, data=data, expected_version=1)
    data.summary = "第二位编辑"
    with pytest.raises(DomainError) as caught:
        services.activity_update(actor=office, activity=activity, data=data, expected_version=1)
    assert (caught.value.code, caught.value.status) == ("conflict", 409)
    activity.refresh_from_db()
    assert (activity.summary, activity.version) == ("第一位编辑", 2)


def test_a_revert_puts_back_the_fields_and_the_universities(demo_db: Demo) -> None:
    client = demo_db.client("office")
    activity = Activity.objects.get(title="永济市产业人才需求推介会（太原）")
    first = activity.history.order_by("history_id").first()
    assert first is not None
    edit = reverse("cooperation:activity_edit", args=[activity.pk])
    changed = {
        "kind": "promotion",
        "title": "永济市产业人才需求推介会（太原）",
        "status": "held",
        "date": "2021-04-10",
        "organizer_unit": str(activity.organizer_unit_id),
        "universities": "山西大学",
        "version": "1",
    }
    assert client.post(edit, changed).status_code == 302
    assert list(activity.universities.values_list("name", flat=True)) == ["山西大学"]
    revert = reverse("cooperation:activity_revert", args=[activity.pk, first.history_id])
    assert client.post(revert).status_code == 302
    activity.refresh_from_db()
    assert (activity.date, activity.location, activity.version) == (
        dt.date(2021, 4, 9),
        "太原",
        3,
    )
    assert sorted(activity.universities.values_list("name", flat=True)) == [
        "中北大学",
        "太原理工大学",
        "山西农业大学",
        "山西大学",
    ]
    html = client.get(reverse("cooperation:activity_detail", args=[activity.pk])).content.decode()
    assert "对接高校：山西大学 → " in html


def test_the_list_filters_and_exports_exactly_the_filtered_rows(demo_db: Demo) -> None:
    client = demo_db.client("office")
    params = {"kind": "delegation", "year": "2021", "timing": "held"}
    assert listed(client, **params) == 5
    response = client.get(reverse("cooperation:activity_list"), {**params, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows: list[list[Any]] = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:10] == [
        "日期", "状态", "活动类型", "活动名称", "组织单位", "带队领导", "地点", "对接高校",
        "参加人数", "促成合作数",
    ]  # fmt: skip
    assert [(r[0].date(), r[1], r[3], r[8], r[9]) for r in rows[1:]] == [
        (dt.date(2021, 7, 13), "已举办", "带队赴清华大学、北京理工大学对接", 0, 2),
        (dt.date(2021, 5, 19), "已举办", "带队赴武汉大学、华中科技大学对接", 0, 2),
        (dt.date(2021, 4, 27), "已举办", "带队赴西北农林科技大学对接", 0, 1),
        (dt.date(2021, 4, 8), "已举办", "市长带队赴中北大学、太原理工大学、太原科技大学对接", 0, 2),
        (dt.date(2021, 3, 16), "已举办", "市委书记带队赴西安交通大学、西北工业大学对接", 5, 2),
    ]  # fmt: skip
    bad = client.get(reverse("cooperation:activity_list"), {"timing": "someday"}).content.decode()
    assert "筛选条件“进度”不正确" in bad
    assert "共 11 条" in bad


def test_the_list_costs_the_same_queries_for_1_or_11_rows(demo_db: Demo) -> None:
    client = demo_db.client("office")
    client.get(reverse("cooperation:activity_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("cooperation:activity_list"), {"q": "云推介"})
    with CaptureQueriesContext(connection) as eleven:
        client.get(reverse("cooperation:activity_list"))
    assert listed(client, q="云推介") == 1
    assert len(one.captured_queries) == len(eleven.captured_queries)


def test_the_api_lists_creates_and_updates_within_the_scope(demo_db: Demo, make_user: Any) -> None:
    client = demo_db.client("office")
    office_unit = Unit.objects.get(name=OFFICE)
    xidian = University.objects.get(name="西安电子科技大学")
    coop = Cooperation.objects.get(title="牵引电机控制技术联合研发")
    body: dict[str, Any] = {
        "kind": "visit",
        "title": "走访西安电子科技大学",
        "status": "planned",
        "date": "2026-12-03",
        "organizer_unit_id": office_unit.pk,
        "university_ids": [xidian.pk],
        "cooperation_ids": [coop.pk],
        "participants": [
            {"name": "冯雅琴", "unit_id": office_unit.pk, "title": "主任"},
            {"name": "石磊", "organization": "西安电子科技大学"},
        ],
    }
    created = client.post(reverse("api:create_activity"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["timing"], out["planned_date"], out["version"]) == ("upcoming", "2026-12-03", 1)
    assert out["participants"] == [
        {"name": "冯雅琴", "unit": {"id": office_unit.pk, "name": OFFICE},
         "organization": "", "title": "主任"},
        {"name": "石磊", "unit": None, "organization": "西安电子科技大学", "title": ""},
    ]  # fmt: skip
    assert out["cooperations"] == [{"id": coop.pk, "name": str(coop)}]
    url = reverse("api:update_activity", kwargs={"activity_id": out["id"]})
    first = client.put(
        url, {**body, "title": "改名", "version": 1}, content_type="application/json"
    )
    assert first.status_code == 200
    conflict = client.put(url, {**body, "version": 1}, content_type="application/json")
    assert conflict.status_code == 409
    assert Activity.objects.get(pk=out["id"]).title == "改名"
    listing = client.get(reverse("api:list_activities"), {"timing": "upcoming"}).json()
    assert [(a["title"], a["timing"]) for a in listing["items"]] == [("改名", "upcoming")]
    town = Client()
    town.force_login(
        make_user(
            Unit.objects.get(name="开张镇"),
            DataScope.UNIT_AND_BELOW,
            ["cooperation.view_activity", "cooperation.add_activity"],
        )
    )
    assert (
        town.get(reverse("api:get_activity", kwargs={"activity_id": out["id"]})).status_code == 404
    )
    refused = town.post(
        reverse("api:create_activity"), body, content_type="application/json"
    ).json()
    assert refused["error"]["fields"] == {
        "organizer_unit_id": "组织单位不存在或不在您的数据范围内",
        "cooperation_ids": f"合作不存在或不在您的数据范围内：{coop.pk}",
        "participants": f"参加人员的单位不存在或不在您的数据范围内：{office_unit.pk}",
    }


def test_an_edit_keeps_the_cooperations_the_editor_cannot_see(
    demo_db: Demo, make_user: Any
) -> None:
    town = Unit.objects.get(name="开张镇")
    clerk = make_user(town, DataScope.UNIT_AND_BELOW, ["cooperation.view_activity"])
    hidden = Cooperation.objects.get(title="牵引电机控制技术联合研发")
    activity = services.activity_create(
        actor=None,
        data=services.ActivityData(
            kind="visit",
            title="开张镇走访",
            date=dt.date(2026, 11, 2),
            organizer_unit=town,
            cooperations=[hidden],
        ),
    )
    data = services.ActivityData(
        kind="visit", title="开张镇走访（改）", date=dt.date(2026, 11, 2), organizer_unit=town
    )
    services.activity_update(actor=clerk, activity=activity, data=data, expected_version=1)
    assert list(activity.cooperations.all()) == [hidden]
    data.cooperations = [hidden]
    with pytest.raises(DomainError) as caught:
        services.activity_create(actor=clerk, data=data)
    assert caught.value.fields == {"cooperations": f"“{hidden}”不在您的数据范围内"}
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.HELD
