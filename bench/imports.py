"""Benchmark of the one import flow (``core.importing``) against django-import-export, in the
same run, on a ledger of the Yongji demo.

Usage (from the repository root)::

    .venv/bin/python bench/imports.py                 # 3,000 rows
    .venv/bin/python bench/imports.py --rows 3000 --docs

A fresh SQLite database in a temporary folder is migrated and the Yongji demo loaded. Then a
seeded ledger of ``--rows`` rows is generated with name lookups: each row names its owner unit,
one or two local parties (units of the demo, some as ``上级/名称``) and one or two universities
(full names, and abbreviations such as 西交大 for ours), dates in the office forms (2021.3.5,
2021年3月5日, 20210305, Excel serials), a channel as 邀/找/引/聚.

* **ours** — the office-shaped workbook (two title rows, a merged two-row header, 序号, a 合计
  and a 填表人 line) through ``importing.run``: the preview (dry run, every rule of the
  services checked in a rolled-back transaction) and the commit, each timed once.
* **django-import-export** — the same rows in a template-shaped workbook (its reader needs the
  header in row 1, full university names: its ``ManyToManyWidget`` looks names up exactly),
  through a ``Resource`` whose widgets look up the units and universities by name and whose
  ``save_instance`` writes through the same service (``cooperation_create``, so the same
  validations and the same figures); ``import_data(dry_run=True)`` and then
  ``import_data(dry_run=False)``, each timed once. Its rows get other titles, so that both
  create every row.

Both must create exactly ``--rows`` cooperations without error (exit 1 otherwise). The result is
printed, and ``--docs`` replaces the section "Imports (bench/imports.py)" of
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Imports (bench/imports.py)"
ABBREVIATIONS = {"西安交通大学": "西交大", "山西农业大学": "山农大", "中北大学": "中北大学"}
CHANNEL_WORDS = ["邀", "找", "引", "聚"]
CHANNEL_LABELS = ["领导上门邀", "企业自主找", "在外人才引", "优势产业聚"]


def _date_forms(day: dt.date, rng: random.Random) -> object:
    form = rng.randrange(5)
    if form == 0:
        return f"{day.year}.{day.month}.{day.day}"
    if form == 1:
        return f"{day.year}年{day.month}月{day.day}日"
    if form == 2:
        return f"{day.year}{day.month:02d}{day.day:02d}"
    if form == 3:
        return float((day - dt.date(1899, 12, 30)).days)
    return day


def generate(rows: int, seed: int, prefix: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows (values by template header) and the university names used."""
    from yanzhen.cooperation.models import CooperationKind
    from yanzhen.core.models import Unit, User
    from yanzhen.core.selectors import local_units
    from yanzhen.reference.models import University

    rng = random.Random(seed)
    office = User.objects.get(username="office")
    parties = list(local_units(office).order_by("pk").values_list("name", flat=True))
    unique = [n for n in parties if Unit.objects.filter(name=n).count() == 1]
    universities = list(University.objects.order_by("pk").values_list("name", flat=True)[:41])
    kinds = [str(label) for label in CooperationKind.labels]
    out = []
    for n in range(rows):
        intention = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(600))
        signed = (
            intention + dt.timedelta(days=rng.randrange(1, 120)) if rng.random() < 0.5 else None
        )
        out.append(
            {
                "合作名称": f"{prefix}合作项目{n:05d}",
                "登记单位": "永济市省校合作办公室",
                "本地合作方": "、".join(rng.sample(unique, rng.randint(1, 2))),
                "合作高校": rng.sample(universities, rng.randint(1, 2)),
                "对接渠道": rng.randrange(4),
                "合作类型": rng.choice(kinds),
                "意向日期": intention,
                "签约日期": signed,
                "计划投资（万元）": rng.randrange(0, 5000),
                "_forms": rng.random(),
            }
        )
    return out, universities


