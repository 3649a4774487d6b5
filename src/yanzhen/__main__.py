"""The ``yanzhen`` console command: Django's manage.py with our settings."""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

# The PostgreSQL statement timeout of the process, by what it does, where the operator has not
# set YANZHEN_STATEMENT_TIMEOUT (seconds; 0: none). The development server answers requests
# (30 s, the settings' default, as the application server's web workers); the task worker runs
# imports and reports of thousands of rows (600 s); any other command is an operator's
# maintenance (migrate, recount_ledger, verify_audit, import, backup, …), which reads whole
# tables of a province's database and runs without a limit.
STATEMENT_TIMEOUTS = {"runserver": "30", "run_worker": "600"}


def statement_timeout_for(argv: list[str]) -> str:
    """The default statement timeout of ``yanzhen <command> …``."""
    return STATEMENT_TIMEOUTS.get(argv[1] if len(argv) > 1 else "", "0")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
    os.environ.setdefault("YANZHEN_STATEMENT_TIMEOUT", statement_timeout_for(sys.argv))
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
