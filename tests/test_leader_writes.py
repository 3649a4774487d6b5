"""G11: leaders see everything and write only where the policy says — in the demo, nowhere in
the business data — and every write a leader makes leaves an audit row. Every form of every
page the leader can open is submitted as it stands, every POST-only route is called, and the
statements each request runs are read: no business table is written, and any table written
comes with a history row or a security-log row in the same request."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from tests.forms import page_forms
from tests.routes import ROUTES
from tests.test_access import ALL_ROUTES, _url

pytestmark = pytest.mark.usefixtures("demo_db")

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.I)
# Tables a request may write without it being a change of business data: the session, the
# login throttle, the second factor's counter, the user's own reading of notices and choices of
# how to be notified.
BOOKKEEPING = {
    "django_session",
    "accounts_usersession",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "otp_totp_totpdevice",
    "notifications_notification",
    "notifications_preference",
}
NOT_SUBMITTED = {"core:logout", "set_language"}
# What the policy lets a leader write besides: its decision on a request to see full personal
# data (G25's second person), which must come with its security-log row like any write.
DECISIONS = {"core_approvalrequest"}


def audit_table(table: str) -> bool:
    return table.startswith("audit_") or "_historical" in table


@contextmanager
def written_tables() -> Iterator[list[str]]:
    tables: list[str] = []

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        match = WRITE.match(sql)
        if match:
            tables.append(match.group(1).lower())
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        yield tables


def submissions(client: Client, url: str) -> list[tuple[str, dict[str, Any]]]:
    """Every POST form of the page at ``url`` as it stands (target, data); and a bare POST to
    ``url`` itself when the page offers none (a write attempted without the form)."""
    page = client.get(url)
    forms: list[tuple[str, dict[str, Any]]] = []
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        skip = {reverse(name) for name in NOT_SUBMITTED}
        forms = [
            (form.action or url, form.data())
            for form in page_forms(page.content.decode())
            if form.method == "post" and (form.action or url).split("?")[0] not in skip
        ]
    if not any(target.split("?")[0] == url for target, _ in forms):
        forms.append((url, {}))
    return forms


def test_leaders_write_no_business_data_and_every_write_is_audited(
    demo_db: Demo, yongji_ids: dict[str, int]
) -> None:
    client = demo_db.client("leader")
    client.raise_request_exception = False
    routes = [
        r
        for r in ALL_ROUTES
        if not r.name.startswith("api:")
        and ROUTES[r.name] not in ("public", "logout")
        and r.name not in NOT_SUBMITTED
    ]
    business: list[tuple[str, list[str]]] = []
    unaudited: list[tuple[str, list[str]]] = []
    submitted = 0
    for route in routes:
        for target, data in submissions(client, _url(route, yongji_ids)):
            with written_tables() as tables:
                status = client.post(target, data).status_code
            submitted += 1
            assert status < 500, (route.name, target)
            changed = sorted({t for t in tables if not audit_table(t)} - BOOKKEEPING)
            if set(changed) - DECISIONS:
                business.append((target, changed))
            if changed and not any(audit_table(t) for t in tables):
                unaudited.append((target, changed))
    assert submitted > len(routes)
    assert business == []
    assert unaudited == []


def test_the_write_detector_sees_a_write_and_its_audit_row(demo_db: Demo) -> None:
    """The detector itself: an office edit writes the record and its history row."""
    from yanzhen.core.models import Unit

    unit = Unit.objects.get(name="东开张村")
    client = demo_db.client("office")
    with written_tables() as tables:
        response = client.post(
            reverse("core:unit_edit", kwargs={"pk": unit.pk}),
            {
                "name": unit.name,
                "kind": unit.kind,
                "parent": unit.parent_id,
                "address": "新地址",
                "version": unit.version,
            },
        )
    assert response.status_code == 302
    assert "core_unit" in tables
    assert "core_historicalunit" in tables
