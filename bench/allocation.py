"""Benchmark of the allocation engine against the ``matching`` package, in the same run.

Usage (from the repository root)::

    .venv/bin/python bench/allocation.py                  # 69×19, 5,000×500, 40,000×5,000
    .venv/bin/python bench/allocation.py --sizes 69x19,5000x500 --runs 3
    .venv/bin/python bench/allocation.py --docs           # also write docs/benchmarks.md

Each instance is generated from a fixed seed: every applicant lists 12 distinct units (fewer
when there are fewer units), drawn with a popularity skew (weight 1/(rank+1)^0.6); every unit
ranks the applicants who listed it by a common quality plus its own noise and leaves about 5 %
of them unranked (unacceptable both ways); capacities are spread around applicants/units so
that places are about as many as applicants.

For each instance:

* **ours** — ``yanzhen.engines.allocation.solve`` (applicant-optimal), best of ``--runs``
  timed runs, each ``solve(Instance(applicants, units))`` on the generated dicts: the time
  includes everything the engine does with its input (building its per-unit rank tables,
  the proposals, the result dict), not the generation of the instance (nor, in the
  ``allocate`` command, the JSON parsing). Elapsed time, and the CPU time of the process
  (the lowest of the runs: what the solve costs when it does not wait for a CPU held by
  other processes). Then ``verify`` (no blocking pair, capacities, acceptability); peak
  memory of one more run under ``tracemalloc`` (Python allocations of the solve).
* **matching** — ``HospitalResident.create_from_dictionaries(...).solve(optimal="resident")``
  on the mutually acceptable part of the instance (what it requires), in a child process with
  a time limit (``--matching-timeout``): first at Python's default recursion limit (its
  ``copy.deepcopy`` of the player graph recurses through every preference list and raises
  ``RecursionError`` once the graph is a few thousand players deep), then with the limit
  raised to 10⁶ in a thread with a 1 GiB stack. Timed once (it is slow), then its peak memory
  under ``tracemalloc`` when the timed run took less than ``--memory-limit`` seconds.
  ``--matching-timeout`` bounds each of its runs: at 40,000×5,000 it has not finished within
  900 s (the default), so a shorter budget (``--matching-timeout 120``) only saves the wait;
  it is always run at the smaller sizes, where it finishes, for the ratio.

The two matchings must be identical (exit 1 otherwise). Results: ``bench/out/allocation.json``
and ``bench/out/allocation.md``; ``--docs`` replaces the section "Allocation
(bench/allocation.py)" of ``docs/benchmarks.md`` (other sections are kept).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from yanzhen.engines.allocation import HostUnit, Instance, solve, verify  # noqa: E402

OUT = ROOT / "bench" / "out"
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Allocation (bench/allocation.py)"
LIST_LENGTH = 12
DEFAULT_SIZES = "69x19,5000x500,40000x5000"
THRESHOLD_PROBE = (250, 500, 750, 1000, 1500, 2000, 3000, 5000)

Matching = dict[str, str | None]


# Instances -----------------------------------------------------------------------------------


def generate(n_applicants: int, n_units: int, *, seed: int = 2021) -> Instance:
    rng = random.Random(seed * 1_000_003 + n_applicants * 7 + n_units)
    units = [f"u{j}" for j in range(n_units)]
    cumulative: list[float] = []
    total = 0.0
    for j in range(n_units):
        total += 1 / (j + 1) ** 0.6
        cumulative.append(total)
    length = min(LIST_LENGTH, n_units)
    prefs: dict[str, list[str]] = {}
    applied: dict[str, list[str]] = {u: [] for u in units}
    quality: dict[str, float] = {}
    for i in range(n_applicants):
        a = f"a{i}"
        quality[a] = rng.random()
        chosen: list[str] = []
        seen: set[str] = set()
        while len(chosen) < length:
            u = units[bisect.bisect(cumulative, rng.random() * total)]
            if u not in seen:
                seen.add(u)
                chosen.append(u)
        prefs[a] = chosen
        for u in chosen:
            applied[u].append(a)
    spec: dict[str, HostUnit] = {}
    mean = n_applicants / max(n_units, 1)
    for u in units:
        ranked = [a for a in applied[u] if rng.random() >= 0.05]
        noise = {a: rng.random() * 0.5 for a in ranked}
        ranked.sort(key=lambda a: -(quality[a] + noise[a]))
        spec[u] = HostUnit(max(0, round(mean * (0.4 + rng.random()))), tuple(ranked))
    return Instance(prefs, spec)


def for_matching(
    instance: Instance,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """The mutually acceptable part, as ``matching`` requires: hospitals rank exactly the
    residents who rank them, no empty list, capacities ≥ 1."""
    ranks = instance.unit_ranks
    open_units = {u for u, s in instance.units.items() if s.capacity > 0}
    residents = {
        a: [u for u in prefs if u in open_units and a in ranks[u]]
        for a, prefs in instance.applicants.items()
    }
    residents = {a: p for a, p in residents.items() if p}
    listed: dict[str, set[str]] = {a: set(p) for a, p in residents.items()}
    hospitals = {
        u: [a for a in instance.units[u].ranking if u in listed.get(a, ())] for u in open_units
    }
    hospitals = {u: r for u, r in sorted(hospitals.items()) if r}
    capacities = {u: instance.units[u].capacity for u in hospitals}
    return residents, hospitals, capacities


# Measurements --------------------------------------------------------------------------------


@dataclass
class Run:
    ok: bool
    seconds: float | None = None
    peak_mb: float | None = None
    cpu_seconds: float | None = None
    error: str = ""
    matching: Matching = field(default_factory=dict)


def _peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 2)


def run_ours(instance: Instance, runs: int) -> tuple[Run, float, int]:
    best = best_cpu = float("inf")
    result: Matching = {}
    for _ in range(runs):
        fresh = Instance(instance.applicants, instance.units)
        start, start_cpu = time.perf_counter(), time.process_time()
        result = solve(fresh)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    checked = Instance(instance.applicants, instance.units)
    start = time.perf_counter()
    problems = verify(checked, result)
    verify_seconds = time.perf_counter() - start
    peak = _peak_mb(lambda: solve(Instance(instance.applicants, instance.units)))
    run = Run(True, round(best, 4), peak, cpu_seconds=round(best_cpu, 4), matching=result)
    return run, round(verify_seconds, 4), len(problems)


def _solve_with_matching(instance: Instance) -> Matching:
    from matching.games import HospitalResident

    residents, hospitals, capacities = for_matching(instance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        solved = game.solve(optimal="resident")
    out: Matching = dict.fromkeys(instance.applicants)
    for hospital, matched in solved.items():
        for resident in matched:
            out[str(resident.name)] = str(hospital.name)
    return out


def _in_big_stack(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread with a 1 GiB stack and the recursion limit raised to 10⁶."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as error:  # reported to the caller
            box["error"] = error

    sys.setrecursionlimit(1_000_000)
    threading.stack_size(2**30)
    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _child(instance: Instance, raised: bool, measure_memory: bool, conn: Connection) -> None:
    try:
        if raised:
            start = time.perf_counter()
            result = _in_big_stack(lambda: _solve_with_matching(instance))
            seconds = time.perf_counter() - start
            peak = (
                _in_big_stack(lambda: _peak_mb(lambda: _solve_with_matching(instance)))
                if measure_memory
                else None
            )
        else:
            start = time.perf_counter()
            result = _solve_with_matching(instance)
            seconds = time.perf_counter() - start
            peak = None
        conn.send(Run(True, round(seconds, 3), peak, matching=result))
    except RecursionError as error:
        conn.send(Run(False, error=f"RecursionError: {error}"))
    except Exception as error:  # any failure of the peer is a result to record
        conn.send(Run(False, error=f"{type(error).__name__}: {error}"))


def run_matching(
    instance: Instance, *, raised: bool, timeout: float, memory_limit: float = 0.0
) -> Run:
    """``matching`` in a forked child (so that a crash or a time-out stays there)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def attempt(measure_memory: bool) -> Run:
        process = context.Process(target=_child, args=(instance, raised, measure_memory, sender))
        process.start()
        if receiver.poll(timeout * (3 if measure_memory else 1)):
            run: Run = receiver.recv()
            process.join()
            return run
        process.terminate()
        process.join()
        if process.exitcode not in (None, 0, -15):
            return Run(False, error=f"crashed (exit code {process.exitcode})")
        return Run(False, error=f"did not finish within {timeout:.0f} s")

    run = attempt(False)
    if raised and run.ok and run.seconds is not None and run.seconds < memory_limit:
        with_memory = attempt(True)
        run.peak_mb = with_memory.peak_mb
    return run


