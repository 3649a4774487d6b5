"""Edit forms of records with personal data: the ID number and mobile are shown masked (to
everyone, by default), kept unless a new value is typed; a user with the permission reveals
one with ``?reveal=id|mobile``, which is logged (one access-log row without the value)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from tests.pii import personal_data_in
from tests.pii_grants import grant_pii
from tests.routes import ROUTES
from yanzhen.audit.models import AccessLog
from yanzhen.core.masking import mask_id_number, mask_mobile
from yanzhen.core.models import Person, User
from yanzhen.core.scope import scope_of

pytestmark = pytest.mark.usefixtures("demo_db")


def town_person(demo: Demo) -> Person:
    person = (
        Person.objects.filter(unit__name="开张镇")
        .exclude(id_number="")
        .exclude(mobile="")
        .order_by("pk")
        .first()
    )
    assert person is not None
    return person


def value_of(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert found is not None, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


def access_rows() -> list[tuple[str, str, str, int, str]]:
    return list(
        AccessLog.objects.order_by("id").values_list(
            "user__username", "action", "record_type", "record_id", "field"
        )
    )


def form_data(html: str, **changes: str) -> dict[str, str]:
    names = ("name", "gender", "id_number", "mobile", "degree", "discipline", "unit", "title",
             "position", "version")  # fmt: skip
    data = {}
    for name in names:
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
        if select is not None:
            chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
            data[name] = chosen.group(1) if chosen else ""
        else:
            data[name] = value_of(html, name)
    data.update(changes)
    return data


def test_a_scoped_user_sees_masked_values_in_the_edit_form_and_the_opening_is_logged(
    demo_db: Demo,
) -> None:
    person = town_person(demo_db)
    before = AccessLog.objects.count()
    url = reverse("core:person_edit", args=[person.pk])
    html = demo_db.client("town").get(url).content.decode()
    assert value_of(html, "id_number") == mask_id_number(person.id_number)
    assert value_of(html, "mobile") == mask_mobile(person.mobile)
    assert (person.id_number in html, person.mobile in html) == (False, False)
    assert personal_data_in(html) == []
    assert AccessLog.objects.count() == before + 1
    assert access_rows()[-1] == ("town", "open", "person", person.pk, "")
    # The town may not see personal data: asking to reveal changes nothing (one opening row).
    asked = demo_db.client("town").get(url, {"reveal": "id"}).content.decode()
    assert value_of(asked, "id_number") == mask_id_number(person.id_number)
    assert access_rows()[-1] == ("town", "open", "person", person.pk, "")
    assert AccessLog.objects.count() == before + 2


def test_the_office_sees_masked_values_too_and_reveals_one_with_a_logged_row(
    demo_db: Demo,
) -> None:
    person = town_person(demo_db)
    url = reverse("core:person_edit", args=[person.pk])
    office = demo_db.client("office")
    html = office.get(url).content.decode()
    assert value_of(html, "id_number") == mask_id_number(person.id_number)
    assert 'href="?reveal=id"' in html
    grant_pii(demo_db.users["office"], "page")  # a second person's approval (G25)
    before = AccessLog.objects.count()
    revealed = office.get(url, {"reveal": "id"}).content.decode()
    assert value_of(revealed, "id_number") == person.id_number
    assert value_of(revealed, "mobile") == mask_mobile(person.mobile)
    assert AccessLog.objects.count() == before + 1
    row = access_rows()[-1]
    assert row == ("office", "reveal", "person", person.pk, "id_number")
    assert personal_data_in(repr(row)) == []


def test_the_stored_values_are_kept_unless_new_ones_are_typed(demo_db: Demo) -> None:
    person = town_person(demo_db)
    number, mobile = person.id_number, person.mobile
    url = reverse("core:person_edit", args=[person.pk])
    town = demo_db.client("town")
    data = form_data(town.get(url).content.decode(), position="镇人才专干")
    assert data["id_number"] == mask_id_number(number)
    assert town.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.mobile, person.position) == (number, mobile, "镇人才专干")
    # A new mobile typed replaces the old one; the ID number sent back masked is kept.
    data = form_data(town.get(url).content.decode(), mobile="13912345678")
    assert town.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.mobile) == (number, "13912345678")
    # Emptied, the mobile is cleared.
    data = form_data(town.get(url).content.decode(), mobile="")
    assert town.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.mobile) == (number, "")


def test_a_changed_mask_is_refused_naming_the_field(demo_db: Demo) -> None:
    person = town_person(demo_db)
    version, number = person.version, person.id_number
    url = reverse("core:person_edit", args=[person.pk])
    town = demo_db.client("town")
    masked = mask_id_number(number)
    data = form_data(town.get(url).content.decode(), id_number="9" + masked[1:])
    response = town.post(url, data)
    assert response.status_code == 200
    assert "请填写完整的身份证号，或保留原来显示的内容不变" in response.content.decode()
    person.refresh_from_db()
    assert (person.version, person.id_number) == (version, number)


# Every edit form of a record that holds personal data, for the office (which may see it) and
# a scoped user holding every change permission but not that one.
PERSONAL_KEYS = ("person", "talent", "applicant", "placement", "internship", "expert",
                 "secondment", "enrolment")  # fmt: skip
EDIT_FORMS = sorted(
    name
    for name, rule in ROUTES.items()
    if rule.startswith("object:")
    and rule.split(":")[1] in PERSONAL_KEYS
    and not name.startswith("api:")
    and name.endswith(("_edit", "_move"))
)


def test_the_edit_forms_are_found() -> None:
    assert EDIT_FORMS == [
        "cooperation:secondment_edit", "core:person_edit", "demand:expert_edit",
        "talent:applicant_move", "talent:assignment_move", "talent:enrolment_move",
        "talent:internship_move", "talent:placement_applicant_edit", "talent:talent_edit",
        "talent:talent_entitlements_edit",
    ]  # fmt: skip


@pytest.fixture
def clerk(demo_db: Demo) -> Client:
    """A county clerk with every permission of the platform but the one to see personal
    data."""
    from django.contrib.auth.models import Permission

    from yanzhen.core.models import DataScope, Role

    role = Role.objects.create(code="clerk", name="全权办事员", data_scope=DataScope.ALL)
    role.permissions.set(Permission.objects.exclude(codename="view_personal_data"))
    user = User.objects.create(username="clerk", unit=demo_db.users["office"].unit)
    user.roles.add(role)
    assert not user.has_perm("core.view_personal_data")
    assert scope_of(user).everything
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", EDIT_FORMS)
def test_no_edit_form_shows_a_full_id_number_or_mobile(
    name: str, demo_db: Demo, yongji_ids: dict[str, int], clerk: Client
) -> None:
    key = ROUTES[name].split(":")[1]
    url = reverse(name, args=[yongji_ids[key]])
    for client in (demo_db.client("office"), clerk):
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert personal_data_in(response.content.decode()) == [], name
