"""Large files of the one import flow run in the background worker (``yanzhen run_worker``).

A file with more than :func:`background_rows` rows is previewed and committed by the task
:func:`import_job_run` instead of in the request: the page polls the job's progress (htmx),
may cancel it, and shows its state (排队中, 进行中 n/N, 已完成, 已取消, 失败 with the reason).

* The file is the preview's, encrypted in ``$YANZHEN_DATA_DIR/imports`` (``core.imports``);
  the worker reads it with the job's user and page, as the page would.
* The commit runs in **one transaction** (``importing.run``): a cancel (checked every
  ``importing.PROGRESS_STEP`` rows) or an error rolls it back as a whole; a worker killed in
  the middle loses its connection and the database rolls it back — the job is then reported
  failed (``job_refresh``, from the task's record that ``jobs.worker.fail_abandoned`` marks).
* Progress and cancel go through two small files beside the preview (``jobs/<id>.json``,
  ``jobs/<id>.cancel``): the import's transaction holds the database (SQLite: its one
  writer) until it ends, so neither can be a row. Web and worker share the data directory,
  as they already do for the preview's file.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from yanzhen.core import importing, imports
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import CellError
from yanzhen.core.models import ImportJob, ImportJobState, User
from yanzhen.core.uploads import SPREADSHEET_SUFFIXES, csv_rows
from yanzhen.engines.tabular import ColumnMap, Header, Match, Skipped

# Files with more rows than this are imported by the worker (``YANZHEN_IMPORT_BACKGROUND_ROWS``):
# at the flow's speed (docs/benchmarks.md) 1,000 rows are checked or written in well under a
# second, which a request may take; more would keep the page waiting with no progress shown.
BACKGROUND_ROWS = 1000
CANCELLED_REASON = "已取消，未写入任何数据"
FINISHED = (ImportJobState.DONE, ImportJobState.CANCELLED, ImportJobState.FAILED)
PHASES = {"check": "检查", "write": "写入"}


class ImportCancelledError(Exception):
    """The user cancelled the job: the import stops and its transaction is rolled back."""


def background_rows() -> int:
    return int(getattr(settings, "YANZHEN_IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS))


def sheet_rows(data: bytes, filename: str, sheet: str | None = None) -> int:
    """How many rows the sheet has (header and title rows included): enough to choose between
    the request and the worker without reading every cell into Python."""
    if not filename.lower().endswith(SPREADSHEET_SUFFIXES):
        return 0
    if filename.lower().endswith(".csv"):
        try:
            return sum(1 for _row in csv_rows(importing.decode_csv(data)))
        except DomainError:
            return 0
    return importing.sheet_height(data, sheet)


# Progress and cancel files ---------------------------------------------------------------------


def _jobs_dir() -> Path:
    path = imports.preview_dir() / "jobs"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _progress_path(job_id: int) -> Path:
    return _jobs_dir() / f"{job_id}.json"


def _cancel_path(job_id: int) -> Path:
    return _jobs_dir() / f"{job_id}.cancel"


def _clean(job_id: int) -> None:
    _progress_path(job_id).unlink(missing_ok=True)
    _cancel_path(job_id).unlink(missing_ok=True)


class Reporter:
    """The job's :class:`importing.Progress`: writes how far it is (at most every
    ``interval`` seconds, and at each phase's end) and stops it when a cancel was asked."""

    def __init__(self, job_id: int, *, interval: float = 0.3) -> None:
        self.job_id = job_id
        self.interval = interval
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if _cancel_path(self.job_id).exists():
            raise ImportCancelledError
        now = time.monotonic()
        if now - self.last < self.interval and done not in (0, total):
            return
        self.last = now
        path = _progress_path(self.job_id)
        spare = path.with_suffix(".tmp")
        spare.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
        spare.replace(path)  # readers see the old or the new figures, never half a file


@dataclass(frozen=True)
class Status:
    """What the page shows of a job."""

    state: str
    label: str
    phase: str
    done: int
    total: int
    reason: str

    @property
    def running(self) -> bool:
        return self.state not in FINISHED

    @property
    def text(self) -> str:
        if self.state == ImportJobState.RUNNING and self.total:
            return f"{self.label}：{self.phase} {self.done}/{self.total} 行"
        if self.state == ImportJobState.FAILED and self.reason:
            return f"{self.label}：{self.reason}"
        return self.label


