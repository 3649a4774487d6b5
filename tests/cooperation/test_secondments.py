"""Secondments (挂职) as the one record of each secondment: the talent registry's seconded
cadre is a link that follows it, every count reads it once; history and revert, the version
check, delete and restore (the trash); list, filters, export and API within the scope."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import TODAY, Demo
from yanzhen.cooperation.models import Secondment
from yanzhen.cooperation.services import secondments as services
from yanzhen.core.errors import DomainError
from yanzhen.core.models import DataScope, Person, Unit
from yanzhen.core.selectors import person_qs
from yanzhen.core.services import person_create
from yanzhen.reference.models import University
from yanzhen.reports.selectors import dashboard
from yanzhen.talent import services as talent_services
from yanzhen.talent.indicators import SOURCES
from yanzhen.talent.models import Talent

pytestmark = pytest.mark.usefixtures("demo_db")

ZONE = "永济经济技术开发区管委会"
POST = "永济经济技术开发区管委会副主任（挂职）"
YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def field_errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" role="alert">(.*?)</p>', html)


def total(client: Client, url: str, **params: str) -> int:
    html = client.get(url, params).content.decode()
    found = re.search(r"共 (\d+) 条", html)
    assert found is not None, html[:300]
    return int(found.group(1))


def seconded_in_registry(client: Client) -> int:
    return total(client, reverse("talent:talent_list"), talent_type="seconded")


def dashboard_secondments(user: Any) -> int:
    board = dashboard(user=user, year=None, today=TODAY)
    return int({f.label: f.value for f in board.activities}["挂职交流"])


def hosted_in_2026() -> int:
    county = Unit.objects.get(name="永济市").pk
    source = next(s for s in SOURCES if s.code == "talent.interns_hosted")
    return int(source.compute([("unit", county)], *YEAR_2026)[("unit", county)])


def newcomer() -> Person:
    return person_create(
        actor=None, name="柳青岚", unit=Unit.objects.get(name=ZONE), degree="master"
    )


def form(person: Person, **overrides: str) -> dict[str, str]:
    values = {
        "person": str(person.pk),
        "university": "西安交通大学",
        "host_unit": str(Unit.objects.get(name=ZONE).pk),
        "post": "开发区科技创新局副局长（挂职）",
        "start_date": "2026-09-01",
        "end_date": "2027-08-31",
    }
    values.update(overrides)
    return values


def test_the_demo_secondee_is_one_secondment_and_the_registry_links_to_it(demo_db: Demo) -> None:
    secondment = Secondment.objects.get()
    talent = Talent.objects.get(talent_type="seconded")
    assert talent.secondment == secondment
    assert (
        talent.person_id, talent.employer_id, talent.university_id, talent.start_date,
        talent.end_date, talent.note, talent.channel, talent.degree,
    ) == (
        secondment.person_id, secondment.host_unit_id, secondment.university_id,
        dt.date(2021, 6, 1), dt.date(2022, 5, 31), POST, "secondment", "doctor",
    )  # fmt: skip
    assert dashboard_secondments(demo_db.users["office"]) == 1
    assert seconded_in_registry(demo_db.client("office")) == 1


def test_a_new_secondment_is_counted_once_everywhere(demo_db: Demo) -> None:
    client = demo_db.client("office")
    person = newcomer()
    before = (dashboard_secondments(demo_db.users["office"]), hosted_in_2026())
    response = client.post(reverse("cooperation:secondment_create"), form(person))
    assert response.status_code == 302
    secondment = Secondment.objects.get(person=person)
    talent = Talent.objects.get(secondment=secondment)
    assert (talent.talent_type, talent.employer.name, talent.university.name) == (  # type: ignore[union-attr]
        "seconded",
        ZONE,
        "西安交通大学",
    )
    assert (talent.degree, talent.start_date, talent.history.get().history_user) == (
        "master",
        dt.date(2026, 9, 1),
        demo_db.users["office"],
    )
    assert before == (1, 0)
    assert (dashboard_secondments(demo_db.users["office"]), hosted_in_2026()) == (2, 1)
    assert seconded_in_registry(client) == 2
    assert total(client, reverse("talent:talent_list"), group="hosted", year="2026") == 1


def test_editing_the_secondment_moves_its_registry_entry_with_it(demo_db: Demo) -> None:
    client = demo_db.client("office")
    secondment = Secondment.objects.get()
    talent = Talent.objects.get(secondment=secondment)
    edit = reverse("cooperation:secondment_edit", args=[secondment.pk])
    changed = {
        "person": str(secondment.person_id),
        "university": "武汉大学",
        "host_unit": str(Unit.objects.get(name="永济市科学技术局").pk),
        "post": "科技局副局长（挂职）",
        "start_date": "2021-07-01",
        "end_date": "2022-06-30",
        "cooperation": str(secondment.cooperation_id),
        "version": "1",
    }
    assert client.post(edit, changed).status_code == 302
    talent.refresh_from_db()
    assert (talent.employer.name, talent.start_date, talent.end_date, talent.note) == (
        "永济市科学技术局",
        dt.date(2021, 7, 1),
        dt.date(2022, 6, 30),
        "科技局副局长（挂职）",
    )
    latest = talent.history.order_by("-history_id").first()
    assert latest is not None
    assert (latest.history_type, latest.history_user) == ("~", demo_db.users["office"])
    assert Talent.objects.filter(talent_type="seconded").count() == 1


def test_the_registry_refuses_to_change_what_the_secondment_holds(demo_db: Demo) -> None:
    talent = Talent.objects.get(talent_type="seconded")
    office = demo_db.users["office"]
    with pytest.raises(DomainError) as caught:
        talent_services.talent_update(
            actor=office, talent=talent, employer=Unit.objects.get(name="开张镇")
        )
    assert caught.value.fields == {
        "employer": "挂职干部的用人（接收）单位以挂职交流记录为准，请在“挂职交流”中修改"
    }
    talent.refresh_from_db()
    assert talent.employer.name == ZONE
    talent_services.talent_update(actor=office, talent=talent, degree="master")
    assert Talent.objects.get(pk=talent.pk).degree == "master"
    edit = demo_db.client("office").get(reverse("talent:talent_detail", args=[talent.pk]))
    assert reverse("cooperation:secondment_detail", args=[talent.secondment_id]) in (
        edit.content.decode()
    )


def test_a_seconded_cadre_is_filed_as_a_secondment_not_in_the_registry(demo_db: Demo) -> None:
    person = newcomer()
    count = Talent.objects.count()
    with pytest.raises(DomainError) as caught:
        talent_services.talent_create(
            actor=demo_db.users["office"],
            person=person,
            talent_type="seconded",
            employer=Unit.objects.get(name=ZONE),
            channel="secondment",
            start_date=dt.date(2026, 9, 1),
        )
    assert caught.value.fields == {"talent_type": "挂职干部请在“挂职交流”中登记，人才库随之列入"}
    assert Talent.objects.count() == count


def test_delete_takes_it_out_of_every_count_and_restore_brings_it_back(demo_db: Demo) -> None:
    client = demo_db.client("office")
    office = demo_db.users["office"]
    secondment = Secondment.objects.get()
    talent = Talent.objects.get(secondment=secondment)
    county = Unit.objects.get(name="永济市").pk
    source = next(s for s in SOURCES if s.code == "talent.interns_hosted")
    year_2021 = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))

    def counts() -> tuple[int, int, int, int]:
        hosted = int(source.compute([("unit", county)], *year_2021)[("unit", county)])
        listed = total(client, reverse("cooperation:secondment_list"))
        return dashboard_secondments(office), hosted, seconded_in_registry(client), listed

    assert counts() == (1, 70, 1, 1)
    response = client.post(reverse("cooperation:secondment_delete", args=[secondment.pk]))
    assert response["Location"] == reverse("cooperation:secondment_list")
    assert counts() == (0, 69, 0, 0)
    assert client.get(reverse("talent:talent_detail", args=[talent.pk])).status_code == 404
    trash = client.get(reverse("cooperation:secondment_trash")).content.decode()
    assert POST not in trash
    assert secondment.person.name in trash
    client.post(reverse("cooperation:secondment_restore", args=[secondment.pk]))
    assert counts() == (1, 70, 1, 1)
    assert list(
        Secondment.history.filter(id=secondment.pk)
        .order_by("-history_id")
        .values_list("history_change_reason", flat=True)[:2]
    ) == ["恢复", "删除"]


def test_a_second_secondment_starting_the_same_day_is_refused(demo_db: Demo) -> None:
    client = demo_db.client("office")
    # A secondee the office may choose: a person of its county (the demo's secondee is filed
    # under 武汉大学, outside the office's county scope, so the form does not offer them).
    choosable = person_qs(demo_db.users["office"]).filter(secondments__isnull=True)
    person = choosable.order_by("pk").first()
    assert person is not None
    duplicate = form(person, start_date="2021-06-01", end_date="")
    created = client.post(reverse("cooperation:secondment_create"), duplicate)
    assert created.status_code == 302, field_errors(created.content.decode())
    secondment = Secondment.objects.get(person=person)
    count = Secondment.all_objects.count()
    response = client.post(reverse("cooperation:secondment_create"), duplicate)
    name = person.name
    assert field_errors(response.content.decode()) == [f"{name}已有同一开始日期的挂职记录"]
    services.secondment_delete(actor=None, secondment=secondment)
    response = client.post(reverse("cooperation:secondment_create"), duplicate)
    assert field_errors(response.content.decode()) == [
        f"{name}已有同一开始日期的挂职记录（在回收站中，可以恢复）"
    ]
    assert Secondment.all_objects.count() == count


def test_an_edit_on_an_older_version_is_a_conflict_and_changes_nothing(demo_db: Demo) -> None:
    client = demo_db.client("office")
    secondment = Secondment.objects.get()
    url = reverse("api:update_secondment", kwargs={"secondment_id": secondment.pk})
    body = {
        "person_id": secondment.person_id,
        "university_id": secondment.university_id,
        "host_unit_id": secondment.host_unit_id,
        "post": "第一位编辑",
        "start_date": "2021-06-01",
        "end_date": "2022-05-31",
        "version": 1,
    }
    assert client.put(url, body, content_type="application/json").status_code == 200
    conflict = client.put(url, {**body, "post": "第二位编辑"}, content_type="application/json")
    assert conflict.status_code == 409
    assert conflict.json()["error"]["fields"] == {"version": "记录已被他人修改"}
    secondment.refresh_from_db()
    assert (secondment.post, secondment.version) == ("第一位编辑", 2)
    assert Talent.objects.get(secondment=secondment).note == "第一位编辑"


def test_a_revert_puts_back_the_post_and_the_registry_follows(demo_db: Demo) -> None:
    client = demo_db.client("office")
    secondment = Secondment.objects.get()
    first = secondment.history.order_by("history_id").first()
    assert first is not None
    services.secondment_update(
        actor=demo_db.users["office"],
        secondment=secondment,
        data=services.SecondmentData(
            person=secondment.person,
            university=secondment.university,
            host_unit=secondment.host_unit,
            post="临时岗位",
            start_date=secondment.start_date,
            end_date=secondment.end_date,
            cooperation=secondment.cooperation,
        ),
        expected_version=1,
    )
    revert = reverse("cooperation:secondment_revert", args=[secondment.pk, first.history_id])
    assert client.post(revert).status_code == 302
    secondment.refresh_from_db()
    assert (secondment.post, secondment.version) == (POST, 3)
    assert Talent.objects.get(secondment=secondment).note == POST
    html = client.get(reverse("cooperation:secondment_detail", args=[secondment.pk])).content
    assert f"挂职岗位：临时岗位 → {POST}" in html.decode()


def test_the_list_filters_and_exports_exactly_the_filtered_rows(demo_db: Demo) -> None:
    client = demo_db.client("office")
    services.secondment_create(
        actor=None,
        data=services.SecondmentData(
            person=newcomer(),
            university=University.objects.get(name="西安交通大学"),
            host_unit=Unit.objects.get(name=ZONE),
            post="开发区科技创新局副局长（挂职）",
            start_date=dt.date(2026, 9, 1),
        ),
    )
    url = reverse("cooperation:secondment_list")
    assert (total(client, url), total(client, url, current="1")) == (2, 1)
    assert (total(client, url, current="0"), total(client, url, year="2021")) == (1, 1)
    response = client.get(url, {"current": "1", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["挂职人员", "派出高校", "挂职单位", "挂职岗位", "开始日期", "结束日期",
                       "相关合作", "备注"]  # fmt: skip
    assert [r[:4] for r in rows[1:]] == [
        ["柳青岚", "西安交通大学", ZONE, "开发区科技创新局副局长（挂职）"]
    ]


def test_the_list_costs_the_same_queries_for_1_or_2_rows(demo_db: Demo) -> None:
    client = demo_db.client("office")
    url = reverse("cooperation:secondment_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    services.secondment_create(
        actor=None,
        data=services.SecondmentData(
            person=newcomer(),
            university=University.objects.get(name="西安交通大学"),
            host_unit=Unit.objects.get(name=ZONE),
            post="挂职",
            start_date=dt.date(2026, 9, 1),
        ),
    )
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    assert total(client, url) == 2
    assert len(one.captured_queries) == len(two.captured_queries)


def test_the_api_lists_creates_and_keeps_to_the_scope(demo_db: Demo, make_user: Any) -> None:
    client = demo_db.client("office")
    person = newcomer()
    body: dict[str, Any] = {
        "person_id": person.pk,
        "university_id": University.objects.get(name="西安交通大学").pk,
        "host_unit_id": Unit.objects.get(name=ZONE).pk,
        "post": "开发区科技创新局副局长（挂职）",
        "start_date": "2026-09-01",
    }
    created = client.post(reverse("api:create_secondment"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["person"]["name"], out["host_unit"]["name"], out["version"]) == (
        "柳青岚",
        ZONE,
        1,
    )
    assert Talent.objects.filter(secondment_id=out["id"]).count() == 1
    listing = client.get(reverse("api:list_secondments"), {"current": True}).json()
    assert [s["post"] for s in listing["items"]] == ["开发区科技创新局副局长（挂职）"]
    stranger = Client()
    stranger.force_login(
        make_user(
            Unit.objects.get(name="开张镇"),
            DataScope.UNIT_AND_BELOW,
            ["cooperation.view_secondment", "cooperation.add_secondment"],
        )
    )
    detail = reverse("api:get_secondment", kwargs={"secondment_id": out["id"]})
    assert stranger.get(detail).status_code == 404
    refused = stranger.post(reverse("api:create_secondment"), {**body, "start_date": "2026-10-01"},
                            content_type="application/json")  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "person_id": "挂职人员不存在或不在您的数据范围内",
        "host_unit_id": "挂职单位不存在或不在您的数据范围内",
    }
    assert Secondment.objects.count() == 2


def test_the_registry_and_the_secondment_never_disagree_on_the_demo(demo_db: Demo) -> None:
    """Every secondment (live or in the trash) has exactly one registry entry, with its facts."""
    rows = Talent.objects.filter(talent_type="seconded").values_list(
        "secondment__host_unit_id", "employer_id", "secondment__start_date", "start_date"
    )
    assert all(a == b and c == d for a, b, c, d in rows)
    assert Talent.objects.filter(talent_type="seconded").count() == Secondment.all_objects.count()
    assert Decimal(hosted_in_2026()) == 0
