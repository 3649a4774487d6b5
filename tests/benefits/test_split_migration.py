"""The split of the services that keep talents out of the talent app, on a database built
before it: their rows stay where they were (same tables, same ids, same history), the content
types move from ``talent`` to ``benefits`` keeping their ids (a role's permission keeps its
row and now reads ``benefits.<codename>``), a reminder already sent keeps its subject under
the new label (so it is not sent again), and the integrity seals made before the split still
hold (their labels stay ``talent.*``).

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

# Every app at its newest migration, but the talent app before the split and no benefits app.
BEFORE = [("talent", "0009_college_moved_out"), ("benefits", None), ("placement", None)]
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
from yanzhen.core import integrity

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
Talent, Benefit = old.get_model("talent", "Talent"), old.get_model("talent", "Benefit")
Entitlement, Delivery = old.get_model("talent", "Entitlement"), old.get_model("talent", "Delivery")
HistoricalEntitlement = old.get_model("talent", "HistoricalEntitlement")
when = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)

before_types = {ct.model: ct.pk for ct in ContentType.objects.filter(app_label="talent")}
county = Unit.objects.create(name="拆分县", kind="county")
firm = Unit.objects.create(name="拆分公司", kind="enterprise", parent=county)
blank = {"id_number_hash": "", "mobile_hash": ""}
person = Person.objects.create(name="乙人才", unit=firm, **blank)
talent = Talent.objects.create(
    person=person, talent_type="full_time", employer=firm, channel="open",
    start_date=dt.date(2024, 1, 1),
)
benefit = Benefit.objects.create(
    code="split-subsidy", name="拆分生活补贴", kind="living_subsidy", owner_unit=county,
    paying_unit=county, monthly_amount=2000,
)
entitlement = Entitlement.objects.create(
    talent=talent, benefit=benefit, start_date=dt.date(2024, 1, 1), monthly_amount=2000,
)
HistoricalEntitlement.objects.create(
    id=entitlement.pk, talent=talent, benefit=benefit, start_date=dt.date(2024, 1, 1),
    monthly_amount=2000, amount=0, status="active", generated=True, created_at=when,
    history_date=when, history_type="+",
)
delivery = Delivery.objects.create(
    entitlement=entitlement, date=dt.date(2024, 1, 15), amount=2000, period=dt.date(2024, 1, 1),
)
integrity.seal_missing(get_model=old.get_model, tag_model=old.get_model("core", "IntegrityTag"))
role = Role.objects.create(code="split-payer", name="待遇发放")
role.permissions.add(
    Permission.objects.get(content_type__app_label="talent", codename="view_entitlement"),
    Permission.objects.get(content_type__app_label="talent", codename="add_delivery"),
    Permission.objects.get(content_type__app_label="talent", codename="view_talent"),
)
user = User.objects.create(username="split-payer", unit=county)
user.roles.add(role)
Notification.objects.create(
    recipient=user, kind="talent.reminder", subject=f"talent.entitlement:{entitlement.pk}",
    occasion="expiring:2024-12-31", title="待遇即将到期",
)

# Forward as ``migrate`` does: Django sets the squashes aside (some old files are applied).
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())

from django.contrib.contenttypes.models import ContentType
from yanzhen.benefits.models import Delivery, Entitlement
from yanzhen.core.models import User
from yanzhen.notifications.models import Notification

ContentType.objects.clear_cache()
user = User.objects.get(username="split-payer")
moved = ("benefit", "eligibilityrule", "entitlement", "delivery", "apartment", "room",
         "roomallocation", "historicalentitlement")
after_types = {
    ct.model: [ct.app_label, ct.pk]
    for ct in ContentType.objects.filter(
        model__in=[*moved, "talent"], app_label__in=["talent", "benefits"]
    )
}
report = integrity.verify(labels=["talent.benefit", "talent.entitlement", "talent.delivery"])
out = {
    "rows": [
        [e.talent.person.name, e.benefit.name, [str(d.amount) for d in e.deliveries.all()]]
        for e in Entitlement.objects.filter(pk=entitlement.pk)
    ],
    "history": [
        [h.history_type, h.status] for h in Entitlement.history.filter(id=entitlement.pk)
    ],
    "perms": sorted(user.get_all_permissions()),
    "has": [user.has_perm("benefits.view_entitlement"), user.has_perm("talent.view_entitlement")],
    "types_kept": all(after_types[m][1] == before_types[m] for m in moved),
    "labels": {m: after_types[m][0] for m in sorted(after_types)},
    "for_model": ContentType.objects.get_for_model(Delivery).pk == before_types["delivery"],
    "stale": ContentType.objects.filter(app_label="talent", model__in=moved).count(),
    "entitlement": entitlement.pk,
    "subjects": list(Notification.objects.values_list("subject", flat=True)),
    "seals": [report.checked, [(f.label, f.pk, f.kind) for f in report.findings]],
}
print(json.dumps(out, ensure_ascii=False))
"""
)


def test_a_database_from_before_the_split_keeps_rows_permissions_types_and_seals(
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
    assert out["rows"] == [["乙人才", "拆分生活补贴", ["2000.00"]]]
    assert out["history"] == [["+", "active"]]
    assert out["perms"] == [
        "benefits.add_delivery",
        "benefits.view_entitlement",
        "talent.view_talent",
    ]
    assert out["has"] == [True, False]
    assert out["types_kept"] is True
    assert out["labels"] == {
        "apartment": "benefits", "benefit": "benefits", "delivery": "benefits",
        "eligibilityrule": "benefits", "entitlement": "benefits",
        "historicalentitlement": "benefits", "room": "benefits", "roomallocation": "benefits",
        "talent": "talent",
    }  # fmt: skip
    assert out["for_model"] is True
    assert out["stale"] == 0
    assert out["subjects"] == [f"benefits.entitlement:{out['entitlement']}"]
    assert out["seals"] == [3, []]
