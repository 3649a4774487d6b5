"""Optimistic concurrency of every edit form of a versioned record (G35): of two editors who
opened the same version the second gets a conflict, and a form posted without its version is
a conflict too (it cannot be checked, so it must not overwrite); nothing changes either way,
and the conflict is in the security log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from tests.forms import post_form
from yanzhen.audit.models import SecurityEvent
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import CountySettings, DataScope, Unit, UnitKind, User, Versioned
from yanzhen.portal.event_services import event_create

pytestmark = pytest.mark.usefixtures("demo_db")

CONFLICT = "请刷新页面，核对最新内容后再保存"
# The stage form answers a refused move with the error's status (the others re-render: 200).
CONFLICT_STATUS = {"cooperation:cooperation_move": 409}
# What the second editor posts (by default, the form as it was opened).
SECOND = {
    "cooperation:cooperation_move": {
        "target": "dropped",
        "date": "2026-11-21",
        "reason": "另一位编辑",
    }
}


def _intention() -> int:
    return (
        Cooperation.objects.filter(stage="intention").order_by("pk").values_list("pk", flat=True)[0]
    )


def _first(label: str) -> Any:
    def pick() -> int:
        model = apps.get_model(label)
        return int(model._default_manager.order_by("pk").values_list("pk", flat=True)[0])

    return pick


def _submitted_info() -> int:
    from yanzhen.reports.models import WorkInfo

    return WorkInfo.objects.filter(state="submitted").order_by("pk").values_list("pk", flat=True)[0]


def _open_event() -> int:
    """A 云对接会 open for registration (the demo's is published, and no longer edited)."""
    office = User.objects.get(username="office")
    event = event_create(actor=office, title="版本测试云对接会", date=dt.date(2021, 9, 1),
                         slots="A", rooms="一号室 https://meet.example.cn/1")  # fmt: skip
    return int(event.pk)


# URL name of the edit form → (model, the record to edit, fields to change in the first save).
EDIT_FORMS: dict[str, tuple[str, Any, dict[str, str]]] = {
    "core:unit_edit": ("core.Unit", lambda: _unit("东开张村"), {"address": "一"}),
    "core:person_edit": ("core.Person", _first("core.Person"), {"position": "第一位编辑"}),
    "cooperation:cooperation_edit": (
        "cooperation.Cooperation",
        _intention,
        {"description": "第一位编辑"},
    ),
    "cooperation:cooperation_move": (
        "cooperation.Cooperation",
        _intention,
        {"target": "agreement", "date": "2026-11-20"},
    ),
    "cooperation:base_edit": (
        "cooperation.Base",
        _first("cooperation.Base"),
        {"description": "一"},
    ),
    "cooperation:activity_edit": (
        "cooperation.Activity",
        _first("cooperation.Activity"),
        {"summary": "第一位编辑"},
    ),
    "cooperation:secondment_edit": (
        "cooperation.Secondment",
        _first("cooperation.Secondment"),
        {"note": "第一位编辑"},
    ),
    "demand:need_edit": ("demand.TalentNeed", _first("demand.TalentNeed"), {"description": "一"}),
    "core:county_settings_edit": (
        "core.CountySettings",
        lambda: int(CountySettings.objects.get().pk),
        {"landed_text": "第一位编辑"},
    ),
    "demand:expert_edit": ("demand.Expert", _first("demand.Expert"), {"title": "教授"}),
    "reports:briefing_edit": (
        "reports.Briefing",
        lambda: _briefing("永济市2021年省校合作工作总结"),
        {"title": "第一位编辑"},
    ),
    # The office edits a town's work information that waits for its decision.
    "reports:info_edit": ("reports.WorkInfo", _submitted_info, {"text": "第一位编辑"}),
    "cooperation:base_type_edit": (
        "cooperation.BaseType",
        _first("cooperation.BaseType"),
        {"purpose": "第一位编辑"},
    ),
    "portal:event_edit": ("portal.MatchEvent", _open_event, {"description": "第一位编辑"}),
}
# Forms only a login of the province opens (it keeps the catalogue of kinds of base); no demo
# login is of the province, so the tests make one with the catalogue's permissions.
PROVINCE_FORMS = {"cooperation:base_type_edit"}
PROVINCE_PERMS = [
    "cooperation.view_base",
    "cooperation.add_basetype",
    "cooperation.change_basetype",
]
# Versioned models edited on a page without a record id: the annual targets (a unit's year),
# whose version check is tested in tests/reports/test_overview.py.
EDITED_ELSEWHERE = {"reports.AnnualTarget"}


def _editor(name: str, demo_db: Demo, make_user: Callable[..., User]) -> User:
    """The login that edits the form's record: the office, or a login of the province."""
    if name not in PROVINCE_FORMS:
        return demo_db.users["office"]
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    return make_user(province, DataScope.UNIT_AND_BELOW, PROVINCE_PERMS)


def _client(demo_db: Demo, user: User) -> Client:
    if user.username in demo_db.users:
        return demo_db.client(user.username)
    client = Client()
    client.force_login(user)
    return client


def _briefing(title: str) -> int:
    from yanzhen.reports.models import Briefing

    return Briefing.objects.get(title=title).pk


def _unit(name: str) -> int:
    from yanzhen.core.models import Unit

    return Unit.objects.get(name=name).pk


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def test_every_versioned_model_has_an_edit_form_here() -> None:
    versioned = {
        m._meta.label for m in apps.get_models() if issubclass(m, Versioned) and not m._meta.proxy
    }
    assert versioned - EDITED_ELSEWHERE == {model for model, _, _ in EDIT_FORMS.values()}


def state(model: type[models.Model], pk: int) -> tuple[Any, ...]:
    record = model._base_manager.get(pk=pk)
    history = getattr(record, "history", None)
    return (
        record.version,  # type: ignore[attr-defined]
        history.count() if history is not None else None,
        {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields},
    )


def open_form(client: Client, name: str, pk: int) -> Any:
    response = client.get(reverse(name, kwargs={"pk": pk}))
    assert response.status_code == 200
    return post_form(response.content.decode(), containing="version")


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_a_form_posted_without_its_version_is_a_conflict(
    name: str, demo_db: Demo, make_user: Callable[..., User]
) -> None:
    label, pick, changes = EDIT_FORMS[name]
    model = apps.get_model(label)
    pk = pick()
    client = _client(demo_db, _editor(name, demo_db, make_user))
    form = open_form(client, name, pk)
    data = form.data(**changes)
    del data["version"]
    before = state(model, pk)
    response = client.post(reverse(name, kwargs={"pk": pk}), data)
    assert response.status_code == CONFLICT_STATUS.get(name, 200)
    html = response.content.decode()
    assert "无法确认您编辑的是哪一版本（缺少版本号）" in html
    assert state(model, pk) == before


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_the_second_of_two_editors_gets_a_conflict(
    name: str, demo_db: Demo, make_user: Callable[..., User]
) -> None:
    label, pick, changes = EDIT_FORMS[name]
    model = apps.get_model(label)
    pk = pick()
    editor = _editor(name, demo_db, make_user)
    first, second = _client(demo_db, editor), _client(demo_db, editor)
    form_one = open_form(first, name, pk)
    form_two = open_form(second, name, pk)
    version = model._base_manager.get(pk=pk).version
    saved = first.post(reverse(name, kwargs={"pk": pk}), form_one.data(**changes))
    assert saved.status_code == 302, saved.content.decode()
    after_first = state(model, pk)
    assert after_first[0] == version + 1
    response = second.post(reverse(name, kwargs={"pk": pk}), form_two.data(**SECOND.get(name, {})))
    assert response.status_code == CONFLICT_STATUS.get(name, 200)
    assert CONFLICT in response.content.decode()
    assert "该记录已被他人修改" in response.content.decode()
    assert state(model, pk) == after_first
    (event,) = SecurityEvent.objects.filter(kind="version_conflict")  # G35: the conflict audited
    assert (event.user_id_value, event.detail) == (
        editor.pk,
        {"model": label.lower(), "id": pk, "expected": version, "current": version + 1},
    )
