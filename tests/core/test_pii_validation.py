"""G26: every one of the ≥ 30 invalid ID numbers and ≥ 30 invalid mobiles is refused — in the
forms (new person, edit person, new talent), the API and the import — with the reason in
Chinese beside the field (or row and column), and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import Demo
from tests.core.test_identity_numbers import INVALID_IDS, INVALID_MOBILES
from tests.talent.test_placement import placement_import
from yanzhen.core.excel import write_xlsx
from yanzhen.core.import_kit import plain
from yanzhen.core.models import Person, Unit
from yanzhen.engines.idcard import check_id_number, check_mobile, normalize_id_number
from yanzhen.placement import excel, services
from yanzhen.placement.models import PlacementApplicant
from yanzhen.talent.models import Talent

pytestmark = pytest.mark.usefixtures("demo_db")
# The shared fixtures (less the empty value, which means "none"), and a few more.
IDS = [v for v in INVALID_IDS if v.strip()] + [
    "11010519491231002Z", "X10105194912310021", "110105194913310021", "11010519491231002XX",
    "630105199001011232",
]  # fmt: skip
MOBILES = [v for v in INVALID_MOBILES if v.strip()] + [
    "10012345678", "1381234567X", "138 1234 5678", "1381234５678", "+13812345678",
]  # fmt: skip
CASES = [("id_number", v) for v in IDS] + [("mobile", v) for v in MOBILES]


def test_there_are_at_least_thirty_of_each_and_the_engine_refuses_them() -> None:
    assert (len(set(IDS)), len(set(MOBILES))) == (34, 34)
    assert [v for v in IDS if check_id_number(v) is None] == []
    assert [v for v in MOBILES if check_mobile(v) is None] == []


def counts() -> tuple[int, int, int]:
    return Person.all_objects.count(), Talent.objects.count(), PlacementApplicant.objects.count()


def field_error(html: str) -> list[str]:
    return [
        part.split("</p>")[0] for part in html.split('<p class="field-error" role="alert">')[1:]
    ]


def test_the_forms_refuse_each_with_the_reason(demo_db: Demo) -> None:
    before = counts()
    office = demo_db.client("office")
    town = Unit.objects.get(name="开张镇")
    person = Person.objects.filter(unit=town).exclude(id_number="").order_by("pk")[0]
    stored = (person.id_number, person.mobile, person.version)
    edit = reverse("core:person_edit", args=[person.pk])
    kept = {"name": person.name, "unit": str(town.pk), "version": str(person.version),
            "id_number": "", "mobile": ""}  # fmt: skip
    talent = {"name": "测试", "talent_type": "full_time", "employer": str(town.pk),
              "channel": "open", "start_date": "2021-09-01"}  # fmt: skip
    for field, value in CASES:
        posts = (
            (reverse("core:person_new"), {"name": "测试", "unit": str(town.pk), field: value}),
            (edit, {**kept, field: value}),
            (reverse("talent:talent_new"), {**talent, field: value}),
        )
        for url, data in posts:
            response = office.post(url, data)
            assert response.status_code == 200, (url, value)
            errors = field_error(response.content.decode())
            assert len(errors) == 1, (url, value, errors)
            label = "身份证号" if field == "id_number" else "手机号"
            assert label in errors[0] or "请填写完整" in errors[0], (url, value, errors)
    assert counts() == before
    person.refresh_from_db()
    assert (person.id_number, person.mobile, person.version) == stored


def test_the_api_refuses_each_naming_the_field(demo_db: Demo) -> None:
    before = counts()
    office = demo_db.client("office")
    body = {"name": "测试", "talent_type": "full_time",
            "employer_id": Unit.objects.get(name="开张镇").pk, "channel": "open",
            "start_date": "2021-09-01"}  # fmt: skip
    for field, value in CASES:
        response = office.post(
            reverse("api:talent_create_talent"), {**body, field: value},
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code == 400, (value, response.content)
        error = response.json()["error"]
        assert (error["code"], list(error["fields"])) == ("invalid", [field]), value
        label = "身份证号" if field == "id_number" else "手机号"
        assert label in error["fields"][field], (value, error)
    assert counts() == before


def test_the_import_refuses_each_by_row_and_column(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    assert office.unit is not None
    programme = services.programme_create(
        actor=None, name="校验测试", kind="selected_graduate",
        owner_unit=office.unit, year=2021, start_date=dt.date(2021, 8, 2),
    )  # fmt: skip
    rows: list[list[object]] = [
        [f"V-{n:02d}", f"学生{n}", "", value if field == "id_number" else "",
         value if field == "mobile" else "", "", "", "", ""]
        for n, (field, value) in enumerate(CASES, start=1)
    ]  # fmt: skip
    data = write_xlsx("导入", excel.applicant_columns(), rows)
    before = counts()
    report = placement_import(user=office, programme=programme, kind="applicants", data=data, filename="a.xlsx",
        commit=True,
    )  # fmt: skip
    assert (report.ok, report.committed) == (False, False)
    # The one import flow reads an office's sheet: full-width digits and spaces inside a
    # number are made plain first (``import_kit.plain``); every value still invalid then is
    # refused by row and column.
    refused = [
        (n, field)
        for n, (field, value) in enumerate(CASES, start=2)
        if (check_id_number(normalize_id_number(plain(value))) if field == "id_number"
            else check_mobile(plain(value))) is not None
    ]  # fmt: skip
    assert len(refused) >= 60
    where = {"id_number": ("D", "身份证号"), "mobile": ("E", "手机号")}
    assert [(e.row, e.column, e.header) for e in report.errors] == [
        (n, *where[field]) for n, field in refused
    ]
    assert counts() == before
