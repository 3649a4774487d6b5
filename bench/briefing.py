"""Benchmark of the demo's annual summary: ``yanzhen briefing --year 2021 -o FILE.docx`` (no PDF).

Usage (from the repository root)::

    .venv/bin/python bench/briefing.py            # a fresh SQLite database with the demo
    .venv/bin/python bench/briefing.py --docs     # also write docs/benchmarks.md

A temporary data directory gets the migrated schema and the Yongji demo (not timed); then the
command's work — the template parsed, its 23 figures computed from the records, the .docx
written — is timed ``--runs`` times in the same process after one warm-up run (elapsed and CPU
time; best and median), and the figures of the .docx are checked against the case. The issue
asks for at most 0.5 s and names no peer to compare with. ``--docs`` replaces the section
"Briefing (bench/briefing.py)" of ``docs/benchmarks.md`` (other sections are kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Briefing (bench/briefing.py)"
COMMAND = ".venv/bin/python bench/briefing.py --docs"
CHECK = "全年与38所高校（院所）达成合作意向120项，签订合作协议81项，落地项目63个"


def measure(runs: int) -> dict[str, float]:
    import django

    django.setup()
    import docx
    from django.core.management import call_command

    from yanzhen.demo.loader import load_demo
    from yanzhen.reports import briefings
    from yanzhen.reports.management.commands.briefing import Command, everything

    call_command("migrate", verbosity=0)
    load_demo()
    command = Command()
    user = everything()

    from yanzhen.reports.models import Briefing  # after django.setup()

    def once() -> bytes:
        unit = command._unit("")
        template = command._template("")
        briefing = Briefing(
            kind=template.kind,
            title=template.title.replace("{年度}", "2021").replace("{单位}", unit.name),
            unit=unit,
            start=dt.date(2021, 1, 1),
            end=dt.date(2021, 12, 31),
            text=template.text,
            masthead=f"{unit.name}省校合作工作领导小组办公室文件",
            signature=f"{unit.name}省校合作工作领导小组办公室",
        )
        return briefings.briefing_docx(briefing, user)

    data = once()
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    if not any(t.startswith(CHECK) for t in texts):
        raise SystemExit("the summary does not state the case's figures")
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        once()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    out = tempfile.mkdtemp()
    started = time.perf_counter()
    call_command(
        "briefing", "--year", "2021", "-o", os.path.join(out, "s.docx"), stdout=io.StringIO()
    )
    command_time = time.perf_counter() - started
    return {
        "best": min(wall),
        "median": statistics.median(wall),
        "cpu_best": min(cpu),
        "command": command_time,
        "size_kb": len(data) / 1024,
        "runs": runs,
    }


def section(result: dict[str, float]) -> str:
    return "\n".join(
        [
            SECTION,
            "",
            f"Command: `{COMMAND}` — {platform.python_implementation()} "
            f"{platform.python_version()}, SQLite, {os.cpu_count()} cores shared with other work.",
            "",
            "The Yongji demo's 2021 annual summary (the template of the demo, 23 figures computed "
            "from the records, written as a 公文 .docx, no PDF); the issue asks for ≤ 0.5 s and "
            "names no peer.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| best of {int(result['runs'])} runs (elapsed) | {result['best'] * 1000:.0f} ms |",
            f"| median (elapsed) | {result['median'] * 1000:.0f} ms |",
            f"| best (CPU) | {result['cpu_best'] * 1000:.0f} ms |",
            f"| `call_command('briefing', …)` once, writing the file | "
            f"{result['command'] * 1000:.0f} ms |",
            f"| size of the .docx | {result['size_kb']:.0f} KB |",
            "",
            "Not measured yet: the national summary over the 1,000,000-cooperation data of "
            "bench/ledger.py (≤ 3 s asked); the figures read the records, not the stored tally.",
            "",
        ]
    )


def write_docs(text: str) -> None:
    """Replace (or append) our section of docs/benchmarks.md, keeping every other section."""
    old = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    start = old.find(SECTION)
    if start == -1:
        old = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(SECTION))
        old = old[:start] + text + ("\n" + old[end + 1 :] if end != -1 else "")
    DOCS.write_text(old.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--docs", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["YANZHEN_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
        os.environ.pop("DATABASE_URL", None)
        result = measure(args.runs)
    text = section(result)
    print(text)
    if args.docs:
        write_docs(text)


if __name__ == "__main__":
    main()
