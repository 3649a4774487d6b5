"""People: ID numbers and mobiles checked in the services and the forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Demo
from tests.pii_grants import grant_pii
from yanzhen.audit.models import AccessLog
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Person, Unit, UnitKind
from yanzhen.core.services import person_create, unit_create

pytestmark = pytest.mark.django_db


def test_it_refuses_a_bad_id_number_and_mobile(county: Unit) -> None:
    with pytest.raises(DomainError) as caught:
        person_create(
            actor=None, name="张三", unit=county, id_number="110105194912310021", mobile="12345"
        )
    assert caught.value.fields == {
        "id_number": "身份证号校验码不正确",
        "mobile": "手机号应为11位数字，以13–19开头",
    }
    assert Person.objects.count() == 0


def test_it_takes_the_gender_from_the_id_number(county: Unit) -> None:
    person = person_create(actor=None, name="张三", unit=county, id_number="11010519491231002x")
    assert (person.id_number, person.gender) == ("11010519491231002X", "F")
    with pytest.raises(DomainError) as caught:
        person_create(
            actor=None, name="李四", unit=county, id_number="140881199001011232", gender="F"
        )
    assert caught.value.fields == {"gender": "性别与身份证号不一致"}


def test_an_id_number_is_unique(county: Unit) -> None:
    person_create(actor=None, name="张三", unit=county, id_number="11010519491231002X")
    other = unit_create(actor=None, parent=county, name="乙镇", kind=UnitKind.TOWN)
    with pytest.raises(DomainError) as caught:
        person_create(actor=None, name="张三", unit=other, id_number="11010519491231002X")
    assert caught.value.fields == {"id_number": "该身份证号已登记在其他人员名下"}


def test_the_form_shows_the_reason(demo_db: Demo) -> None:
    response = demo_db.client("town").post(
        reverse("core:person_new"),
        {
            "name": "王五",
            "unit": Unit.objects.get(name="东开张村").pk,
            "id_number": "140881199001011234",
        },
    )
    assert response.status_code == 200
    assert "身份证号校验码不正确" in response.content.decode()


def test_id_numbers_and_mobiles_are_masked_without_the_permission(demo_db: Demo) -> None:
    person = Person.objects.filter(unit__name="永济市工业和信息化局").order_by("pk").first()
    assert person is not None
    url = reverse("core:person_detail", kwargs={"pk": person.pk})
    masked = demo_db.client("base").get(url).content.decode()
    assert f"{person.id_number[:4]}**********{person.id_number[-4:]}" in masked
    assert person.id_number not in masked
    assert f"{person.mobile[:3]}****{person.mobile[-4:]}" in masked
    assert person.mobile not in masked
    office = demo_db.client("office")
    default = office.get(url).content.decode()
    assert person.id_number not in default
    grant_pii(demo_db.users["office"], "page")  # a second person's approval (G25)
    revealed = office.get(url, {"reveal": "id"}).content.decode()
    assert person.id_number in revealed
    assert person.mobile not in revealed
    assert (
        demo_db.client("base").get(url, {"reveal": "id"}).content.decode().count(person.id_number)
        == 0
    )
    logs = list(
        AccessLog.objects.filter(record_id=person.pk)
        .order_by("id")
        .values_list("user__username", "action", "field")
    )
    # One row per request: the opening, or (instead) the reveal.
    assert logs == [("base", "open", ""), ("office", "open", ""),
                    ("office", "reveal", "id_number"), ("base", "open", "")]  # fmt: skip
