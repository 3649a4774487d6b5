"""Change history: one row per write with who, unit, when and address; none when rolled back;
visible on the record's page; a revert is a change of its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation import services as coop_services
from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import Person, Unit
from yanzhen.core.services import person_create, person_update
from yanzhen.engines.ledger import Tally

pytestmark = pytest.mark.usefixtures("demo_db")


def test_each_write_leaves_one_row_with_its_author(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    client = demo_db.client("office")
    village = Unit.objects.get(name="东开张村")
    response = client.post(
        reverse("core:person_new"),
        {"name": "王五", "unit": village.pk, "mobile": "13912345678"},
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302
    person = Person.objects.get(name="王五")
    client.post(
        reverse("core:person_edit", kwargs={"pk": person.pk}),
        {
            "name": "王五",
            "unit": village.pk,
            "mobile": "13912345679",
            "position": "村主任",
            "version": person.version,
        },
        REMOTE_ADDR="10.20.30.41",
    )
    rows = list(person.history.order_by("history_id"))
    assert [
        (r.history_type, r.history_user_id, r.history_unit_name, r.history_ip) for r in rows
    ] == [
        ("+", office.pk, "永济市省校合作办公室", "10.20.30.40"),
        ("~", office.pk, "永济市省校合作办公室", "10.20.30.41"),
    ]
    assert rows[1].history_date.tzinfo is not None


def test_a_rolled_back_change_leaves_no_row(demo_db: Demo) -> None:
    person = Person.objects.order_by("pk").first()
    assert person is not None
    count = person.history.count()

    def change_then_fail() -> None:
        with transaction.atomic():
            person_update(actor=None, person=person, name="临时改名", unit=person.unit)
            raise RuntimeError("the request failed later")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert person.history.count() == count
    assert Person.objects.get(pk=person.pk).name != "临时改名"


def test_the_page_shows_before_and_after_masked(demo_db: Demo) -> None:
    unit = Unit.objects.get(name="永济市工业和信息化局")
    person = person_create(actor=None, name="赵六", unit=unit, mobile="13700001111")
    person_update(actor=None, person=person, name="赵六", unit=unit, mobile="13700002222")
    url = reverse("core:person_detail", kwargs={"pk": person.pk})
    masked = demo_db.client("base").get(url).content.decode()
    assert "手机号：137****1111 → 137****2222" in masked
    office = demo_db.client("office").get(url).content.decode()
    assert "手机号：137****1111 → 137****2222" in office  # history never shows full values


def test_a_cooperation_reverts_to_a_version_with_its_figures(demo_db: Demo) -> None:
    coop = Cooperation.objects.filter(stage="intention").order_by("pk").first()
    assert coop is not None
    first_version = coop.history.order_by("history_id").last()
    coop_services.cooperation_move(
        actor=None, cooperation=coop, target="agreement", date=dt.date(2021, 12, 20)
    )
    client = demo_db.client("office")
    response = client.post(
        reverse(
            "cooperation:cooperation_revert",
            kwargs={"pk": coop.pk, "history_id": first_version.history_id},
        )
    )
    assert response.status_code == 302
    coop.refresh_from_db()
    assert (coop.stage, coop.agreement_date) == ("intention", None)
    latest = coop.history.order_by("-history_id").first()
    assert latest.history_change_reason.startswith("还原到 ")
    assert latest.history_user_id == demo_db.users["office"].pk
    assert tally.stored_rows() == Tally.of(tally.facts_for(None).values()).nonzero()
    page = client.get(
        reverse("cooperation:cooperation_detail", kwargs={"pk": coop.pk})
    ).content.decode()
    assert "还原</td>" in page


def test_only_an_authorised_role_reverts(demo_db: Demo) -> None:
    coop = Cooperation.objects.order_by("pk").first()
    assert coop is not None
    version = coop.history.order_by("history_id").first()
    url = reverse(
        "cooperation:cooperation_revert", kwargs={"pk": coop.pk, "history_id": version.history_id}
    )
    assert demo_db.client("leader").post(url).status_code == 403
    outsider = Client()
    assert outsider.post(url).status_code == 302  # to the login page


def test_an_import_leaves_one_row_per_record(demo_db: Demo) -> None:
    from yanzhen.cooperation.excel import import_file

    client = demo_db.client("office")
    export = client.get(
        reverse("cooperation:cooperation_list"), {"export": "csv", "stage": "intention"}
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    header, rows = lines[1], lines[2:4]
    edited = [row.replace(",领导上门邀,", ",其他,").replace(",企业自主找,", ",其他,")
              .replace(",在外人才引,", ",其他,").replace(",优势产业聚,", ",其他,") for row in rows]  # fmt: skip
    new_row = rows[0].split(",", 2)
    new_row[0], new_row[1] = "", "新增的一项合作"
    content = "\n".join([header, *edited, ",".join(new_row)]).encode("utf-8")
    before = Cooperation.history.count()
    report = import_file(user=demo_db.users["office"], data=content, filename="x.csv", commit=True)
    assert (report.created, report.updated + report.unchanged, report.errors) == (1, 2, [])
    assert Cooperation.history.count() == before + 1 + report.updated
