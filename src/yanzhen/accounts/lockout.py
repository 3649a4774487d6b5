"""Login lockout with django-axes, keyed by user name only (an intranet puts many people behind
one address): ``FAILURES`` failures within ``WINDOW`` lock the name for ``LOCK``. While locked
even the right password fails; the lock ends by itself or when a security administrator
unlocks the name. Names that do not exist are locked exactly like real ones, so the answers do
not tell whether an account exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from yanzhen.audit.models import SecurityEvent
from yanzhen.audit.services import record
from yanzhen.core.trail import EventKind


def policy() -> tuple[int, dt.timedelta, dt.timedelta]:
    return (
        int(settings.AXES_FAILURE_LIMIT),
        dt.timedelta(minutes=int(getattr(settings, "YANZHEN_LOCKOUT_WINDOW_MINUTES", 15))),
        dt.timedelta(minutes=int(getattr(settings, "YANZHEN_LOCKOUT_MINUTES", 30))),
    )


def locked_until(username: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock of ``username`` ends, or None if it is not locked."""
    _, _, lock = policy()
    now = now or timezone.now()
    last = (
        AccessFailureLog.objects.filter(
            username=username, locked_out=True, attempt_time__gt=now - lock
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return last + lock if last is not None else None


class WindowedLockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Counts the failures of the last ``WINDOW`` (not since the first failure) and keeps a
    lock for ``LOCK`` after the failure that caused it."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None:
            request.yanzhen_failing = True  # type: ignore[attr-defined]
        super().user_login_failed(sender, credentials, request, **kwargs)

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        if username is None:
            return 0
        limit, window, _ = policy()
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        if locked_until(username, now=now) is not None:
            return limit
        recent = AccessFailureLog.objects.filter(
            username=username, attempt_time__gt=now - window
        ).count()
        # While a failure is being recorded, it is not in the log yet.
        return int(recent) + (1 if getattr(request, "yanzhen_failing", False) else 0)

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        username = get_client_username(request, credentials)
        if username is None:
            return False
        return locked_until(username) is not None


def unlock(username: str) -> int:
    """End the lock of ``username`` (and forget its recent failures)."""
    _, window, lock = policy()
    since = timezone.now() - max(window, lock)
    count, _ = AccessFailureLog.objects.filter(username=username, attempt_time__gt=since).delete()
    AccessAttempt.objects.filter(username=username).delete()
    return int(count)


def locked_names(*, now: dt.datetime | None = None) -> list[tuple[str, dt.datetime]]:
    _, _, lock = policy()
    now = now or timezone.now()
    names = (
        AccessFailureLog.objects.filter(locked_out=True, attempt_time__gt=now - lock)
        .values_list("username", flat=True)
        .distinct()
    )
    out = []
    for name in sorted(set(names)):
        until = locked_until(name, now=now)
        if until is not None:
            out.append((name, until))
    return out


# Locks kept in the security log: the second factor and the old-password check of a password
# change. The same policy as the login (5 failures within 15 minutes lock for 30 minutes); a
# security administrator's unlock of the name ends them too.


def _last_unlock(username: str, since: dt.datetime) -> dt.datetime | None:
    return (
        SecurityEvent.objects.filter(
            kind=EventKind.UNLOCK, detail__account=username, created_at__gt=since
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _step_events(kind: str, username: str, step: str, since: dt.datetime) -> Any:
    events = SecurityEvent.objects.filter(kind=kind, username=username, created_at__gt=since)
    return events.filter(detail__step=step) if step else events


def event_locked_until(
    username: str, *, lock_kind: str, step: str = "", now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the lock recorded as ``lock_kind`` (and ``step``) of ``username`` ends."""
    _, _, lock = policy()
    now = now or timezone.now()
    since = now - lock
    since = max(since, _last_unlock(username, since) or since)
    last = (
        _step_events(lock_kind, username, step, since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return last + lock if last is not None else None


def event_failure(
    request: HttpRequest | None, user: Any, *, fail_kind: str, lock_kind: str, step: str = ""
) -> bool:
    """Record one failure of ``user``; True when it reaches the limit (the lock is recorded)."""
    limit, window, _ = policy()
    detail = {"step": step} if step else {}
    record(fail_kind, request=request, user=user, detail=detail)
    now = timezone.now()
    since = now - window
    since = max(since, _last_unlock(user.username, since) or since)
    failures = _step_events(fail_kind, user.username, step, since).count()
    if failures >= limit:
        record(lock_kind, request=request, user=user, detail=detail)
        return True
    return False
