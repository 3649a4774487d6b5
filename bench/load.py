"""Load test: many signed-in sessions on a realistic mix of pages, against ``make serve``
(gunicorn, several workers) and, in the same run, the development server of ``make run``.

Usage (from the repository root, the demo loaded in the database)::

    DATABASE_URL=postgres://yanzhen@127.0.0.1:55439/yanzhen_provb YANZHEN_DATA_DIR=var/bench \\
        .venv/bin/python bench/load.py [--servers serve,dev] [--port 8110] [--seconds 60]

For each server it starts the server and the task worker exactly as the make target does
(``make serve``; for ``dev``, ``yanzhen runserver`` + ``yanzhen run_worker`` as ``make run``
after its demo step), signs 50 sessions in (the demo logins office, base, town and
enterprise in turn, the leader signing in with a second factor; each session its own
cookie jar), then runs two scenarios:

* ``busy``: 24 sessions, each sending its next request as soon as the last answered
  (after ``--warmup`` seconds not counted), for ``--seconds``;
* ``paced``: 50 sessions, each pausing 1–3 s between requests (uniform, seeded), for
  ``--seconds`` × 1.5.

The mix (weights in ``MIX``): the dashboard, filtered lists (the ledger by stage and year,
talents, bases), record pages (cooperations the session's user sees, from the API), forms
(the new-cooperation form), exports (the ledger as XLSX) and the JSON API (dashboard,
cooperations, bases, me). A request the user may not make is dropped from that user's mix at
sign-in, so every error counted is a real one (status ≥ 400, a refused connection, a timeout
of 30 s). Printed and written to ``bench/out/load.json``: requests, throughput, p50, p95,
p99, max, errors, and the load generator's own CPU (user + system of this process, as a
share of one core), with the load average of the machine at the start and the end.
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


@dataclass
class Sample:
    name: str
    seconds: float
    ok: bool


def _env(database_url: str, data_dir: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "YANZHEN_DATA_DIR": data_dir}


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


async def sign_in(base: str, login: str) -> Session:
    jar = aiohttp.CookieJar(unsafe=True)
    http = aiohttp.ClientSession(
        base_url=base, cookie_jar=jar, timeout=TIMEOUT, connector=aiohttp.TCPConnector(limit=1)
    )
    async with http.get("/login/") as response:
        page = await response.text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    form = {"username": login, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    async with http.post("/login/", data=form, allow_redirects=False) as response:
        if response.status != 302:
            raise SystemExit(f"{login} could not sign in ({response.status})")
    session = Session(login=login, http=http)
    async with http.get("/cooperation/") as response:  # the records this user sees
        page = await response.text() if response.status == 200 else ""
    session.ids = sorted({int(pk) for pk in re.findall(r'href="/cooperation/(\d+)/"', page)})
    return session


async def allowed_mix(session: Session) -> list[tuple[int, str, Maker]]:
    """The requests this user may make (each tried once)."""
    rng = random.Random(0)
    kept = []
    for weight, name, maker in MIX:
        if name == "record" and not session.ids:
            continue
        async with session.http.get(maker(rng, session.ids), allow_redirects=False) as response:
            await response.read()
            if response.status == 200:
                kept.append((weight, name, maker))
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
        try:
            async with session.http.get(path, allow_redirects=False) as response:
                await response.read()
                ok = response.status < 400
        except (aiohttp.ClientError, TimeoutError):
            ok = False
        ended = time.monotonic()
        if began >= counted_from:
            samples.append(Sample(name, ended - began, ok))
        if pause:
            await asyncio.sleep(rng.uniform(*pause))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(samples: list[Sample], seconds: float, cpu: float) -> dict[str, object]:
    times = [s.seconds for s in samples]
    by_name: dict[str, list[float]] = {}
    for s in samples:
        by_name.setdefault(s.name, []).append(s.seconds)
    return {
        "requests": len(samples),
        "throughput": round(len(samples) / seconds, 1),
        "p50_ms": round(_percentile(times, 0.50) * 1000),
        "p95_ms": round(_percentile(times, 0.95) * 1000),
        "p99_ms": round(_percentile(times, 0.99) * 1000),
        "max_ms": round(max(times) * 1000),
        "errors": sum(not s.ok for s in samples),
        "generator_cpu_percent": round(cpu / seconds * 100, 1),
        "p95_ms_by_request": {k: round(_percentile(v, 0.95) * 1000) for k, v in by_name.items()},
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def scenario(
    sessions: list[Session],
    *,
    seed: int,
    seconds: float,
    warmup: float,
    pause: tuple[float, float] | None,
) -> dict[str, object]:
    samples: list[Sample] = []
    start_at = time.monotonic()
    counted_from = start_at + warmup
    until = counted_from + seconds
    cpu = 0.0

    async def measure_cpu() -> None:
        nonlocal cpu
        await asyncio.sleep(max(0.0, counted_from - time.monotonic()))
        begin = _cpu()
        await asyncio.sleep(max(0.0, until - time.monotonic()))
        cpu = _cpu() - begin

    await asyncio.gather(
        measure_cpu(),
        *(
            user(s, random.Random(seed * 1000 + i), until, counted_from, pause, samples)
            for i, s in enumerate(sessions)
        ),
    )
    return summary(samples, seconds, cpu)


async def measure(kind: str, port: int, args: argparse.Namespace) -> dict[str, object]:
    base = f"http://127.0.0.1:{port}"
    # one after the other: sign-ins are not measured
    sessions = [await sign_in(base, LOGINS[i % len(LOGINS)]) for i in range(args.sessions)]
    try:
        mixes = {}
        for s in sessions[: len(LOGINS)]:
            mixes[s.login] = await allowed_mix(s)
        for s in sessions:
            s.mix = mixes[s.login]
        print(f"{kind} mix: {json.dumps({k: [n for _, n, _ in v] for k, v in mixes.items()})}")
        busy = await scenario(
            sessions[: args.busy_sessions],
            seed=args.seed,
            seconds=args.seconds,
            warmup=args.warmup,
            pause=None,
        )
        print(f"{kind} busy: {json.dumps(busy, ensure_ascii=False)}", flush=True)
        paced = await scenario(
            sessions,
            seed=args.seed + 1,
            seconds=args.seconds * 1.5,
            warmup=args.warmup,
            pause=(1.0, 3.0),
        )
        print(f"{kind} paced: {json.dumps(paced, ensure_ascii=False)}", flush=True)
    finally:
        for s in sessions:
            await s.http.close()
    return {
        "busy": busy,
        "paced": paced,
        "mix": {k: [n for _, n, _ in v] for k, v in mixes.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default="serve,dev", help="serve, dev or both (in order)")
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--busy-sessions", type=int, default=24)
    parser.add_argument("--seed", type=int, default=17)
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
    for kind in args.servers.split(","):
        process = start(kind, args.port, _env(database_url, data_dir))
        try:
            results[kind] = asyncio.run(measure(kind, args.port, args))
        finally:
            stop(process)
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
