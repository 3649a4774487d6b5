"""N rows of the reporting task list (see tests/rows/__init__.py): tasks of an office of the
county, each to a unit of its own with a submission in a different state."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import Permission

from tests.rows import RowFactory
from yanzhen.core.models import Role, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.reporting import services

_serial = itertools.count(1)
FIELDS = [{"key": "n", "label": "数量", "type": "integer", "min": 0}]


def _clerk(town: Unit) -> User:
    user = User.objects.create(username=f"clerk{town.pk}", unit=town)
    role = Role.objects.get_or_create(code="row-clerk", defaults={"name": "填报员"})[0]
    role.permissions.add(Permission.objects.get(codename="change_submission"))
    user.roles.add(role)
    return user


def tasks(n: int, unit: Unit) -> dict[str, str]:
    office = unit_create(actor=None, parent=unit, name=f"填报办{next(_serial)}", kind="department")
    for index in range(n):
        town = unit_create(
            actor=None, parent=unit, name=f"填报镇{next(_serial)}", kind=UnitKind.TOWN
        )
        task = services.task_create(
            actor=None,
            owner_unit=office,
            title=f"填报任务{next(_serial)}",
            deadline=dt.date(2021, 12, 31),
            fields=FIELDS,
            target_units=[town],
            recurrence="quarterly" if index % 2 else "none",
        )
        (submission,) = services.task_issue(actor=None, task=task)
        if index % 3:
            services.submission_save(actor=None, submission=submission, values={"n": index})
        if index % 3 == 2:
            services.submission_submit(actor=_clerk(town), submission=submission)
    return {}


ROWS: dict[str, RowFactory] = {"reporting:task_list": tasks}
