"""Outside parties stay in the portal: a university's or an expert's account is refused on
every internal route (the county's ledger, supervision, assessment, personal data, the
API), and on the portal's host names only the portal, sign-in and two factors answer."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import Demo, module_session
from tests.routes import id_keys
from tests.test_access import ALL_ROUTES, Route, _url
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import User
from yanzhen.portal.middleware import portal_path
from yanzhen.portal.models import Thread, ThreadMessage
from yanzhen.portal.staff_services import staff_invite

pytestmark = pytest.mark.usefixtures("demo_db")

INTERNAL = [r for r in ALL_ROUTES if not portal_path(_url(r, dict.fromkeys(id_keys(), 1)))]


@pytest.fixture(scope="module")
def outside_sessions(demo: Demo, django_db_blocker: pytest.FixtureRequest) -> dict[str, str]:
    """Signed in once for the module, each without the session policy's clocks (no test of a
    slow run finds it expired: tests/conftest.py, ``module_session``)."""
    sessions = {}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for name in ("university", "expert"):
            sessions[name] = module_session(demo.client(name))
        # A staff sub-account of the university (invited by its institution account).
        staff = staff_invite(
            actor=demo.users["university"], full_name="王科研", email="staff@xjtu.example.cn"
        )
        client = Client()
        client.force_login(staff)
        sessions["staff"] = module_session(client)
    return sessions


@pytest.fixture(params=["university", "expert", "staff"])
def outside(request: pytest.FixtureRequest, outside_sessions: dict[str, str]) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = outside_sessions[request.param]
    return client


def test_the_internal_routes_are_many() -> None:
    names = {r.name for r in INTERNAL}
    assert {"cooperation:cooperation_list", "api:list_cooperations", "reports:dashboard"} <= names
    assert "portal:home" not in names
    assert len(INTERNAL) > 300


@pytest.mark.parametrize("route", INTERNAL, ids=lambda r: r.name)
def test_an_outside_account_is_refused_on_every_internal_route(
    route: Route, outside: Client, yongji_ids: dict[str, int]
) -> None:
    url = _url(route, yongji_ids)
    for method in ("get", "post"):
        response = getattr(outside, method)(url)
        if route.name == "reports:dashboard" and method == "get":
            assert (response.status_code, response["Location"]) == (302, reverse("portal:home"))
            continue
        assert response.status_code == 403, (method, url, response.status_code)


def test_nothing_changes_when_an_outside_account_tries(
    outside: Client, yongji_ids: dict[str, int]
) -> None:
    before = Cooperation.objects.get(pk=yongji_ids["cooperation"])
    response = outside.post(
        reverse("cooperation:cooperation_move", kwargs={"pk": before.pk}),
        {"target": "dropped", "date": "2021-12-01", "reason": "越权"},
    )
    assert response.status_code == 403
    after = Cooperation.objects.get(pk=before.pk)
    assert (after.stage, after.updated_at) == (before.stage, before.updated_at)


def test_the_outside_accounts_open_their_portal_home(demo_db: Demo) -> None:
    page = demo_db.client("university").get(reverse("portal:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "西安交通大学" in text
    assert "西安交通大学科研院合作处" in text
    assert "永济" not in text
    assert demo_db.client("expert").get(reverse("portal:home")).status_code == 200


def test_the_outside_parties_are_organisations_outside_every_county(demo_db: Demo) -> None:
    unit = demo_db.users["university"].unit
    assert unit is not None
    assert (unit.name, unit.kind, unit.parent_id) == ("西安交通大学", "university", None)
    assert demo_db.users["expert"].unit == unit


PORTAL_HOST = "portal.yongji.example.cn"


@override_settings(YANZHEN_PORTAL_HOSTS=[PORTAL_HOST], ALLOWED_HOSTS=["testserver", PORTAL_HOST])
def test_on_the_portal_host_only_the_portal_and_sign_in_answer(demo_db: Demo) -> None:
    anonymous = Client(HTTP_HOST=PORTAL_HOST)
    assert anonymous.get(reverse("portal:register")).status_code == 200
    assert anonymous.get(reverse("core:login")).status_code == 200
    response = anonymous.post(
        "/api/v1/portal/registrations",
        {"kind": "enterprise", "name": "门户企业", "credit_code": "91330100716105852F",
         "contact": "王", "mobile": "13912345678", "email": "host@example.cn"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    office = demo_db.client("office")
    internal = [
        reverse("cooperation:cooperation_list"),
        reverse("reports:dashboard"),
        reverse("api:list_cooperations"),
        reverse("core:review_list"),
        "/admin/",
    ]
    assert [office.get(u, HTTP_HOST=PORTAL_HOST).status_code for u in internal] == [404] * 5
    assert [anonymous.get(u).status_code for u in internal] == [404] * 5
    # The same process serves the intranet's host names in full.
    assert office.get(reverse("cooperation:cooperation_list")).status_code == 200
    assert office.get(reverse("portal:registration_list"), HTTP_HOST=PORTAL_HOST).status_code == 200


# The 云对接会: the county office's pages and endpoints under /portal/ refuse an outside
# account (its own pages of the events answer it, on the portal's host names too).
OFFICE_EVENT_ROUTES = (
    "portal:event_list",
    "portal:event_new",
    "portal:event_detail",
    "portal:event_schedule",
    "portal:event_publish",
    "portal:event_party_new",
    "portal:meeting_edit",
    "api:schedule_event",
    "api:publish_event_schedule",
)


@pytest.mark.parametrize(
    "route", [r for r in ALL_ROUTES if r.name in OFFICE_EVENT_ROUTES], ids=lambda r: r.name
)
def test_an_outside_account_is_refused_on_the_offices_event_routes(
    route: Route, outside: Client, yongji_ids: dict[str, int]
) -> None:
    url = _url(route, yongji_ids)
    get, post = outside.get(url).status_code, outside.post(url).status_code
    assert post == 403, (url, post)
    if route.name == "api:schedule_event":  # its GET is the party's own schedule
        assert get == 200
    else:
        assert get in (403, 405), (url, get)  # 405: a POST-only route


@override_settings(YANZHEN_PORTAL_HOSTS=[PORTAL_HOST], ALLOWED_HOSTS=["testserver", PORTAL_HOST])
def test_the_parties_open_their_events_on_the_portal_host(
    outside: Client, yongji_ids: dict[str, int]
) -> None:
    event = yongji_ids["match_event"]
    pages = [reverse("portal:events"), reverse("portal:event_page", args=[event])]
    assert [outside.get(p, HTTP_HOST=PORTAL_HOST).status_code for p in pages] == [200, 200]
    schedule = outside.get(f"/api/v1/portal/events/{event}/schedule", HTTP_HOST=PORTAL_HOST)
    username = User.objects.get(pk=outside.session["_auth_user_id"]).username
    # of the demo's five; a staff sub-account acts for its university
    meetings = {"university": 3, "staff@xjtu.example.cn": 3, "expert": 2}[username]
    assert (schedule.status_code, len(schedule.json()["meetings"])) == (200, meetings)


@override_settings(YANZHEN_PORTAL_HOSTS=[PORTAL_HOST], ALLOWED_HOSTS=["testserver", PORTAL_HOST])
def test_the_outside_parties_negotiate_on_the_portal_host_and_never_reach_the_ledger(
    demo_db: Demo,
) -> None:
    """The negotiation threads answer on the portal's host name; the cooperation an agreed
    thread becomes stays in the county's ledger, which an outside account never opens."""
    thread = Thread.objects.get()
    attachment = ThreadMessage.objects.exclude(attachment="").get(thread=thread)
    pages = [
        reverse("portal:thread_list"),
        reverse("portal:thread_detail", args=[thread.pk]),
        reverse("portal:message_attachment", args=[attachment.pk]),
        "/api/v1/portal/threads",
        f"/api/v1/portal/threads/{thread.pk}",
    ]
    for name in ("university", "expert"):
        client = demo_db.client(name)
        answers = [client.get(u, HTTP_HOST=PORTAL_HOST).status_code for u in pages]
        assert answers == [200] * 5, name
        page = client.get(pages[1], HTTP_HOST=PORTAL_HOST).content.decode()
        assert "/cooperation/" not in page
        convert = reverse("portal:thread_cooperation", args=[thread.pk])
        assert client.get(convert, HTTP_HOST=PORTAL_HOST).status_code == 403
    office = demo_db.client("office")
    office.post(
        reverse("portal:thread_cooperation", args=[thread.pk]),
        {
            "title": "牵引电机绝缘联合研发（云对接）",
            "kind": "research",
            "intention_date": "2021-12-01",
        },
    )
    thread.refresh_from_db()
    assert thread.cooperation_id is not None
    ledger = reverse("cooperation:cooperation_detail", args=[thread.cooperation_id])
    university = demo_db.client("university")
    assert university.get(ledger).status_code == 403
    assert university.get(ledger, HTTP_HOST=PORTAL_HOST).status_code == 404
    page = university.get(pages[1], HTTP_HOST=PORTAL_HOST).content.decode()
    assert thread.cooperation.code in page  # type: ignore[union-attr]
    assert ledger not in page


def test_a_refusal_is_drawn_in_the_portals_frame_with_no_internal_link(outside: Client) -> None:
    """The 403 an outside account meets on an internal page, and the manual, show only links it
    may follow: no intranet sidebar (年度总览, 全局搜索), no inbox, no messages page."""
    for url, status in (
        (reverse("cooperation:cooperation_list"), 403),
        (reverse("core:help"), 200),
    ):
        response = outside.get(url)
        assert response.status_code == status
        assert [t.name for t in response.templates if (t.name or "").endswith("base.html")] == [
            "portal/base.html"
        ]
        html = response.content.decode()
        links = {h for h in re.findall(r'href="(/[^"#?]*)', html) if not h.startswith("/static/")}
        followed = {h: outside.get(h).status_code for h in links}
        assert {h: c for h, c in followed.items() if c in (403, 404)} == {}, url
        for internal in (reverse("reports:overview"), reverse("reports:search")):
            assert f'href="{internal}' not in html
