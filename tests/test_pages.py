"""Every page renders for the demo logins, whole and as an htmx fragment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Demo
from tests.routes import ROUTES
from tests.test_access import ALL_ROUTES, Route, _url

pytestmark = pytest.mark.usefixtures("demo_db")

POST_ONLY = {
    "cooperation:attachment_add",
    "cooperation:base_member_add",
    "cooperation:base_member_remove",
    "cooperation:import_confirm",
    "core:logout",
    "api:move_cooperation",
    "notifications:mark_all_read",
}
# Pages a role may not open: (role, route) → status.
EXPECTED_FORBIDDEN = {
    ("leader", "core:unit_create"), ("leader", "core:person_create"),
    ("leader", "cooperation:create"), ("leader", "cooperation:import"),
    ("leader", "cooperation:import_template"), ("leader", "cooperation:base_create"),
    ("leader", "cooperation:activity_create"), ("leader", "cooperation:secondment_create"),
}  # fmt: skip


@pytest.mark.parametrize(
    "route", [r for r in ALL_ROUTES if ROUTES[r.name] != "public"], ids=lambda r: r.name
)
@pytest.mark.parametrize("role", ["office", "leader"])
def test_every_page_opens_for_the_office_and_the_leader(
    route: Route, role: str, demo_db: Demo, yongji_ids: dict[str, int]
) -> None:
    client = demo_db.client(role)
    response = client.get(_url(route, yongji_ids))
    if route.name in POST_ONLY:
        assert response.status_code == 405
    elif route.name == "api:api-root":  # django-ninja's root answers nothing but its 404
        assert response.status_code == 404
    elif (role, route.name) in EXPECTED_FORBIDDEN:
        assert response.status_code in (403, 405)
    elif role == "leader" and any(
        word in route.name
        for word in ("edit", "move", "delete", "milestone_create", "work_plan_edit")
    ):
        assert response.status_code == 403
    else:
        assert response.status_code == 200, response.content[:500]


@pytest.mark.parametrize(
    "name",
    ["cooperation:list", "core:unit_list", "core:person_list", "cooperation:activity_list",
     "cooperation:secondment_list", "cooperation:base_list", "cooperation:partner_list",
     "reference:university_list"],
)  # fmt: skip
def test_lists_answer_htmx_with_their_rows_only(name: str, demo_db: Demo) -> None:
    response = demo_db.client("office").get(reverse(name), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="rows"')
    assert "<html" not in html
