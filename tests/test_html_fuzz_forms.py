"""The HTML forms under hostile input (G28): every form of every page, found through the route
registry and read from the pages themselves, posted by the office and by a town with each
field given a hostile value (``tests/test_html_fuzz.py`` has the values, the users and the
lists' half). No answer is a server error (≥ 500)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.conftest import Sessions
from tests.forms import CSRF, page_forms
from tests.test_access import Route, _url
from tests.test_html_fuzz import (
    FORM_ROUTES,
    NOT_FUZZED,
    USERS,
    _at_once,
    _clients,
    _short,
    _status,
    values_for,
)

pytestmark = pytest.mark.usefixtures("demo_db")
# The users of ``_clients``, signed in once for the module (tests/conftest.py, ``demo_sessions``).
DEMO_SESSIONS = USERS


@pytest.mark.parametrize("route", FORM_ROUTES, ids=lambda r: r.name)
def test_form_fields_never_fail(
    route: Route, signed_in: Sessions, yongji_ids: dict[str, int]
) -> None:
    url = _url(route, yongji_ids)
    skip = {reverse(name) for name in NOT_FUZZED}
    for username, client, each in _clients(signed_in):
        page = client.get(url)
        assert page.status_code < 500, (username, url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        failures = []
        for form in page_forms(page.content.decode()):
            target = form.action or url
            if form.method != "post" or urlsplit(target).path in skip:
                continue
            fields = [f for f in form.fields if f != CSRF]
            base = form.data()
            failures += [
                (target, name, _short(value))
                for index, name in enumerate(fields if each else [])
                for value in values_for(index, each=1)
                if _status(client, "post", target, {**base, name: value}) >= 500
            ]
            failures += [
                (target, "*", _short(list(data.values())))
                for data in _at_once(fields)
                if _status(client, "post", target, {**base, **data}) >= 500
            ]
        assert failures == [], (username, url, failures)
