"""Soft delete (gone from lists, search, API, exports and figures; restorable; purged after
the retention period) and optimistic concurrency (the second of two editors gets a conflict)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation import tally
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import Person, Unit
from yanzhen.engines.ledger import Tally

pytestmark = pytest.mark.usefixtures("demo_db")


def count_in_list(html: str) -> int:
    match = re.search(r"共 (\d+) 条", html)
    assert match
    return int(match.group(1))


def test_a_deleted_cooperation_vanishes_everywhere_and_comes_back(demo_db: Demo) -> None:
    client = demo_db.client("office")
    coop = Cooperation.objects.get(title="牵引电机控制技术联合研发")
    assert (
        client.post(reverse("cooperation:cooperation_delete", kwargs={"pk": coop.pk})).status_code
        == 302
    )
    assert Cooperation.all_objects.get(pk=coop.pk).deleted_at is not None
    assert (
        count_in_list(client.get(reverse("cooperation:cooperation_list")).content.decode()) == 120
    )
    assert (
        coop.title
        not in client.get(
            reverse("cooperation:cooperation_list"), {"q": "牵引电机控制"}
        ).content.decode()
    )
    assert (
        client.get(reverse("cooperation:cooperation_detail", kwargs={"pk": coop.pk})).status_code
        == 404
    )
    assert (
        client.get(reverse("api:get_cooperation", kwargs={"cooperation_id": coop.pk})).status_code
        == 404
    )
    api = client.get(reverse("api:list_cooperations"), {"q": "牵引电机控制"}).json()
    assert api["count"] == 0
    export = client.get(reverse("cooperation:cooperation_list"), {"export": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert coop.title not in export
    figures = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-figure="合作意向"><span class="value">119<' in figures
    assert tally.stored_rows() == Tally.of(tally.facts_for(None).values()).nonzero()
    assert coop.title in client.get(reverse("cooperation:cooperation_trash")).content.decode()
    assert (
        client.post(reverse("cooperation:cooperation_restore", kwargs={"pk": coop.pk})).status_code
        == 302
    )
    assert (
        count_in_list(client.get(reverse("cooperation:cooperation_list")).content.decode()) == 121
    )
    assert tally.stored_rows() == Tally.of(tally.facts_for(None).values()).nonzero()
    actions = list(
        coop.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert actions[-2:] == ["删除", "恢复"]


def test_only_an_authorised_role_deletes_or_restores(demo_db: Demo) -> None:
    coop = Cooperation.objects.order_by("pk").first()
    assert coop is not None
    assert (
        demo_db.client("leader")
        .post(reverse("cooperation:cooperation_delete", kwargs={"pk": coop.pk}))
        .status_code
        == 403
    )
    assert demo_db.client("town").get(reverse("cooperation:cooperation_trash")).status_code == 403
    coop.refresh_from_db()
    assert coop.deleted_at is None


def test_deleted_records_are_purged_after_the_retention(
    demo_db: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    from yanzhen.cooperation.services import cooperation_delete

    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        old = Cooperation.objects.order_by("pk")[0]
        cooperation_delete(actor=None, cooperation=old)
    recent = Cooperation.objects.order_by("pk")[1]
    cooperation_delete(actor=None, cooperation=recent)
    with time_machine.travel(dt.datetime(2026, 11, 27, tzinfo=dt.UTC), tick=False):
        call_command("purge_deleted")
    assert "合作项目：清除 1 条" in capsys.readouterr().out
    assert not Cooperation.all_objects.filter(pk=old.pk).exists()
    assert Cooperation.all_objects.filter(pk=recent.pk).exists()


def test_two_editors_of_the_same_version_cannot_both_save(demo_db: Demo) -> None:
    person = Person.objects.filter(unit__name="永济市工业和信息化局").order_by("pk").first()
    assert person is not None
    url = reverse("core:person_edit", kwargs={"pk": person.pk})
    data = {
        "name": person.name,
        "unit": person.unit_id,
        "position": "第一位编辑",
        "version": person.version,
    }
    first = demo_db.client("office").post(url, data)
    assert first.status_code == 302
    second = demo_db.client("office").post(url, {**data, "position": "第二位编辑"})
    assert second.status_code == 200
    assert "该记录已被他人修改" in second.content.decode()
    person.refresh_from_db()
    assert (person.position, person.version) == ("第一位编辑", 2)


def test_a_stale_stage_move_is_refused(demo_db: Demo) -> None:
    coop = Cooperation.objects.filter(stage="intention").order_by("pk").first()
    assert coop is not None
    url = reverse("cooperation:cooperation_move", kwargs={"pk": coop.pk})
    client = demo_db.client("office")
    move = {"target": "agreement", "date": "2021-12-20", "version": coop.version}
    assert client.post(url, move).status_code == 302
    again = client.post(url, {**move, "target": "dropped", "reason": "重复提交"})
    assert "该记录已被他人修改" in again.content.decode()
    coop.refresh_from_db()
    assert coop.stage == "agreement"


def test_units_have_versions_too(demo_db: Demo) -> None:
    unit = Unit.objects.get(name="东开张村")
    url = reverse("core:unit_edit", kwargs={"pk": unit.pk})
    data = {"name": unit.name, "kind": unit.kind, "parent": unit.parent_id, "version": unit.version}
    assert demo_db.client("office").post(url, {**data, "address": "一"}).status_code == 302
    response = demo_db.client("office").post(url, {**data, "address": "二"})
    assert "该记录已被他人修改" in response.content.decode()
