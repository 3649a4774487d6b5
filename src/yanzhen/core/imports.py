"""The import flow's files and its trace: upload → check → preview → confirm or cancel.

* An uploaded file is bounded before it is read (:func:`receive`, ``core.uploads``).
* Between the preview and the confirmation the file waits **encrypted** with the field key
  (``core.crypto.encrypt_bytes``, bound to its token, user and register) in
  ``$YANZHEN_DATA_DIR/imports`` (folder 0700, file 0600). Confirming or cancelling deletes it;
  a preview older than ``YANZHEN_IMPORT_PREVIEW_MINUTES`` (60) is refused and deleted, and
  ``yanzhen purge_uploads`` deletes whatever is left (and temporary upload files older than
  ``YANZHEN_TEMP_FILE_HOURS``).
* Every import — the check (dry run), the commit, a file refused — writes one event to the
  security log: user, register, SHA-256 of the file, row counts, result (:func:`import_logged`).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from yanzhen.core import crypto
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import ImportReport
from yanzhen.core.listing import mask_numbers
from yanzhen.core.models import User
from yanzhen.core.trail import EventKind, audit_trail
from yanzhen.core.uploads import check_spreadsheet, check_upload

SESSION_KEY = "pending_imports"
R = TypeVar("R")
_TOKEN = re.compile(r"[0-9a-f]{32}")


def preview_dir() -> Path:
    """The folder of the files awaiting confirmation, readable by the service account only."""
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # also a folder made earlier with the default umask
    return path


def temp_dir() -> Path | None:
    value = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    return Path(value) if value else None


def preview_seconds() -> int:
    return int(getattr(settings, "YANZHEN_IMPORT_PREVIEW_MINUTES", 60)) * 60


def temp_seconds() -> int:
    return int(getattr(settings, "YANZHEN_TEMP_FILE_HOURS", 24)) * 3600


# Receiving -------------------------------------------------------------------------------------


def receive(upload: UploadedFile[bytes]) -> bytes:
    """The bytes of an uploaded table, once it is within every bound (else ``DomainError``
    naming the limit, on the field ``file``)."""
    check_upload(upload)
    content = bytes(upload.read())
    check_spreadsheet(content, upload.name or "")
    return content


# Previews --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A previewed file, decrypted, with what its page kept beside it."""

    token: str
    register: str
    name: str
    content: bytes
    extra: dict[str, Any] = field(default_factory=dict)


def _associated(token: str, user_id: object, register: str) -> bytes:
    return f"yanzhen import preview|{token}|{user_id}|{register}".encode()


def _path(token: str) -> Path:
    return preview_dir() / f"{token}.bin"


def preview_save(
    request: HttpRequest,
    *,
    register: str,
    name: str,
    content: bytes,
    extra: dict[str, Any] | None = None,
) -> str:
    """Keep a previewed file (encrypted, 0600) until it is confirmed or cancelled; its token."""
    token = secrets.token_hex(16)
    blob = crypto.encrypt_bytes(content, associated=_associated(token, request.user.pk, register))
    path = _path(token)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(blob)
    now = time.time()  # the clock the purge reads (frozen in tests)
    os.utime(path, (now, now))
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending[token] = {"register": register, "name": name, "extra": dict(extra or {})}
    request.session[SESSION_KEY] = pending
    return token


def preview_update(request: HttpRequest, *, token: str, extra: dict[str, Any]) -> None:
    """Change what a preview keeps beside its file (its sheet, its mapping)."""
    pending = dict(request.session.get(SESSION_KEY, {}))
    if token in pending:
        pending[token] = {**pending[token], "extra": dict(extra)}
        request.session[SESSION_KEY] = pending


def preview_read(*, token: str, user_id: object, register: str) -> bytes | None:
    """A preview's file read without its session (the background worker, ``core.import_jobs``),
    or ``None`` when it is gone, expired or not this user's and register's."""
    if not _TOKEN.fullmatch(token):
        return None
    path = _path(token)
    try:
        if path.stat().st_mtime < time.time() - preview_seconds():
            return None
        blob = path.read_bytes()
        return crypto.decrypt_bytes(blob, associated=_associated(token, user_id, register))
    except (FileNotFoundError, InvalidTag, ValueError):
        return None


def preview_delete(*, token: str) -> None:
    """Delete a preview's file (its session forgets the token when it next asks)."""
    if _TOKEN.fullmatch(token):
        _path(token).unlink(missing_ok=True)