def threshold(timeout: float) -> list[dict[str, Any]]:
    """``matching`` at the default recursion limit on growing instances (units = n/10)."""
    found = []
    for n in THRESHOLD_PROBE:
        run = run_matching(generate(n, max(1, n // 10)), raised=False, timeout=timeout)
        found.append({"applicants": n, "units": max(1, n // 10), "ok": run.ok, "error": run.error})
        if not run.ok:
            break
    return found


# Report --------------------------------------------------------------------------------------


def _fmt_s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _fmt_mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} MB"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        SECTION,
        "",
        f"Run {report['when']} on {report['machine']} (load average {report['load']} at the "
        f"start, {report['load_end']} at the end: other processes shared the CPUs), Python "
        f"{report['python']}, `matching` {report['matching_version']}: `{report['command']}`",
        "",
        "Applicant-optimal capacitated deferred acceptance (`yanzhen.engines.allocation`) against "
        "`matching`'s `HospitalResident` (resident-optimal) on the same generated instances "
        "(lists of 12, about 5 % of pairs unacceptable to the unit; see the docstring of "
        "`bench/allocation.py`). Time: ours, the best of "
        f"{report['runs']} runs of `solve(Instance(applicants, units))` on the generated dicts "
        "— everything the engine does with its input (its rank tables, the proposals, the "
        "result dict), not the generation of the instance nor JSON parsing — as elapsed time "
        "and as the process's CPU time (lowest of the runs); `matching` one run "
        "(construction with its input checks + solve), at most "
        f"{report['matching_timeout']:.0f} s (`--matching-timeout`"
        + (
            "; the limit only saves the wait: in the earlier runs with the default, 900 s, "
            "it did not finish the 40,000×5,000 instance either"
            if report["matching_timeout"] < 900
            else ""
        )
        + "); peak memory: Python allocations under `tracemalloc` in a separate run.",
        "",
        "| instance | ours: time | ours: CPU | ours: peak memory | ours: verify "
        "| matching (default recursion limit) | matching (limit raised): time "
        "| matching: peak memory | matching / ours | identical |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["instances"]:
        ours, default, raised = row["ours"], row["matching_default"], row["matching_raised"]
        ratio = (
            f"{raised['seconds'] / ours['seconds']:.0f}×"
            if raised["ok"] and ours["seconds"]
            else "—"
        )
        lines.append(
            f"| {row['applicants']:,}×{row['units']:,} ({row['pairs']:,} pairs) "
            f"| {_fmt_s(ours['seconds'])} | {_fmt_s(ours['cpu_seconds'])} "
            f"| {_fmt_mb(ours['peak_mb'])} "
            f"| {_fmt_s(row['verify_seconds'])}, {row['problems']} problems "
            f"| {'ok' if default['ok'] else default['error'][:60]} "
            f"| {_fmt_s(raised['seconds']) if raised['ok'] else raised['error'][:60]} "
            f"| {_fmt_mb(raised['peak_mb'])} | {ratio} | {row['identical']} |"
        )
    probe = report["threshold"]
    failed = [p for p in probe if not p["ok"]]
    lines += [
        "",
        "Where `matching` fails at Python's default recursion limit (1,000), probing growing "
        "instances with units = applicants / 10: "
        + (
            f"first failure at {failed[0]['applicants']:,}×{failed[0]['units']:,} "
            f"(`{failed[0]['error'][:80]}`); it still worked at "
            + ", ".join(f"{p['applicants']:,}×{p['units']:,}" for p in probe if p["ok"])
            + "."
            if failed
            else "no failure up to " + f"{probe[-1]['applicants']:,}×{probe[-1]['units']:,}."
        )
        + " `HospitalResident.__init__` deep-copies the whole player graph with `copy.deepcopy`, "
        "which recurses from player to player through the preference lists; raising the limit "
        "(`sys.setrecursionlimit`) needs a thread with a large stack, which this benchmark gives "
        "it.",
        "",
        f"Targets (issue 6): NRMP scale (40,000×5,000) in ≤ 0.3 s and ≤ 300 MB, at least 100× "
        f"faster than `matching` at 5,000×500, in pure Python. {report['verdict']}",
        "",
    ]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    """Replace (or append) our section of docs/benchmarks.md, keeping every other section."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def verdict(rows: list[dict[str, Any]]) -> str:
    notes = []
    for row in rows:
        if (row["applicants"], row["units"]) == (40000, 5000):
            ours = row["ours"]
            memory = "met" if ours["peak_mb"] <= 300 else "NOT met"
            elapsed = "met" if ours["seconds"] <= 0.3 else "NOT met"
            cpu = "met" if ours["cpu_seconds"] <= 0.3 else "NOT met"
            notes.append(
                f"40,000×5,000: {_fmt_mb(ours['peak_mb'])} — {memory}; "
                f"{_fmt_s(ours['seconds'])} elapsed — {elapsed}; "
                f"{_fmt_s(ours['cpu_seconds'])} of CPU time — {cpu} (the elapsed time counts "
                "the waits for a CPU that other processes held)."
            )
        if (row["applicants"], row["units"]) == (5000, 500) and row["matching_raised"]["ok"]:
            ratio = row["matching_raised"]["seconds"] / row["ours"]["seconds"]
            notes.append(
                f"5,000×500: {ratio:.0f}× faster than `matching` — "
                f"{'met' if ratio >= 100 else 'NOT met'}."
            )
    return " ".join(notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="applicants×units, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--matching-timeout", type=float, default=900.0)
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=60.0,
        help="measure matching's memory only when its timed run took less (seconds)",
    )
    parser.add_argument("--docs", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args(argv)
    from importlib.metadata import version

    sizes = [tuple(int(x) for x in s.lower().split("x")) for s in args.sizes.split(",")]
    load = f"{os.getloadavg()[0]:.1f}"
    rows: list[dict[str, Any]] = []
    mismatch = False
    for n_applicants, n_units in sizes:
        instance = generate(n_applicants, n_units)
        pairs = sum(len(p) for p in instance.applicants.values())
        print(f"{n_applicants}×{n_units}: ours …", flush=True)
        ours, verify_seconds, problems = run_ours(instance, args.runs)
        print(
            f"  ours {ours.seconds} s (CPU {ours.cpu_seconds} s), {ours.peak_mb} MB, "
            f"verify {verify_seconds} s",
            flush=True,
        )
        default = run_matching(instance, raised=False, timeout=args.matching_timeout)
        print(f"  matching (default limit): {'ok' if default.ok else default.error}", flush=True)
        raised = run_matching(
            instance,
            raised=True,
            timeout=args.matching_timeout,
            memory_limit=args.memory_limit,
        )
        print(
            f"  matching (raised limit): {raised.seconds} s, {raised.peak_mb} MB {raised.error}",
            flush=True,
        )
        if raised.ok:
            identical = "yes" if raised.matching == ours.matching else "NO"
            mismatch = mismatch or identical == "NO"
        else:
            identical = "not compared"
        row = {
            "applicants": n_applicants,
            "units": n_units,
            "pairs": pairs,
            "matched": sum(1 for u in ours.matching.values() if u is not None),
            "ours": {k: v for k, v in asdict(ours).items() if k != "matching"},
            "verify_seconds": verify_seconds,
            "problems": problems,
            "matching_default": {k: v for k, v in asdict(default).items() if k != "matching"},
            "matching_raised": {k: v for k, v in asdict(raised).items() if k != "matching"},
            "identical": identical,
        }
        mismatch = mismatch or problems > 0
        rows.append(row)
    print("probing matching at the default recursion limit …", flush=True)
    report = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {multiprocessing.cpu_count()} CPU",
        "load": load,
        "python": platform.python_version(),
        "matching_version": version("matching"),
        "command": ".venv/bin/python bench/allocation.py " + " ".join(argv or sys.argv[1:]),
        "runs": args.runs,
        "instances": rows,
        "threshold": threshold(args.matching_timeout),
        "verdict": verdict(rows),
        "matching_timeout": args.matching_timeout,
    }
    report["load_end"] = f"{os.getloadavg()[0]:.1f}"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "allocation.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    section = markdown(report)
    (OUT / "allocation.md").write_text(section, encoding="utf-8")
    if args.docs:
        write_docs(section)
    print(section)
    if mismatch:
        print("MISMATCH: the matchings differ or ours did not verify", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
