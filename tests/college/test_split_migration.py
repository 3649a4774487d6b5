"""The split of the training college out of the talent app, on a database built before it:
its rows stay where they were (same tables, same ids, same history), the content types move
from ``talent`` to ``college`` keeping their ids, so a role's permission keeps its row and
now reads ``college.<codename>``, and the history and generic relations still point at them.

The database from before is the migrated SQLite template migrated back to before the split
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

# Every app at its newest migration, but the talent app before the split and no college app.
BEFORE = [
    ("talent", "0008_talent_seconded_is_a_secondment"), ("college", None), ("benefits", None),
    ("placement", None),
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
from django.db import connection

"""
    + TARGETS
    + r"""
state = [n for n in targets if n[1] is not None]
old = old_graph_executor(connection).loader.project_state(state).apps
Unit, Person = old.get_model("core", "Unit"), old.get_model("core", "Person")
Role, User = old.get_model("core", "Role"), old.get_model("core", "User")
Permission = old.get_model("auth", "Permission")
ContentType = old.get_model("contenttypes", "ContentType")
College, Major = old.get_model("talent", "College"), old.get_model("talent", "Major")
TrainingClass = old.get_model("talent", "TrainingClass")
Enrolment = old.get_model("talent", "Enrolment")
HistoricalEnrolment = old.get_model("talent", "HistoricalEnrolment")
Talent = old.get_model("talent", "Talent")
when = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)

before_types = {
    ct.model: ct.pk for ct in ContentType.objects.filter(app_label="talent")
}
county = Unit.objects.create(name="拆分县", kind="county")
village = Unit.objects.create(name="拆分村", kind="village", parent=county)
blank = {"id_number_hash": "", "mobile_hash": ""}
trainee = Person.objects.create(name="甲学员", unit=village, **blank)
college = College.objects.create(name="拆分面食学院", owner_unit=county)
major = Major.objects.create(college=college, name="面点制作")
klass = TrainingClass.objects.create(
    college=college, major=major, name="2024春季班", start_date=dt.date(2024, 3, 1),
    end_date=dt.date(2024, 4, 1),
)
enrolment = Enrolment.objects.create(
    training_class=klass, person=trainee, unit=village, enrolled_on=dt.date(2024, 3, 1),
)
HistoricalEnrolment.objects.create(
    id=enrolment.pk, training_class=klass, person=trainee, unit=village,
    enrolled_on=dt.date(2024, 3, 1), status="enrolled", created_at=when, history_date=when,
    history_type="+",
)
talent = Talent.objects.create(
    person=trainee, talent_type="full_time", employer=village, channel="open",
    start_date=dt.date(2024, 1, 1),
)
role = Role.objects.create(code="split-trainer", name="培训管理")
role.permissions.add(
    Permission.objects.get(content_type__app_label="talent", codename="view_enrolment"),
    Permission.objects.get(content_type__app_label="talent", codename="change_college"),
    Permission.objects.get(content_type__app_label="talent", codename="view_talent"),
)
user = User.objects.create(username="split-trainer", unit=county)
user.roles.add(role)

# Forward as ``migrate`` does: Django sets the squashes aside (some old files are applied).
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())

from django.contrib.contenttypes.models import ContentType
from yanzhen.college.models import College, Enrolment
from yanzhen.core.models import User
from yanzhen.talent.models import Talent

ContentType.objects.clear_cache()
user = User.objects.get(username="split-trainer")
moved = ("college", "major", "coursecategory", "course", "trainingclass", "enrolment",
         "historicalenrolment", "brand", "brandstore")
after_types = {
    ct.model: [ct.app_label, ct.pk]
    for ct in ContentType.objects.filter(model__in=[*moved, "talent"], app_label__in=["talent", "college"])
}
out = {
    "rows": [
        [c.pk, c.name, [m.name for m in c.majors.all()]] for c in College.objects.filter(pk=college.pk)
    ] + [
        [e.pk, e.person.name, e.training_class.name, e.status]
        for e in Enrolment.objects.filter(pk=enrolment.pk)
    ],
    "history": [
        [h.history_type, h.status, str(h.enrolled_on)]
        for h in Enrolment.history.filter(id=enrolment.pk)
    ],
    "talent": list(Talent.objects.filter(pk=talent.pk).values_list("person__name", flat=True)),
    "perms": sorted(user.get_all_permissions()),
    "has": [user.has_perm("college.view_enrolment"), user.has_perm("college.change_college"),
            user.has_perm("talent.view_enrolment"), user.has_perm("talent.view_talent")],
    "types_kept": all(after_types[m][1] == before_types[m] for m in moved),
    "labels": {m: after_types[m][0] for m in sorted(after_types)},
    "for_model": ContentType.objects.get_for_model(Enrolment).pk == before_types["enrolment"],
    "stale": ContentType.objects.filter(app_label="talent", model__in=moved).count(),
}
print(json.dumps(out, ensure_ascii=False))
"""
)


def test_a_database_from_before_the_split_keeps_rows_permissions_and_types(
    tmp_path: Path,
) -> None:
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
    assert out["rows"][0][1:] == ["拆分面食学院", ["面点制作"]]
    assert out["rows"][1][1:] == ["甲学员", "2024春季班", "enrolled"]
    assert out["history"] == [["+", "enrolled", "2024-03-01"]]
    assert out["talent"] == ["甲学员"]
    assert out["perms"] == [
        "college.change_college",
        "college.view_enrolment",
        "talent.view_talent",
    ]
    assert out["has"] == [True, True, False, True]
    assert out["types_kept"] is True
    assert out["labels"] == {
        "brand": "college", "brandstore": "college", "college": "college",
        "course": "college", "coursecategory": "college", "enrolment": "college",
        "historicalenrolment": "college", "major": "college", "talent": "talent",
        "trainingclass": "college",
    }  # fmt: skip
    assert out["for_model"] is True
    assert out["stale"] == 0
