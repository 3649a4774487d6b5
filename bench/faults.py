"""Faults under load, scripted and rerunnable: what users see and what is lost.

Usage (from the repository root; as root, since PostgreSQL runs as the ``postgres`` user)::

    .venv/bin/python bench/faults.py [worker-kill] [db-restart] [task-kill]
        [--pg-root /work/pg-provb] [--pg-port 55450] [--port 8130]

All three run on a PostgreSQL cluster of their own (``initdb`` into ``--pg-root`` on
``--pg-port``, loopback, created with the demo the first time and kept for reruns; never a
shared server, since one fault restarts it):

* ``worker-kill``: ``make serve`` under load (12 sessions of ``bench/load.py``'s mix without
  pauses, 40 s); at 10 s and 25 s one gunicorn worker process is killed with SIGKILL. The
  master replaces it; the requests it had in hand fail. Passes with < 1 % failed requests.
* ``db-restart``: ``make serve`` and its task worker under the same load; at 10 s PostgreSQL
  is restarted (``pg_ctl restart -m fast``). Requests during the restart get the Chinese 503
  page (counted: 503 with 服务暂时不可用, anything else is an error); the application is not
  restarted (the same gunicorn master, the same task worker), and after the restart every
  request succeeds again. Passes when no request failed otherwise than with the 503 page,
  the 503s lie within the restart (+2 s), the last 10 s are all 2xx/3xx, and
  ``/health/ready/`` is ready again.
* ``task-kill``: a 3,000-row ledger import (``bench/imports.py``'s office workbook) is
  enqueued for the task worker (``yanzhen import cooperations … --commit`` as a task); when
  PostgreSQL shows the worker inserting cooperations, the worker is killed with SIGKILL.
  Passes when the ledger has as many cooperations as before (no half-import) and a new
  worker reports the task failed (``WorkerLostError``, a Chinese reason) at its next tick.

Disk full during a backup: ``tests/core/test_backup.py::
test_a_full_disk_leaves_a_clear_error_and_the_previous_backup`` (in the suite).

Prints one JSON line per fault and exits 1 if any fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bench.load import BIN, LOGINS, PASSWORD, Session, allowed_mix, sign_in  # noqa: E402
from bench.pgcluster import _bin_dir  # noqa: E402


@dataclass
class Hit:
    at: float  # when the request was sent (seconds since the load began)
    done: float  # when its answer (or failure) came
    status: int  # 0: no answer (connection refused or reset, timeout)
    unavailable_page: bool


class Cluster:
    """The faults' own PostgreSQL (``postgres`` user, trust on loopback)."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port, self.bin = root, port, _bin_dir()
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*self.prefix, *args], check=check, capture_output=True)  # noqa: S603

    def ctl(self, *args: str) -> None:
        options = f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-l",
                 str(self.root / "server.log"), "-o", options, "-w", *args)  # fmt: skip

    def url(self, name: str = "yanzhen_provb_faults") -> str:
        return f"postgres://yanzhen@127.0.0.1:{self.port}/{name}"

    def ensure(self) -> bool:
        """Started (initialised the first time); True when it was new."""
        new = not (self.root / "data" / "PG_VERSION").exists()
        if new:
            self.root.mkdir(parents=True, exist_ok=True)
            if self.prefix:
                owner = pwd.getpwnam("postgres")
                os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.run(str(self.bin / "initdb"), "-D", str(self.root / "data"), "-U", "yanzhen",
                     "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")  # fmt: skip
        if self.run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "status",
                    check=False).returncode != 0:  # fmt: skip
            self.ctl("start")
        return new


def psql(url: str, sql: str) -> str:
    command = ["psql", url, "-Atqc", sql]
    result = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return result.stdout.strip()


def env_for(cluster: Cluster, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": cluster.url(), "YANZHEN_DATA_DIR": str(data_dir)}


def prepare(cluster: Cluster, data_dir: Path) -> None:
    """The cluster with the demo (once)."""
    if cluster.ensure() or not (data_dir / "demo-loaded").exists():
        psql(cluster.url("postgres"), "DROP DATABASE IF EXISTS yanzhen_provb_faults")
        psql(cluster.url("postgres"), "CREATE DATABASE yanzhen_provb_faults")
        env = {**env_for(cluster, data_dir), "YANZHEN_STATEMENT_TIMEOUT": "0"}
        subprocess.run([str(BIN / "yanzhen"), "migrate", "-v0"], env=env, check=True)  # noqa: S603
        subprocess.run([str(BIN / "yanzhen"), "demo"], env=env, check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL)  # fmt: skip
        (data_dir / "demo-loaded").touch()


def start_serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],  # noqa: S607
        cwd=ROOT,
        env={**env, "PORT": str(port), "HOST": "127.0.0.1"},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_ready(port, 240)
    return process


