"""A scoped user's dashboards with the sums kept between requests (``reports.scoped_sums``)
against the same requests with the sums made afresh each time (the peer: what every request
did before), in one process, taking turns.

Usage (from the repository root, on the ledger benchmark's data, see docs/benchmarks.md)::

    DATABASE_URL=postgres://yanzhen@127.0.0.1:55439/yanzhen_bench YANZHEN_DATA_DIR=var/bench1m \\
        .venv/bin/python bench/scoped_sums.py [--login bench_county] [--runs 12] [--rounds 2]

Prints, per page and way, the median and best processor time of this process and wall time
(the first two requests of each series not counted), and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/", "/api/v1/dashboard")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--login", default="bench_county")
    parser.add_argument("--runs", type=int, default=12, help="requests per series")
    parser.add_argument("--rounds", type=int, default=2, help="series per way and page")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
    os.environ["YANZHEN_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.test import Client

    from yanzhen.core.models import User
    from yanzhen.reports import scoped_sums

    client = Client()
    client.force_login(User.objects.get(username=args.login))
    print(f"{args.login}, {args.runs} requests a series, {args.rounds} series a way")
    print("| page | way | CPU median | CPU best | wall median |")
    print("|---|---|--:|--:|--:|")
    for page in PAGES:
        medians: dict[str, list[float]] = {"afresh": [], "kept": []}
        for _round in range(args.rounds):
            for way in ("afresh", "kept"):
                cpu: list[float] = []
                wall: list[float] = []
                for _ in range(args.runs):
                    if way == "afresh":
                        scoped_sums.forget()
                    started, clock = time.process_time(), time.perf_counter()
                    response = client.get(page)
                    cpu.append((time.process_time() - started) * 1000)
                    wall.append((time.perf_counter() - clock) * 1000)
                    assert response.status_code == 200, (page, response.status_code)
                medians[way].append(statistics.median(cpu[2:]))
                print(
                    f"| `{page}` | {way} | {statistics.median(cpu[2:]):.1f} ms "
                    f"| {min(cpu[2:]):.1f} ms | {statistics.median(wall[2:]):.1f} ms |"
                )
        ratio = statistics.median(medians["afresh"]) / statistics.median(medians["kept"])
        print(f"`{page}`: kept {ratio:.2f}x less processor time than afresh")


if __name__ == "__main__":
    main()
