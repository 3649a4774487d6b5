"""The JSON API under generated requests (schemathesis, in-process through Django's test
client): for an anonymous user and for every demo role, no answer is a server error, and an
anonymous user is refused everywhere (401/403) but on the operations declared open (the
portal's registration, ``OPEN_OPERATIONS``).

Each operation gets ``YANZHEN_FUZZ_EXAMPLES`` examples (20 in ``make test``; 100 in CI's
SQLite pass, 30 in its PostgreSQL pass), sent as each of the nine users in turn (anonymous and
the eight demo roles); generation is derandomised, so a run is repeatable. With
``YANZHEN_FUZZ_PER_ROLE=1`` (``make fuzz``, about 40 minutes here) each operation gets its
examples for each user separately.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Sessions
from yanzhen.api import api

EXAMPLES = int(os.environ.get("YANZHEN_FUZZ_EXAMPLES", "20"))
PER_ROLE = os.environ.get("YANZHEN_FUZZ_PER_ROLE") == "1"
ROLES = (
    "anonymous",
    "office",
    "leader",
    "base",
    "town",
    "enterprise",
    "sysadmin",
    "secadmin",
    "auditor",
)
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = [op.ok() for op in SCHEMA.get_all_operations()]  # type: ignore[union-attr]

# The operation ids of the operations open to anonymous callers.
OPEN = {"yanzhen_portal_api_create_registration"}

pytestmark = pytest.mark.usefixtures("demo_db")
# Signed in once for the module (tests/conftest.py, ``demo_sessions``).
DEMO_SESSIONS = tuple(role for role in ROLES if role != "anonymous")


def send(client: Client, case: Any) -> int:
    query = {k: v for k, v in (case.query or {}).items() if v is not None}
    body = case.body
    kwargs: dict[str, Any] = {}
    if body is not None and not isinstance(body, schemathesis.core.NotSet):
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    method = getattr(client, case.method.lower())
    path = case.formatted_path
    if query:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode(query, doseq=True)}"
    return int(method(path, **kwargs).status_code)


USERS = [(role,) for role in ROLES] if PER_ROLE else [ROLES]


@pytest.mark.parametrize("roles", USERS, ids=lambda roles: "+".join(roles) if PER_ROLE else "all")
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_no_server_error_and_anonymous_refused(
    operation: Any, roles: tuple[str, ...], signed_in: Sessions
) -> None:
    clients = {r: Client() if r == "anonymous" else signed_in.client(r) for r in roles}
    statuses: list[tuple[str, int]] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        role = roles[len(statuses) % len(roles)]  # each user in turn
        case = data.draw(operation.as_strategy())
        status = send(clients[role], case)
        statuses.append((role, status))
        assert status < 500, (role, case.method, case.formatted_path, case.query, case.body)
        if role == "anonymous" and operation.definition.raw.get("operationId") not in OPEN:
            assert status in (401, 403), (case.method, case.formatted_path, status)

    run()
    assert len(statuses) >= min(EXAMPLES, 1)
    assert {role for role, _ in statuses} == set(roles)
