"""Two application nodes behind nginx on this machine, sharing one PostgreSQL: the load spreads
over both, and a session signed in through one node is served by the other.

Usage (from the repository root, the demo loaded in the database)::

    DATABASE_URL=postgres://yanzhen@127.0.0.1:55439/yanzhen_provb YANZHEN_DATA_DIR=var/bench \\
        .venv/bin/python bench/scaleout.py [--port 8120] [--requests 400]

It starts two ``make serve`` on 127.0.0.1:<port+1> and :<port+2>, each with a data directory
of its own (``<data>/node-a``, ``<data>/node-b``: nothing local is shared) but the same
database (sessions and the cache are in it), the same uploads folder (``YANZHEN_MEDIA_ROOT``)
and the same keys (``YANZHEN_SECRET_KEY``, ``YANZHEN_FIELD_KEY_FILE``,
``YANZHEN_AUDIT_KEY_FILE``); then Debian's nginx on 127.0.0.1:<port> with both in one upstream
(``least_conn``; the configuration written is ``deploy/nginx/yanzhen-loopback.conf``'s, with
the ports filled in), and nginx names the node that answered in ``X-Upstream``. Eight sessions
(the demo logins in turn) sign in through nginx and send ``--requests`` requests of the mix of
``bench/load.py``, eight at a time; then each session's cookies are sent straight to each
node. It prints how many each node answered and exits 1 unless both answered at least a
quarter, with no error, and every node answered every session's dashboard (the session
signed in through whichever node is known to the other: it is in the shared database).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import LOGINS, PASSWORD, Session, allowed_mix, sign_in  # noqa: E402

TEMPLATE = ROOT / "deploy" / "nginx" / "yanzhen-loopback.conf"


def start_node(name: str, port: int, env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    node_env = {
        **env,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "YANZHEN_WORKERS": "2",
        "YANZHEN_DATA_DIR": str(Path(env["YANZHEN_DATA_DIR"]) / f"node-{name}"),
    }
    log = open(log_dir / f"node-{name}.log", "wb")  # noqa: SIM115 (open for the node's life)
    return subprocess.Popen(
        ["make", "--no-print-directory", "serve"],  # noqa: S607
        cwd=ROOT,
        env=node_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


async def drive(
    base: str, total: int, seed: int, ports: tuple[int, int]
) -> tuple[Counter[str], int, dict[str, set[str]]]:
    sessions: list[Session] = [
        await sign_in(base, LOGINS[i % len(LOGINS)], PASSWORD) for i in range(8)
    ]
    nodes: Counter[str] = Counter()
    per_session: dict[str, set[str]] = {}
    errors = 0
    try:
        mixes = {s.login: await allowed_mix(s) for s in sessions[: len(LOGINS)]}
        for s in sessions:
            s.mix = mixes[s.login]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(total):
            queue.put_nowait(i)

        async def run(index: int, session: Session) -> None:
            nonlocal errors
            rng = random.Random(seed + index)
            weights = [w for w, _, _ in session.mix]
            while not queue.empty():
                queue.get_nowait()
                _, _, maker = rng.choices(session.mix, weights)[0]
                async with session.http.get(
                    maker(rng, session.ids), allow_redirects=False
                ) as response:
                    await response.read()
                    upstream = response.headers.get("X-Upstream", "?")
                    nodes[upstream] += 1
                    per_session.setdefault(f"{index}:{session.login}", set()).add(upstream)
                    if response.status >= 300:  # a redirect here would be to the login page
                        errors += 1

        await asyncio.gather(*(run(i, s) for i, s in enumerate(sessions)))
        # Straight to each node, past nginx, with the cookies each session got through it:
        # every node knows every session (they are in the shared database).
        for index, session in enumerate(sessions):
            cookies = {c.key: c.value for c in session.http.cookie_jar}
            for port in ports:
                async with (
                    aiohttp.ClientSession(cookies=cookies) as direct,
                    direct.get(f"http://127.0.0.1:{port}/", allow_redirects=False) as response,
                ):
                    await response.read()
                    if response.status == 200:
                        per_session.setdefault(f"{index}:{session.login}", set()).add(
                            f"direct:{port}"
                        )
    finally:
        for s in sessions:
            await s.http.close()
    return nodes, errors, per_session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8120)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    data = Path(os.environ.get("YANZHEN_DATA_DIR", ROOT / "var")).resolve()
    env = {
        **os.environ,
        "YANZHEN_DATA_DIR": str(data),
        "YANZHEN_MEDIA_ROOT": str(data / "media"),
        "YANZHEN_SECRET_KEY": (data / "secret_key").read_text(encoding="utf-8").strip(),
        "YANZHEN_FIELD_KEY_FILE": str(data / "field_key"),
        "YANZHEN_AUDIT_KEY_FILE": str(data / "audit_key"),
    }
    work = Path(tempfile.mkdtemp(prefix="yanzhen-scaleout-"))
    ports = (args.port + 1, args.port + 2)
    nodes = [start_node(n, p, env, work) for n, p in zip("ab", ports, strict=True)]
    nginx_conf = work / "nginx.conf"
    nginx_conf.write_text(
        TEMPLATE.read_text(encoding="utf-8")
        .replace("@PREFIX@", str(work))
        .replace("@LISTEN@", str(args.port))
        .replace("@NODE_A@", str(ports[0]))
        .replace("@NODE_B@", str(ports[1])),
        encoding="utf-8",
    )
    nginx: subprocess.Popen[bytes] | None = None
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/health/")
        nginx = subprocess.Popen(  # noqa: S603
            ["nginx", "-p", str(work), "-e", str(work / "error.log"), "-c", str(nginx_conf)],  # noqa: S607
            start_new_session=True,
        )
        wait_for(f"http://127.0.0.1:{args.port}/health/", 30)
        answered, errors, per_session = asyncio.run(
            drive(f"http://127.0.0.1:{args.port}", args.requests, args.seed, ports)
        )
    finally:
        if nginx is not None:
            stop(nginx)
        for node in nodes:
            stop(node)
    total = sum(answered.values())
    direct = {f"direct:{p}" for p in ports}
    both = len(per_session) == 8 and all(direct <= seen for seen in per_session.values())
    through_both = sum(len(seen - direct) == 2 for seen in per_session.values())
    result = {
        "requests": total,
        "errors": errors,
        "by_node": dict(sorted(answered.items())),
        "share": {k: round(v / total, 3) for k, v in sorted(answered.items())},
        "sessions_known_to_both_nodes": both,
        "sessions_answered_by_both_through_nginx": through_both,
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, ensure_ascii=False))
    ok = errors == 0 and len(answered) == 2 and min(answered.values()) >= total / 4 and both
    shutil.rmtree(work, ignore_errors=True)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
