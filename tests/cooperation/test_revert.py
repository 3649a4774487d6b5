"""Reverting a cooperation to version N reproduces version N in every field, its parties and
universities included (G20); the revert is a change of its own, audited with its author."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation import services, tally
from yanzhen.cooperation.models import Base, Cooperation, CooperationLink
from yanzhen.core.models import Unit
from yanzhen.engines.ledger import Tally
from yanzhen.reference.models import Industry, LocalIndustry, University

pytestmark = pytest.mark.usefixtures("demo_db")

# Fields a revert does not take from the version: the key, the bookkeeping of the write.
BOOKKEEPING = {"id", "version", "updated_at", "updated_by"}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def fields_of(record: Any) -> dict[str, Any]:
    return {
        f.attname: getattr(record, f.attname)
        for f in Cooperation._meta.concrete_fields
        if f.attname not in BOOKKEEPING and f.name not in BOOKKEEPING
    }


def relations(cooperation: Cooperation) -> dict[str, list[int]]:
    return {
        "parties": sorted(cooperation.parties.values_list("pk", flat=True)),
        "universities": sorted(cooperation.universities.values_list("pk", flat=True)),
    }


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def university(name: str) -> University:
    return University.objects.get(name=name)


@pytest.fixture
def edited(demo_db: Demo) -> tuple[Cooperation, Any]:
    """A cooperation written in three versions by the office: created, every field edited
    (parties and universities too), moved to agreement. Returns it and its first version."""
    office = demo_db.users["office"]
    cooperation = services.cooperation_create(
        actor=office,
        data=services.CooperationData(
            title="永磁电机联合研发",
            owner_unit=unit("永济市省校合作办公室"),
            parties=[unit("中车永济电机有限公司")],
            universities=[university("西安交通大学")],
            channel="find",
            kind="research",
            intention_date=dt.date(2026, 5, 1),
            base=Base.objects.get(name="轨道交通与电机电器产学研基地"),
            local_industry=LocalIndustry.objects.order_by("pk").first(),
            planned_investment=Decimal("100.00"),
            description="初稿",
        ),
    )
    first = cooperation.history.get()
    services.cooperation_update(
        actor=office,
        cooperation=cooperation,
        expected_version=1,
        data=services.CooperationData(
            title="永磁同步电机与控制系统联合研发",
            owner_unit=unit("中车永济电机有限公司"),
            parties=[unit("中车永济电机有限公司"), unit("东开张村")],
            universities=[university("清华大学"), university("西北工业大学")],
            channel="invite",
            kind="transfer",
            intention_date=dt.date(2026, 4, 1),
            base=Base.objects.get(name="乡村振兴校村结对基地"),
            local_industry=None,
            industry=Industry.objects.filter(code__regex=r"^\d{4}$").order_by("code").first(),
            planned_investment=Decimal("250.50"),
            participants=12,
            online=True,
            description="改稿",
        ),
    )
    services.cooperation_move(
        actor=office,
        cooperation=cooperation,
        target="agreement",
        date=dt.date(2026, 6, 1),
        expected_version=2,
    )
    return Cooperation.objects.get(pk=cooperation.pk), first


def test_a_revert_reproduces_the_version_with_its_parties_and_universities(
    demo_db: Demo, edited: tuple[Cooperation, Any]
) -> None:
    cooperation, first = edited
    snapshot = first.instance
    assert first.history_related == {
        "parties": [unit("中车永济电机有限公司").pk],
        "universities": [university("西安交通大学").pk],
    }
    assert relations(cooperation) != first.history_related
    assert fields_of(cooperation) != fields_of(snapshot)
    rows = cooperation.history.count()
    client = demo_db.client("office")
    response = client.post(
        reverse(
            "cooperation:cooperation_revert",
            kwargs={"pk": cooperation.pk, "history_id": first.history_id},
        ),
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已还原到所选版本"]
    reverted = Cooperation.objects.get(pk=cooperation.pk)
    assert fields_of(reverted) == fields_of(snapshot)
    assert relations(reverted) == first.history_related
    # Who sees it and the figures follow the restored parties and base.
    assert sorted(
        CooperationLink.objects.filter(cooperation=reverted).values_list("unit__name", flat=True)
    ) == ["中车永济电机有限公司", "永济市工业和信息化局", "永济市省校合作办公室"]
    assert tally.stored_rows() == Tally.of(tally.facts_for(None).values()).nonzero()
    # The revert is audited: exactly one new version, by the office, from its address, with
    # the relations it restored.
    assert reverted.history.count() == rows + 1
    latest = reverted.history.order_by("-history_id").first()
    assert latest is not None
    assert latest.history_user == demo_db.users["office"]
    assert (latest.history_unit_name, latest.history_ip) == ("永济市省校合作办公室", "10.1.2.3")
    assert latest.history_change_reason.startswith("还原到 ")
    assert latest.history_related == first.history_related


def test_the_history_shows_the_parties_and_universities_that_changed(
    demo_db: Demo, edited: tuple[Cooperation, Any]
) -> None:
    cooperation, _ = edited
    page = (
        demo_db.client("office")
        .get(reverse("cooperation:cooperation_detail", kwargs={"pk": cooperation.pk}))
        .content.decode()
    )
    assert "本地合作方：中车永济电机有限公司 → 东开张村、中车永济电机有限公司" in page
    assert "合作高校（院所）：西安交通大学 → 清华大学、西北工业大学" in page
    # Records by name, choices by label (not keys and codes).
    assert "登记单位：永济市省校合作办公室 → 中车永济电机有限公司" in page
    assert "所属基地：轨道交通与电机电器产学研基地 → 乡村振兴校村结对基地" in page
    assert "对接渠道：企业自主找 → 领导上门邀" in page
    assert "阶段：意向 → 签约" in page
    assert "云对接/云签约：否 → 是" in page


def test_a_version_without_its_relations_keeps_the_current_ones(
    demo_db: Demo, edited: tuple[Cooperation, Any]
) -> None:
    cooperation, first = edited
    type(first).objects.filter(pk=first.pk).update(history_related=None)
    current = relations(cooperation)
    services.cooperation_revert(
        actor=demo_db.users["office"],
        instance=cooperation,
        version=first.instance,
        related=None,
        reason="还原到 测试",
    )
    reverted = Cooperation.objects.get(pk=cooperation.pk)
    assert fields_of(reverted) == fields_of(first.instance)
    assert relations(reverted) == current


def test_a_revert_obeys_who_may_change_the_owner(
    demo_db: Demo, edited: tuple[Cooperation, Any]
) -> None:
    cooperation, first = edited
    # 中车 (the enterprise) owns it now; going back to version 1 would give it to the office.
    before = (fields_of(cooperation), relations(cooperation), cooperation.history.count())
    client = demo_db.client("enterprise")
    response = client.post(
        reverse(
            "cooperation:cooperation_revert",
            kwargs={"pk": cooperation.pk, "history_id": first.history_id},
        )
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["登记单位不在您的数据范围内"]
    fresh = Cooperation.objects.get(pk=cooperation.pk)
    assert (fields_of(fresh), relations(fresh), fresh.history.count()) == before
