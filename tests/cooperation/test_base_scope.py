"""The bases a user sees (``selectors.base_qs``, read as a union of two lookups): exactly those
whose lead department or county is in the user's scope, for every demo login."""

from __future__ import annotations

import pytest

from tests.conftest import Demo
from yanzhen.cooperation.models import Base
from yanzhen.cooperation.selectors import base_qs
from yanzhen.core.scope import scope_of


@pytest.mark.parametrize(
    "username",
    ["office", "leader", "base", "town", "enterprise", "clerk26", "university", "expert"],
)
def test_a_user_sees_the_bases_led_or_located_in_scope(demo_db: Demo, username: str) -> None:
    user = demo_db.users[username]
    scope = scope_of(user)
    units = set(scope.units().values_list("pk", flat=True)) if scope.unit_q is not None else set()
    expected = {
        pk
        for pk, lead, county, creator in Base.objects.values_list(
            "pk", "lead_department_id", "county_id", "created_by_id"
        )
        if scope.everything
        or lead in units
        or county in units
        or (scope.self_only and creator == user.pk)
    }
    seen = list(base_qs(user).values_list("pk", flat=True))
    assert len(seen) == len(set(seen))  # each once
    assert set(seen) == expected
    assert len(expected) > 0 or username in (
        "town",
        "enterprise",
        "clerk26",
        "university",
        "expert",
    )
