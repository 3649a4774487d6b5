"""The PostgreSQL statement timeout by what the process does (``yanzhen/__main__.py``): web
requests 30 s, the task worker 600 s, an operator's command none. Before, every command had the
web's 30 s: ``recount()`` over the million cooperations of the ledger benchmark failed with
"canceling statement due to statement timeout" (its first fetch sorts the whole ledger)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.dbcache import site_keys
from yanzhen import settings as production_settings
from yanzhen.__main__ import statement_timeout_for


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["yanzhen", "runserver", "127.0.0.1:8000"], "30"),
        (["yanzhen", "run_worker"], "600"),
        (["yanzhen", "recount_ledger"], "0"),
        (["yanzhen", "migrate", "--noinput"], "0"),
        (["yanzhen", "import", "cooperations", "ledger.xlsx", "--commit"], "0"),
        (["yanzhen", "verify_audit"], "0"),
        (["yanzhen"], "0"),
    ],
)
def test_each_kind_of_process_has_its_statement_timeout(argv: list[str], expected: str) -> None:
    assert statement_timeout_for(argv) == expected


def test_the_settings_make_it_the_connections_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://yanzhen@127.0.0.1:5432/yanzhen")
    monkeypatch.delenv("YANZHEN_STATEMENT_TIMEOUT", raising=False)
    options = production_settings._database()["OPTIONS"]
    assert options["options"] == "-c statement_timeout=30000"  # the application server's
    for seconds, milliseconds in (("0", 0), ("600", 600_000), ("2.5", 2_500)):
        monkeypatch.setenv("YANZHEN_STATEMENT_TIMEOUT", seconds)
        options = production_settings._database()["OPTIONS"]
        assert options["options"] == f"-c statement_timeout={milliseconds}"


def _options_of(command: list[str], **env: str) -> str:
    """What a real ``yanzhen`` process's settings give its PostgreSQL connections."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    environment = {k: v for k, v in os.environ.items() if k != "YANZHEN_STATEMENT_TIMEOUT"}
    environment.update(
        site_keys(),
        DATABASE_URL="postgres://yanzhen@127.0.0.1:1/yanzhen",  # never connected to
        DJANGO_SETTINGS_MODULE="yanzhen.settings",
        **env,
    )
    done = subprocess.run(
        [sys.executable, "-m", "yanzhen", *command, "--no-imports", "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_an_operators_command_runs_without_a_limit_unless_one_is_set() -> None:
    assert "'-c statement_timeout=0'" in _options_of(["shell"])
    assert "'-c statement_timeout=45000'" in _options_of(["shell"], YANZHEN_STATEMENT_TIMEOUT="45")
