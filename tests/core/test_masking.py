"""The masking rule (G24): ID first 4 + last 4 (a 15-digit legacy ID first 4 + last 3, so no
digit of the date of birth shows), mobile 3 + 4, anything else all stars — and the same
function behind the pages, the API, the exports and the printed payment list."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.benefits import services
from yanzhen.benefits.models import Entitlement
from yanzhen.core.masking import mask, mask_id_number, mask_in_text, mask_mobile
from yanzhen.core.models import Person, Unit
from yanzhen.talent.models import Talent


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("140881198803124015", "1408**********4015"),  # 18 digits
        ("11010519491231002X", "1101**********002X"),  # trailing X
        ("11010519491231002x", "1101**********002X"),  # written in lower case
        (" 140881198803124015 ", "1408**********4015"),  # around spaces
        ("140881880312401", "1408********401"),  # 15-digit legacy: YYMMDD at 7–12, seq 13–15
        ("110105491231002", "1101********002"),
        ("1408811988031240", "****************"),  # invalid: 16 characters, nothing shown
        ("14088119880312401", "*****************"),  # invalid: 17
        ("1408811988031240155", "*******************"),  # invalid: 19
        ("12345", "*****"),
        ("X", "*"),
        ("", ""),  # empty
        ("   ", ""),
    ],
)
def test_an_id_number_is_masked_by_the_rule(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked
    assert mask(value, "id") == masked


def test_a_legacy_id_shows_no_digit_of_the_date_of_birth() -> None:
    legacy = "140881880312401"  # born 1988-03-12: digits 7–12 are 880312
    shown = mask_id_number(legacy).replace("*", "")
    assert shown == "1408401"
    assert "2" not in shown[4:]  # the last digit of the day (12) is gone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        (" 13812345678 ", "138****5678"),
        ("1381234567", "**********"),  # invalid: 10 digits, nothing shown
        ("138123456789", "************"),  # invalid: 12
        ("5678", "****"),
        ("", ""),
    ],
)
def test_a_mobile_is_masked_3_and_4(value: str, masked: str) -> None:
    assert mask_mobile(value) == masked
    assert mask(value, "mobile") == masked


def test_numbers_in_free_text_are_masked() -> None:
    text = "q=140881198803124015 张三 13812345678 140881880312401 页码 2 编号 20211234"
    assert mask_in_text(text) == (
        "q=1408**********4015 张三 138****5678 1408********401 页码 2 编号 20211234"
    )


@pytest.mark.usefixtures("demo_db")
def test_pages_api_exports_and_print_use_the_same_function(demo_db: Demo) -> None:
    talent = Talent.objects.filter(talent_type="full_time").order_by("pk")[0]
    person: Person = talent.person
    masked_id, masked_mobile = mask_id_number(person.id_number), mask_mobile(person.mobile)
    leader = demo_db.client("leader")
    page = leader.get(reverse("talent:talent_detail", args=[talent.pk])).content.decode()
    assert (masked_id in page, masked_mobile in page) == (True, True)
    api = leader.get(reverse("api:talent_get_talent", kwargs={"talent_id": talent.pk})).json()
    assert (api["id_number"], api["mobile"]) == (masked_id, masked_mobile)
    office = demo_db.client("office")
    export = office.get(reverse("core:person_list"), {"q": person.name, "export": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [masked_id, masked_mobile] in [row[2:4] for row in rows]
    # The printed payment list (the page finance prints) and its API.
    paying = Unit.objects.get(name="永济市人力资源和社会保障局")
    listing = services.payment_list(
        paying_unit=paying, month=dt.date(2021, 12, 1), entitlements=Entitlement.objects.all()
    )
    number = listing.lines[0].entitlement.talent.person.id_number
    query = {"paying_unit": str(paying.pk), "month": "2021-12"}
    printed = office.get(reverse("talent:payment_list"), query).content.decode()
    assert (mask_id_number(number) in printed, number in printed) == (True, False)
    lines = office.get(reverse("api:talent_payment_list"), query).json()["lines"]
    assert lines[0]["id_number"] == mask_id_number(number)