def job_status(job: ImportJob) -> Status:
    """The job's state after :func:`job_refresh`, with the worker's progress when it runs."""
    job_refresh(job)
    phase, done, total = "", 0, job.rows
    if job.state == ImportJobState.RUNNING:
        with contextlib.suppress(FileNotFoundError, ValueError):
            figures = json.loads(_progress_path(job.pk).read_text())
            phase = PHASES.get(str(figures["phase"]), "")
            done, total = int(figures["done"]), int(figures["total"])
    label = str(ImportJobState(job.state).label)
    return Status(job.state, label, phase, done, total, job.reason)


def failed_result(run: Any, task_id: str) -> Any:
    """The result of the task ``task_id`` of ``run`` when it failed (its worker was killed and
    ``fail_abandoned`` marked it, or it raised), else None (also when the row was purged)."""
    try:
        result = run.get_result(task_id)
    except Exception:  # the backend's "no such result": the row was purged meanwhile
        return None
    return result if result.status == TaskResultStatus.FAILED else None


def job_refresh(job: ImportJob) -> None:
    """A job still queued or running whose task failed (its worker was killed, and
    ``fail_abandoned`` marked the task) is failed, with the task's reason."""
    if job.state in FINISHED or not job.task_id:
        return
    result = failed_result(import_job_run, job.task_id)
    if result is None:
        return
    lines = [line for line in (result.errors[-1].traceback if result.errors else "").splitlines()
             if line.strip()]  # fmt: skip
    last = lines[-1].split(": ", 1)[-1] if lines else ""
    reason = last if any("\u4e00" <= c <= "\u9fff" for c in last) else "后台任务失败，数据未改动"
    _finish(job, ImportJobState.FAILED, reason=reason)


def _finish(job: ImportJob, state: str, *, reason: str = "", result: Any = None) -> None:
    job.state, job.reason, job.result = state, reason, result
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "reason", "result", "finished_at"])
    _clean(job.pk)


# Submitting and cancelling ---------------------------------------------------------------------


def fixed_dump(fixed: Mapping[str, object]) -> dict[str, Any]:
    """A page's fixed values as JSON (a record as its model and key)."""
    out: dict[str, Any] = {}
    for key, value in fixed.items():
        if isinstance(value, models.Model):
            out[key] = {"model": value._meta.label, "pk": value.pk}
        else:
            out[key] = value
    return out


def fixed_load(data: Mapping[str, Any]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict) and set(value) == {"model", "pk"}:
            out[key] = apps.get_model(value["model"])._default_manager.get(pk=value["pk"])
        else:
            out[key] = value
    return out