def wait_ready(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready/", timeout=3):
                return True
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.5)
    return False


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def gunicorn_master(group: int) -> int:
    """The gunicorn master of the process group (a python process running gunicorn whose
    parent is not one: the sh of the Makefile runs it)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
            pid = int(cmdline.parent.name)
            if b"python" not in argv[0] or not any(b"gunicorn" in a for a in argv[1:2]):
                continue
            if os.getpgid(pid) != group:
                continue
            parent = int((cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()[1])
            parent_argv = Path(f"/proc/{parent}/cmdline").read_bytes().split(b"\0")
            if b"python" in parent_argv[0]:  # a worker: its parent is the master
                continue
            return pid
        except (OSError, ProcessLookupError, IndexError, ValueError):
            continue
    raise RuntimeError("gunicorn master not found")


def worker_pid(group: int) -> int:
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = stat.read_bytes()
            if (
                b"run_worker" in command
                and b"python" in command.split(b"\0")[0]  # not the sh around it
                and os.getpgid(int(stat.parent.name)) == group
            ):
                return int(stat.parent.name)
        except (OSError, ProcessLookupError):
            continue
    raise RuntimeError("task worker not found")


async def load(
    port: int, seconds: float, events: list[tuple[float, object]]
) -> tuple[list[Hit], float]:
    """12 sessions without pauses for ``seconds``; ``events``: (after seconds, callable)."""
    base = f"http://127.0.0.1:{port}"
    sessions: list[Session] = [
        await sign_in(base, LOGINS[i % len(LOGINS)], PASSWORD) for i in range(12)
    ]
    # Without the exports: they have a quota per user and hour (429 beyond it), which 40 s of
    # requests without pauses reaches; the faults are about the servers, not the quota.
    mixes = {
        s.login: [m for m in await allowed_mix(s) if m[1] != "export"]
        for s in sessions[: len(LOGINS)]
    }
    for s in sessions:
        s.mix = mixes[s.login]
    hits: list[Hit] = []
    start = time.monotonic()

    async def user(index: int, session: Session) -> None:
        rng = random.Random(index)
        weights = [w for w, _, _ in session.mix]
        while time.monotonic() - start < seconds:
            _, _, maker = rng.choices(session.mix, weights)[0]
            at = time.monotonic() - start
            try:
                async with session.http.get(maker(rng, session.ids), allow_redirects=False) as r:
                    body = await r.text(errors="replace")
                    page = (
                        "服务暂时不可用" in body or '"code": "unavailable"' in body
                    )  # or the API's
                    done = time.monotonic() - start
                    hits.append(Hit(at, done, r.status, r.status == 503 and page))
            except (aiohttp.ClientError, TimeoutError):
                hits.append(Hit(at, time.monotonic() - start, 0, False))
                await asyncio.sleep(0.2)

    async def fire() -> None:
        for after, action in events:
            await asyncio.sleep(max(0.0, after - (time.monotonic() - start)))
            await asyncio.to_thread(action)  # type: ignore[arg-type]

    try:
        await asyncio.gather(fire(), *(user(i, s) for i, s in enumerate(sessions)))
    finally:
        for s in sessions:
            await s.http.close()
    return hits, start


def fault_worker_kill(env: dict[str, str], port: int, work: Path) -> dict[str, object]:
    server = start_serve(env, port, work / "worker-kill.log")
    killed: list[int] = []
    try:
        master = gunicorn_master(server.pid)

        def kill_one() -> None:
            victim = random.Random(len(killed)).choice(children(master))
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

        hits, _ = asyncio.run(load(port, 40, [(10, kill_one), (25, kill_one)]))
        still = gunicorn_master(server.pid) == master
        workers = len(children(master))
    finally:
        stop(server)
    failed = sum(not (200 <= h.status < 400) for h in hits)
    share = failed / len(hits)
    return {
        "fault": "worker-kill",
        "killed": len(killed),
        "requests": len(hits),
        "failed": failed,
        "failed_percent": round(share * 100, 2),
        "same_master": still,
        "workers_after": workers,
        "ok": share < 0.01 and still and len(killed) == 2,
    }


def fault_db_restart(
    env: dict[str, str], port: int, cluster: Cluster, work: Path
) -> dict[str, object]:
    server = start_serve(env, port, work / "db-restart.log")
    window: list[float] = []
    try:
        master = gunicorn_master(server.pid)
        worker = worker_pid(server.pid)
        started = time.monotonic()

        def restart() -> None:
            window.append(time.monotonic() - started)
            cluster.ctl("-m", "fast", "restart")
            window.append(time.monotonic() - started)

        hits, load_start = asyncio.run(load(port, 45, [(10, restart)]))
        offset = load_start - started
        begin, end = window[0] - offset, window[1] - offset
        ready_again = wait_ready(port, 30)
        same = gunicorn_master(server.pid) == master and worker_pid(server.pid) == worker
    finally:
        stop(server)
    unavailable = [h for h in hits if h.unavailable_page]
    other_failures = [h for h in hits if not (200 <= h.status < 400) and not h.unavailable_page]
    last = [h for h in hits if h.at >= 35]
    # a 503 answers while PostgreSQL restarts (a request sent just before may get it too)
    outside = [h for h in unavailable if not (begin <= h.done <= end + 2)]
    return {
        "fault": "db-restart",
        "restart_seconds": [round(begin, 1), round(end, 1)],
        "requests": len(hits),
        "answered_503_chinese": len(unavailable),
        "503_answered_between": [round(min(h.done for h in unavailable), 1), round(max(h.done for h in unavailable), 1)] if unavailable else None,
        "503_outside_restart": len(outside),
        "other_failures": len(other_failures),
        "other_statuses": dict(Counter(h.status for h in other_failures)),
        "last_10s_all_ok": all(200 <= h.status < 400 for h in last) and bool(last),
        "ready_again": ready_again,
        "app_not_restarted": same,
        "ok": not other_failures and not outside and ready_again and same
        and all(200 <= h.status < 400 for h in last),
    }  # fmt: skip


def fault_task_kill(env: dict[str, str], cluster: Cluster, work: Path) -> dict[str, object]:
    book = work / "ledger-3000.xlsx"
    count_sql = "SELECT count(*) FROM cooperation_cooperation"
    before = int(psql(cluster.url(), count_sql))
    # The workbook (bench/imports.py's office ledger, 3,000 rows) and the task, in a process
    # with Django set up on the faults' database.
    enqueue = (
        "import sys, django; sys.path.insert(0, '.'); django.setup();"
        "from bench.imports import generate, office_workbook;"
        "from yanzhen.jobs.tasks import run_command;"
        "rows, _ = generate(3000, 16, '断');"
        f"open({str(book)!r}, 'wb').write(office_workbook(rows, 16));"
        f"print(run_command.enqueue('import', ['cooperations', {str(book)!r}, '--commit',"
        " '--as', 'office']).id)"
    )
    made = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-c", enqueue],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "yanzhen.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    task_id = made.stdout.strip().splitlines()[-1]
    worker_env = {**env, "YANZHEN_STATEMENT_TIMEOUT": "0"}
    log = (work / "task-kill.log").open("wb")
    worker = subprocess.Popen([str(BIN / "yanzhen"), "run_worker", "--interval", "0.5"],  # noqa: S603
                              env=worker_env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    inserting = False
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and worker.poll() is None:
        active = psql(
            cluster.url(),
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
            "state = 'active' AND query ILIKE 'INSERT INTO \"cooperation_cooperation\"%'",
        )
        if active != "0":
            inserting = True
            break
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    killed_at_status = psql(
        cluster.url(),
        f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id = '{task_id}'",
    )
    after = int(psql(cluster.url(), count_sql))
    # A new worker, ticking every 2 s: once the killed one's heartbeat is 30 s old, the task
    # is reported failed.
    second = subprocess.Popen([str(BIN / "yanzhen"), "run_worker", "--interval", "0.5", "--tick", "2"],  # noqa: S603
                              env=worker_env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    status = killed_at_status
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and status == "RUNNING":
        time.sleep(2)
        status = psql(
            cluster.url(),
            f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id = '{task_id}'",
        )
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=60)
    reason = psql(
        cluster.url(),
        f"SELECT exception_class_path FROM django_tasks_database_dbtaskresult WHERE id = '{task_id}'",
    )
    return {
        "fault": "task-kill",
        "killed_while_inserting": inserting,
        "cooperations_before": before,
        "cooperations_after": after,
        "status_when_killed": killed_at_status,
        "status_after": status,
        "reason": reason,
        "ok": inserting and after == before and status == "FAILED"
        and reason.endswith("WorkerLostError"),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("faults", nargs="*", default=["worker-kill", "db-restart", "task-kill"])
    parser.add_argument("--pg-root", type=Path, default=Path("/work/pg-provb"))
    parser.add_argument("--pg-port", type=int, default=55450)
    parser.add_argument("--port", type=int, default=8130)
    args = parser.parse_args()
    cluster = Cluster(args.pg_root, args.pg_port)
    data_dir = args.pg_root / "app"
    data_dir.mkdir(parents=True, exist_ok=True)
    prepare(cluster, data_dir)
    env = env_for(cluster, data_dir)
    work = Path(tempfile.mkdtemp(prefix="yanzhen-faults-"))
    results = []
    for fault in args.faults:
        if fault == "worker-kill":
            result = fault_worker_kill(env, args.port, work)
        elif fault == "db-restart":
            result = fault_db_restart(env, args.port, cluster, work)
        elif fault == "task-kill":
            result = fault_task_kill(env, cluster, work)
        else:
            raise SystemExit(f"unknown fault {fault}")
        result["load_average"] = [round(x, 1) for x in os.getloadavg()]
        print(json.dumps(result, ensure_ascii=False), flush=True)
        results.append(result)
    print(f"logs: {work}")
    raise SystemExit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
