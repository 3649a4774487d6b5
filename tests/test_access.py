"""Every URL of the platform, enumerated: anonymous users are turned away, and a user of
another county — holding every permission — reaches none of Yongji's records.

A new page or API route must be registered in ``tests/routes/<app>.py``, or this test fails:
that is how no later page can forget the data scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import Demo, module_session
from tests.routes import ROUTES, id_keys
from yanzhen.cooperation.models import (
    Cooperation,
)
from yanzhen.core.models import DataScope, Role, Unit, UnitKind
from yanzhen.core.services import unit_create, user_create
from yanzhen.reference.models import University


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    kwargs: tuple[str, ...]


def routes() -> Iterator[Route]:
    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
    ) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = (
                    f"{namespace}:{p.namespace}"
                    if namespace and p.namespace
                    else (p.namespace or namespace)
                )
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                yield Route(name, prefix + str(p.pattern), tuple(p.pattern.regex.groupindex))

    seen: set[str] = set()
    for route in walk(get_resolver().url_patterns, "", ""):
        if route.name not in seen:
            seen.add(route.name)
            yield route


ALL_ROUTES = [r for r in routes() if not r.name.startswith("admin:") and r.name != "set_language"]


def test_every_route_is_registered_with_its_access_rule() -> None:
    names = {r.name for r in ALL_ROUTES}
    assert sorted(names - set(ROUTES)) == [], "register new routes in ROUTES"
    assert sorted(set(ROUTES) - names) == [], "ROUTES names a route that no longer exists"


def _url(route: Route, ids: dict[str, int]) -> str:
    kwargs: dict[str, int | str] = {}
    rule = ROUTES[route.name].split(":")
    for index, key in enumerate(route.kwargs):
        if key == "register":  # the one import flow's pages, here of the ledger
            kwargs[key] = "cooperations"
            continue
        kwargs[key] = ids[rule[1 + index]] if len(rule) > 1 + index else 1
    return reverse(route.name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.name)
def test_anonymous_users_are_turned_away(route: Route, client: Client) -> None:
    kind = ROUTES[route.name]
    url = _url(route, dict.fromkeys(id_keys(), 1))
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if kind == "public" or kind == "logout":
            # An open API operation (the portal's registration) refuses the empty form body;
            # the readiness probe says 503 here: no task worker runs beside the suite.
            api = route.name.startswith("api:")
            valid: tuple[int, ...] = (200, 302, 400, 405, 422) if api else (200, 302, 405)
            if route.name == "ready":
                valid = (200, 302, 405, 503)
            assert response.status_code in valid, (method, url)
        elif route.name.startswith("api:"):
            assert response.status_code in (401, 405), (method, url, response.status_code)
        else:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("core:login")), (method, url)


@pytest.fixture(scope="module")
def outsider_session(demo: Demo, django_db_blocker: pytest.FixtureRequest) -> str:
    """A user of another county who holds every permission of the platform, signed in once
    for the module (in the demo's transaction): the session key of its login."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        other = unit_create(actor=None, parent=None, name="外县", kind=UnitKind.COUNTY)
        office = unit_create(actor=None, parent=other, name="外县合作办", kind=UnitKind.DEPARTMENT)
        role = Role.objects.create(
            code="outsider", name="外县全权", data_scope=DataScope.UNIT_AND_BELOW
        )
        role.permissions.set(Permission.objects.all())
        user = user_create(
            username="outsider", password="x-Unused-Password-1", unit=office, roles=[role]
        )
        client = Client()
        client.force_login(user)
        return module_session(client)  # no test of a slow run finds it expired


@pytest.fixture
def outsider(demo_db: Demo, outsider_session: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = outsider_session
    return client


def api_body(url: str) -> dict[str, object]:
    """A valid body for the API's writes, so that the view (not validation) answers."""
    if not url.startswith("/api/"):
        return {}
    if "/assessment/appeals/" in url:
        return {"decision": "uphold", "comment": "越权"}
    if "/reviews/" in url:
        return {"decision": "approve", "comment": "越权"}
    if "/portal/threads/" in url:
        bodies: dict[str, dict[str, object]] = {
            "messages": {"body": "越权"},
            "status": {"status": "closed"},
            "cooperation": {"title": "越权", "kind": "research", "intention_date": "2021-03-01"},
        }
        return bodies.get(url.rsplit("/", 1)[-1], {})
    if url.endswith("/stage"):
        return {"target": "dropped", "date": "2021-12-01", "reason": "越权"}
    if "/cooperations/" in url:
        own = Unit.objects.get(name="外县合作办")
        return {
            "title": "越权修改", "owner_unit_id": own.pk, "party_ids": [own.pk],
            "university_ids": [University.objects.order_by("pk").first().pk],  # type: ignore[union-attr]
            "channel": "invite", "kind": "research", "intention_date": "2021-03-01", "version": 1,
        }  # fmt: skip
    if "/activities/" in url:
        own = Unit.objects.get(name="外县合作办")
        return {"kind": "visit", "title": "越权修改", "date": "2021-03-01",
                "organizer_unit_id": own.pk, "version": 1}  # fmt: skip
    if "/reporting/submissions/" in url:
        return {"decision": "approve"} if url.endswith("/review") else {"values": {}}
    if "/secondments/" in url:
        own = Unit.objects.get(name="外县合作办")
        return {"person_id": 1, "university_id": 1, "host_unit_id": own.pk, "post": "越权",
                "start_date": "2021-03-01", "version": 1}  # fmt: skip
    return {}


YONGJI_MARKERS = ("永济", "开张镇", "中车", "HZ2021", "西安交通大学")


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.name)
def test_an_outsider_reaches_no_record_of_yongji(
    route: Route, outsider: Client, yongji_ids: dict[str, int]
) -> None:
    kind = ROUTES[route.name]
    url = _url(route, yongji_ids)
    if kind.startswith("object"):
        body = api_body(url)
        for method in ("get", "post", "put"):
            response = getattr(outsider, method)(url, body, content_type="application/json")
            assert response.status_code in (404, 405), (method, url, response.status_code)
    elif kind == "list":
        response = outsider.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert [m for m in YONGJI_MARKERS if m in text] == [], url
    elif kind == "create":
        response = outsider.get(url)
        assert response.status_code in (200, 404, 405), url
        if response.status_code == 200 and "html" in response["Content-Type"]:
            text = response.content.decode()
            assert [m for m in YONGJI_MARKERS if m in text] == [], url


def test_nothing_changed_after_the_outsider_tried(
    outsider: Client, yongji_ids: dict[str, int]
) -> None:
    before = Cooperation.objects.get(pk=yongji_ids["cooperation"])
    response = outsider.post(
        reverse("cooperation:cooperation_move", kwargs={"pk": before.pk}),
        {"target": "dropped", "date": "2021-12-01", "reason": "越权"},
    )
    assert response.status_code == 404
    response = outsider.put(
        reverse("api:update_cooperation", kwargs={"cooperation_id": before.pk}),
        data={"title": "越权"},
        content_type="application/json",
    )
    assert response.status_code in (404, 422)
    after = Cooperation.objects.get(pk=before.pk)
    assert (after.stage, after.title, after.updated_at) == (
        before.stage,
        before.title,
        before.updated_at,
    )


def test_the_api_docs_use_no_cdn(demo_db: Demo) -> None:
    response = demo_db.client("office").get(reverse("api:openapi-view"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "cdn" not in text.lower()
    assert "/static/" in text


def test_only_these_views_open_without_login() -> None:
    """Deny by default: only the login pages, the health and readiness checks, the signing
    CA's certificate and revocation list (which any validator of a signed agreement fetches)
    and the portal's registration (page and API) and activation link are open to anonymous
    visitors (static files are served before the URL conf)."""
    open_views = []
    for name, callback in _views(get_resolver().url_patterns, ""):
        view = getattr(callback, "view_class", None) or callback
        flags = (getattr(callback, "login_required", True), getattr(view, "login_required", True))
        if False in flags:
            open_views.append(name)
    assert sorted(open_views) == [
        "admin:login",
        "api:create_registration",
        "core:health",
        "core:login",
        "portal:activate",
        "portal:register",
        "ready",
        "signing:ca_certificate",
        "signing:ca_crl",
    ]


def _views(
    patterns: list[URLPattern | URLResolver], namespace: str
) -> Iterator[tuple[str, object]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = (
                f"{namespace}:{p.namespace}"
                if namespace and p.namespace
                else (p.namespace or namespace)
            )
            yield from _views(p.url_patterns, inner)
        elif p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p.callback
