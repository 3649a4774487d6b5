"""CPU of a ledger export per 1,000 rows: the path of ``core.listing.export_response`` now
(plain values, ``cooperation.excel.export_values``; openpyxl's write-only mode,
``core.excel.write_xlsx``) against the path before (model instances and a workbook filled cell
by cell: ``bench/export_peer.py``) in the same run, alternately, on the same rows.

Usage (from the repository root, on any database the user's ledger is in)::

    DATABASE_URL=postgres://yanzhen@127.0.0.1:55439/yanzhen_bench \\
        YANZHEN_DATA_DIR=/work/main/var/bench1m \\
        .venv/bin/python bench/exports.py --login bench_county [--repeat 3]

It reads the user's whole ledger (``cooperation.selectors.cooperation_list``, no filter, the
list's order), writes the XLSX both ways, checks that both files hold the same cells
(``export_peer.describe``) and prints each path's CPU of this process (user + system: the
rows, the cells and the file; the database's own CPU is not in it) per 1,000 rows, its best of
``--repeat`` runs, and the ratio. Nothing is written to the database.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(run: Callable[[], bytes]) -> tuple[float, float, bytes]:
    began, wall = _cpu(), time.perf_counter()
    content = run()
    return _cpu() - began, time.perf_counter() - wall, content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--login", default="office")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
    import django

    django.setup()
    from django.utils import timezone

    from bench.export_peer import describe, old_ledger_rows, old_write_xlsx
    from yanzhen.cooperation import excel, selectors
    from yanzhen.cooperation.selectors import CooperationFilters
    from yanzhen.core.excel import write_xlsx
    from yanzhen.core.models import User

    user = User.objects.get(username=args.login)
    today = timezone.localdate()
    columns = excel.columns()
    mark = f"雁阵导出 · {user.username} · bench"

    def rows_query() -> object:
        return selectors.cooperation_list(user=user, filters=CooperationFilters(), today=today)

    def new() -> bytes:
        rows = excel.export_values(user)(rows_query())  # type: ignore[arg-type]
        return write_xlsx("合作台账", columns, rows, watermark=mark)

    def old() -> bytes:
        rows = old_ledger_rows(user, rows_query())  # type: ignore[arg-type]
        return old_write_xlsx("合作台账", columns, rows, watermark=mark)

    count = rows_query().count()  # type: ignore[attr-defined]
    best: dict[str, tuple[float, float]] = {}
    files: dict[str, bytes] = {}
    for _ in range(args.repeat):
        for name, run in (("old", old), ("new", new)):
            cpu, wall, files[name] = _timed(run)
            best[name] = min(best.get(name, (cpu, wall)), (cpu, wall))
    same = describe(files["old"]) == describe(files["new"])
    per = {k: round(v[0] / count * 1000 * 1000, 1) for k, v in best.items()}
    result = {
        "login": args.login,
        "rows": count,
        "same_cells": same,
        "old_cpu_ms_per_1000_rows": per["old"],
        "new_cpu_ms_per_1000_rows": per["new"],
        "old_wall_s": round(best["old"][1], 2),
        "new_wall_s": round(best["new"][1], 2),
        "ratio_old_to_new": round(best["old"][0] / max(best["new"][0], 1e-9), 2),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result))
    if not same:
        raise SystemExit("the two paths wrote different cells")


if __name__ == "__main__":
    main()
