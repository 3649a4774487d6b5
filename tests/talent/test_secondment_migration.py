"""The migration that makes ``Secondment`` the one record of a secondment: a database built
before it, with the same secondee filed twice (a ``Secondment`` and an unlinked
``Talent(seconded)``), a seconded talent with no secondment and a secondment with no talent,
comes out with one secondment each and the registry's entries linked to them, nothing of the
talent rows lost (their ids, their entitlements' anchor, their earlier values in the history).

The database from before is the migrated SQLite template migrated back to before the change
with Django's ``MigrationExecutor`` over the old files (not the squashes:
``tests/migrating.py``), built once per content of the migrations
(``tests/dbcache.py::sqlite_state``); the test runs in a process of its own on a copy of it,
writes the old rows and migrates forward (``tests/migrating.py``: the state-only operations
of the app splits rendered once)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import dbcache

ROOT = Path(__file__).resolve().parents[2]

# The apps' migrations before the change, as targets of Django's migration executor.
TARGETS = r"""
from django.db import connection
from tests.migrating import old_graph_executor, render_state_once

render_state_once()

# Every app at its newest migration, but the ledger and the registry before the change.
BEFORE = [
    ("talent", "0005_change_history"), ("cooperation", "0010_change_history"), ("college", None),
    ("benefits", None), ("placement", None),
]
executor = old_graph_executor(connection)
targets = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in dict(BEFORE)] + BEFORE
"""
# The database from before: a copy of the migrated template migrated back, built once per
# content of the migrations (``dbcache.sqlite_state``) and copied for the test.
GO_BACK = TARGETS + "executor.migrate(targets)\n"

SCRIPT = (
    r"""
import datetime as dt, json, django
django.setup()
from django.db import IntegrityError, connection, transaction

"""
    + TARGETS
    + r"""
old = old_graph_executor(connection).loader.project_state([n for n in targets if n[1]]).apps
Unit, Person = old.get_model("core", "Unit"), old.get_model("core", "Person")
University = old.get_model("reference", "University")
Talent, Secondment = old.get_model("talent", "Talent"), old.get_model("cooperation", "Secondment")
HistoricalTalent = old.get_model("talent", "HistoricalTalent")
when = dt.datetime(2021, 7, 1, tzinfo=dt.UTC)

county = Unit.objects.create(name="迁移县", kind="county")
zone = Unit.objects.create(name="迁移开发区", kind="zone", parent=county)
town = Unit.objects.create(name="迁移镇", kind="town", parent=county)
whu = University.objects.create(name="迁移大学甲")
home = Unit.objects.create(name="迁移大学甲", kind="university", university=whu)
blank = {"id_number_hash": "", "mobile_hash": ""}  # no ID number, no mobile
professor = Person.objects.create(name="甲教授", unit=home, degree="doctor", **blank)
lecturer = Person.objects.create(name="乙讲师", unit=home, degree="master", **blank)
engineer = Person.objects.create(name="丙工程师", unit=home, **blank)

# The same secondee twice: the ledger's secondment and the registry's unlinked copy (filed
# with another host unit, a day later, with an end date and a note the secondment lacks).
secondment = Secondment.objects.create(
    person=professor, university=whu, host_unit=zone, post="开发区管委会副主任（挂职）",
    start_date=dt.date(2021, 6, 1),
)
copy = Talent.objects.create(
    person=professor, talent_type="seconded", degree="doctor", university=whu, employer=town,
    channel="secondment", start_date=dt.date(2021, 6, 2), end_date=dt.date(2022, 5, 31),
    note="挂职副镇长",
)
HistoricalTalent.objects.create(
    id=copy.pk, person=professor, talent_type="seconded", degree="doctor", university=whu,
    employer=town, channel="secondment", start_date=dt.date(2021, 6, 2), note="挂职副镇长",
    created_at=when, history_date=when, history_type="+",
)
# Only in the registry; only in the ledger.
alone = Talent.objects.create(
    person=lecturer, talent_type="seconded", degree="master", university=whu, employer=zone,
    channel="secondment", start_date=dt.date(2021, 9, 1), note="科技局副局长（挂职）",
)
ledger_only = Secondment.objects.create(
    person=engineer, university=whu, host_unit=town, post="镇长助理（挂职）",
    start_date=dt.date(2021, 10, 1),
)

# Forward as ``migrate`` does: Django sets the squashes aside (some old files are applied).
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())

from yanzhen.cooperation.models import Secondment
from yanzhen.talent.models import Talent

out = {
    "secondments": [
        [s.person.name, s.host_unit.name, str(s.start_date), str(s.end_date), s.post, s.note]
        for s in Secondment.all_objects.order_by("pk")
    ],
    "talents": [
        [t.pk, t.person.name, t.secondment.person.name, t.employer.name, str(t.start_date),
         str(t.end_date), t.note, t.degree]
        for t in Talent.objects.filter(talent_type="seconded").order_by("pk")
    ],
    "copy_history": [
        [h.history_type, h.employer.name, str(h.start_date), h.history_change_reason]
        for h in Talent.history.filter(id=copy.pk).order_by("history_id")
    ],
    "ids": [copy.pk, alone.pk],
}
try:
    with transaction.atomic():
        Talent.objects.create(
            person_id=professor.pk, talent_type="seconded", employer_id=zone.pk,
            channel="secondment", start_date=dt.date(2023, 1, 1),
        )
    out["unlinked_refused"] = False
except IntegrityError:
    out["unlinked_refused"] = True
print(json.dumps(out, ensure_ascii=False))
"""
)


def test_a_database_from_before_keeps_one_record_per_secondment(tmp_path: Path) -> None:
    before = dbcache.sqlite_state(GO_BACK, from_template=True)
    dbcache.copy_sqlite_state(before, tmp_path / "yanzhen.sqlite3")
    env = {**os.environ, **dbcache.site_keys(), "YANZHEN_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "yanzhen.settings"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.splitlines()[-1])
    copy_id, alone_id = out["ids"]
    assert out["secondments"] == [
        ["甲教授", "迁移开发区", "2021-06-01", "2022-05-31", "开发区管委会副主任（挂职）", "挂职副镇长"],
        ["丙工程师", "迁移镇", "2021-10-01", "None", "镇长助理（挂职）", ""],
        ["乙讲师", "迁移开发区", "2021-09-01", "None", "科技局副局长（挂职）",
         "由人才库挂职干部记录生成"],
    ]  # fmt: skip
    assert out["talents"] == [
        [copy_id, "甲教授", "甲教授", "迁移开发区", "2021-06-01", "2022-05-31",
         "开发区管委会副主任（挂职）", "doctor"],
        [alone_id, "乙讲师", "乙讲师", "迁移开发区", "2021-09-01", "None", "科技局副局长（挂职）",
         "master"],
        [alone_id + 1, "丙工程师", "丙工程师", "迁移镇", "2021-10-01", "None", "镇长助理（挂职）",
         ""],
    ]  # fmt: skip
    assert out["copy_history"] == [
        ["+", "迁移镇", "2021-06-02", None],
        ["~", "迁移开发区", "2021-06-01", "改为挂职交流记录的链接（挂职信息以挂职交流记录为准）"],
    ]
    assert out["unlinked_refused"] is True
