"""Writing and checking the security log, the access log and the export log.

The security log is a hash chain: each row stores ``prev_hash`` (the hash of the row before)
and ``hash`` (SHA-256 of its own content and ``prev_hash``). Appends take a lock on the one
``ChainHead`` row, so concurrent writers cannot fork the chain. The database refuses updates and
deletes of rows younger than the retention floor (triggers, see the migrations).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from yanzhen.audit.models import AccessLog, ChainHead, EventKind, ExportLog, SecurityEvent
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User

logger = logging.getLogger("yanzhen.security")
ZERO = "0" * 64
RETENTION_FLOOR_DAYS = 184


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    hops = int(getattr(settings, "YANZHEN_TRUSTED_PROXIES", 0))
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return str(forwarded[-hops])[:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _content(event: SecurityEvent) -> str:
    created = event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return json.dumps(
        {
            "created_at": created,
            "kind": event.kind,
            "username": event.username,
            "user_id": event.user_id_value,
            "unit": event.unit,
            "unit_id": event.unit_id_value,
            "ip": event.ip,
            "path": event.path,
            "detail": event.detail,
            "prev_hash": event.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def event_hash(event: SecurityEvent) -> str:
    return hashlib.sha256(_content(event).encode("utf-8")).hexdigest()


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: User | AnonymousUser | None = None,
    username: str = "",
    detail: Mapping[str, Any] | None = None,
) -> SecurityEvent:
    """Append one event to the chain (inside the caller's transaction, if any)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    account = user if isinstance(user, User) else None
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event = SecurityEvent(
            created_at=timezone.now(),
            kind=kind,
            username=(account.username if account else username)[:150],
            user_id_value=account.pk if account else None,
            unit=(account.unit.name if account and account.unit else "")[:100],
            unit_id_value=account.unit_id if account else None,
            ip=client_ip(request),
            path=(request.path if request is not None else "")[:300],
            detail=dict(detail or {}),
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    # The same line goes to the log (for a syslog or SIEM), without anything personal.
    logger.info(
        "security %s user=%s unit=%s ip=%s path=%s detail=%s",
        event.kind,
        event.username,
        event.unit_id_value,
        event.ip,
        event.path,
        json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
    )
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    message: str

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def _rows() -> Iterator[SecurityEvent]:
    return SecurityEvent.objects.order_by("id").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    """Recompute the chain. The first row whose ``prev_hash`` does not match the recomputed
    hash of the row before it (edited or deleted) is named; an edited last row is found
    against the chain head."""
    head = ChainHead.objects.filter(pk=1).first()
    expected_prev = head.anchor_hash if head else ZERO
    checked = 0
    previous: SecurityEvent | None = None
    for event in _rows():
        checked += 1
        if event.prev_hash != expected_prev:
            where = f"编号 {previous.pk} 的记录" if previous else "链首（已清理部分之后）"
            return ChainReport(
                checked,
                event.pk,
                f"安全日志校验失败：编号 {event.pk} 的记录与前一条不衔接，{where}被修改或其后有记录被删除",
            )
        expected_prev = event_hash(event)
        previous = event
    last = head.last_hash if head else ZERO
    if previous is not None and last != expected_prev:
        return ChainReport(
            checked,
            previous.pk,
            f"安全日志校验失败：最后一条记录（编号 {previous.pk}）被修改或链尾记录被删除",
        )
    return ChainReport(checked, None, f"安全日志完整：共校验 {checked} 条记录")


def retention_days() -> int:
    days = int(getattr(settings, "YANZHEN_AUDIT_RETENTION_DAYS", 365))
    return max(days, RETENTION_FLOOR_DAYS)


def purge(*, days: int | None = None) -> int:
    """Delete security events older than ``days`` (never fewer than 184), keeping the chain
    checkable from the first remaining row."""
    keep = retention_days() if days is None else days
    if keep < RETENTION_FLOOR_DAYS:
        raise DomainError(
            "retention", f"安全日志至少保留 {RETENTION_FLOOR_DAYS} 天，不能清理 {keep} 天内的记录"
        )
    cutoff = timezone.now() - dt.timedelta(days=keep)
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        old = SecurityEvent.objects.filter(created_at__lt=cutoff).order_by("id")
        last_old = old.last()
        if last_old is None:
            return 0
        # Only a prefix of the chain may go: rows are appended in time order.
        doomed = SecurityEvent.objects.filter(id__lte=last_old.pk)
        count = doomed.count()
        head.anchor_hash = event_hash(last_old)
        head.purged_through = last_old.pk
        head.save(update_fields=["anchor_hash", "purged_through"])
        doomed.delete()
    record(EventKind.PURGE, username="system", detail={"deleted": count, "days": keep})
    return count


def access_logged(
    *, request: HttpRequest, action: str, record_type: str, record_id: int, field: str = ""
) -> None:
    """Note that the user opened a record or revealed a value of it (no personal data)."""
    user = request.user
    if not isinstance(user, User):
        return
    AccessLog.objects.create(
        user=user,
        action=action,
        record_type=record_type,
        record_id=record_id,
        field=field,
        ip=client_ip(request),
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
    assert isinstance(request.user, User)
    digest = hashlib.sha256(content).hexdigest()
    log = ExportLog.objects.create(
        user=request.user,
        title=title,
        filters=dict(filters),
        fmt=fmt,
        rows=rows,
        sha256=digest,
        unmasked=unmasked,
    )
    record(
        EventKind.EXPORT,
        request=request,
        detail={"list": title, "rows": rows, "format": fmt, "sha256": digest, "unmasked": unmasked},
    )
    return log


def exports_in_last_hour(user: User) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return ExportLog.objects.filter(user=user, created_at__gte=since).count()
