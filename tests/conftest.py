"""Shared fixtures: the Yongji demo (loaded once per module, rolled back after), logins."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from yanzhen.core.models import DataScope, Role, Unit, UnitKind, User
from yanzhen.core.services import unit_create, user_create

# A draw that took a second because the machine stalled (a shared host: a loop of Python that
# takes 1.0 s took 1.7 s in the next run) failed `tests/engines/test_briefing_template.py` with
# "Input generation is slow". That health check is off; every example is still generated and
# checked, and the data-size and filter checks stay on.
hypothesis_settings.register_profile("suite", suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("suite")


@dataclass
class Demo:
    """The demo's logins by name."""

    users: dict[str, User]

    def client(self, username: str) -> Client:
        """A logged-in client; accounts that need two factors are verified too."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client()
        user = self.users[username]
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment: None,
    django_db_blocker: pytest.FixtureRequest,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """The worker's test database is a copy of the migrated template (``tests/dbcache.py``),
    built once per machine and set of migrations instead of migrating in every worker."""
    from django.test.utils import setup_databases

    from tests import dbcache

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        dbcache.install_test_database()
        setup_databases(verbosity=0, interactive=False, keepdb=True)
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        dbcache.remove_test_database()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Demo]:
    """The demo, inserted once for the module inside a transaction that is rolled back at the
    end; each test runs in a savepoint of it (pytest-django's ``db``). The demo is loaded once
    per worker and its rows copied in (``tests/dbcache.py``)."""
    from tests import dbcache

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        dbcache.demo_tables()  # loaded outside any transaction: it opens its own database
        outer = transaction.atomic()
        outer.__enter__()
        try:
            dbcache.insert_demo()
            users = {u.username: u for u in User.objects.all()}
            yield Demo(users)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_db(demo: Demo, db: None) -> Demo:
    return demo


@dataclass
class Sessions:
    """Sessions signed in once for a module (:func:`demo_sessions`), by username."""

    keys: dict[str, str]

    def client(self, username: str) -> Client:
        """A fresh client carrying the module's session of ``username``."""
        from django.conf import settings

        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = self.keys[username]
        return client


@pytest.fixture(scope="module")
def demo_sessions(
    request: pytest.FixtureRequest, demo: Demo, django_db_blocker: pytest.FixtureRequest
) -> Sessions:
    """The demo logins a sweep module names in its ``DEMO_SESSIONS``, each signed in once for
    the module in the demo's transaction (as ``tests/test_access.py``'s outsider) instead of
    once per test: a login writes the session, the security log's chain and the user's
    history (a third of a sweep's queries on PostgreSQL). Use it through :func:`signed_in`.

    What a test's requests write to a session is rolled back with the test. The session policy
    measures idleness and age by the last activity and the start kept in the session
    (``accounts.middleware.LAST_SEEN`` and ``STARTED``, written at login by
    ``accounts.signals`` and, where missing, by the next request): the module's sessions are
    stored without them, so each test's first request starts both clocks anew and however slow
    the run, no module's session expires (15 idle minutes for administrators), while within a
    test the time-outs apply as ever (``tests/test_module_sessions.py``; the time-outs
    themselves: ``tests/accounts/``, which sign in their own)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        keys = {name: module_session(demo.client(name)) for name in request.module.DEMO_SESSIONS}
    return Sessions(keys)


def module_session(client: Client) -> str:
    """The key of ``client``'s session, kept for a module: stored without the clocks of the
    session policy (:func:`demo_sessions`), so that no test of a slow module finds it expired."""
    from yanzhen.accounts.middleware import LAST_SEEN, STARTED

    session = client.session
    for clock in (LAST_SEEN, STARTED):
        session.pop(clock, None)
    session.save()
    return str(session.session_key)


@pytest.fixture
def signed_in(demo_db: Demo, demo_sessions: Sessions) -> Sessions:
    """The module's sessions (:func:`demo_sessions`) for a test in the demo."""
    return demo_sessions


TODAY = dt.date(2026, 11, 27)


def make_role(code: str, scope: str, perms: list[str]) -> Role:
    """A role holding exactly ``perms`` (``app.codename``; each must exist, once), given in one
    query and one insert: the query-count sweep gives every permission to a user per test."""
    from django.contrib.auth.models import Permission

    role = Role.objects.create(code=code, name=code, data_scope=scope)
    wanted = {tuple(perm.split(".")) for perm in perms}
    found: dict[tuple[str, ...], list[Permission]] = {}
    for permission in Permission.objects.select_related("content_type").filter(
        codename__in={codename for _, codename in wanted}
    ):
        key = (permission.content_type.app_label, permission.codename)
        if key in wanted:
            found.setdefault(key, []).append(permission)
    missing = sorted(".".join(key) for key in wanted - set(found))
    if missing:
        raise Permission.DoesNotExist(f"no such permission: {', '.join(missing)}")
    twice = sorted(".".join(key) for key, matches in found.items() if len(matches) > 1)
    if twice:
        raise Permission.MultipleObjectsReturned(f"ambiguous permission: {', '.join(twice)}")
    role.permissions.add(*(matches[0] for matches in found.values()))
    return role


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        unit: Unit | None, scope: str = DataScope.UNIT, perms: list[str] | None = None
    ) -> User:
        n = next(counter)
        role = make_role(f"role{n}", scope, perms or [])
        return user_create(
            username=f"user{n}", password="x-Unused-Password-1", unit=unit, roles=[role]
        )

    return make


@pytest.fixture
def county(db: None) -> Unit:
    return unit_create(actor=None, parent=None, name="测试县", kind=UnitKind.COUNTY)


