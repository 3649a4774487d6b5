"""``/health/`` (liveness: the process answers, nothing else is asked) is in core; this is the
readiness check ``/health/ready/``: the database answers and a task worker's heartbeat is
recent (``yanzhen.jobs.models.WorkerHeartbeat``). 200 when both hold, 503 otherwise, with
what failed, so that a load balancer or a monitor takes the node out or raises an alarm."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yanzhen.jobs.models import WorkerHeartbeat
from yanzhen.jobs.worker import WORKER_STALE_AFTER


def checks() -> dict[str, str]:
    """``{"database": "ok" | "unavailable", "worker": "ok" | "missing" | "unknown"}``."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"database": "unavailable", "worker": "unknown"}
    try:
        alive = WorkerHeartbeat.objects.filter(
            seen_at__gte=timezone.now() - WORKER_STALE_AFTER
        ).exists()
    except DatabaseError:
        return {"database": "unavailable", "worker": "unknown"}
    return {"database": "ok", "worker": "ok" if alive else "missing"}


@login_not_required
@require_GET
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    found = checks()
    ok = all(value == "ok" for value in found.values())
    return JsonResponse(
        {"status": "ready" if ok else "not_ready", "checks": found}, status=200 if ok else 503
    )