def preview_load(
    request: HttpRequest, *, token: str, register: str | tuple[str, ...]
) -> Pending | None:
    """The file of a preview of this user's session and register (or one of the registers),
    or ``None`` when there is none (unknown, confirmed, cancelled, expired, or changed)."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    registers = (register,) if isinstance(register, str) else register
    if entry is None or entry.get("register") not in registers or not _TOKEN.fullmatch(token):
        return None
    register = str(entry["register"])
    path = _path(token)
    try:
        if path.stat().st_mtime < time.time() - preview_seconds():
            preview_discard(request, token=token)
            return None
        blob = path.read_bytes()
    except FileNotFoundError:
        preview_discard(request, token=token)
        return None
    try:
        content = crypto.decrypt_bytes(
            blob, associated=_associated(token, request.user.pk, register)
        )
    except (InvalidTag, ValueError):
        preview_discard(request, token=token)
        return None
    return Pending(token, register, entry["name"], content, dict(entry.get("extra", {})))


def preview_discard(request: HttpRequest, *, token: str) -> None:
    """Delete a preview's file and forget its token (after confirming or cancelling)."""
    if _TOKEN.fullmatch(token):
        _path(token).unlink(missing_ok=True)
    pending = dict(request.session.get(SESSION_KEY, {}))
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending


@dataclass(frozen=True)
class PurgeReport:
    previews: int
    temporary: int


def _purge_folder(folder: Path | None, older_than: float) -> int:
    if folder is None or not folder.is_dir():
        return 0
    deleted = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < older_than:
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            continue  # deleted meanwhile by its own request
    return deleted


def purge_uploads() -> PurgeReport:
    """Delete previews older than ``YANZHEN_IMPORT_PREVIEW_MINUTES`` and temporary upload
    files older than ``YANZHEN_TEMP_FILE_HOURS`` (``yanzhen purge_uploads``)."""
    now = time.time()
    return PurgeReport(
        previews=_purge_folder(preview_dir(), now - preview_seconds())
        + _purge_folder(preview_dir() / "jobs", now - preview_seconds()),
        temporary=_purge_folder(temp_dir(), now - temp_seconds()),
    )


# The security log ------------------------------------------------------------------------------


def import_logged(
    request: HttpRequest | None,
    *,
    register: str,
    content: bytes,
    commit: bool,
    report: ImportReport | None = None,
    error: DomainError | None = None,
    size: int | None = None,
    user: User | None = None,
    skip_invalid: bool = False,
) -> None:
    """One security-log event for an import: the check (``commit=False``), the commit, or a
    file refused (``error``) — user, register, the file's SHA-256 and size, row counts, result.
    No file name and no cell: nothing personal."""
    if error is not None or report is None:
        result = "refused"
    elif commit and report.committed:
        result = "committed"
    elif not report.ok and not (commit and skip_invalid):
        result = "rejected"
    else:
        result = "checked"
    detail: dict[str, Any] = {
        "register": register,
        "sha256": hashlib.sha256(content).hexdigest(),
        "bytes": len(content) if size is None else size,
        "dry_run": not commit,
        "result": result,
    }
    if report is not None:
        detail.update(
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            errors=len(report.errors),
        )
    if skip_invalid:
        detail["skip_invalid"] = True
    if error is not None:
        detail["reason"] = mask_numbers(error.message)[:200]
    if request is None:
        audit_trail().record(EventKind.IMPORT, user=user, detail=detail)
    else:
        audit_trail().record(EventKind.IMPORT, request=request, detail=detail)


# The two steps of an import page ---------------------------------------------------------------


def dry_run(
    request: HttpRequest,
    *,
    register: str,
    upload: UploadedFile[bytes],
    run: Callable[[bytes, str], R],
    report: Callable[[R], ImportReport],
    extra: dict[str, Any] | None = None,
) -> tuple[R, str]:
    """Bound the uploaded file, run its import rolled back (``run(content, name)`` with
    ``commit=False``), log it, and keep the file for confirmation when it is clean:
    ``(result, token)`` (``token`` is ``""`` when the file has errors). A refused file raises
    its ``DomainError`` after it is logged."""
    content = b""
    try:
        content = receive(upload)
        result = run(content, upload.name or "")
    except DomainError as error:
        size = len(content) if content else upload.size  # a refused file is not read
        import_logged(
            request, register=register, content=content, commit=False, error=error, size=size
        )
        raise
    checked = report(result)
    import_logged(request, register=register, content=content, commit=False, report=checked)
    token = ""
    if checked.ok:
        token = preview_save(
            request, register=register, name=upload.name or "", content=content, extra=extra
        )
    return result, token


def commit(
    request: HttpRequest,
    *,
    pending: Pending,
    run: Callable[[bytes, str], R],
    report: Callable[[R], ImportReport],
) -> R:
    """Import a previewed file for good (``run(content, name)`` with ``commit=True``), log
    it, and delete the file whatever the outcome."""
    try:
        result = run(pending.content, pending.name)
    except DomainError as error:
        import_logged(
            request, register=pending.register, content=pending.content, commit=True, error=error
        )
        raise
    finally:
        preview_discard(request, token=pending.token)
    import_logged(
        request,
        register=pending.register,
        content=pending.content,
        commit=True,
        report=report(result),
    )
    return result
