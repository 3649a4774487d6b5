"""Prometheus metrics: requests counted by method, route name and status and timed; the task
queue, the failed deliveries and the live workers read from the database at each scrape; the
text format parses; they are served on a loopback port of their own, never on the public one."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from yanzhen.jobs.models import WorkerHeartbeat
from yanzhen.jobs.tasks import run_command
from yanzhen.notifications.models import Channel, Delivery, DeliveryState
from yanzhen.serving import metrics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_connection() -> Iterator[None]:
    """A scrape closes its connections (the metrics thread holds none between scrapes); here
    it runs in the test's thread, whose transaction must stay open."""
    with mock.patch("yanzhen.serving.metrics.connections"):
        yield


def _requests(route: str, status: str) -> float:
    value = REGISTRY.get_sample_value(
        "yanzhen_http_requests_total", {"method": "GET", "route": route, "status": status}
    )
    return value or 0.0


def _latency_count(route: str) -> float:
    value = REGISTRY.get_sample_value(
        "yanzhen_http_request_duration_seconds_count", {"method": "GET", "route": route}
    )
    return value or 0.0


def _samples() -> dict[str, float]:
    text = metrics.exposition().decode()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if not sample.labels
    }


def test_each_request_is_counted_and_timed_by_route_and_status() -> None:
    before = (_requests("core:health", "200"), _latency_count("core:health"))
    before_404 = _requests("unmatched", "404")
    client = Client()
    client.get("/health/")
    client.get("/health/")
    client.get("/no/such/page/42/")
    assert (_requests("core:health", "200"), _latency_count("core:health")) == (
        before[0] + 2,
        before[1] + 2,
    )
    assert _requests("unmatched", "404") == before_404 + 1  # never the path: bounded labels


def test_the_database_gauges() -> None:
    Delivery.objects.create(channel=Channel.EMAIL, host="smtp.example", state=DeliveryState.FAILED)
    Delivery.objects.create(channel=Channel.EMAIL, host="smtp.example", state=DeliveryState.SENT)
    run_command.enqueue("check", [])
    run_command.enqueue("check", [])
    WorkerHeartbeat.objects.create(worker_id="a", host="n", pid=1, seen_at=timezone.now())
    samples = _samples()
    assert {
        name: samples[name]
        for name in (
            "yanzhen_database_up",
            "yanzhen_task_queue_length",
            "yanzhen_failed_deliveries",
            "yanzhen_task_workers",
        )
    } == {
        "yanzhen_database_up": 1.0,
        "yanzhen_task_queue_length": 2.0,
        "yanzhen_failed_deliveries": 1.0,
        "yanzhen_task_workers": 1.0,
    }


def test_a_database_away_reads_as_down_and_the_scrape_still_answers() -> None:
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        samples = _samples()
    assert samples["yanzhen_database_up"] == 0.0
    assert "yanzhen_task_queue_length" not in samples


def test_the_format_parses_and_names_its_types() -> None:
    Client().get("/health/")
    text = metrics.exposition().decode()
    families = {family.name: family.type for family in text_string_to_metric_families(text)}
    assert families["yanzhen_http_requests"] == "counter"
    assert families["yanzhen_http_request_duration_seconds"] == "histogram"
    assert families["yanzhen_task_queue_length"] == "gauge"
    assert "# TYPE yanzhen_http_requests_total counter" in text or (
        "# TYPE yanzhen_http_requests counter" in text
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_served_on_a_loopback_port_and_not_on_the_public_one() -> None:
    port = _free_port()
    server = metrics.serve("127.0.0.1", port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            body = response.read().decode()
            kind = response.headers["Content-Type"]
        assert kind.startswith("text/plain; version=")
        assert "yanzhen_database_up 1.0" in body
        assert server.server_address == ("127.0.0.1", port)
    finally:
        server.shutdown()
        server.server_close()
    assert Client().get("/metrics").status_code == 404
