"""The HTML pages under hostile input, as tests/test_api_fuzz.py does for the API (G28): every
list page's filter parameters and every form's fields, found through the route registry
(``tests/routes``) and read from the pages themselves, get huge and negative numbers, NUL
bytes, very long strings, wrong types, impossible dates and odd unicode — as the office and
as a town (a lower unit). No answer is a server error (≥ 500). The forms' half is
``tests/test_html_fuzz_forms.py`` (a module of its own, so that the two halves run on two
workers).

By default the office sends each filter parameter the oversized number (the 500 an attacker
found on 8 lists) and one more hostile value in turn, and each form field one of the two
(alternately); the town sends all parameters of a page or form at once (twice: all oversized,
all the other values). With ``YANZHEN_FUZZ_PER_ROLE=1`` (``make fuzz``, the API fuzzing's
switch) both users send each parameter and field every hostile value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from tests.conftest import Demo, Sessions
from tests.forms import CSRF, page_forms
from tests.routes import ROUTES
from tests.test_access import ALL_ROUTES, Route, _url

pytestmark = pytest.mark.usefixtures("demo_db")

FULL = os.environ.get("YANZHEN_FUZZ_PER_ROLE") == "1"
USERS = ("office", "town")
HUGE = "9" * 30
HOSTILE: tuple[str | list[str], ...] = (
    "-1",
    "0",
    "9223372036854775808",  # one beyond the largest 64-bit key
    "-" + HUGE,
    "1e309",
    "NaN",
    "a\x00b",
    "x" * 5000,
    "²",  # a digit to str.isdigit(), not to int()
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # full-width digits
    "\u202e\u0645\u200b😀",
    "9999-12-31",
    "0001-01-01",
    "2021-02-30",
    "' OR 1=1 --",
    "%_%",
    "<script>alert(1)</script>",
    ["1", HUGE],  # a parameter given twice
    "[]",
    "{}",
    "true",
    "",
)


def values_for(index: int, *, each: int = 2) -> list[str | list[str]]:
    """The hostile values the ``index``-th parameter gets: ``each`` of them by default (the
    oversized number first, then the others in turn), all of them in the full run."""
    if FULL:
        return [HUGE, *HOSTILE]
    rotation = [HUGE, HOSTILE[index % len(HOSTILE)]]
    return rotation[:each] if each > 1 else [rotation[index % 2]]


def _html_routes(kinds: tuple[str, ...]) -> list[Route]:
    return [
        r
        for r in ALL_ROUTES
        if not r.name.startswith("api:") and ROUTES[r.name].split(":")[0] in kinds
    ]


LIST_ROUTES = _html_routes(("list",))
FORM_ROUTES = _html_routes(("create", "object", "global", "open"))
NOT_FUZZED = {"core:logout", "set_language"}  # leaving the session or the language


# Parameters many lists read (search, page, a picker's field name, the usual filters), shown
# in a form or not.
COMMON = {"q", "page", "field", "unit", "year", "sort", "base"}


@pytest.fixture(scope="module")
def linked(
    demo: Demo, yongji_ids: dict[str, int], django_db_blocker: pytest.FixtureRequest
) -> dict[str, set[str]]:
    """Path → the parameters the pages' links give it (a record's page links to the lists
    filtered by it: ``/people/?unit=…``), read once from every page the office opens."""
    out: dict[str, set[str]] = {}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        client = demo.client("office")
        for route in LIST_ROUTES + FORM_ROUTES:
            page = client.get(_url(route, yongji_ids))
            if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                continue
            for href in re.findall(r'href="([^"]*\?[^"]*)"', page.content.decode()):
                link = urlsplit(href.replace("&amp;", "&"))
                names = {k.lstrip("?") for k, _ in parse_qsl(link.query, keep_blank_values=True)}
                out.setdefault(link.path, set()).update(names)
    return out


def filter_parameters(html: str, path: str, linked: dict[str, set[str]]) -> list[str]:
    """The parameters a list page filters by: the fields of its GET forms, the parameters of
    its links to itself (pages, figures, sorting) and of other pages' links to it, and the
    common ones."""
    names = (
        COMMON
        | linked.get(path, set())
        | {
            name
            for form in page_forms(html)
            if form.method == "get"
            for name in form.fields
            if name != CSRF
        }
    )
    for href in re.findall(r'href="([^"]*\?[^"]*)"', html):
        link = urlsplit(href.replace("&amp;", "&"))
        if link.path in ("", path):
            names.update(k.lstrip("?") for k, _ in parse_qsl(link.query, keep_blank_values=True))
    return sorted(names)


# Lists only an administrator opens, fuzzed by that administrator as well.
ADMIN_LISTS = {
    "accounts:user_list": "sysadmin",
    "accounts:request_list": "secadmin",
    "audit:access_list": "auditor",
    "audit:event_list": "auditor",
    "audit:export_list": "auditor",
    "portal:staff_list": "university",  # a university's own accounts (its institution account)
}


# Signed in once for the module (tests/conftest.py, ``demo_sessions``).
DEMO_SESSIONS = (*USERS, *ADMIN_LISTS.values())


def _clients(sessions: Sessions, route: str = "") -> Iterator[tuple[str, Client, bool]]:
    """The users, each with whether it sends every parameter on its own."""
    admin = ADMIN_LISTS.get(route)
    for username in (*USERS, admin) if admin else USERS:
        client = sessions.client(username)
        client.raise_request_exception = False  # a server error is an answer (500) here
        yield username, client, FULL or username in (USERS[0], admin)


def _status(client: Client, method: str, url: str, data: dict[str, object]) -> int:
    return int(getattr(client, method)(url, data).status_code)


def _short(value: object) -> str:
    return repr(value)[:40]


def _at_once(names: list[str]) -> list[dict[str, object]]:
    """All parameters oversized, then all with their other hostile value."""
    return [
        dict.fromkeys(names, HUGE),
        {name: values_for(i)[-1] for i, name in enumerate(names)},
    ]


@pytest.mark.parametrize("route", LIST_ROUTES, ids=lambda r: r.name)
def test_list_filters_never_fail(
    route: Route, signed_in: Sessions, yongji_ids: dict[str, int], linked: dict[str, set[str]]
) -> None:
    url = _url(route, yongji_ids)
    tried = 0
    for username, client, each in _clients(signed_in, route.name):
        page = client.get(url)
        assert page.status_code < 500, (username, url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        names = filter_parameters(page.content.decode(), urlsplit(url).path, linked)
        requests: list[tuple[str, dict[str, object]]] = [
            (name, {name: value})
            for index, name in enumerate(names if each else [])
            for value in values_for(index)
        ]
        requests += [("*", data) for data in _at_once(names)]
        tried += len(requests)
        failures = [
            (name, _short(list(data.values())))
            for name, data in requests
            if _status(client, "get", url, data) >= 500
        ]
        assert failures == [], (username, url, failures)
    assert tried, "no filter of this list was tried"
