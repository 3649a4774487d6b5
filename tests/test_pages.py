"""Every page renders for a demo login entitled to it, whole and as an htmx fragment; no page
fails (500) for any demo login. Exact answers per role are in tests/test_permissions.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Sessions
from tests.routes import ROUTES
from tests.test_access import ALL_ROUTES, Route, _url
from yanzhen.core.models import DataScope, Unit, UnitKind, User

pytestmark = pytest.mark.usefixtures("demo_db")

POST_ONLY = {
    "api:create_task",
    "api:save_submission",
    "api:submit_submission",
    "api:review_submission",
    "cooperation:attachment_new",
    "cooperation:base_member_add",
    "cooperation:base_member_remove",
    "cooperation:import_confirm",
    "core:import_confirm",
    "core:import_batch_undo",
    "core:logout",
    "core:review_bulk",
    "api:decide_review",
    "api:move_cooperation",
    "notifications:mark_all_read",
    "notifications:robot_delete",
    "api:mark_notifications_read",
    "accounts:user_active",
    "accounts:user_password",
    "accounts:user_roles",
    "accounts:unlock",
    "core:unit_revert",
    "core:person_revert",
    "cooperation:activity_restore",
    "cooperation:activity_revert",
    "cooperation:activity_attachment_add",
    "cooperation:secondment_restore",
    "cooperation:secondment_revert",
    "cooperation:cooperation_revert",
    "cooperation:cooperation_restore",
    "api:change_password",
    "reports:briefing_submit",
    "reports:briefing_decide",
    "signing:agreement_send",
    "signing:obligation_delete",
    "api:create_assessment_appeal",
    "api:decide_assessment_appeal",
    "api:adopt_work_info",
    "api:return_work_info",
    "portal:tech_need_publish",
    "portal:tech_need_hide",
    "portal:result_publish",
    "api:publish_tech_need",
    "api:hide_tech_need",
    "api:publish_result",
    "portal:event_register",
    "portal:event_request",
    "portal:event_availability",
    "portal:event_schedule",
    "portal:event_publish",
    "api:register_for_event",
    "api:request_meeting",
    "api:publish_event_schedule",
    "portal:call_submit",
    "portal:call_close",
    "portal:call_publicise",
    "api:apply_to_call",
    "portal:result_hide",
    "api:hide_result",
    "portal:need_interest",
    "portal:result_interest",
    "portal:thread_move",
    "api:post_thread_message",
    "api:move_thread",
    "api:convert_thread",
}
# Pages that answer with a redirect to another page (opening a notification marks it read).
# (The 采用 and 退回 of a work-information item are its page's forms: a GET goes back to it.)
REDIRECTS = {
    "notifications:open",
    "core:county_settings",
    "reports:info_adopt",
    "reports:info_return",
    # The demo's 云对接会 is published: its edit page sends back to the event (the form of an
    # open event: tests/portal/test_event_edit.py).
    "portal:event_edit",
}
ROLES = ("office", "leader", "sysadmin", "secadmin", "auditor")
# Pages for a lower unit itself (the assessed town appeals its own score), opened by it too.
UNIT_ROLES = {
    "assessment:appeal_new": ("town",),
    # A university's portal pages: applying to a call, its staff sub-accounts.
    "portal:call_apply": ("university",),
    "portal:staff_list": ("university",),
    "portal:staff_new": ("university",),
    "portal:staff_deactivate": ("university",),  # asks to confirm first
}
# Signed in once for the module (tests/conftest.py, ``demo_sessions``).
DEMO_SESSIONS = (*ROLES, "town", "university")
# Pages only the province opens (it keeps the catalogue of kinds of base); no demo login is of
# the province, so the test makes one with the catalogue's permissions.
PROVINCE_PAGES = {"cooperation:base_type_new", "cooperation:base_type_edit"}
PROVINCE_PERMS = [
    "cooperation.view_base",
    "cooperation.add_basetype",
    "cooperation.change_basetype",
]


@pytest.mark.parametrize(
    "route", [r for r in ALL_ROUTES if ROUTES.get(r.name) != "public"], ids=lambda r: r.name
)
def test_every_page_opens_for_a_login_entitled_to_it(
    route: Route,
    signed_in: Sessions,
    yongji_ids: dict[str, int],
    make_user: Callable[..., User],
) -> None:
    url = _url(route, yongji_ids)
    roles = ROLES + UNIT_ROLES.get(route.name, ())
    answers = {role: signed_in.client(role).get(url).status_code for role in roles}
    if route.name in PROVINCE_PAGES:
        province = Unit.objects.get(kind=UnitKind.PROVINCE)
        client = Client()
        client.force_login(make_user(province, DataScope.UNIT_AND_BELOW, PROVINCE_PERMS))
        answers["province"] = client.get(url).status_code
    assert all(code < 500 for code in answers.values()), answers
    if route.name in POST_ONLY:
        assert set(answers.values()) <= {403, 405}, answers
        assert 405 in answers.values(), answers
    elif route.name in REDIRECTS:
        assert 302 in answers.values(), answers
    elif route.name == "api:api-root":  # django-ninja's root answers nothing but its 404
        assert set(answers.values()) == {404}
    else:
        assert 200 in answers.values(), answers


@pytest.mark.parametrize(
    "name",
    ["cooperation:cooperation_list", "core:unit_list", "core:person_list", "cooperation:activity_list",
     "cooperation:secondment_list", "cooperation:base_list", "cooperation:partner_list",
     "reference:university_list"],
)  # fmt: skip
def test_lists_answer_htmx_with_their_rows_only(name: str, signed_in: Sessions) -> None:
    response = signed_in.client("office").get(reverse(name), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="rows"')
    assert "<html" not in html
