"""The JSON API under generated requests (schemathesis, in-process through Django's test
client): for an anonymous user and for every demo role, no answer is a server error, and an
anonymous user is refused everywhere (401/403).

``YANZHEN_FUZZ_EXAMPLES`` sets the examples per operation and role (default 10, which `make
test` and CI use; `YANZHEN_FUZZ_EXAMPLES=200 make pytest` is a deeper run).
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

from tests.conftest import Demo
from yanzhen.api import api

EXAMPLES = int(os.environ.get("YANZHEN_FUZZ_EXAMPLES", "10"))
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

pytestmark = pytest.mark.usefixtures("demo_db")


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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_no_server_error_and_anonymous_refused(operation: Any, role: str, demo_db: Demo) -> None:
    client = Client() if role == "anonymous" else demo_db.client(role)
    statuses: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())
        status = send(client, case)
        statuses.append(status)
        assert status < 500, (case.method, case.formatted_path, case.query, case.body)
        if role == "anonymous":
            assert status in (401, 403), (case.method, case.formatted_path, status)

    run()
    assert len(statuses) >= min(EXAMPLES, 1)
