"""The task that runs a periodic job's management command in the worker."""

from __future__ import annotations

import io

from django.core.management import call_command
from django_tasks import task


@task()
def run_command(name: str, args: list[str]) -> dict[str, object]:
    """Run ``yanzhen <name> <args>``. A command that fails (``CommandError``) fails the task,
    with its traceback in the task's record; what the command prints is not kept (it may name
    records)."""
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=out)
    return {"command": name, "lines": len(out.getvalue().splitlines())}
