"""The split of placement out of the talent app, on a database built before it: its rows stay
where they were (same tables, same ids, same history), the content types move from ``talent``
to ``placement`` keeping their ids (a role's permission keeps its row and now reads
``placement.<codename>``, the custom ``allocate_programme`` too), and a notification about an
internship keeps its subject under the new label.

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

# Every app at its newest migration, but the talent app before the split and no placement app.
BEFORE = [("talent", "0010_benefits_moved_out"), ("placement", None)]
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
Notification = old.get_model("notifications", "Notification")
Talent, Programme = old.get_model("talent", "Talent"), old.get_model("talent", "Programme")
Host, Applicant = old.get_model("talent", "Host"), old.get_model("talent", "PlacementApplicant")
Preference, Internship = old.get_model("talent", "Preference"), old.get_model("talent", "Internship")
HistoricalInternship = old.get_model("talent", "HistoricalInternship")
HistoricalApplicant = old.get_model("talent", "HistoricalPlacementApplicant")
when = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)

before_types = {ct.model: ct.pk for ct in ContentType.objects.filter(app_label="talent")}
county = Unit.objects.create(name="拆分县", kind="county")
firm = Unit.objects.create(name="拆分公司", kind="enterprise", parent=county)
blank = {"id_number_hash": "", "mobile_hash": ""}
person = Person.objects.create(name="丙实习生", unit=firm, **blank)
programme = Programme.objects.create(
    name="拆分暑期实习", kind="intern", owner_unit=county, year=2024,
    start_date=dt.date(2024, 7, 1), status="confirmed",
)
host = Host.objects.create(programme=programme, unit=firm, capacity=2)
applicant = Applicant.objects.create(programme=programme, code="S1", person=person)
Preference.objects.create(applicant=applicant, host=host, rank=1)
HistoricalApplicant.objects.create(
    id=applicant.pk, programme=programme, code="S1", person=person, degree="", created_at=when,
    history_date=when, history_type="+",
)
talent = Talent.objects.create(
    person=person, talent_type="intern", employer=firm, channel="placement",
    start_date=dt.date(2024, 7, 1),
)
internship = Internship.objects.create(
    talent=talent, programme=programme, host_unit=firm, start_date=dt.date(2024, 7, 1),
)
HistoricalInternship.objects.create(
    id=internship.pk, talent=talent, programme=programme, host_unit=firm,
    start_date=dt.date(2024, 7, 1), status="active", created_at=when, history_date=when,
    history_type="+",
)
role = Role.objects.create(code="split-placer", name="分配")
role.permissions.add(
    Permission.objects.get(content_type__app_label="talent", codename="view_programme"),
    Permission.objects.get(content_type__app_label="talent", codename="allocate_programme"),
    Permission.objects.get(content_type__app_label="talent", codename="add_internlog"),
    Permission.objects.get(content_type__app_label="talent", codename="view_talent"),
)
user = User.objects.create(username="split-placer", unit=county)
user.roles.add(role)
Notification.objects.create(
    recipient=user, kind="talent.internship", subject=f"talent.internship:{internship.pk}",
    occasion="ending", title="实习即将结束",
)

# Forward as ``migrate`` does: Django sets the squashes aside (some old files are applied).
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())

from django.contrib.contenttypes.models import ContentType
from yanzhen.core.models import User
from yanzhen.notifications.models import Notification
from yanzhen.placement.models import Internship, PlacementApplicant, Programme

ContentType.objects.clear_cache()
user = User.objects.get(username="split-placer")
moved = ("programme", "host", "placementapplicant", "preference", "hostranking",
         "allocationrun", "assignment", "assignmentchange", "internship", "internlog",
         "hostfeedback", "historicalplacementapplicant", "historicalinternship")
after_types = {
    ct.model: [ct.app_label, ct.pk]
    for ct in ContentType.objects.filter(
        model__in=[*moved, "talent"], app_label__in=["talent", "placement"]
    )
}
out = {
    "rows": [
        [p.name, [h.unit.name for h in p.hosts.all()],
         [[a.code, a.person.name, [c.host.unit.name for c in a.choices.all()]]
          for a in p.applicants.all()],
         [[i.talent.person.name, i.host_unit.name, i.status] for i in p.internships.all()]]
        for p in Programme.objects.filter(pk=programme.pk)
    ],
    "history": [
        [[h.history_type, h.code] for h in PlacementApplicant.history.filter(id=applicant.pk)],
        [[h.history_type, h.status] for h in Internship.history.filter(id=internship.pk)],
    ],
    "perms": sorted(user.get_all_permissions()),
    "has": [user.has_perm("placement.allocate_programme"),
            user.has_perm("talent.allocate_programme")],
    "types_kept": all(after_types[m][1] == before_types[m] for m in moved),
    "labels": sorted({after_types[m][0] for m in moved}) + [after_types["talent"][0]],
    "for_model": ContentType.objects.get_for_model(Internship).pk == before_types["internship"],
    "stale": ContentType.objects.filter(app_label="talent", model__in=moved).count(),
    "internship": internship.pk,
    "subjects": list(Notification.objects.values_list("subject", flat=True)),
}
print(json.dumps(out, ensure_ascii=False))
"""
)


def test_a_database_from_before_the_split_keeps_rows_history_permissions_and_types(
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
    assert out["rows"] == [
        ["拆分暑期实习", ["拆分公司"], [["S1", "丙实习生", ["拆分公司"]]],
         [["丙实习生", "拆分公司", "active"]]],
    ]  # fmt: skip
    assert out["history"] == [[["+", "S1"]], [["+", "active"]]]
    assert out["perms"] == [
        "placement.add_internlog",
        "placement.allocate_programme",
        "placement.view_programme",
        "talent.view_talent",
    ]
    assert out["has"] == [True, False]
    assert out["types_kept"] is True
    assert out["labels"] == ["placement", "talent"]
    assert out["for_model"] is True
    assert out["stale"] == 0
    assert out["subjects"] == [f"placement.internship:{out['internship']}"]
