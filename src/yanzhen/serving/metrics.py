"""Prometheus metrics: every request counted and timed by :class:`RequestMetricsMiddleware`
(``yanzhen_http_requests_total``, ``yanzhen_http_request_duration_seconds``, by method, route
name and status), and, read from the database at each scrape, the task queue's length, the
failed deliveries (notifications given up after their retries), the live task workers and
whether the database answers (:class:`DatabaseCollector`).

They are served on an internal port of their own (:func:`serve`, started by the application
server's master process, ``yanzhen.serving.appserver``), bound to 127.0.0.1 unless
``YANZHEN_METRICS_ADDRESS`` names an internal interface: the public port (and nginx in front
of it) has no ``/metrics``. With several application worker processes, each writes its
counters to ``PROMETHEUS_MULTIPROC_DIR`` and the scrape adds them up (prometheus_client's
multiprocess mode)."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

access_log = logging.getLogger("yanzhen.access")

REQUESTS = Counter(
    "yanzhen_http_requests",
    "处理的请求数 / Requests handled, by method, route name and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "yanzhen_http_request_duration_seconds",
    "请求处理时间 / Time to answer a request, in seconds",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0),
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _route(request: HttpRequest) -> str:
    """The URL pattern's name (bounded: one label value per route, never the path's ids)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return str(match.view_name)
    if request.path.startswith(str(settings.STATIC_URL)):
        return "static"
    return "unmatched"


_LONG_DIGITS = re.compile(r"\d{11,}")


class RequestMetricsMiddleware:
    """Outermost: counts and times every answer, including those of the middleware below it
    (static files, refusals, the 503 of a database that is away)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - start
        method = request.method if request.method in _METHODS else "other"
        route = _route(request)
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        LATENCY.labels(method, route).observe(elapsed)
        if access_log.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            # A run of 11 digits or more in a path may be a mobile or an ID number: masked.
            path = _LONG_DIGITS.sub(lambda m: "*" * len(m.group()), request.path)
            access_log.info(
                "%s %s %s %.1fms",
                method,
                path,
                response.status_code,
                elapsed * 1000,
                extra={
                    "method": method,
                    "path": path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        return response


class DatabaseCollector(Collector):
    """Gauges read from the database at each scrape; ``yanzhen_database_up`` 0 (and nothing
    else) when it does not answer. The connection is closed after each scrape."""

    def collect(self) -> Iterator[Metric]:
        # models: this module is imported by the settings' middleware before the apps are ready
        from django_tasks_db.models import DBTaskResult

        # the same: models, imported once the apps are ready
        from yanzhen.jobs.models import WorkerHeartbeat
        from yanzhen.jobs.worker import WORKER_STALE_AFTER
        from yanzhen.notifications.models import Delivery, DeliveryState

        up = GaugeMetricFamily(
            "yanzhen_database_up", "数据库是否可用 / 1 when the database answers"
        )
        try:
            queue = DBTaskResult.objects.ready().count()
            failed = Delivery.objects.filter(state=DeliveryState.FAILED).count()
            since = timezone.now() - WORKER_STALE_AFTER
            workers = WorkerHeartbeat.objects.filter(seen_at__gte=since).count()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        finally:
            connections.close_all()
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily(
            "yanzhen_task_queue_length", "待运行的后台任务数 / Tasks ready to run", value=queue
        )
        yield GaugeMetricFamily(
            "yanzhen_failed_deliveries",
            "重试后仍发送失败的消息数 / Deliveries given up after their retries",
            value=failed,
        )
        yield GaugeMetricFamily(
            "yanzhen_task_workers",
            "有心跳的后台任务进程数 / Task workers with a recent heartbeat",
            value=workers,
        )


def scrape_registry() -> CollectorRegistry:
    """What a scrape reads: the request metrics of every worker process (multiprocess mode,
    when ``PROMETHEUS_MULTIPROC_DIR`` is set) or of this process, and the database's gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ProcessMetrics())
    registry.register(DatabaseCollector())
    return registry


class _ProcessMetrics(Collector):
    """This process's own metrics (the default registry), for a single process."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def exposition() -> bytes:
    """The metrics in Prometheus' text format."""
    return generate_latest(scrape_registry())


def serve(address: str, port: int) -> Any:
    """Serve ``/metrics`` on ``address:port`` in a thread of this process; the server."""
    server, _thread = start_http_server(port, addr=address, registry=scrape_registry())
    return server
