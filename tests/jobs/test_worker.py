"""``yanzhen run_worker`` as a process: one round with ``--once``; SIGTERM ends it after the task
in hand; a SIGINT ignored when it started stays ignored (``make run``: Ctrl-C goes to the web
server, whose end stops the worker)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

WORKER = [sys.executable, "-m", "yanzhen", "run_worker", "--interval", "0.2", "--tick", "1"]


def started(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    line = process.stdout.readline()
    while "已启动" not in line:
        assert time.monotonic() < deadline, "the worker did not start"
        line = process.stdout.readline()


def test_one_round(site: dict[str, str]) -> None:
    result = subprocess.run(
        [*WORKER, "--once"], env=site, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "已运行 0 个任务")


@pytest.mark.parametrize(
    ("sigint", "expected"),
    [(signal.SIG_DFL, "ends"), (signal.SIG_IGN, "ignored")],
    ids=["sigint-default", "sigint-ignored"],
)
def test_the_worker_stops_on_a_signal(
    site: dict[str, str], sigint: Callable[..., object] | int, expected: str
) -> None:
    def before() -> None:
        signal.signal(signal.SIGINT, sigint)

    process = subprocess.Popen(
        WORKER, env=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=before,
    )  # fmt: skip
    try:
        started(process)
        process.send_signal(signal.SIGINT)
        if expected == "ends":
            assert process.wait(timeout=30) == 0
        else:
            with pytest.raises(subprocess.TimeoutExpired):
                process.wait(timeout=2)
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0
        out, _ = process.communicate()
        assert "已停止" in out
    finally:
        if process.poll() is None:
            process.kill()