def office_workbook(rows: list[dict[str, Any]], seed: int) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed + 1)
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "台账"
    ws.append(["永济市省校合作项目台账"])
    ws.append(["填报单位：永济市人才办"])
    ws.append(["序号", "项目名称", "填报单位", "合作企业", "合作院校", "对接方式", "合作类型",
               "合作时间", None, "计划投资"])  # fmt: skip
    ws.append([None, None, None, None, None, None, None, "意向时间", "签约时间", None])
    ws.merge_cells("H3:I3")
    for n, row in enumerate(rows, start=1):
        names = [ABBREVIATIONS.get(u, u) if rng.random() < 0.3 else u for u in row["合作高校"]]
        signed = row["签约日期"]
        ws.append([
            n, row["合作名称"], row["登记单位"], row["本地合作方"], "、".join(names),
            CHANNEL_WORDS[row["对接渠道"]], row["合作类型"], _date_forms(row["意向日期"], rng),
            _date_forms(signed, rng) if signed else None, f"{row['计划投资（万元）']:,}",
        ])  # fmt: skip
    ws.append(["合计", None, None, None, None, None, None, None, None, len(rows)])
    ws.append(["填表人：张三", None, None, None, "审核人：李四"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    headers = ["合作名称", "登记单位", "本地合作方", "合作高校", "对接渠道", "合作类型", "意向日期",
               "签约日期", "计划投资（万元）"]  # fmt: skip
    ws.append(headers)
    for row in rows:
        ws.append([
            row["合作名称"], row["登记单位"], row["本地合作方"], "、".join(row["合作高校"]),
            CHANNEL_LABELS[row["对接渠道"]], row["合作类型"], row["意向日期"].isoformat(),
            row["签约日期"].isoformat() if row["签约日期"] else None, row["计划投资（万元）"],
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_export_resource() -> Any:
    """A django-import-export resource with the same lookups and the same service."""
    from decimal import Decimal

    from import_export import fields, resources, widgets

    from yanzhen.cooperation import services
    from yanzhen.cooperation.models import Channel, Cooperation, CooperationKind
    from yanzhen.core.models import Unit, User
    from yanzhen.engines.stages import derive_stage
    from yanzhen.reference.models import University

    office = User.objects.get(username="office")
    channels = {str(label): value for value, label in Channel.choices}
    kinds = {str(label): value for value, label in CooperationKind.choices}

    class LabelWidget(widgets.Widget):  # type: ignore[misc]
        def __init__(self, table: dict[str, str]) -> None:
            super().__init__()
            self.table = table

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
            if value not in self.table:
                raise ValueError(f"“{value}”不在可选值中")
            return self.table[value]

    class CooperationResource(resources.ModelResource):  # type: ignore[misc]
        title = fields.Field("title", "合作名称")
        owner_unit = fields.Field("owner_unit", "登记单位", widgets.ForeignKeyWidget(Unit, "name"))
        parties = fields.Field(
            "parties", "本地合作方", widgets.ManyToManyWidget(Unit, separator="、", field="name")
        )
        universities = fields.Field(
            "universities",
            "合作高校",
            widgets.ManyToManyWidget(University, separator="、", field="name"),
        )
        channel = fields.Field("channel", "对接渠道", LabelWidget(channels))
        kind = fields.Field("kind", "合作类型", LabelWidget(kinds))
        intention_date = fields.Field("intention_date", "意向日期", widgets.DateWidget("%Y-%m-%d"))
        agreement_date = fields.Field("agreement_date", "签约日期", widgets.DateWidget("%Y-%m-%d"))
        planned_investment = fields.Field(
            "planned_investment", "计划投资（万元）", widgets.DecimalWidget()
        )

        class Meta:
            model = Cooperation
            fields = ("title", "owner_unit", "parties", "universities", "channel", "kind",
                      "intention_date", "agreement_date", "planned_investment")  # fmt: skip
            import_id_fields = ("title", "owner_unit", "intention_date")
            use_transactions = True
            skip_unchanged = True

        def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            super().import_instance(instance, row, **kwargs)
            instance._m2m = {  # what save_m2m would set: looked up again, as its widget does
                "parties": list(self.fields["parties"].clean(row)),
                "universities": list(self.fields["universities"].clean(row)),
            }

        def save_instance(self, instance: Any, is_create: bool, row: Any, **kwargs: Any) -> None:
            stage = derive_stage(agreement_date=instance.agreement_date, landed_date=None)
            data = services.CooperationData(
                title=instance.title,
                owner_unit=instance.owner_unit,
                parties=instance._m2m["parties"],
                universities=instance._m2m["universities"],
                channel=instance.channel,
                kind=instance.kind,
                intention_date=instance.intention_date,
                agreement_date=instance.agreement_date,
                stage=stage.value,
                planned_investment=Decimal(instance.planned_investment or 0),
            )
            made = services.cooperation_create(actor=office, data=data)
            instance.pk = made.pk

        def save_m2m(self, instance: Any, row: Any, **kwargs: Any) -> None:
            return None  # written by the service

    return CooperationResource()


def _workbooks(args: argparse.Namespace, folder: Path) -> tuple[bytes, bytes]:
    """The office-shaped workbook of ours and the template-shaped one of django-import-export,
    written by a forked child process: openpyxl holds every cell of a workbook it writes
    (~4 KB a row), which is the bench's memory, not the import's — the peak resident memory
    reported is the importing process's own."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    ours, theirs = folder / "ours.xlsx", folder / "theirs.xlsx"
    child = os.fork()
    if child == 0:  # the child: write both files and leave without running any cleanup
        code = 1
        try:
            rows, _ = generate(args.rows, args.seed, "甲")
            ours.write_bytes(office_workbook(rows, args.seed))
            del rows
            if not args.ours_only:
                rows, _ = generate(args.rows, args.seed, "乙")
                theirs.write_bytes(template_workbook(rows))
            code = 0
        finally:
            os._exit(code)
    _pid, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("generating the workbooks failed")
    return ours.read_bytes(), b"" if args.ours_only else theirs.read_bytes()


def _peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux: ``ru_maxrss`` is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ours_only(
    args: argparse.Namespace, timings: dict[str, float], load: float, baseline: float
) -> None:
    """The figures of ours alone (the large runs: django-import-export would take hours)."""
    from importlib.metadata import version

    peak = _peak_rss_mb()
    both = timings["ours_preview"] + timings["ours_commit"]
    both_cpu = timings["ours_preview_cpu"] + timings["ours_commit_cpu"]
    title = f"## Imports, {args.rows:,} rows, ours only (bench/imports.py --ours-only)"
    lines = [
        title,
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} CPU (load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end), Python {platform.python_version()}, SQLite, "
        f"python-calamine {version('python-calamine')}: "
        f"`.venv/bin/python bench/imports.py --rows {args.rows} --ours-only --docs`",
        "",
        "| step | time (elapsed) | rows/s | CPU time of the process | rows/s of CPU |",
        "|---|--:|--:|--:|--:|",
        *(
            f"| {label} | {timings[f'ours_{step}']:.2f} s | "
            f"{args.rows / timings[f'ours_{step}']:,.0f} | {timings[f'ours_{step}_cpu']:.2f} s | "
            f"{args.rows / timings[f'ours_{step}_cpu']:,.0f} |"
            for step, label in (("preview", "preview"), ("commit", "commit"))
        ),
        f"| both | {both:.2f} s | {2 * args.rows / both:,.0f} | {both_cpu:.2f} s | "
        f"{2 * args.rows / both_cpu:,.0f} |",
        "",
        f"Peak resident memory of the whole process: {peak:,.0f} MB (after the preview: "
        f"{timings['peak_after_preview']:,.0f} MB; before the import: "
        f"{baseline:,.0f} MB; the demo loaded and the workbook written by child processes; "
        f"the file: "
        f"{args.file_bytes / 1e6:.1f} MB).",
        "",
        "The commit takes the preview's parse of the file (`core.import_memo`: the same bytes "
        "in the same process) and checks every row against the database again.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.docs:
        _write_section(title, text)


def _write_section(title: str, text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    old = path.read_text(encoding="utf-8")
    if title in old:
        head, rest = old.split(title, 1)
        tail = rest[rest.find("\n## ") :] if "\n## " in rest else ""
        new = head + text + tail
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--docs", action="store_true")
    parser.add_argument(
        "--profile", default="", help="a folder for cProfile's statistics of our preview and commit"
    )
    parser.add_argument(
        "--ours-only", action="store_true", help="skip django-import-export (with --profile)"
    )
    parser.add_argument(
        "--cache", default="", help="a folder keeping the migrated demo database and its keys"
    )
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="yanzhen-bench-imports-")
    if args.cache and Path(args.cache).is_dir():  # the database with its keys
        shutil.copytree(args.cache, folder, dirs_exist_ok=True)
    os.environ["YANZHEN_DATA_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import tablib
    from django.core.management import call_command
    from django.db import connection

    from yanzhen.cooperation.importers import CooperationRegister
    from yanzhen.cooperation.models import Cooperation
    from yanzhen.core import importing
    from yanzhen.core.models import User
    from yanzhen.demo.loader import load_demo

    start = time.perf_counter()
    connection.close()
    child = os.fork()  # the demo loaded by a child: its memory is not the import's
    if child == 0:
        code = 1
        try:
            call_command("migrate", verbosity=0)
            load_demo()
            connection.close()
            if args.cache and not Path(args.cache).exists():
                shutil.copytree(folder, args.cache)
            code = 0
        finally:
            os._exit(code)
    _pid, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("loading the demo failed")
    print(f"migrate + demo: {time.perf_counter() - start:.1f} s", flush=True)
    office = User.objects.get(username="office")
    office_file, template_file = _workbooks(args, Path(folder))
    args.file_bytes = len(office_file)
    before = Cooperation.objects.count()
    gc.collect()
    load = os.getloadavg()[0]
    baseline_rss = _peak_rss_mb()

    register = CooperationRegister()
    timings: dict[str, float] = {}

    def ours(step: str, commit: bool) -> importing.ImportResult:
        profiler = cProfile.Profile() if args.profile else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        result = importing.run(
            register, user=office, data=office_file, filename="台账.xlsx", commit=commit
        )
        if profiler is not None:
            profiler.disable()
            Path(args.profile).mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(Path(args.profile) / f"{step}.prof")
        timings[f"ours_{step}"] = time.perf_counter() - start
        timings[f"ours_{step}_cpu"] = time.process_time() - cpu
        return result

    preview = ours("preview", commit=False)
    timings["peak_after_preview"] = _peak_rss_mb()
    done = ours("commit", commit=True)
    problems = [str(e) for e in (preview.errors + done.errors)[:5]]
    print(f"ours: preview {timings['ours_preview']:.2f} s, commit {timings['ours_commit']:.2f} s "
          f"(CPU {timings['ours_preview_cpu']:.2f} s, {timings['ours_commit_cpu']:.2f} s)",
          flush=True)  # fmt: skip
    if problems or done.created != args.rows or preview.created != args.rows:
        print("ours did not import every row:", problems, done.created, preview.created)
        raise SystemExit(1)
    if Cooperation.objects.count() != before + args.rows:
        raise SystemExit("ours: wrong count")
    if args.ours_only:
        _ours_only(args, timings, load, baseline_rss)
        return

    resource = import_export_resource()
    dataset = tablib.Dataset().load(template_file, format="xlsx")
    start, cpu = time.perf_counter(), time.process_time()
    dry = resource.import_data(dataset, dry_run=True, raise_errors=False)
    timings["theirs_dry_run"] = time.perf_counter() - start
    timings["theirs_dry_run_cpu"] = time.process_time() - cpu
    print(f"django-import-export: dry run {timings['theirs_dry_run']:.2f} s", flush=True)
    dataset = tablib.Dataset().load(template_file, format="xlsx")
    start, cpu = time.perf_counter(), time.process_time()
    real = resource.import_data(dataset, dry_run=False, raise_errors=False)
    timings["theirs_import"] = time.perf_counter() - start
    timings["theirs_import_cpu"] = time.process_time() - cpu
    if dry.has_errors() or real.has_errors() or dry.has_validation_errors():
        rows = real.row_errors()[:1] or dry.row_errors()[:1]
        print(
            "django-import-export failed:", rows[0][1][0].error if rows else real.invalid_rows[:1]
        )
        raise SystemExit(1)
    if Cooperation.objects.count() != before + 2 * args.rows:
        raise SystemExit("django-import-export: wrong count")

    ours_total = timings["ours_preview"] + timings["ours_commit"]
    theirs = timings["theirs_dry_run"] + timings["theirs_import"]
    ratio = theirs / ours_total
    ours_cpu = timings["ours_preview_cpu"] + timings["ours_commit_cpu"]
    theirs_cpu = timings["theirs_dry_run_cpu"] + timings["theirs_import_cpu"]
    import import_export

    lines = [
        SECTION,
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} CPU (load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end), Python {platform.python_version()}, "
        f"SQLite ({connection.vendor}), django-import-export {import_export.__version__}: "
        f"`.venv/bin/python bench/imports.py --rows {args.rows} --docs`",
        "",
        f"A {args.rows:,}-row ledger of the Yongji demo with name lookups (owner unit, one or two "
        "local parties, one or two universities per row; see the docstring of "
        "`bench/imports.py`). Ours reads the office-shaped workbook (title rows, merged "
        "two-row header, 序号, dates in four office forms, 邀/找/引/聚, 千分位, university "
        "abbreviations, a 合计 and a 填表人 line); django-import-export reads the same rows with "
        "the header in row 1 and full names (what its reader and widgets need). Both write "
        "through the cooperation services (the same rules and figures): ours through "
        "`cooperation.services.bulk.CooperationBatch` (the preview checks every row by the "
        "rules of `cooperation_create` without writing; the commit writes in chunks of 500), "
        "django-import-export through `cooperation_create` per row. Our commit takes the "
        "preview's parse of the file (`core.import_memo`: the same bytes in the same process) "
        "and checks every row against the database again.",
        "",
        "Elapsed time, and the CPU time of the process (`time.process_time`; SQLite runs in "
        "the process), which depends less on the other work of a shared machine:",
        "",
        "| step | ours | django-import-export | ratio | ours, CPU | theirs, CPU | ratio, CPU |",
        "|---|--:|--:|--:|--:|--:|--:|",
        *(
            f"| {label} | {timings[f'ours_{o}']:.2f} s | {timings[f'theirs_{t}']:.2f} s | "
            f"{timings[f'theirs_{t}'] / timings[f'ours_{o}']:.1f}× | "
            f"{timings[f'ours_{o}_cpu']:.2f} s | {timings[f'theirs_{t}_cpu']:.2f} s | "
            f"{timings[f'theirs_{t}_cpu'] / timings[f'ours_{o}_cpu']:.1f}× |"
            for label, o, t in (
                ("preview / dry run", "preview", "dry_run"),
                ("commit / import", "commit", "import"),
            )
        ),
        f"| both | {ours_total:.2f} s ({2 * args.rows / ours_total:,.0f} rows/s) | {theirs:.2f} s "
        f"({2 * args.rows / theirs:,.0f} rows/s) | {ratio:.1f}× | {ours_cpu:.2f} s "
        f"({2 * args.rows / ours_cpu:,.0f} rows/s) | {theirs_cpu:.2f} s "
        f"({2 * args.rows / theirs_cpu:,.0f} rows/s) | {theirs_cpu / ours_cpu:.1f}× |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.docs:
        _write_section(SECTION, text)


if __name__ == "__main__":
    main()
