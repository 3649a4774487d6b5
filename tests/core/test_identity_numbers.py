"""ID numbers (GB 11643 check digit) and mobiles (``^1[3-9]\\d{9}$``): at least 30 invalid
samples, each refused by the engine, the service and the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Person, Unit
from yanzhen.core.services import person_create
from yanzhen.engines.idcard import check_id_number, check_mobile

INVALID_IDS = [
    "", "1", "14088119880312401", "1408811988031240155", "A40881198803124015",
    "140881198803124016", "140881198803124017", "140881198803124018", "140881198803124019",
    "14088119880312401X", "140881198813124015", "140881198802304019", "140881190001014011",
    "140881299001014011", "000881198803124015", "990881198803124015", "14088119880312401 ",
    "1408811988031240l5", "140881-19880312401", "１４０８８１１９８８０３１２４０１５",
    "140881198803124O15", "14088119880332401X", "140881198800124015", "140881198803004015",
    "140881188803124015", "11010519491231002Y", "110105194912310021", "11010519491231002",
    "110105194902290024", "110105190002290021",
]  # fmt: skip
INVALID_MOBILES = [
    "", "1", "12812345678", "10812345678", "1381234567", "138123456789", "23812345678",
    "1381234567a", "138-1234-5678", "+8613812345678", "13812 45678", "１３８１２３４５６７８",
    "11812345678", "03812345678", "138123456", "1381234567890", "abcdefghijk", "13.12345678",
    "1381234567８", "0013812345678", "1 3812345678", "138123456 8", "-13812345678",
    "13812345678.", "1381234567\\n", "12012345678", "19", "1381234", "1938123456", "99999999999",
]  # fmt: skip


def test_there_are_at_least_thirty_of_each() -> None:
    assert len(set(INVALID_IDS)) >= 30
    assert len(set(INVALID_MOBILES)) >= 30


@pytest.mark.parametrize("value", [v for v in INVALID_IDS if v])
def test_the_engine_refuses_each_id(value: str) -> None:
    assert check_id_number(value) is not None


@pytest.mark.parametrize("value", [v for v in INVALID_MOBILES if v])
def test_the_engine_refuses_each_mobile(value: str) -> None:
    assert check_mobile(value) is not None


@pytest.mark.usefixtures("demo_db")
def test_the_service_and_the_form_refuse_each(demo_db: Demo) -> None:
    unit = Unit.objects.get(name="开张镇")
    count = Person.objects.count()
    client = demo_db.client("office")
    for value in [v for v in INVALID_IDS if v.strip()]:
        with pytest.raises(DomainError) as caught:
            person_create(actor=None, name="测试", unit=unit, id_number=value)
        assert "id_number" in caught.value.fields, value
        page = client.post(
            reverse("core:person_new"), {"name": "测试", "unit": unit.pk, "id_number": value}
        )
        assert page.status_code == 200, value
    for value in [v for v in INVALID_MOBILES if v.strip()]:
        with pytest.raises(DomainError) as caught:
            person_create(actor=None, name="测试", unit=unit, mobile=value)
        assert "mobile" in caught.value.fields, value
        page = client.post(
            reverse("core:person_new"), {"name": "测试", "unit": unit.pk, "mobile": value}
        )
        assert page.status_code == 200, value
    assert Person.objects.count() == count