def job_submit(
    *,
    user: User,
    register: importing.Register[Any, Any],
    page: str,
    label: str,
    token: str,
    filename: str,
    rows: int,
    sheet: str | None,
    mapping: Mapping[str, str] | None,
    fixed: Mapping[str, object],
    commit: bool = False,
    skip_invalid: bool = False,
) -> ImportJob:
    """Queue the preview (or the commit) of a previewed file for the worker."""
    job = ImportJob.objects.create(
        register=register.name,
        page=page,
        created_by=user,
        token=token,
        filename=filename[:255],
        rows=rows,
        options={
            "label": label,
            "sheet": sheet or "",
            "mapping": dict(mapping or {}),
            "fixed": fixed_dump(fixed),
            "commit": commit,
            "skip_invalid": skip_invalid,
        },
    )
    job.task_id = str(import_job_run.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    return job


def job_cancel(*, job: ImportJob) -> bool:
    """Ask a job to stop; ``False`` when it had already finished. A queued job is cancelled
    at once; a running one at its next step (then nothing it did is kept)."""
    if job.state in FINISHED:
        return False
    _cancel_path(job.pk).touch()
    if ImportJob.objects.filter(pk=job.pk, state=ImportJobState.QUEUED).update(
        state=ImportJobState.CANCELLED, reason=CANCELLED_REASON, finished_at=timezone.now()
    ):
        _clean(job.pk)
    job.refresh_from_db()
    return True


# The worker's side ------------------------------------------------------------------------------


@task()
def import_job_run(job_id: int) -> str:
    """Run the import job ``job_id`` (its state when it ends)."""
    return job_run(job_id=job_id)


def job_run(*, job_id: int) -> str:
    """Preview or commit the job's file, telling its progress; its final state."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if _cancel_path(job.pk).exists() and job.state == ImportJobState.QUEUED:
        _finish(job, ImportJobState.CANCELLED, reason=CANCELLED_REASON)
    if not ImportJob.objects.filter(pk=job.pk, state=ImportJobState.QUEUED).update(
        state=ImportJobState.RUNNING
    ):
        return str(ImportJob.objects.get(pk=job_id).state)  # cancelled before it started
    job.state = ImportJobState.RUNNING
    options: dict[str, Any] = dict(job.options)
    user = job.created_by
    content = imports.preview_read(token=job.token, user_id=user.pk, register=job.page)
    if content is None:
        _finish(job, ImportJobState.FAILED, reason="上传的文件已过期或已删除，请重新上传")
        return str(job.state)
    commit = bool(options.get("commit"))
    try:
        register = importing.register_named(job.register)
        if not user.is_active or not user.has_perm(register.permission):
            raise DomainError("forbidden", "您已无权导入该登记簿，未写入任何数据")
        result = importing.run(
            register,
            user=user,
            data=content,
            filename=job.filename,
            sheet=options.get("sheet") or None,
            mapping=options.get("mapping") or None,
            commit=commit,
            skip_invalid=bool(options.get("skip_invalid")),
            fixed=fixed_load(options.get("fixed") or {}),
            progress=Reporter(job.pk),
        )
    except ImportCancelledError:
        _finish(job, ImportJobState.CANCELLED, reason=CANCELLED_REASON)
        return str(job.state)
    except DomainError as error:
        imports.import_logged(None, user=user, register=str(options.get("label", "")),
                              content=content, commit=commit, error=error)  # fmt: skip
        _finish(job, ImportJobState.FAILED, reason=error.message)
        return str(job.state)
    except Exception as error:
        _finish(
            job, ImportJobState.FAILED, reason=f"导入出错（{type(error).__name__}），未写入任何数据"
        )
        raise
    imports.import_logged(None, user=user, register=str(options.get("label", "")),
                          content=content, commit=commit, report=result,
                          skip_invalid=bool(options.get("skip_invalid")))  # fmt: skip
    if result.committed and not result.errors:
        imports.preview_delete(token=job.token)
    _finish(job, ImportJobState.DONE, result=result_dump(result))
    return str(job.state)


# The result as JSON ------------------------------------------------------------------------------


def result_dump(result: importing.ImportResult) -> dict[str, Any]:
    header = result.header
    mapping = result.mapping
    return {
        "register": result.register,
        "sheet": result.sheet,
        "sheets": list(result.sheets),
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "committed": result.committed,
        "left_out": result.left_out,
        "batch_id": result.batch_id,
        "errors": [[e.row, e.column, e.header, e.message] for e in result.errors],
        "skipped": [[s.row, s.reason] for s in result.skipped],
        "notes": [[row, note] for row, note in result.notes],
        "header": None if header is None else [header.first, header.last, list(header.names)],
        "mapping": None
        if mapping is None
        else {
            "matches": [[m.column, m.header, m.field, m.confidence] for m in mapping.matches],
            "unused": [[i, name] for i, name in mapping.unused],
            "missing": list(mapping.missing),
        },
    }


def result_load(data: Mapping[str, Any]) -> importing.ImportResult:
    header = data["header"]
    mapping = data["mapping"]
    return importing.ImportResult(
        rows=data["rows"],
        created=data["created"],
        updated=data["updated"],
        unchanged=data["unchanged"],
        committed=data["committed"],
        errors=[CellError(*e) for e in data["errors"]],
        register=data["register"],
        sheet=data["sheet"],
        sheets=tuple(data["sheets"]),
        header=None if header is None else Header(header[0], header[1], tuple(header[2])),
        mapping=None
        if mapping is None
        else ColumnMap(
            tuple(Match(*m) for m in mapping["matches"]),
            tuple((i, name) for i, name in mapping["unused"]),
            tuple(mapping["missing"]),
        ),
        skipped=[Skipped(*s) for s in data["skipped"]],
        notes=[(row, note) for row, note in data["notes"]],
        left_out=data["left_out"],
        batch_id=data["batch_id"],
    )
