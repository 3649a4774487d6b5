"""Large exports written by the background worker (``yanzhen run_worker``) instead of in the
request.

An export of a list (``core.listing.export_response``) with more than
:func:`background_rows` rows (``YANZHEN_EXPORT_BACKGROUND_ROWS``) is checked in the request as
every export is (the hourly quota, the row limit, the second person's approval of full values),
then queued as an :class:`ExportJob`; the request answers with a redirect to the job's page,
which polls its state (htmx) and offers the download when it is done.

* The task **replays the list view** as the job's user with the stored path and query
  (:func:`replay`): the user's data scope, the list's columns, masking, watermark, formula
  neutralisation, row limit and security-log entry are those of the in-request export, the same
  code. The full-values decision made in the request is carried in the job (``decision``) and
  not asked again: the replay reads it from :class:`Replay` on its request.
* The file is sealed with the field key (``core.crypto``) and written to
  ``$YANZHEN_DATA_DIR/exports/<id>-<token>.part``, then renamed to ``<id>-<token>.<fmt>``, and
  only then the job marked done: a worker killed before the rename leaves at most a ``.part``
  file, which nothing offers. Its task stays RUNNING until the worker's stale-task handling
  (``jobs.worker.fail_abandoned``) marks it failed; the job then shows failed
  (:func:`job_refresh`) and is not re-run — the user exports again.
* A done job's file is downloadable by its user only, for :data:`KEEP` (24 hours); expired
  files, and (after an hour) ``.part`` files a killed worker left, are deleted by
  :func:`purge_expired`
  (``yanzhen purge_uploads``, every 10 minutes from the scheduler, and at each new job).
* The hourly export quota counts the jobs submitted (``audit.services.exports_in_last_hour``
  adds :func:`pending_in_last_hour`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails
from django_tasks import task

from yanzhen.core import crypto
from yanzhen.core.errors import DomainError
from yanzhen.core.import_jobs import failed_result
from yanzhen.core.middleware import CurrentRequestMiddleware
from yanzhen.core.models import ExportJob, ExportJobState, User

BACKGROUND_ROWS = 2000
KEEP = dt.timedelta(hours=24)
FINISHED = (ExportJobState.DONE, ExportJobState.FAILED)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# The request headers kept for the replay: the security log names the client as in the request.
CLIENT_META = ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_USER_AGENT", "HTTP_HOST")
ATTRIBUTE = "yanzhen_export_replay"


def background_rows() -> int:
    return int(getattr(settings, "YANZHEN_EXPORT_BACKGROUND_ROWS", BACKGROUND_ROWS))


@dataclass
class Replay:
    """Carried on the replayed request: the full-values decision of the original request (in),
    and what the export wrote (out: rows, file name, content)."""

    unmasked: bool
    approval_id: int | None
    rows: int = 0
    filename: str = ""
    content: bytes = b""


def replay_of(request: HttpRequest | None) -> Replay | None:
    """The :class:`Replay` when ``request`` is a background export's replay."""
    found = getattr(request, ATTRIBUTE, None)
    return found if isinstance(found, Replay) else None


# Files -------------------------------------------------------------------------------------------


def export_dir() -> Path:
    """The folder of the finished files, readable by the service account only."""
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _name(pk: int, token: str, fmt: str) -> str:
    return f"{pk}-{token}.{fmt}"


def file_path(job: ExportJob) -> Path:
    return export_dir() / _name(job.pk, job.token, job.fmt)


def part_path(job: ExportJob) -> Path:
    return export_dir() / _name(job.pk, job.token, "part")


def _associated(job: ExportJob) -> bytes:
    return f"export:{job.pk}:{job.token}:{job.user_id}:{job.fmt}".encode()


def file_write(job: ExportJob, content: bytes) -> None:
    """The file sealed under a temporary name, then renamed: complete or absent."""
    part = part_path(job)
    with part.open("wb") as out:
        out.write(crypto.encrypt_bytes(content, associated=_associated(job)))
        out.flush()
        os.fsync(out.fileno())
    part.chmod(0o600)
    os.replace(part, file_path(job))


def file_read(job: ExportJob) -> bytes | None:
    """The job's file, or None when it is gone (deleted, expired) or was tampered with."""
    try:
        blob = file_path(job).read_bytes()
        return crypto.decrypt_bytes(blob, associated=_associated(job))
    except (FileNotFoundError, InvalidTag, ValueError):
        return None


def expired(job: ExportJob, now: dt.datetime | None = None) -> bool:
    return job.expires_at is not None and job.expires_at <= (now or timezone.now())


def purge_expired() -> int:
    """Delete the files of expired jobs, and any other file of the folder older than an hour
    that no job offers (a ``.part`` file a killed worker left); the number deleted. A file
    written in the last hour and not known expired is left: its job may have just ended."""
    folder = Path(settings.DATA_DIR) / "exports"
    if not folder.is_dir():
        return 0
    now = timezone.now()
    done = ExportJob.objects.filter(state=ExportJobState.DONE)
    fields = ("pk", "token", "fmt")
    keep = {_name(*row) for row in done.filter(expires_at__gt=now).values_list(*fields)}
    gone = {_name(*row) for row in done.filter(expires_at__lte=now).values_list(*fields)}
    stale = time.time() - 3600
    deleted = 0
    for path in folder.iterdir():
        if path.name in keep:
            continue
        with contextlib.suppress(FileNotFoundError):
            if path.name in gone or path.stat().st_mtime < stale:
                path.unlink()
                deleted += 1
    return deleted