@pytest.fixture(scope="module")
def yongji_ids(demo: Demo, django_db_blocker: pytest.FixtureRequest) -> dict[str, int]:
    """Ids of demo records, by the keys the access rules in ``tests/routes`` use."""
    from tests.routes import OBJECT_IDS

    ids: dict[str, int] = {}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for factory in OBJECT_IDS:
            ids.update(factory())
    return ids


def pytest_configure(config: pytest.Config) -> None:
    from tests.pii import watch_secrets

    watch_secrets()


# Modules that take long for their number of tests (the processes they start, the databases
# they build or migrate), most first. With ``--dist loadfile`` each module is one unit of work
# handed to the next free worker in this order (``--no-loadscope-reorder``: xdist would order
# by number of tests and leave these one-test modules for the end, one worker busy with them
# while the other idles); the other modules follow, most tests first.
LONG_MODULES = (
    # The backup drill builds the demo site the browser tests share (about 100 s): the other
    # worker meanwhile takes the long modules that need no site, and the browser tests after.
    "tests/core/test_backup.py",
    "tests/talent/test_secondment_migration.py",
    "tests/test_squashed_migrations.py",
    "tests/test_squashed_upgrade.py",
    "tests/audit/test_chains.py",
    "tests/test_leader_writes.py",
    "tests/test_browser.py",
    "tests/test_browser_ux.py",
    "tests/jobs/test_worker.py",
    "tests/jobs/test_scheduler.py",
    "tests/college/test_split_migration.py",
    "tests/benefits/test_split_migration.py",
    "tests/placement/test_split_migration.py",
    "tests/core/test_field_key.py",
    "tests/core/test_identity_numbers.py",
)


# What CI's PostgreSQL run (``YANZHEN_SUITE=postgres``, ``.ci/run``) leaves to its SQLite run of
# the whole suite: modules whose outcome does not depend on the database server, by reason.
# ``make pytest`` with ``DATABASE_URL`` and without ``YANZHEN_SUITE`` still runs everything on
# PostgreSQL (docs/testing.md).
SQLITE_RUN_ONLY: dict[str, str] = {
    "tests/engines/": "pure Python: no database at all",
    "tests/test_shape.py": "reads the source files",
    "tests/test_dependencies.py": "reads the locks",
    "tests/test_ci_scripts.py": "runs CI's shell scripts: no database",
    "tests/core/test_i18n.py": "reads the catalogue and the sources",
    "tests/test_browser.py": "what Chromium shows (layout, CSP, charts)",
    "tests/test_browser_ux.py": "what Chromium shows (phones, glyphs, axe)",
    "tests/test_browser_demand_graph.py": "what Chromium shows (the graph's layout)",
    "tests/test_browser_manual.py": "what Chromium shows (the sidebar, the help link)",
    "tests/talent/test_secondment_migration.py": "its database from before is SQLite in both",
    "tests/benefits/test_split_migration.py": "its database from before is SQLite in both",
    "tests/college/test_split_migration.py": "its database from before is SQLite in both",
    "tests/placement/test_split_migration.py": "its database from before is SQLite in both",
    "tests/test_squashed_upgrade.py": "its database built by the old files is SQLite in both",
    "tests/test_html_fuzz.py": "the filters are the API's query schemas, fuzzed on PostgreSQL",
    "tests/test_html_fuzz_forms.py": "the forms call the services the API fuzzing reaches",
    "tests/test_query_counts.py": "the ORM prefetches alike on both",
    "tests/portal/test_confinement.py": (
        "the portal's middleware refuses before any record is read; the refusals' log rows on"
        " PostgreSQL: tests/test_access.py"
    ),
}


def _sqlite_run_only(module: str) -> bool:
    return any(module == m or (m.endswith("/") and module.startswith(m)) for m in SQLITE_RUN_ONLY)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long modules first (:data:`LONG_MODULES`), then by number of tests; the leak checks
    read what the whole suite did: they run last. CI's PostgreSQL run leaves out
    :data:`SQLITE_RUN_ONLY`."""
    if os.environ.get("YANZHEN_SUITE") == "postgres":
        left = [i for i in items if _sqlite_run_only(i.nodeid.split("::", 1)[0])]
        if left:
            config.hook.pytest_deselected(items=left)
            gone = set(left)
            items[:] = [i for i in items if i not in gone]
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def rank(module: str) -> tuple[int, int]:
        if module == "tests/test_zz_leaks.py":
            return (len(LONG_MODULES) + 1, 0)
        if module in LONG_MODULES:
            return (LONG_MODULES.index(module), 0)
        return (len(LONG_MODULES), -len(modules[module]))

    items[:] = [i for module in sorted(modules, key=rank) for i in modules[module]]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With ``-n`` (pytest-xdist) the leak checks cannot run last in one process: each worker
    leaves what it watched next to the shared log, and the controlling process, once every
    worker is done, makes the checks of ``tests/test_zz_leaks.py`` over all of it."""
    from django.conf import settings

    from tests import pii

    log = Path(getattr(settings, "SUITE_LOG"))  # noqa: B009 (a setting of the test settings only)
    folder = log.parent
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    if worker is not None:
        pii.save_watch(folder / f"watch-{worker}.json")
        return
    if not getattr(session.config.option, "numprocesses", None):
        return
    from tests.test_zz_leaks import KNOWN_SECRETS

    leaks, secrets = pii.load_watches(folder)
    problems = leaks + pii.log_problems(log.read_text(encoding="utf-8"), [*KNOWN_SECRETS, *secrets])
    if problems:
        reporter = session.config.pluginmanager.getplugin("terminalreporter")
        for problem in problems:
            if reporter is not None:
                reporter.write_line(f"LEAK: {problem}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
