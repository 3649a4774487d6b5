"""The statements every signed-in request pays (serving under load, docs/benchmarks.md): the
user is read with its unit, the roles once (the scope and the session policy share them), the
permissions in one statement; the dashboard counts the header's review inbox and unread
notifications once (its to-dos have them). Exact counts: a change that adds a statement to
every request fails here."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from yanzhen.accounts.services import requires_otp
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.scope import scope_of
from yanzhen.core.services import unit_create
from yanzhen.reports import scoped_sums

PERMS = [
    "cooperation.view_cooperation",
    "cooperation.view_base",
    "talent.view_talent",
    "reporting.view_task",
    "reporting.review_submission",
    "supervision.view_problem",
    "supervision.view_milestone",
    "core.view_unit",
]


@pytest.fixture
def town(county: Unit) -> Unit:
    return unit_create(actor=None, parent=county, name="测试镇", kind=UnitKind.TOWN)


@pytest.fixture
def office(county: Unit, make_user: Callable[..., User]) -> Client:
    office = unit_create(actor=None, parent=county, name="人才办", kind=UnitKind.DEPARTMENT)
    client = Client()
    client.force_login(make_user(office, DataScope.COUNTY, PERMS))
    return client


@pytest.fixture
def town_user(town: Unit, make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(town, DataScope.UNIT_AND_BELOW, PERMS))
    return client


def _count(sql: list[str], table: str) -> int:
    return sum(f'FROM "{table}"' in s and "COUNT(" in s for s in sql)


@pytest.mark.parametrize("who", ["office", "town_user"])
def test_the_dashboard_counts_the_header_figures_once(
    who: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(who)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert _count(sql, "notifications_notification") == 1
    assert _count(sql, "core_approvalrequest") == 1 + sum(  # the inbox; the stage reviews' own
        "DISTINCT" in s and '"core_approvalrequest"' in s for s in sql
    )
    assert 'id="inbox-link">待审核</a>' in response.content.decode()


@pytest.mark.parametrize(("who", "statements"), [("office", 23), ("town_user", 23)])
def test_the_dashboard_runs_a_constant_number_of_statements(
    who: str,
    statements: int,
    request: pytest.FixtureRequest,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    """The ledger's generation, then the rows of the scope's sums; the next request finds the
    sums kept (``reports.scoped_sums``) and reads the generation only. Inside the test's
    transaction PostgreSQL reads no generation: its transaction has written (the fixtures)."""
    client: Client = request.getfixturevalue(who)
    scoped_sums.forget()
    with django_assert_num_queries(statements):
        assert client.get("/").status_code == 200
    kept = statements - 1 if connection.vendor == "sqlite" else statements
    with django_assert_num_queries(kept):
        assert client.get("/").status_code == 200


def test_a_signed_in_request_reads_user_unit_and_roles_once(
    office: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Session, user with its unit, roles: nothing else for ``/api/v1/me``."""
    with django_assert_num_queries(3) as captured:
        response = office.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["unit"] == "人才办"
    assert '"core_unit"' in captured.captured_queries[1]["sql"]  # joined to the user


def test_permissions_direct_and_through_roles_are_read_in_one_statement(
    county: Unit, make_user: Callable[..., User], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    user = make_user(county, DataScope.UNIT, ["cooperation.view_cooperation"])
    user.user_permissions.add(Permission.objects.get(codename="view_talent"))
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user.has_perm("cooperation.view_cooperation")
        assert user.has_perm("talent.view_talent")
        assert not user.has_perm("talent.change_talent")
    assert user.get_all_permissions() == {"cooperation.view_cooperation", "talent.view_talent"}


def test_a_role_switched_off_grants_nothing(county: Unit, make_user: Callable[..., User]) -> None:
    user = make_user(county, DataScope.UNIT, ["cooperation.view_cooperation"])
    user.roles.update(is_active=False)
    assert User.objects.get(pk=user.pk).get_all_permissions() == set()


def test_the_data_scope_reuses_the_roles_the_request_read(
    county: Unit, make_user: Callable[..., User], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    user = User.objects.get(pk=make_user(county, DataScope.UNIT_AND_BELOW).pk)
    with django_assert_num_queries(1):
        assert not requires_otp(user)
        assert not scope_of(user).everything


def test_the_new_cooperation_form_shown_reads_no_university_names(
    county: Unit, make_user: Callable[..., User]
) -> None:
    """The resolver of written university names (every university and alias) is built when
    the form is sent with names, not each time it is shown."""
    client = Client()
    client.force_login(
        make_user(county, DataScope.UNIT_AND_BELOW, [*PERMS, "cooperation.add_cooperation"])
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/cooperation/new/")
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert [s for s in sql if "reference_universityalias" in s] == []
    assert [s for s in sql if '"reference_university"."pinyin"' in s] == []
