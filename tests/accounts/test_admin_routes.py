"""三员分立 on routes: the three administrator roles open no business page and no business API
route (every one of the route registry answers 403 to GET and POST), see no one's names in the
people picker, and land on their own pages after signing in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo, Sessions
from tests.routes import ROUTES
from tests.test_access import ALL_ROUTES, Route, _url
from yanzhen.core.registry import modules

pytestmark = pytest.mark.usefixtures("demo_db")

ADMINS = ("sysadmin", "secadmin", "auditor")
# Apps of business data (pages by URL namespace, API routes by the app whose router has them).
BUSINESS_APPS = {
    "cooperation", "supervision", "assessment", "demand", "talent", "reports", "reference",
}  # fmt: skip
CORE_BUSINESS = {"core:person_list", "core:person_new", "core:person_options",
                 "core:person_detail", "core:person_edit", "core:person_revert"}  # fmt: skip


def _api_business_names() -> set[str]:
    names: set[str] = set()
    for app, module in modules("api"):
        if app.label in BUSINESS_APPS:
            for path_view in module.router.path_operations.values():
                names |= {f"api:{op.view_func.__name__}" for op in path_view.operations}
    return names


API_BUSINESS = _api_business_names()


def is_business(route: Route) -> bool:
    namespace = route.name.split(":", 1)[0]
    return namespace in BUSINESS_APPS or route.name in CORE_BUSINESS or route.name in API_BUSINESS


BUSINESS_ROUTES = [r for r in ALL_ROUTES if is_business(r)]


def test_the_registry_has_the_business_routes_of_every_app() -> None:
    namespaces = {r.name.split(":", 1)[0] for r in BUSINESS_ROUTES}
    assert namespaces == {*BUSINESS_APPS, "core", "api"}
    assert {"reports:dashboard", "api:get_dashboard", "core:person_options"} <= {
        r.name for r in BUSINESS_ROUTES
    }
    assert len(BUSINESS_ROUTES) >= 200


# Signed in once for the module (tests/conftest.py, ``demo_sessions``).
DEMO_SESSIONS = ADMINS


@pytest.fixture
def admin_clients(signed_in: Sessions) -> dict[str, Client]:
    return {name: signed_in.client(name) for name in ADMINS}


@pytest.mark.parametrize("route", BUSINESS_ROUTES, ids=lambda r: r.name)
def test_administrators_open_no_business_route(
    route: Route, admin_clients: dict[str, Client], yongji_ids: dict[str, int]
) -> None:
    url = _url(route, yongji_ids)
    answers = {
        (name, method): getattr(client, method)(url).status_code
        for name, client in admin_clients.items()
        for method in ("get", "post")
    }
    assert set(answers.values()) == {403}, (ROUTES[route.name], answers)


def test_the_api_refuses_in_its_envelope(admin_clients: dict[str, Client]) -> None:
    response = admin_clients["sysadmin"].get(reverse("api:get_dashboard"))
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "forbidden", "message": "管理员账户不能访问业务数据", "fields": {}}
    }


def test_the_people_picker_lists_no_one_to_administrators(
    admin_clients: dict[str, Client], demo_db: Demo
) -> None:
    for name, client in admin_clients.items():
        response = client.get(reverse("core:person_options"), {"q": ""})
        assert response.status_code == 403, name
        assert re.search(r'<option value="\d', response.content.decode()) is None, name
    office = demo_db.client("office").get(reverse("core:person_options"), {"q": ""})
    assert office.status_code == 200
    assert "<option" in office.content.decode()


def test_a_unit_page_shows_administrators_no_people(demo_db: Demo) -> None:
    from yanzhen.core.models import Person, Unit

    county = Unit.objects.get(name="永济市")
    names = list(Person.objects.filter(unit=county).values_list("name", flat=True))
    assert names
    page = demo_db.client("sysadmin").get(reverse("core:unit_detail", kwargs={"pk": county.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert [n for n in names if n in text] == []
    office = demo_db.client("office").get(reverse("core:unit_detail", kwargs={"pk": county.pk}))
    assert names[0] in office.content.decode()


@pytest.mark.parametrize(
    ("name", "home"),
    [("sysadmin", "/accounts/users/"), ("secadmin", "/accounts/requests/"),
     ("auditor", "/audit/events/")],
)  # fmt: skip
def test_administrators_land_on_their_own_page_after_two_factors(
    name: str, home: str, demo_db: Demo
) -> None:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yanzhen.demo import yongji

    client = Client()
    response = client.post(
        reverse("core:login"), {"username": name, "password": yongji.DEMO_PASSWORD}
    )
    assert response["Location"] == "/"
    response = client.get("/")
    assert response["Location"] == "/accounts/otp/?next=%2F"
    device = TOTPDevice.objects.get(user__username=name)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post(reverse("accounts:otp") + "?next=%2F", {"token": f"{token:06d}"})
    assert response["Location"] == home
    page = client.get(home)
    assert page.status_code == 200
    text = page.content.decode()
    assert "工作看板" not in text
    assert f'href="{home}" class="brand"' in text