# Submitting --------------------------------------------------------------------------------------


def job_submit(
    request: HttpRequest, *, user: User, title: str, fmt: str, rows: int, unmasked: bool,
    approval_id: int | None,
) -> ExportJob:  # fmt: skip
    """Queue the export the request asks for (checked by the caller: quota, limit, approval)."""
    purge_expired()
    query = request.GET.copy()
    query.pop("page", None)
    client = {key: str(request.META[key]) for key in CLIENT_META if key in request.META}
    client["LANGUAGE_CODE"] = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    job = ExportJob.objects.create(
        user=user,
        title=title[:100],
        path=request.path[:300],
        query=query.urlencode(),
        fmt=fmt,
        rows=rows,
        client=client,
        decision={"unmasked": unmasked, "approval_id": approval_id},
    )
    job.task_id = str(export_job_run.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    return job


def pending_in_last_hour(user: User) -> int:
    """The user's jobs of the last hour not done yet (a done job counts by its export log)."""
    since = timezone.now() - dt.timedelta(hours=1)
    return (
        ExportJob.objects.filter(user=user, created_at__gte=since)
        .exclude(state=ExportJobState.DONE)
        .count()
    )


def jobs_of(user: User) -> Any:
    """The user's own jobs, newest first (nobody else's: not even an administrator's)."""
    return ExportJob.objects.filter(user=user).order_by("-created_at", "-pk")


# State -------------------------------------------------------------------------------------------


LOST_REASON = "后台任务进程在导出时中断，未生成文件，请重新导出"


def job_refresh(job: ExportJob) -> None:
    """A job still queued or running whose task failed (its worker was killed and
    ``fail_abandoned`` marked the task) is failed; its half-written file is deleted."""
    if job.state in FINISHED or not job.task_id:
        return
    if failed_result(export_job_run, job.task_id) is not None:
        _fail(job, LOST_REASON)


def _fail(job: ExportJob, reason: str) -> None:
    job.state, job.reason, job.finished_at = ExportJobState.FAILED, reason, timezone.now()
    job.save(update_fields=["state", "reason", "finished_at"])
    part_path(job).unlink(missing_ok=True)


# The worker's side -------------------------------------------------------------------------------


@task()
def export_job_run(job_id: int) -> str:
    """Write the file of the export job ``job_id`` (its state when it ends)."""
    return job_run(job_id=job_id)


def _request(job: ExportJob, replay: Replay) -> HttpRequest:
    """A GET of the list's path and query as the job's user, as the middleware leaves it."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    client = {k: v for k, v in job.client.items() if k in CLIENT_META}
    request.META = {
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": job.query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        **client,
    }
    request.GET = QueryDict(job.query)
    request.user = job.user
    request.session = SessionBase()  # kept in memory, never saved
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    setattr(request, ATTRIBUTE, replay)
    return request


def replay(job: ExportJob) -> tuple[HttpResponse, Replay]:
    """The list view's answer to the job's request, and what its export wrote."""
    decision = job.decision or {}
    carried = Replay(
        unmasked=bool(decision.get("unmasked")), approval_id=decision.get("approval_id")
    )
    request = _request(job, carried)
    match = resolve(job.path)
    request.resolver_match = match

    def view(req: HttpRequest) -> HttpResponse:
        return match.func(req, *match.args, **match.kwargs)  # type: ignore[no-any-return]

    with translation.override(str(job.client.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE)):
        response = CurrentRequestMiddleware(view)(request)
    return response, carried


def job_run(*, job_id: int) -> str:
    """Replay the job's export and keep its file; the job's final state."""
    if not ExportJob.objects.filter(pk=job_id, state=ExportJobState.QUEUED).update(
        state=ExportJobState.RUNNING
    ):
        return str(ExportJob.objects.get(pk=job_id).state)  # already run (enqueued twice)
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    try:
        if not job.user.is_active:
            raise DomainError("forbidden", "账户已停用，未导出")
        response, carried = replay(job)
    except (PermissionDenied, Http404, Resolver404):
        _fail(job, _("您已无权导出该列表，未导出"))
        return str(job.state)
    except DomainError as error:
        _fail(job, error.message)
        return str(job.state)
    except Exception as error:
        _fail(job, _("导出出错（%(kind)s），未生成文件") % {"kind": type(error).__name__})
        raise
    if response.status_code != 200 or not carried.filename:
        _fail(job, _("列表已不能按原条件导出（筛选结果超过上限或权限已变化），未生成文件"))
        return str(job.state)
    try:
        file_write(job, carried.content)
    except OSError as error:  # the disk full, the folder not writable: no file, said so
        _fail(job, _("无法写入导出文件（%(why)s），未生成文件") % {"why": error.strerror or ""})
        return str(job.state)
    now = timezone.now()
    job.state, job.rows, job.filename = ExportJobState.DONE, carried.rows, carried.filename
    job.finished_at, job.expires_at = now, now + KEEP
    job.save(update_fields=["state", "rows", "filename", "finished_at", "expires_at"])
    return str(job.state)
