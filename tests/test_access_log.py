"""G16: opening any record that holds personal data — its page or its API detail — leaves
exactly one access-log row, and that row holds no personal data. The routes are taken from
the route registry (tests/routes), so a new detail route of such a record is checked too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Demo
from tests.pii import personal_data_in
from tests.routes import ROUTES
from yanzhen.audit.models import AccessLog

# Records about one natural person (the keys the route registry gives their ids), and the
# record type each is logged as.
PERSONAL = {
    "person": "person", "talent": "talent", "applicant": "applicant",
    "internship": "internship", "entitlement": "entitlement", "secondment": "secondment",
    "expert": "expert", "duplicate": "person_duplicate",
}  # fmt: skip
API_DETAILS = {"api:talent_applicant_stages"}  # a detail not named *_get_*


def is_detail(name: str) -> bool:
    rule = ROUTES[name].split(":")
    if rule[0] != "object" or len(rule) != 2 or rule[1] not in PERSONAL:
        return False
    if name.startswith("api:"):
        return "get_" in name or name in API_DETAILS
    return name.endswith("_detail")


DETAILS = sorted(name for name in ROUTES if is_detail(name))


def test_the_detail_routes_are_found() -> None:
    assert DETAILS == [
        "api:demand_get_expert", "api:get_secondment", "api:talent_applicant_stages",
        "api:talent_get_talent",
        "cooperation:secondment_detail", "core:duplicate_detail", "core:person_detail",
        "demand:expert_detail", "talent:applicant_detail", "talent:entitlement_detail",
        "talent:internship_detail", "talent:talent_detail",
    ]  # fmt: skip


@pytest.mark.usefixtures("demo_db")
@pytest.mark.parametrize("name", DETAILS)
def test_opening_a_record_with_personal_data_leaves_one_access_row(
    name: str, demo_db: Demo, yongji_ids: dict[str, int]
) -> None:
    key = ROUTES[name].split(":")[1]
    pk = yongji_ids[key]
    url = reverse(name, args=[pk])
    before = list(AccessLog.objects.values_list("pk", flat=True))
    response = demo_db.client("office").get(url)
    assert response.status_code == 200, response.status_code
    rows = list(
        AccessLog.objects.exclude(pk__in=before).values(
            "user__username", "action", "record_type", "record_id", "field", "ip"
        )
    )
    assert rows == [
        {
            "user__username": "office",
            "action": "open",
            "record_type": PERSONAL[key],
            "record_id": pk,
            "field": "",
            "ip": "127.0.0.1",
        }
    ]
    assert personal_data_in(" ".join(str(v) for v in rows[0].values())) == []
