"""Load test: many signed-in sessions on a realistic mix of pages, against ``make serve``
(gunicorn, several workers) and, in the same run, the development server of ``make run``.

Usage (from the repository root, the demo loaded in the database)::

    DATABASE_URL=postgres://yanzhen@127.0.0.1:55439/yanzhen_provb YANZHEN_DATA_DIR=var/bench \\
        .venv/bin/python bench/load.py [--servers serve,dev] [--port 8110] [--seconds 60]

It starts both servers at once, each with its task worker exactly as the make target does
(``make serve`` on ``--port``; for ``dev``, ``yanzhen runserver`` + ``yanzhen run_worker`` as
``make run`` after its demo step, on the next port), each on a fresh copy of the PostgreSQL
database (both start from the same rows). Each signs 50 sessions in, each session a person of
its own (accounts ``office-01`` … made by :func:`accounts` through ``user_create`` with the
unit and roles of the demo logins office, base, town and enterprise in turn: 50 people, as in
an office, so that no one user's hourly export quota is shared by a dozen sessions; the
leader, who signs in with a second factor, is left out; each session its own cookie jar).
Then two scenarios:

* ``busy``: 24 sessions, each sending its next request as soon as the last answered, for
  ``--seconds`` counted per server, in ``--rounds`` slices taking turns between the servers
  (the first of a round alternates; ``--warmup`` seconds before each slice not counted), so
  that both servers meet the same load from anything else on the machine;
* ``paced``: 50 sessions, each pausing 1–3 s between requests (uniform, seeded), for
  ``--seconds`` × 1.5, on each server in turn.

The mix (weights in ``MIX``): the dashboard, filtered lists (the ledger by stage and year,
talents, bases), record pages (cooperations the session's user sees, from the API), forms
(the new-cooperation form), exports (the ledger as XLSX) and the JSON API (dashboard,
cooperations, bases, me). A request the user may not make is dropped from that user's mix at
sign-in, so every error counted is a real one (status ≥ 400, a refused connection, a timeout
of 30 s). Printed and written to ``bench/out/load.json``: requests, throughput, p50, p95,
p99, max, errors, the load generator's own CPU (user + system of this process, as a share of
one core and per request), the server's CPU per request (its process group: web server and
task worker), PostgreSQL's CPU per request (the backends of the server's database, and the
connections ended meanwhile: see :class:`Cpu`; reading PostgreSQL's processes needs root or
the postgres user) and the machine's busy CPU per request and in cores (all of it), with the
load average of the machine at the start and the end. ``--no-paced``: the busy scenario only
(to compare settings).

The generator is kept cheap, as it shares the cores with the servers: each measured session
sends its cookies as one fixed header (no cookie jar), keeps its connection alive, reads each
answer's bytes without decoding them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "bench" / "out"
PASSWORD = "Goose-Formation-2021"  # noqa: S105 (the demo's, README.md)
LOGINS = ("office", "base", "town", "enterprise")  # the leader signs in with a second factor
TIMEOUT = aiohttp.ClientTimeout(total=30)
# A connection idle this long is not reused: under gunicorn's keep-alive (5 s, as a browser's
# connection to nginx would be) so that the client never sends on a connection the server is
# closing at that moment (the slices taking turns leave each server's sessions idle ~15 s).
KEEPALIVE = 4.0
STAGES = ("intention", "agreement", "landed", "dropped")

# (weight, name, path maker); a maker gets the session's random generator and its record ids.
Maker = Callable[[random.Random, list[int]], str]
MIX: list[tuple[int, str, Maker]] = [
    (14, "dashboard", lambda r, ids: "/"),
    (12, "list:ledger", lambda r, ids: f"/cooperation/?stage={r.choice(STAGES)}"),
    (4, "list:ledger-year", lambda r, ids: f"/cooperation/?year={r.choice((2021, 2022, 2023))}"),
    (4, "list:talents", lambda r, ids: "/talent/"),
    (4, "list:bases", lambda r, ids: "/cooperation/bases/"),
    (20, "record", lambda r, ids: f"/cooperation/{r.choice(ids)}/"),
    (5, "form", lambda r, ids: "/cooperation/new/"),
    (2, "export", lambda r, ids: "/cooperation/?export=xlsx"),
    (6, "api:dashboard", lambda r, ids: "/api/v1/dashboard"),
    (12, "api:cooperations", lambda r, ids: f"/api/v1/cooperations?page={r.choice((1, 2))}"),
    (4, "api:bases", lambda r, ids: "/api/v1/bases"),
    (3, "api:me", lambda r, ids: "/api/v1/me"),
]


@dataclass
class Session:
    login: str
    http: aiohttp.ClientSession
    ids: list[int] = field(default_factory=list)
    mix: list[tuple[int, str, Maker]] = field(default_factory=list)


# Where a large export answers: the page of its background job (``/exports/<id>/``).
JOBS = "/exports/"


@dataclass
class Sample:
    name: str
    seconds: float
    ok: bool
    error: str = ""  # the status (≥ 400) or the exception's class of a failed request
    # False: not a request but the time a background export took from its submission to its
    # file (the submission, the job's page, each poll and the download are requests of their own)
    request: bool = True


def _env(database_url: str, data_dir: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "YANZHEN_DATA_DIR": data_dir}


def fresh_copy(database_url: str, kind: str) -> str:
    """A PostgreSQL database cloned from the given one for this server's half, so that both
    servers start from the same rows (the first half's exports would otherwise use up the
    users' hourly export quota for the second), and the given one is left as it was (the
    sessions' accounts, exports and logs go into the copies). SQLite is used as it is.

    The million-cooperation database is cloned too (2.6 GB a copy; both copies, the accounts
    and the servers' start took about 2 minutes here; the copies stay until the next run drops
    them). PostgreSQL clones a database only while
    nothing else is connected to it: a shell or a command on it makes the run stop here."""
    if not database_url.startswith("postgres"):
        return database_url
    server, name = database_url.rsplit("/", 1)
    copy = f"{name}_load_{kind}"
    for statement in (
        f"drop database if exists {copy} with (force)",
        f"create database {copy} template {name}",
    ):
        done = subprocess.run(  # noqa: S603
            ["psql", f"{server}/postgres", "-q", "-c", statement],  # noqa: S607
            check=False,
        )
        if done.returncode:
            raise SystemExit(
                f"could not copy {name} for {kind} ({statement}): is something else connected "
                f"to {name}? (select pid, application_name from pg_stat_activity where datname "
                f"= '{name}')"
            )
    return f"{server}/{copy}"


ACCOUNTS = """
from yanzhen.core.models import User
from yanzhen.core.services import user_create
for login, number in {wanted!r}:
    model = User.objects.get(username=login)
    name = f"{{login}}-{{number:02d}}"
    if not User.objects.filter(username=name).exists():
        user_create(username=name, password={password!r}, unit=model.unit,
                    roles=list(model.roles.all()), full_name=f"{{model.full_name}}{{number}}")
"""


def session_logins(count: int, logins: tuple[str, ...] = LOGINS) -> list[tuple[str, int]]:
    """The (model login, number) of each session: office-01, base-01, town-01, … in turn (a
    login named twice in ``logins`` gets twice as many sessions)."""
    numbers: dict[str, int] = {}
    wanted = []
    for i in range(count):
        login = logins[i % len(logins)]
        numbers[login] = numbers.get(login, 0) + 1
        wanted.append((login, numbers[login]))
    return wanted


def accounts(env: dict[str, str], wanted: list[tuple[str, int]], password: str) -> None:
    """One account per session, made through the platform's own service (``user_create``)."""
    code = ACCOUNTS.format(wanted=wanted, password=password)
    subprocess.run(  # noqa: S603
        [str(BIN / "yanzhen"), "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start(kind: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The server and its task worker in a process group of their own."""
    env = {**env, "PORT": str(port), "HOST": "127.0.0.1"}
    if kind == "serve":
        command = ["make", "--no-print-directory", "serve"]
    else:  # what `make run` runs after loading the demo
        command = [
            "sh",
            "-c",
            f"{BIN}/yanzhen run_worker & w=$!; trap 'kill $w' EXIT INT TERM; "
            f"{BIN}/yanzhen runserver 127.0.0.1:{port}",
        ]
    log = open(OUT / f"load-{kind}.log", "wb")  # noqa: SIM115 (kept open for the server's life)
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit(f"{kind} did not start on port {port}: see bench/out/load-{kind}.log")


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


async def sign_in(base: str, login: str, password: str) -> Session:
    jar = aiohttp.CookieJar(unsafe=True)
    http = aiohttp.ClientSession(
        base_url=base,
        cookie_jar=jar,
        timeout=TIMEOUT,
        connector=aiohttp.TCPConnector(limit=1, keepalive_timeout=KEEPALIVE),
    )
    async with http.get("/login/") as response:
        page = await response.text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    form = {"username": login, "password": password, "csrfmiddlewaretoken": token.group(1)}
    async with http.post("/login/", data=form, allow_redirects=False) as response:
        if response.status != 302:
            raise SystemExit(f"{login} could not sign in ({response.status})")
    session = Session(login=login, http=http)
    async with http.get("/cooperation/") as response:  # the records this user sees
        page = await response.text() if response.status == 200 else ""
    session.ids = sorted({int(pk) for pk in re.findall(r'href="/cooperation/(\d+)/"', page)})
    return await measured(session, base)


async def measured(session: Session, base: str) -> Session:
    """The signed-in session as the measured requests use it: its cookies sent as one fixed
    header, no cookie jar (aiohttp's jar filters and merges its cookies on each request and
    each answer: a third of the client's CPU per request). The server keeps the session's key
    for its life (only signing in changes it), and the measured requests are GETs, which need
    no CSRF cookie, so nothing the server sets later is needed."""
    jar = session.http.cookie_jar
    cookies = "; ".join(f"{c.key}={c.value}" for c in jar)
    await session.http.close()
    session.http = aiohttp.ClientSession(
        base_url=base,
        cookie_jar=aiohttp.DummyCookieJar(),
        headers={"Cookie": cookies},
        timeout=TIMEOUT,
        connector=aiohttp.TCPConnector(limit=1, keepalive_timeout=KEEPALIVE),
    )
    return session


async def allowed_mix(session: Session) -> list[tuple[int, str, Maker]]:
    """The requests this user may make (each tried once). One that fails or takes longer than
    the timeout is left out too, and printed (a finding of its own, not part of the mix)."""
    rng = random.Random(0)
    kept = []
    for weight, name, maker in MIX:
        if name == "record" and not session.ids:
            continue
        path = maker(rng, session.ids)
        began = time.monotonic()
        try:
            async with session.http.get(path, allow_redirects=False) as response:
                await response.read()
                status, location = response.status, response.headers.get("Location", "")
        except (aiohttp.ClientError, TimeoutError):
            status, location = 0, ""
        if status == 200 or (status == 302 and name == "export" and location.startswith(JOBS)):
            kept.append((weight, name, maker))
        elif status not in (403, 404):  # refused: a request this user may not make
            took = time.monotonic() - began
            print(
                f"left out of {session.login}'s mix: {path} ({status or 'timeout'}, {took:.1f} s)"
            )
    return kept


async def user(
    session: Session,
    rng: random.Random,
    until: float,
    counted_from: float,
    pause: tuple[float, float] | None,
    samples: list[Sample],
) -> None:
    weights = [w for w, _, _ in session.mix]
    while time.monotonic() < until:
        _, name, maker = rng.choices(session.mix, weights)[0]
        path = maker(rng, session.ids)
        began = time.monotonic()
        ok, error, location, _page = await _get(session, path)
        ended = time.monotonic()
        if began >= counted_from:
            samples.append(Sample(name, ended - began, ok, "" if ok else f"{name} {error}"))
        if ok and name == "export" and location.startswith(JOBS):
            await _background_export(session, location, began, until, counted_from, samples)
        if pause:
            await asyncio.sleep(rng.uniform(*pause))


async def _get(
    session: Session, path: str, headers: dict[str, str] | None = None
) -> tuple[bool, str, str, bytes]:
    """One request: whether it succeeded, its status or exception, where it redirects, its body."""
    try:
        async with session.http.get(path, allow_redirects=False, headers=headers) as response:
            body = await response.read()
            location = response.headers.get("Location", "")
            return response.status < 400, str(response.status), location, body
    except (aiohttp.ClientError, TimeoutError) as failure:
        return False, type(failure).__name__, "", b""


async def _background_export(
    session: Session,
    job: str,
    submitted: float,
    until: float,
    counted_from: float,
    samples: list[Sample],
) -> None:
    """What a browser does after an export went to the background worker: open the job's page,
    poll it every 2 s as its htmx does until the download link shows, then download the file.
    Each is a request; the time from the submission to the file is recorded apart."""
    steps = [("export_page", job, None)]
    while time.monotonic() < until:
        name, path, headers = steps.pop() if steps else ("export_poll", job, {"HX-Request": "true"})
        began = time.monotonic()
        ok, error, _location, page = await _get(session, path, headers)
        ended = time.monotonic()
        if began >= counted_from:
            samples.append(Sample(name, ended - began, ok, "" if ok else f"{name} {error}"))
        if not ok or name == "export_download":
            if ok and submitted >= counted_from:
                samples.append(Sample("export_ready", ended - submitted, True, request=False))
            return
        if b'data-state="failed"' in page:
            samples.append(Sample(name, 0.0, False, f"{name} job failed"))
            return
        if f"{job}download/".encode() in page:
            steps.append(("export_download", f"{job}download/", None))
        else:
            await asyncio.sleep(2.0)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Cpu:
    """CPU seconds over the counted part of a scenario: this process (the load generator), the
    server's process group (web server and task worker), PostgreSQL's backends serving the
    server's database (those alive at the end: a persistent connection's whole share; a
    connection opened and closed within the slice, as the development server's one per
    request, is not among them), the connections PostgreSQL ended meanwhile (the postmaster's
    reaped children: the development server's per-request connections, and those of anything
    else using the same PostgreSQL), and the whole machine (``/proc/stat``: every core's busy
    time, anything else running included)."""

    generator: float = 0.0
    server: float = 0.0
    machine: float = 0.0
    postgres: float = 0.0
    postgres_ended: float = 0.0

    def __iadd__(self, other: Cpu) -> Cpu:
        self.generator += other.generator
        self.server += other.server
        self.machine += other.machine
        self.postgres += other.postgres
        self.postgres_ended += other.postgres_ended
        return self


TICK = os.sysconf("SC_CLK_TCK")


def _group_cpu(group: int) -> float:
    """User + system CPU seconds of the live processes of a process group (``/proc``)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group:  # pgrp; utime and stime are fields 14 and 15
            total += int(fields[11]) + int(fields[12])
    return total / TICK


def _machine_cpu() -> float:
    """Busy CPU seconds of all cores since boot (user, nice, system, irq, softirq, steal)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICK


def _process_cpu(pid: int) -> tuple[int, float, float]:
    """The parent, own CPU seconds and reaped children's CPU seconds of a process (0s when it
    is gone or unreadable: PostgreSQL's processes need this run as root or as postgres)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0, 0.0, 0.0
    own = (int(fields[11]) + int(fields[12])) / TICK
    return int(fields[1]), own, (int(fields[13]) + int(fields[14])) / TICK


@dataclass
class Postgres:
    """CPU seconds of the backends of one database, by process, and of the postmaster's
    ended children (every database's)."""

    backends: dict[int, float] = field(default_factory=dict)
    ended: float = 0.0


def _postgres_now(database_url: str) -> Postgres:
    if not database_url.startswith("postgres"):
        return Postgres()
    server, name = database_url.rsplit("/", 1)
    query = (
        "select pid, backend_type = 'checkpointer' from pg_stat_activity "
        f"where datname = '{name}' or backend_type = 'checkpointer'"
    )
    rows = subprocess.run(  # noqa: S603
        ["psql", f"{server}/postgres", "-Atc", query],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    snapshot = Postgres()
    for row in rows:
        pid, checkpointer = row.split("|")
        parent, own, _ = _process_cpu(int(pid))
        if checkpointer == "t":
            snapshot.ended = _process_cpu(parent)[2]
        else:
            snapshot.backends[int(pid)] = own
    return snapshot


def _cpu_now(group: int, database_url: str) -> tuple[Cpu, Postgres]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    postgres = _postgres_now(database_url)
    return Cpu(usage.ru_utime + usage.ru_stime, _group_cpu(group), _machine_cpu()), postgres


def summary(everything: list[Sample], seconds: float, cpu: Cpu) -> dict[str, object]:
    samples = [s for s in everything if s.request]
    ready = [s.seconds for s in everything if not s.request]
    times = [s.seconds for s in samples]
    by_name: dict[str, list[float]] = {}
    for s in samples:
        by_name.setdefault(s.name, []).append(s.seconds)
    count = max(len(samples), 1)
    return {
        "requests": len(samples),
        "throughput": round(len(samples) / seconds, 1),
        "p50_ms": round(_percentile(times, 0.50) * 1000),
        "p95_ms": round(_percentile(times, 0.95) * 1000),
        "p99_ms": round(_percentile(times, 0.99) * 1000),
        "max_ms": round(max(times) * 1000),
        "errors": sum(not s.ok for s in samples),
        "errors_by_kind": dict(Counter(s.error for s in samples if not s.ok)),
        "generator_cpu_percent": round(cpu.generator / seconds * 100, 1),
        "generator_cpu_ms_per_request": round(cpu.generator / count * 1000, 2),
        "server_cpu_ms_per_request": round(cpu.server / count * 1000, 1),
        "postgres_cpu_ms_per_request": round(cpu.postgres / count * 1000, 1),
        "postgres_ended_connections_cpu_ms_per_request": round(
            cpu.postgres_ended / count * 1000, 1
        ),
        "machine_cpu_ms_per_request": round(cpu.machine / count * 1000, 1),
        "machine_busy_cores": round(cpu.machine / seconds, 2),
        "p95_ms_by_request": {k: round(_percentile(v, 0.95) * 1000) for k, v in by_name.items()},
        "background_exports_ready": len(ready),
        "background_export_ready_p50_s": round(_percentile(ready, 0.5), 1) if ready else None,
        "background_export_ready_max_s": round(max(ready), 1) if ready else None,
    }


async def scenario(
    sessions: list[Session],
    *,
    group: int,
    database_url: str,
    seed: int,
    seconds: float,
    warmup: float,
    pause: tuple[float, float] | None,
) -> tuple[list[Sample], Cpu]:
    """The sessions' requests for ``warmup`` + ``seconds``; the samples and CPU of the counted
    part."""
    samples: list[Sample] = []
    start_at = time.monotonic()
    counted_from = start_at + warmup
    until = counted_from + seconds
    cpu = Cpu()

    async def measure_cpu() -> None:
        nonlocal cpu
        await asyncio.sleep(max(0.0, counted_from - time.monotonic()))
        begin, pg_begin = await asyncio.to_thread(_cpu_now, group, database_url)
        await asyncio.sleep(max(0.0, until - time.monotonic()))
        end, pg_end = await asyncio.to_thread(_cpu_now, group, database_url)
        cpu = Cpu(
            end.generator - begin.generator,
            end.server - begin.server,
            end.machine - begin.machine,
            sum(c - pg_begin.backends.get(pid, 0.0) for pid, c in pg_end.backends.items()),
            pg_end.ended - pg_begin.ended,
        )

    await asyncio.gather(
        measure_cpu(),
        *(
            user(s, random.Random(seed * 1000 + i), until, counted_from, pause, samples)
            for i, s in enumerate(sessions)
        ),
    )
    return samples, cpu


@dataclass
class Server:
    kind: str
    port: int
    process: subprocess.Popen[bytes]
    database_url: str
    sessions: list[Session] = field(default_factory=list)
    mix: dict[str, list[str]] = field(default_factory=dict)


async def prepare(server: Server, args: argparse.Namespace) -> None:
    """Sign the sessions in (one after the other: sign-ins are not measured) and find each
    model login's mix."""
    base = f"http://127.0.0.1:{server.port}"
    logins = session_logins(args.sessions + args.busy_sessions, args.logins)
    server.sessions = [
        await sign_in(base, f"{login}-{number:02d}", args.password) for login, number in logins
    ]
    mixes = {}
    for s, (login, _) in zip(server.sessions[: len(args.logins)], logins, strict=False):
        mixes[login] = await allowed_mix(s)
    for s, (login, _) in zip(server.sessions, logins, strict=True):
        s.mix = mixes[login]
    server.mix = {k: [n for _, n, _ in v] for k, v in mixes.items()}
    print(f"{server.kind} mix: {json.dumps(server.mix)}", flush=True)


async def measure(servers: list[Server], args: argparse.Namespace) -> dict[str, object]:
    """Both servers up at once; the busy scenario in ``--rounds`` slices taking turns (the
    first server of a round alternates), so that both meet the same load from anything else
    on the machine; then the paced scenario on each in turn."""
    for server in servers:
        await prepare(server, args)
    results: dict[str, object] = {}
    try:
        busy: dict[str, tuple[list[Sample], Cpu]] = {s.kind: ([], Cpu()) for s in servers}
        for round_ in range(args.rounds):
            for server in servers if round_ % 2 == 0 else servers[::-1]:
                samples, cpu = await scenario(
                    server.sessions[args.sessions :],  # accounts of their own: the busy
                    # scenario's exports do not use up the paced sessions' hourly quota
                    group=server.process.pid,
                    database_url=server.database_url,
                    seed=args.seed * 100 + round_,
                    seconds=args.seconds / args.rounds,
                    warmup=args.warmup,
                    pause=None,
                )
                busy[server.kind][0].extend(samples)
                busy[server.kind][1].__iadd__(cpu)
        for server in servers:
            samples, cpu = busy[server.kind]
            summary_busy = summary(samples, args.seconds, cpu)
            print(f"{server.kind} busy: {json.dumps(summary_busy)}", flush=True)
            results[server.kind] = {"busy": summary_busy, "mix": server.mix}
            if args.no_paced:
                continue
            paced_samples, paced_cpu = await scenario(
                server.sessions[: args.sessions],
                group=server.process.pid,
                database_url=server.database_url,
                seed=args.seed + 1,
                seconds=args.seconds * 1.5,
                warmup=args.warmup,
                pause=(1.0, 3.0),
            )
            summary_paced = summary(paced_samples, args.seconds * 1.5, paced_cpu)
            print(f"{server.kind} paced: {json.dumps(summary_paced)}", flush=True)
            results[server.kind] = {"busy": summary_busy, "paced": summary_paced, "mix": server.mix}
    finally:
        for server in servers:
            for s in server.sessions:
                await s.http.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default="serve,dev", help="serve, dev or both")
    parser.add_argument("--port", type=int, default=8110, help="the first server's; then +1")
    parser.add_argument("--seconds", type=float, default=60.0, help="busy time counted per server")
    parser.add_argument("--rounds", type=int, default=6, help="busy slices per server")
    parser.add_argument("--warmup", type=float, default=3.0, help="not counted, before each slice")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--busy-sessions", type=int, default=24)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--no-paced", action="store_true", help="the busy scenario only (comparing settings)"
    )
    parser.add_argument(
        "--logins",
        type=lambda v: tuple(v.split(",")),
        default=LOGINS,
        help="the accounts whose unit and roles the sessions' accounts take, in turn",
    )
    parser.add_argument("--password", default=PASSWORD, help="theirs and the sessions'")
    parser.add_argument("--out", type=Path, default=OUT / "load.json")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    data_dir = os.environ.get("YANZHEN_DATA_DIR", str(ROOT / "var"))
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {
        "database": database_url.rsplit("@", 1)[-1] or "sqlite",
        "load_average_start": os.getloadavg(),
        "cpus": os.cpu_count(),
        "command": " ".join(sys.argv),
    }
    servers: list[Server] = []
    try:
        for offset, kind in enumerate(args.servers.split(",")):
            copy = fresh_copy(database_url, kind)
            env = _env(copy, data_dir)
            wanted = session_logins(args.sessions + args.busy_sessions, args.logins)
            accounts(env, wanted, args.password)
            port = args.port + offset
            servers.append(Server(kind, port, start(kind, port, env), copy))
        results.update(asyncio.run(measure(servers, args)))
    finally:
        for server in servers:
            stop(server.process)
    results["load_average_end"] = os.getloadavg()
    if "serve" in results and "dev" in results:
        serve, dev = results["serve"], results["dev"]
        assert isinstance(serve, dict)
        assert isinstance(dev, dict)
        results["busy_throughput_ratio"] = round(
            serve["busy"]["throughput"] / max(dev["busy"]["throughput"], 0.1), 2
        )
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in results.items() if k not in ("serve", "dev")}))


if __name__ == "__main__":
    main()
