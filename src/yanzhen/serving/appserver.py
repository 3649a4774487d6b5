"""The application server's configuration (gunicorn): ``make serve`` and the systemd unit of
docs/deploy.md run ``gunicorn -c python:yanzhen.serving.appserver yanzhen.wsgi``.

Read from the environment: ``HOST`` (default 127.0.0.1) and ``PORT`` (8000) to listen on;
``YANZHEN_WORKERS`` worker processes (default 2 × CPUs + 1); ``YANZHEN_THREADS`` threads each
(default 4: a page waits on PostgreSQL for most of its time, so threads overlap those waits;
each thread keeps its own database connection; 1 gives synchronous workers);
``YANZHEN_METRICS_PORT`` (default none) and ``YANZHEN_METRICS_ADDRESS`` (127.0.0.1) for the
Prometheus metrics, served by the master process (:mod:`yanzhen.serving.metrics`).

A worker that dies (killed, out of memory) is replaced by the master at once; the requests it
had in hand fail, the others go on (bench/faults.py measures it)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("YANZHEN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("YANZHEN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(
    os.environ.get("YANZHEN_REQUEST_TIMEOUT", "120")
)  # a worker stuck longer is restarted
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # each worker is renewed after this many requests (jittered), memory stays flat
max_requests_jitter = 500
# The application is imported once, in the master, and the workers are forked from it warm:
# loading the platform takes seconds of CPU (every app, the URL conf, frozen out of the
# garbage collector's reach by yanzhen.wsgi), which each worker would otherwise spend at once
# at start and after each renewal; the forked workers share those pages (copy-on-write). Code
# changes therefore need a restart, not a HUP (docs/deploy.md).
preload_app = True
forwarded_allow_ips = os.environ.get("YANZHEN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "yanzhen"
accesslog = None  # one line per request from the platform itself (YANZHEN_ACCESS_LOG=1)
errorlog = "-"
loglevel = os.environ.get("YANZHEN_SERVER_LOG_LEVEL", "info")

# Each worker writes its metrics here; emptied at start (stale files would add old counts).
_metrics_dir = Path(
    os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="yanzhen-metrics-")
)
shutil.rmtree(_metrics_dir, ignore_errors=True)
_metrics_dir.mkdir(mode=0o700, parents=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)


def when_ready(server: Any) -> None:
    """Before the workers are forked: no database connection of the master's may be shared
    with them; then serve the metrics from the master (if a metrics port is set)."""
    # gunicorn reads this file before the application (and Django's settings) is loaded
    from django.db import connections

    connections.close_all()
    port = os.environ.get("YANZHEN_METRICS_PORT")
    if not port:
        return
    from yanzhen.serving import metrics  # needs PROMETHEUS_MULTIPROC_DIR set above and settings

    address = os.environ.get("YANZHEN_METRICS_ADDRESS", "127.0.0.1")
    metrics.serve(address, int(port))
    server.log.info("Prometheus metrics on http://%s:%s/metrics", address, port)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ended: its gauges leave the sums (its counters stay counted)."""
    # after PROMETHEUS_MULTIPROC_DIR is set: prometheus_client reads it when imported
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
