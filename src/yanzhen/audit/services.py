"""Writing and checking the security log, the access log and the export log.

All three are keyed hash chains (``chain.py``): each row stores the link of the row before and
its own HMAC-SHA256 under the audit key, which never lives in the database. Appends take a
lock on the chain's head, so concurrent writers cannot fork a chain. The database refuses
updates of any log row, and deletes of rows younger than the retention floor (triggers, see
the migrations): 184 days for the security log, three years for the records of processing
personal data (access and export logs). Signed checkpoints (``checkpoint_write``) let an
operator keep the state of the chains elsewhere and check it with the public key only.

Every row also goes to the ``yanzhen.security`` logger (for a syslog or SIEM on another host),
without personal data: account names, ids, counts, and ID numbers or mobiles that someone typed
where a name was expected are masked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from yanzhen.audit import chain
from yanzhen.audit.chain import LABELS, LOGS, HeadState, Problem
from yanzhen.audit.models import (
    AccessLog,
    Chain,
    ChainHead,
    Checkpoint,
    DeniedWindow,
    ExportLog,
    SecurityEvent,
)
from yanzhen.core import export_jobs
from yanzhen.core.errors import DomainError
from yanzhen.core.masking import mask_id_number, mask_mobile
from yanzhen.core.models import User
from yanzhen.core.trail import EventKind, client_ip

logger = logging.getLogger("yanzhen.security")
ZERO = chain.ZERO
RETENTION_FLOOR_DAYS = 184
# Records of the processing of personal data are kept at least three years (PIPL art. 56).
PROCESSING_FLOOR_DAYS = 1096
DENIED_WINDOW_SECONDS = 300


# --- no personal data in the logs -----------------------------------------------------------

# An 18- or 15-digit ID number or an 11-digit mobile standing alone (not inside a hash).
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[1-9](?:[0-9]{16}[0-9Xx]|[0-9]{14})(?![0-9A-Za-z])")
_MOBILE_LIKE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """``text`` with anything shaped like an ID number or a mobile masked."""
    text = _ID_LIKE.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE_LIKE.sub(lambda m: mask_mobile(m.group(0)), text)


def redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {str(k): redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value


def _typed_name(username: str) -> str:
    """A name typed at the login (no account known): kept, unless it is shaped like an ID
    number or mobile and no account has it."""
    masked = redact(username)
    if masked == username or User.objects.filter(username=username).exists():
        return username
    return masked


# --- the security log -------------------------------------------------------------------


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: User | AnonymousUser | None = None,
    username: str = "",
    detail: Mapping[str, Any] | None = None,
    ip: str = "",
    path: str = "",
) -> SecurityEvent:
    """Append one event to the security log (inside the caller's transaction, if any).
    ``ip`` and ``path`` are used when there is no request (a command, a deferred row)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    account = user if isinstance(user, User) else None
    event = SecurityEvent(
        created_at=timezone.now(),
        kind=kind,
        username=(account.username if account else _typed_name(username))[:150],
        user_id_value=account.pk if account else None,
        unit=(account.unit.name if account and account.unit else "")[:100],
        unit_id_value=account.unit_id if account else None,
        ip=client_ip(request) if request is not None else ip[:45],
        path=redact(request.path if request is not None else path)[:300],
        detail=redact_value(dict(detail or {})),
    )
    chain.append(Chain.SECURITY, event)
    # The same line goes to the log (for a syslog or SIEM), without anything personal; the
    # link lets a copy kept elsewhere show a rewritten chain.
    logger.info(
        "security %s id=%s user=%s unit=%s ip=%s path=%s detail=%s hash=%s",
        event.kind,
        event.pk,
        redact(event.username),  # an account named like a mobile: the row keeps the name
        event.unit_id_value,
        event.ip,
        event.path,
        json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
        event.hash,
    )
    return event


# --- refusals (403): the first per account and kind of page in a window, the rest counted --


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return ("/" + str(match.route).lstrip("^"))[:300]
    return re.sub(r"[0-9]+", "<n>", request.path)[:300]


def _window() -> dt.timedelta:
    return dt.timedelta(
        seconds=int(getattr(settings, "YANZHEN_DENIED_WINDOW_SECONDS", DENIED_WINDOW_SECONDS))
    )


def _write_aggregate(window: DeniedWindow) -> SecurityEvent:
    user = None
    if window.user_id_value is not None:
        user = User.objects.select_related("unit").filter(pk=window.user_id_value).first()
    first = timezone.localtime(window.started_at).isoformat(timespec="seconds")
    last = timezone.localtime(window.last_at).isoformat(timespec="seconds")
    return record(
        EventKind.PERMISSION_DENIED,
        user=user,
        username=window.username,
        ip=window.ip,
        path=window.path,
        detail={
            "route": window.route,
            "more_refusals": window.suppressed,
            "from": first,
            "to": last,
            "note": f"另有 {window.suppressed} 次越权访问被拒绝（{first} 至 {last}，合并记录）",
        },
    )


def flush_denied() -> int:
    """Write the counted refusals of every window that has ended as one row each (and forget
    the window); returns the number of rows written."""
    written = 0
    with transaction.atomic():
        ended = DeniedWindow.objects.select_for_update().filter(
            started_at__lte=timezone.now() - _window()
        )
        for window in ended.order_by("pk"):
            if window.suppressed:
                _write_aggregate(window)
                written += 1
            window.delete()
    return written


def denied_logged(request: HttpRequest) -> SecurityEvent | None:
    """Note a refused request. The first refusal of an account (or an address, signed out)
    on one kind of page in a window (5 minutes) is written at once; the others are counted
    and written as one row ("另有 N 次") when the window has ended — at the next refusal of
    anyone, or by ``yanzhen checkpoint_audit``."""
    user = getattr(request, "user", None)
    account = user if isinstance(user, User) else None
    ip = client_ip(request)
    actor = f"user:{account.pk}" if account else f"ip:{ip}"
    route = _route(request)
    now = timezone.now()
    flush_denied()
    with transaction.atomic():
        current = DeniedWindow.objects.select_for_update().filter(actor=actor, route=route).first()
        if current is not None:
            current.suppressed += 1
            current.last_at = now
            current.path = redact(request.path)[:300]
            current.save(update_fields=["suppressed", "last_at", "path"])
            return None
        try:
            with transaction.atomic():
                DeniedWindow.objects.create(
                    actor=actor,
                    route=route,
                    started_at=now,
                    last_at=now,
                    username=account.username if account else "",
                    user_id_value=account.pk if account else None,
                    ip=ip,
                    path=redact(request.path)[:300],
                )
        except IntegrityError:  # another process opened the same window a moment ago
            DeniedWindow.objects.filter(actor=actor, route=route).update(
                suppressed=F("suppressed") + 1, last_at=now
            )
            return None
        return record(
            EventKind.PERMISSION_DENIED,
            request=request,
            detail={"method": request.method or "", "route": route},
        )


# --- the access log and the export log ----------------------------------------------------


def access_logged(
    *,
    request: HttpRequest,
    action: str,
    record_type: str,
    record_id: int,
    field: str = "",
    approval_id: int | None = None,
) -> None:
    """Note that the user opened a record or revealed a value of it (no personal data), and
    under which second person's approval (``approval_id``) full values were shown."""
    user = request.user
    if not isinstance(user, User):
        return
    row = AccessLog(
        created_at=timezone.now(),
        user=user,
        action=action,
        record_type=record_type,
        record_id=record_id,
        field=field,
        ip=client_ip(request),
        approval_id=approval_id,
    )
    chain.append(Chain.ACCESS, row)
    logger.info(
        "access %s %s#%s id=%s user=%s field=%s approval=%s ip=%s hash=%s",
        row.action,
        row.record_type,
        row.record_id,
        row.pk,
        user.username,
        row.field,
        row.approval_id,
        row.ip,
        row.hash,
    )


def export_logged(
    *,
    request: HttpRequest,
    title: str,
    filters: Mapping[str, str],
    fmt: str,
    rows: int,
    content: bytes,
    unmasked: bool,
) -> ExportLog:
    """Log an export (who, which list, which filter — ID numbers or mobiles typed in a
    filter are masked —, how many rows, the file's SHA-256), in the export log and the
    security log."""
    assert isinstance(request.user, User)
    digest = hashlib.sha256(content).hexdigest()
    log = ExportLog(
        created_at=timezone.now(),
        user=request.user,
        title=redact(title)[:100],
        filters=redact_value(dict(filters)),
        fmt=fmt,
        rows=rows,
        sha256=digest,
        unmasked=unmasked,
    )
    chain.append(Chain.EXPORT, log)
    logger.info(
        "export-log %s id=%s user=%s rows=%s sha256=%s hash=%s",
        log.title,
        log.pk,
        request.user.username,
        rows,
        digest,
        log.hash,
    )
    record(
        EventKind.EXPORT,
        request=request,
        detail={"list": title, "rows": rows, "format": fmt, "sha256": digest, "unmasked": unmasked},
    )
    return log


def exports_in_last_hour(user: User) -> int:
    """The user's exports of the last hour: those written, and those queued for the background
    worker and not written yet (``core.export_jobs``), so that queueing many is refused too."""
    since = timezone.now() - dt.timedelta(hours=1)
    written = ExportLog.objects.filter(user=user, created_at__gte=since).count()
    return written + export_jobs.pending_in_last_hour(user)


# --- checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    message: str
    problems: tuple[Problem, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    heads: Mapping[str, HeadState] = field(default_factory=dict)
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain() -> ChainReport:
    """Check the checkpoints and recompute the three chains. For each chain the first bad
    row is named: a changed row (its HMAC no longer fits), the row after a deleted one (it no
    longer meets the row before), a removed end (against the head and the checkpoints)."""
    checkpoints = chain.verify_checkpoints()
    problems = list(checkpoints.problems)
    counts: dict[str, int] = {}
    heads: dict[str, HeadState] = {}
    if checkpoints.genesis is not None:
        for name in LOGS:
            head = ChainHead.objects.filter(chain=name).first()
            if head is None:
                problems.append(Problem(name, None, f"{LABELS[name]}的链头缺失"))
                continue
            state = HeadState.of(head)
            walked = chain.walk(name, state, checkpoints.genesis, checkpoints.expectations)
            counts[name] = walked.checked
            heads[name] = state
            if walked.problem is not None:
                problems.append(walked.problem)
    checked = sum(counts.values())
    if problems:
        first = next((p.row_id for p in problems if p.chain in LOGS), None)
        message = "；".join(p.message for p in problems)
    else:
        first = None
        message = (
            f"审计日志完整：安全日志 {counts[Chain.SECURITY]} 条、"
            f"个人信息访问日志 {counts[Chain.ACCESS]} 条、导出记录 {counts[Chain.EXPORT]} 条，"
            f"检查点 {checkpoints.count} 个"
        )
    return ChainReport(checked, first, message, tuple(problems), counts, heads, checkpoints.count)


def alert(report: ChainReport) -> None:
    """A failed check goes to the log at ERROR (for the SIEM) and into the security log."""
    logger.error("security audit_alert %s", report.message)
    record(
        EventKind.AUDIT_ALERT,
        username="system",
        detail={"problems": [p.message for p in report.problems][:10]},
    )


def checkpoint_write() -> Checkpoint:
    """Sign where the three chains stand now (after checking them, and after writing the
    counted refusals of ended windows). Refused while a chain is broken."""
    flush_denied()
    report = verify_chain()
    if not report.ok:
        alert(report)
        raise DomainError("audit_broken", f"审计日志校验失败，未写检查点：{report.message}")
    with transaction.atomic():
        head = chain.lock_head(Chain.CHECKPOINT)
        number = head.last_id + 1
        states = {
            name: {
                "last_id": state.last_id,
                "last_hash": state.last_hash,
                "purged_through": state.purged_through,
                "anchor_hash": state.anchor_hash,
            }
            for name, state in report.heads.items()
        }
        signed = chain.sign(
            chain.checkpoint_body(
                number=number,
                kind=Checkpoint.Kind.PERIODIC,
                previous=head.last_hash,
                chains=states,
            )
        )
        checkpoint = Checkpoint.objects.create(
            number=number,
            kind=Checkpoint.Kind.PERIODIC,
            body=signed.body,
            signature=signed.signature,
            digest=signed.digest,
        )
        head.last_id = number
        head.last_hash = signed.digest
        chain.seal_head(head)
        head.save(update_fields=["last_id", "last_hash", "mac"])
    record(
        EventKind.CHECKPOINT, username="system", detail={"number": number, "digest": signed.digest}
    )
    return checkpoint


# --- retention -------------------------------------------------------------------------------


def retention_days() -> int:
    days = int(getattr(settings, "YANZHEN_AUDIT_RETENTION_DAYS", 365))
    return max(days, RETENTION_FLOOR_DAYS)


def processing_retention_days() -> int:
    days = int(getattr(settings, "YANZHEN_PROCESSING_LOG_RETENTION_DAYS", PROCESSING_FLOOR_DAYS))
    return max(days, PROCESSING_FLOOR_DAYS)


def _purge_chain(name: str, cutoff: dt.datetime) -> int:
    """Delete the prefix of ``name`` older than ``cutoff``, after checking it; the head keeps
    the link after the last deleted row, so the rest stays checkable."""
    model = chain.model_of(name)
    with transaction.atomic():
        head = chain.lock_head(name)
        last_old = (
            model._default_manager.filter(created_at__lt=cutoff, pk__gt=head.purged_through)
            .order_by("pk")
            .values_list("pk", flat=True)
            .last()
        )
        if last_old is None:
            return 0
        checkpoints = chain.verify_checkpoints()
        if checkpoints.genesis is None or checkpoints.problems:
            problem = "；".join(p.message for p in checkpoints.problems)
            raise DomainError("audit_broken", f"审计日志校验失败，未清理任何记录：{problem}")
        walked = chain.walk(
            name, HeadState.of(head), checkpoints.genesis, checkpoints.expectations,
            stop_at=int(last_old),
        )  # fmt: skip
        if walked.problem is not None:
            raise DomainError(
                "audit_broken", f"{walked.problem.message}；未清理任何记录（请先查明原因）"
            )
        # Only a prefix of the chain may go: rows are appended in time order.
        doomed = model._default_manager.filter(pk__lte=last_old)
        count = doomed.count()
        head.anchor_hash = walked.prev
        head.purged_through = int(last_old)
        chain.seal_head(head)
        head.save(update_fields=["anchor_hash", "purged_through", "mac"])
        doomed.delete()
    return count


def purge(*, days: int | None = None) -> int:
    """Delete security events older than ``days`` (never fewer than 184), keeping the chain
    checkable from the first remaining row."""
    keep = retention_days() if days is None else days
    if keep < RETENTION_FLOOR_DAYS:
        raise DomainError(
            "retention", f"安全日志至少保留 {RETENTION_FLOOR_DAYS} 天，不能清理 {keep} 天内的记录"
        )
    count = _purge_chain(Chain.SECURITY, timezone.now() - dt.timedelta(days=keep))
    if count:
        record(EventKind.PURGE, username="system", detail={"deleted": count, "days": keep})
    return count


def purge_processing_records(*, days: int | None = None) -> dict[str, int]:
    """Delete access-log and export-log rows older than ``days`` (never fewer than three
    years: they are the records of processing personal data)."""
    keep = processing_retention_days() if days is None else days
    if keep < PROCESSING_FLOOR_DAYS:
        raise DomainError(
            "retention",
            f"个人信息处理记录（访问日志、导出记录）至少保留 {PROCESSING_FLOOR_DAYS} 天（三年），"
            f"不能清理 {keep} 天内的记录",
        )
    cutoff = timezone.now() - dt.timedelta(days=keep)
    counts = {}
    for name in (Chain.ACCESS, Chain.EXPORT):
        counts[str(name)] = count = _purge_chain(name, cutoff)
        if count:
            record(
                EventKind.PURGE,
                username="system",
                detail={"log": str(name), "deleted": count, "days": keep},
            )
    return counts
