"""Needs surveys (who answered, reminders), experts, the survey spreadsheet's import (all or
nothing, held rows for uncertain universities) and the people who confirm them."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.conftest import Demo
from yanzhen.core.models import DataScope, Unit, User
from yanzhen.demand import excel
from yanzhen.demand.models import CampaignTarget, Expert, HeldRow, SurveyCampaign, TalentNeed
from yanzhen.notifications.models import Notification

pytestmark = pytest.mark.usefixtures("demo_db")

H1, H2 = "2021年上半年产业人才需求调查", "2021年下半年产业人才需求调查"
NEW_ENERGY = "永济新能源示范企业（演示）"


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def field_errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" role="alert">(.*?)</p>', html)


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash [^"]*" role="status">(.*?)</p>', html)


@pytest.fixture
def new_energy(make_user: Callable[..., User]) -> Client:
    """A login of a unit that has not answered the second survey."""
    user = make_user(
        unit(NEW_ENERGY),
        DataScope.UNIT,
        ["demand.view_talentneed", "demand.add_talentneed", "demand.view_surveycampaign"],
    )
    client = Client()
    client.force_login(user)
    return client


# Surveys -------------------------------------------------------------------------------------


def test_the_survey_page_shows_who_answered(demo_db: Demo) -> None:
    campaign = SurveyCampaign.objects.get(title=H2)
    client = demo_db.client("office")
    html = client.get(reverse("demand:campaign_detail", args=[campaign.pk])).content.decode()
    found = dict(re.findall(r'data-figure="(\w+)"><span class="value">(\d+)</span>', html))
    assert found == {"targets": "18", "answered": "15", "pending": "3", "needs": "14"}
    assert html.count('<tr data-answered="0">') == 3
    pending = client.get(reverse("demand:campaign_detail", args=[campaign.pk]), {"answered": "0"})
    names = re.findall(r'<tr data-answered="0">\s*<td>(.*?)</td>', pending.content.decode())
    assert names == [
        "永济新能源示范企业（演示）",
        "永济文旅示范企业（演示）",
        "永济电机配套示范企业（演示）",
    ]
    listed = client.get(reverse("demand:campaign_list")).content.decode()
    assert f'<a href="/demand/campaigns/{campaign.pk}/?answered=0">3</a>' in listed


def test_reminders_reach_the_units_that_have_not_answered_once_a_day(
    demo_db: Demo, new_energy: Client
) -> None:
    campaign = SurveyCampaign.objects.get(title=H2)
    url = reverse("demand:campaign_detail", args=[campaign.pk])
    recipient = User.objects.get(unit__name=NEW_ENERGY)
    response = demo_db.client("office").post(url, {"action": "remind"}, follow=True)
    assert flashes(response.content.decode()) == ["已向 3 个未填报单位发送催报提醒（1 条消息）"]
    note = Notification.objects.get(recipient=recipient)
    assert (note.kind, note.title, note.url) == ("survey.reminder", f"请填报：{H2}", url)
    assert (
        note.body
        == "请于 2021-09-30 前登录平台填报本单位的人才需求；如本次无需求，请点击“本次无需求”。"
    )
    demo_db.client("office").post(url, {"action": "remind"})
    assert Notification.objects.filter(recipient=recipient).count() == 1
    assert sorted(
        CampaignTarget.objects.filter(campaign=campaign, reminders__gt=0).values_list(
            "enterprise__name", "reminders"
        )
    ) == sorted(
        (name, 2)
        for name in (
            "永济新能源示范企业（演示）",
            "永济文旅示范企业（演示）",
            "永济电机配套示范企业（演示）",
        )
    )


def test_the_leader_cannot_remind_and_a_closed_survey_is_not_reminded(demo_db: Demo) -> None:
    second = SurveyCampaign.objects.get(title=H2)
    response = demo_db.client("leader").post(
        reverse("demand:campaign_detail", args=[second.pk]), {"action": "remind"}
    )
    assert response.status_code == 403
    assert not CampaignTarget.objects.filter(reminders__gt=0).exists()
    first = SurveyCampaign.objects.get(title=H1)
    response = demo_db.client("office").post(
        reverse("demand:campaign_detail", args=[first.pk]), {"action": "remind"}, follow=True
    )
    assert flashes(response.content.decode()) == ["该调查已结束，不再催报"]


def test_a_unit_answers_no_needs_this_time(new_energy: Client) -> None:
    campaign = SurveyCampaign.objects.get(title=H2)
    url = reverse("demand:campaign_detail", args=[campaign.pk])
    html = new_energy.get(url).content.decode()
    assert html.count("<tr data-answered=") == 1  # its own row only
    response = new_energy.post(url, {"action": "none"}, follow=True)
    assert flashes(response.content.decode()) == [f"{NEW_ENERGY}已填报：本次无需求"]
    target = CampaignTarget.objects.get(campaign=campaign, enterprise__name=NEW_ENERGY)
    assert (target.no_needs, target.answered_at) == (
        True,
        dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC),
    )


def test_filing_a_need_in_a_survey_answers_it(new_energy: Client) -> None:
    campaign = SurveyCampaign.objects.get(title=H2)
    own = unit(NEW_ENERGY)
    response = new_energy.post(
        reverse("demand:need_new"),
        {"enterprise": str(own.pk), "campaign": str(campaign.pk), "position": "光伏运维工程师",
         "degree": "bachelor", "number": "2", "urgency": "normal", "status": "open",
         "disciplines": ["0807"]},
    )  # fmt: skip
    assert response.status_code == 302
    target = CampaignTarget.objects.get(campaign=campaign, enterprise=own)
    assert (target.no_needs, target.answered_at is not None) == (False, True)
    assert TalentNeed.objects.get(position="光伏运维工程师").source == "enterprise"


def test_the_office_opens_a_survey_for_chosen_enterprises(demo_db: Demo) -> None:
    chosen = [unit("中车永济电机有限公司"), unit("光府科技有限公司")]
    response = demo_db.client("office").post(
        reverse("demand:campaign_new"),
        {"title": "2022年一季度人才需求调查", "owner_unit": str(unit("永济市省校合作办公室").pk),
         "opens_on": "2022-01-04", "deadline": "2022-01-31",
         "enterprises": [str(u.pk) for u in chosen], "description": "一季度"},
    )  # fmt: skip
    campaign = SurveyCampaign.objects.get(title="2022年一季度人才需求调查")
    assert response["Location"] == reverse("demand:campaign_detail", args=[campaign.pk])
    assert sorted(campaign.targets.values_list("enterprise__name", flat=True)) == sorted(
        u.name for u in chosen
    )
    bad = demo_db.client("office").post(
        reverse("demand:campaign_new"),
        {"title": "倒排", "owner_unit": str(unit("永济市省校合作办公室").pk),
         "opens_on": "2022-02-01", "deadline": "2022-01-31", "enterprises": [str(chosen[0].pk)]},
    )  # fmt: skip
    assert field_errors(bad.content.decode()) == ["截止日期不能早于开始日期"]


def test_the_api_lists_who_is_pending_and_sends_reminders(demo_db: Demo) -> None:
    campaign = SurveyCampaign.objects.get(title=H2)
    client = demo_db.client("office")
    url = reverse("api:demand_campaign_pending", kwargs={"campaign_id": campaign.pk})
    assert [t["enterprise"]["name"] for t in client.get(url).json()] == [
        "永济新能源示范企业（演示）", "永济文旅示范企业（演示）", "永济电机配套示范企业（演示）",
    ]  # fmt: skip
    sent = client.post(url).json()
    assert (len(sent["units"]), sent["notifications"]) == (3, 0)
    assert demo_db.client("leader").post(url).status_code == 403
    detail = client.get(reverse("api:demand_get_campaign", kwargs={"campaign_id": campaign.pk}))
    assert (detail.json()["targets"], detail.json()["answered"]) == (18, 15)


# Experts -------------------------------------------------------------------------------------


def expert_form(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "温立新",
        "university": "西交大",
        "department": "电气工程学院",
        "title": "教授",
        "disciplines": ["0808"],
        "directions": "牵引变流器、电力电子器件可靠性",
        "owner_unit": str(unit("永济市省校合作办公室").pk),
    }
    values.update(overrides)
    return values


def test_the_office_registers_an_expert_by_a_short_university_name(demo_db: Demo) -> None:
    response = demo_db.client("office").post(reverse("demand:expert_new"), expert_form())
    expert = Expert.objects.get(name="温立新")
    assert response["Location"] == reverse("demand:expert_detail", args=[expert.pk])
    assert (expert.university.name, [d.code for d in expert.disciplines.all()]) == (
        "西安交通大学", ["0808"],
    )  # fmt: skip
    html = (
        demo_db.client("office")
        .post(reverse("demand:expert_new"), expert_form(name="贺长青", university="山大"))
        .content.decode()
    )
    assert field_errors(html) == [
        "无法确定“山大”是哪所高校，请写全称（可能是：山东大学、山西大学）"
    ]
    assert not Expert.objects.filter(name="贺长青").exists()


def test_a_university_written_as_its_pinyin_initials_is_taken_when_only_one_has_them(
    demo_db: Demo,
) -> None:
    client = demo_db.client("office")
    client.post(reverse("demand:expert_new"), expert_form(university="xajtdx"))
    assert Expert.objects.get(name="温立新").university.name == "西安交通大学"
    html = client.post(
        reverse("demand:expert_new"), expert_form(name="贺长青", university="sxsfdx")
    ).content.decode()
    assert field_errors(html) == [
        "无法确定“sxsfdx”是哪所高校，请写全称（可能是：山西师范大学、陕西师范大学）"
    ]
    assert not Expert.objects.filter(name="贺长青").exists()


def test_the_expert_list_filters_and_exports(demo_db: Demo) -> None:
    client = demo_db.client("leader")
    html = client.get(reverse("demand:expert_list"), {"discipline": "0808"}).content.decode()
    assert "共 2 条" in html
    response = client.get(reverse("demand:expert_list"), {"q": "鲜食枣", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(c.header for c in excel.EXPERT_COLUMNS)
    assert [(r[1], r[5], r[6]) for r in rows[1:]] == [
        ("西北农林科技大学", "0902", "鲜食枣高效设施栽培、枣树育种、冬枣提质增效")
    ]
    from yanzhen.cooperation.models import Cooperation

    assert rows[1][7] == Cooperation.objects.get(title="鲜食枣高效设施栽培技术示范").code


def test_the_api_registers_an_expert(demo_db: Demo) -> None:
    from yanzhen.reference.models import University

    body = {"name": "龙佳琪", "university_id": University.objects.get(name="东华大学").pk,
            "discipline_codes": ["0821"], "directions": "数码印花"}  # fmt: skip
    client = demo_db.client("office")
    created = client.post(
        reverse("api:demand_create_expert"), body, content_type="application/json"
    )
    assert created.status_code == 201
    assert (created.json()["university"]["name"], created.json()["disciplines"]) == (
        "东华大学", [{"code": "0821", "name": "纺织科学与工程"}],
    )  # fmt: skip
    again = client.post(reverse("api:demand_create_expert"), body, content_type="application/json")
    assert again.json()["error"]["fields"] == {"name": "东华大学已有名为“龙佳琪”的专家"}


# Held rows -----------------------------------------------------------------------------------


def test_a_person_confirms_the_university_of_a_held_row(demo_db: Demo) -> None:
    held = HeldRow.objects.get(filename="专家名单（演示）.xlsx")
    client = demo_db.client("office")
    url = reverse("demand:held_resolve", args=[held.pk])
    page = client.get(url).content.decode()
    assert "“山大”是" in page
    assert "山东大学（相似度 67%）" in page
    assert "山西大学（相似度 67%）" in page
    assert field_errors(client.post(url, {}).content.decode()) == [
        "请为“山大”选择一所高校，或勾选舍弃此行"
    ]
    shanxi = next(c for c in held.pending[0]["candidates"] if c["name"] == "山西大学")
    response = client.post(url, {"choice_0": str(shanxi["id"])})
    expert = Expert.objects.get(name="高振华")
    assert response["Location"] == reverse("demand:expert_detail", args=[expert.pk])
    assert (expert.university.name, expert.directions) == ("山西大学", "金属材料热处理、表面工程")
    held.refresh_from_db()
    assert (held.outcome, held.resolved_by) == ("已新增专家 高振华", demo_db.users["office"])
    assert client.get(url)["Location"] == reverse("demand:held_list")
    assert demo_db.client("leader").post(url, {"drop": "on"}).status_code == 403


def test_a_held_row_may_be_dropped(demo_db: Demo) -> None:
    held = HeldRow.objects.get(filename="专家名单（演示）.xlsx")
    response = demo_db.client("office").post(
        reverse("demand:held_resolve", args=[held.pk]), {"drop": "on"}
    )
    assert response["Location"] == reverse("demand:held_list")
    held.refresh_from_db()
    assert held.outcome == "已舍弃"
    assert not Expert.objects.filter(name="高振华").exists()


# The survey spreadsheet ----------------------------------------------------------------------

HEADERS = [
    "需求编号", "需求单位", "岗位名称", "学科代码", "专业要求", "学历要求", "需求人数", "紧迫程度",
    "年薪下限（万元）", "年薪上限（万元）", "到岗期限", "需求描述", "意向高校", "所属调查", "状态",
    "填报日期",
]  # fmt: skip


def test_the_template_has_the_columns_of_the_export(demo_db: Demo) -> None:
    assert [c.header for c in excel.need_columns(demo_db.users["office"])] == HEADERS
    response = demo_db.client("leader").get(reverse("demand:need_import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    headers = next(sheet.iter_rows(values_only=True))
    assert [str(h).rstrip("*") for h in headers] == HEADERS


def row(values: dict[str, object] | None = None) -> list[object]:
    defaults: dict[str, object] = {
        "需求单位": "光府科技有限公司",
        "岗位名称": "激光熔覆工艺工程师",
        "学科代码": "0802、材料科学与工程",
        "学历要求": "硕士",
        "需求人数": 2,
        "紧迫程度": "急需",
        "年薪下限（万元）": 12.5,
        "年薪上限（万元）": 20,
        "到岗期限": dt.date(2022, 3, 31),
        "需求描述": "激光熔覆与增材制造工艺开发",
        "意向高校": "西工大",
        "所属调查": H2,
    }
    defaults.update(values or {})
    return [defaults.get(h) for h in HEADERS]


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, content: bytes) -> str:
    response = client.post(
        reverse("demand:need_import"), {"file": SimpleUploadedFile("调查表.xlsx", content)}
    )
    assert response.status_code == 200
    return response.content.decode()


def confirm(client: Client, html: str) -> str:
    token = re.search(r'name="token" value="(\w+)"', html)
    assert token is not None
    response = client.post(
        reverse("core:import_confirm", args=["needs"]), {"token": token.group(1)}, follow=True
    )
    return response.content.decode()


def test_the_survey_spreadsheet_is_previewed_then_imported_once(demo_db: Demo) -> None:
    client = demo_db.client("office")
    content = workbook(
        [row(), row({"需求单位": "天鹰无人机科技有限公司", "岗位名称": "植保无人机飞手",
                       "学科代码": "0825", "学历要求": "大专", "意向高校": "西安交通大"})]
    )  # fmt: skip
    before = TalentNeed.objects.count()
    preview = upload(client, content)
    assert "共 2 行记录，其中 2 行无误；跳过 0 行。将新增 2 项，更新 0 项，0 项无变化。" in preview
    assert "第3行：“西安交通大”按相似度识别为西安交通大学（置信度 91%）" in preview
    assert TalentNeed.objects.count() == before
    done = confirm(client, preview)
    assert flashes(done) == ["导入完成：新增 2 项，更新 0 项，未变 0 项"]
    need = TalentNeed.objects.get(position="激光熔覆工艺工程师")
    assert (need.source, need.campaign and need.campaign.title, need.number) == ("import", H2, 2)
    assert [u.name for u in need.preferred_universities.all()] == ["西北工业大学"]
    assert [d.code for d in need.disciplines.order_by("code")] == ["0802", "0805"]
    assert str(need.salary_min) == "12.5"
    again = upload(client, content)
    assert "将新增 0 项，更新 0 项，2 项无变化。" in again
    assert TalentNeed.objects.count() == before + 2


def test_a_file_with_any_error_imports_nothing_and_names_every_cell(demo_db: Demo) -> None:
    content = workbook(
        [
            row(),
            row({"需求单位": "不存在的公司", "岗位名称": "甲"}),
            row({"岗位名称": "乙", "学科代码": "9999", "需求人数": 0}),
            row({"岗位名称": "丙", "学历要求": "院士", "到岗期限": "明年"}),
            row({"岗位名称": "丁", "意向高校": "火星大学"}),
        ]
    )
    before = TalentNeed.objects.count()
    html = upload(demo_db.client("office"), content)
    errors = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert errors == [
        ("3", "B", "需求单位", "找不到单位“不存在的公司”（或不在您的数据范围内）"),
        ("4", "D", "学科代码", "无法识别学科“9999”，请写一级学科代码或名称"),
        ("4", "G", "需求人数", "需求人数至少为 1"),
        ("5", "F", "学历要求", "“院士”不在可选值中（博士、硕士、本科、大专、不限）"),
        (
            "5",
            "K",
            "到岗期限",
            "“明年”不是日期（可写成 2021-03-05、2021.3.5、2021/03/05 或 2021年3月5日）",
        ),
        ("6", "M", "意向高校", "无法识别高校“火星大学”，请写全称、常用简称或学校标识码"),
    ]
    assert "发现 6 处错误，整表未导入" in html
    assert TalentNeed.objects.count() == before


def test_a_row_naming_an_uncertain_university_is_an_error_naming_the_candidates(
    demo_db: Demo,
) -> None:
    client = demo_db.client("office")
    content = workbook([row(), row({"岗位名称": "表面工程师", "意向高校": "西交大、山大"})])
    preview = upload(client, content)
    assert "共 2 行记录，其中 1 行无误；跳过 0 行。" in preview
    errors = re.findall(
        r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", preview
    )
    assert errors == [
        ("3", "M", "意向高校", "“山大”可能是山东大学、山西大学，请写全称"),
    ]
    confirm(client, preview)
    assert not TalentNeed.objects.filter(position__in=["激光熔覆工艺工程师", "表面工程师"]).exists()
    assert not HeldRow.objects.filter(kind="need").exists()  # nothing is guessed, nothing held


def test_the_expert_list_is_imported_with_an_uncertain_university_left_out(
    demo_db: Demo,
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.header for c in excel.EXPERT_COLUMNS])
    sheet.append(["田振华", "西电", "", "教授", "", "0809", "集成电路设计", "", ""])
    sheet.append(["白浩然", "山大", "", "副教授", "", "0811", "工业机器人", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    client = demo_db.client("office")
    response = client.post(
        reverse("demand:expert_import"),
        {"file": SimpleUploadedFile("专家.xlsx", buffer.getvalue())},
    )
    html = response.content.decode()
    assert "共 2 行记录，其中 1 行无误；跳过 0 行。" in html
    assert "“山大”可能是山东大学、山西大学，请写全称" in html
    confirm_url = reverse("core:import_confirm", args=["experts"])
    token = re.search(r'name="token" value="(\w+)"', html)
    assert token is not None
    client.post(confirm_url, {"token": token.group(1), "skip_invalid": "1"})
    assert Expert.objects.get(name="田振华").university.name == "西安电子科技大学"
    assert not Expert.objects.filter(name="白浩然").exists()
    assert HeldRow.objects.filter(kind="expert", resolved_at__isnull=True).count() == 1
