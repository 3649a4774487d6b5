"""Stored-data integrity (G23): keyed MACs over scores, subsidy amounts, payment lists and the
ledger's stage dates; a change made in the database behind the platform's back is found by
``yanzhen verify_integrity`` and on the record's page and API, and is reverted through the
record history."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, connection, transaction
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import Demo
from yanzhen.assessment import services as assessment
from yanzhen.assessment.models import Period, PeriodState, Score, ScoreItem
from yanzhen.audit.models import SecurityEvent
from yanzhen.benefits import services as benefit_services
from yanzhen.benefits.models import Benefit, BenefitKind, Delivery, Entitlement
from yanzhen.cooperation import excel as ledger_excel
from yanzhen.cooperation import services as ledger
from yanzhen.cooperation.models import Cooperation, CooperationTally
from yanzhen.core import crypto, integrity
from yanzhen.core.models import IntegrityTag
from yanzhen.talent import services as talent
from yanzhen.talent.models import ServiceAgreement, Talent

pytestmark = pytest.mark.usefixtures("demo_db")

# The demo's protected records: 84 scores with 840 indicator items, 121 cooperations (the case's 120 and the enterprise's pending intention), 9 items
# of the subsidy catalogue, 747 entitlements, 1,045 deliveries and 24 service agreements.
DEMO_SEALED = {
    "assessment.score": 84,
    "assessment.scoreitem": 840,
    "cooperation.cooperation": 121,
    "talent.benefit": 9,
    "talent.delivery": 1045,
    "talent.entitlement": 747,
    "talent.serviceagreement": 24,
}


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def sql(statement: str, *params: Any) -> None:
    """What an intruder with database access does: no service, no history, no tag."""
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def verify_command(*args: str) -> tuple[str, str]:
    """Run ``yanzhen verify_integrity``; (stdout, error message or "")."""
    out = io.StringIO()
    try:
        call_command("verify_integrity", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


def findings() -> list[tuple[str, int, str, tuple[str, ...]]]:
    return [(f.label, f.pk, f.kind, f.fields) for f in integrity.verify().findings]


def last_event(kind: str) -> SecurityEvent:
    event = SecurityEvent.objects.filter(kind=kind).order_by("-id").first()
    assert event is not None
    return event


def latest_version(instance: Any) -> int:
    return int(instance.history.order_by("-history_id").first().history_id)


def test_every_protected_record_of_the_demo_is_sealed() -> None:
    counts = {
        label: IntegrityTag.objects.filter(model=label).count() for label in integrity.registry()
    }
    assert counts == DEMO_SEALED
    report = integrity.verify()
    assert (report.checked, report.findings) == (sum(DEMO_SEALED.values()), [])
    out, error = verify_command()
    assert (out, error) == ("完整性校验：共 2870 条记录，0 条不符\n", "")


def test_the_tags_hold_no_figures_and_need_the_key_outside_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    score = Score.objects.order_by("pk").first()
    assert score is not None
    tag = IntegrityTag.objects.get(model="assessment.score", object_id=score.pk)
    assert sorted(tag.macs) == ["base", "period", "rank", "subtotals", "total", "unit"]
    assert str(score.total) not in json.dumps(tag.macs)
    # Recomputed with another key (what someone holding only the database could do), nothing
    # matches: the MAC is keyed by a key derived from the field key, which is not in the database.
    monkeypatch.setattr(crypto, "master_key", lambda: b"k" * 32)
    report = integrity.verify()
    assert len(report.findings) == sum(DEMO_SEALED.values())
    assert {f.kind for f in report.findings} == {"changed"}


# Tampering with the database --------------------------------------------------------------------


def test_a_score_total_changed_in_the_database_is_found_shown_and_reverted(demo_db: Demo) -> None:
    score = Score.objects.order_by("pk").first()
    assert score is not None
    total, version = score.total, latest_version(score)
    sql("UPDATE assessment_score SET total = total + 5 WHERE id = %s", score.pk)

    assert findings() == [("assessment.score", score.pk, "changed", ("total",))]
    out, error = verify_command()
    assert error == "完整性校验失败：1 条记录不符"
    first = out.splitlines()[0]
    assert first.startswith(
        f"考核得分（assessment.score）#{score.pk} 字段 总分（total）："
        "与完整性校验码不符，可能被绕过系统直接修改；"
        f"最后相符的历史版本：#{version}（"
    )
    assert first.endswith("），可用 yanzhen verify_integrity --revert 还原")
    assert out.splitlines()[1] == "完整性校验：共 2870 条记录，1 条不符"

    warning = (
        f"数据完整性校验失败：考核得分 #{score.pk} 的“总分”与完整性校验码不符，"
        "可能被绕过系统直接修改。已记入安全日志，请联系安全管理员核查（yanzhen verify_integrity）。"
    )
    client = demo_db.client("office")
    page = client.get(reverse("assessment:score_detail", args=[score.pk]))
    assert page.status_code == 200
    assert warning in page.content.decode()
    assert last_event("integrity_failed").detail == {
        "source": f"/assessment/scores/{score.pk}/",
        "count": 1,
        "records": [
            {"model": "assessment.score", "id": score.pk, "kind": "changed", "fields": ["total"]}
        ],
    }
    ranking = client.get(reverse("assessment:period_detail", args=[score.period_id]))
    assert warning in ranking.content.decode()
    api = client.get(f"/api/v1/assessment/scores/{score.pk}").json()
    assert api["integrity_warnings"] == [warning]
    assert client.get(f"/api/v1/assessment/periods/{score.period_id}").json()[
        "integrity_warnings"
    ] == [warning]

    out, error = verify_command("--revert")
    assert error == ""
    assert out.splitlines()[0].endswith(f"；已还原到版本 #{version}")
    score.refresh_from_db()
    assert score.total == total
    assert score.history.order_by("-history_id").first().history_change_reason.startswith("还原到")
    assert findings() == []
    assert (
        "数据完整性校验失败"
        not in client.get(reverse("assessment:score_detail", args=[score.pk])).content.decode()
    )


def test_an_item_score_changed_in_the_database_is_found_and_reverted() -> None:
    item = ScoreItem.objects.filter(points__gt=0).order_by("pk").first()
    assert item is not None
    points = item.points
    sql("UPDATE assessment_scoreitem SET points = points + 1, value = 99 WHERE id = %s", item.pk)
    assert findings() == [("assessment.scoreitem", item.pk, "changed", ("value", "points"))]
    _out, error = verify_command("--revert")
    assert error == ""
    item.refresh_from_db()
    assert item.points == points
    assert findings() == []


def test_a_subsidy_amount_changed_in_the_database_is_found_shown_and_reverted(
    demo_db: Demo,
) -> None:
    delivery = (
        Delivery.objects.filter(period=dt.date(2021, 11, 1))
        .select_related("entitlement__benefit")
        .order_by("pk")
        .first()
    )
    assert delivery is not None
    amount = delivery.amount
    sql("UPDATE talent_delivery SET amount = %s WHERE id = %s", "9999.00", delivery.pk)

    assert findings() == [("talent.delivery", delivery.pk, "changed", ("amount",))]
    warning = (
        f"数据完整性校验失败：待遇兑现 #{delivery.pk} 的“金额（元）”与完整性校验码不符，"
        "可能被绕过系统直接修改。已记入安全日志，请联系安全管理员核查（yanzhen verify_integrity）。"
    )
    client = demo_db.client("office")
    page = client.get(reverse("talent:entitlement_detail", args=[delivery.entitlement_id]))
    assert warning in page.content.decode()
    query = {"paying_unit": str(delivery.entitlement.benefit.paying_unit_id), "month": "2021-11"}
    listing = client.get(reverse("talent:payment_list"), query)
    assert warning in listing.content.decode()
    api = client.get("/api/v1/talent/payments", query).json()
    assert api["integrity_warnings"] == [warning]

    _out, error = verify_command("--revert")
    assert error == ""
    delivery.refresh_from_db()
    assert delivery.amount == amount
    assert findings() == []


def test_a_landing_date_changed_in_the_database_is_found_shown_and_reverted(
    demo_db: Demo,
) -> None:
    cooperation = Cooperation.objects.filter(landed_date__isnull=False).order_by("pk").first()
    assert cooperation is not None
    landed, version = cooperation.landed_date, latest_version(cooperation)
    assert landed is not None
    tally = sorted(
        CooperationTally.objects.values_list("dimension", "key", "stage", "year", "count")
    )
    sql(
        "UPDATE cooperation_cooperation SET landed_date = %s WHERE id = %s",
        landed - dt.timedelta(days=400),
        cooperation.pk,
    )

    assert findings() == [("cooperation.cooperation", cooperation.pk, "changed", ("landed_date",))]
    warning = (
        f"数据完整性校验失败：合作项目 #{cooperation.pk} 的“落地日期”与完整性校验码不符，"
        "可能被绕过系统直接修改。已记入安全日志，请联系安全管理员核查（yanzhen verify_integrity）。"
    )
    client = demo_db.client("office")
    page = client.get(reverse("cooperation:cooperation_detail", args=[cooperation.pk]))
    assert warning in page.content.decode()
    api = client.get(f"/api/v1/cooperations/{cooperation.pk}").json()
    assert api["integrity_warnings"] == [warning]

    out, error = verify_command("--revert")
    assert (error, out.splitlines()[0].endswith(f"；已还原到版本 #{version}")) == ("", True)
    cooperation.refresh_from_db()
    assert cooperation.landed_date == landed
    # The revert goes through the ledger's own reverter: the figures stay what they were.
    assert (
        sorted(CooperationTally.objects.values_list("dimension", "key", "stage", "year", "count"))
        == tally
    )
    assert findings() == []
    assert client.get(f"/api/v1/cooperations/{cooperation.pk}").json()["integrity_warnings"] == []


def test_a_catalogue_amount_with_no_matching_version_is_found_and_sent_to_the_backup(
    demo_db: Demo,
) -> None:
    """A record from before its history was kept (no version matches its tag) cannot be
    reverted: the check sends the office to the backup."""
    benefit = Benefit.objects.filter(kind=BenefitKind.LIVING_SUBSIDY).order_by("pk").first()
    assert benefit is not None
    sql("DELETE FROM talent_historicalbenefit WHERE id = %s", benefit.pk)
    sql("UPDATE talent_benefit SET monthly_amount = 5000 WHERE id = %s", benefit.pk)
    out, error = verify_command("--revert")
    assert error == "完整性校验失败：1 条记录不符"
    assert out.splitlines()[0] == (
        f"待遇项目（talent.benefit）#{benefit.pk} 字段 每月标准（元）（monthly_amount）："
        "与完整性校验码不符，可能被绕过系统直接修改；历史中没有与校验码相符的版本，请从备份恢复"
    )
    page = demo_db.client("office").get(reverse("talent:benefit_detail", args=[benefit.pk]))
    assert f"待遇项目 #{benefit.pk} 的“每月标准（元）”与完整性校验码不符" in page.content.decode()


def test_an_experts_pay_changed_in_the_database_is_found_and_shown(demo_db: Demo) -> None:
    agreement = ServiceAgreement.objects.order_by("pk").first()
    assert agreement is not None
    sql(
        "UPDATE talent_serviceagreement SET remuneration = 99, end_date = %s WHERE id = %s",
        dt.date(2030, 12, 31),
        agreement.pk,
    )
    assert findings() == [
        ("talent.serviceagreement", agreement.pk, "changed", ("end_date", "remuneration"))
    ]
    page = demo_db.client("office").get(reverse("talent:talent_detail", args=[agreement.talent_id]))
    assert (
        f"数据完整性校验失败：柔性引才服务协议 #{agreement.pk} 的“服务结束”、“报酬（万元/年）”"
        "与完整性校验码不符" in page.content.decode()
    )


def test_a_row_deleted_in_the_database_and_a_deleted_tag_are_found() -> None:
    item = ScoreItem.objects.order_by("-pk").first()
    entitlement = Entitlement.objects.order_by("pk").first()
    assert item is not None
    assert entitlement is not None
    sql("DELETE FROM assessment_scoreitem WHERE id = %s", item.pk)
    sql(
        "DELETE FROM core_integritytag WHERE model = 'talent.entitlement' AND object_id = %s",
        entitlement.pk,
    )
    assert findings() == [
        ("assessment.scoreitem", item.pk, "orphan", ()),
        ("talent.entitlement", entitlement.pk, "untagged", ()),
    ]
    out, error = verify_command("--json")
    assert error == "完整性校验失败：2 条记录不符"
    result = json.loads(out)
    assert (result["checked"], result["ok"]) == (2869, False)
    assert result["findings"][0] == {
        "model": "assessment.scoreitem",
        "title": "指标得分",
        "id": item.pk,
        "kind": "orphan",
        "fields": [],
        "field_labels": [],
        "message": f"指标得分 #{item.pk} 已不存在但其完整性校验码仍在，可能被绕过系统直接删除",
        "last_match": None,
        "recovery": "请从备份恢复该记录（yanzhen restore）",
        "reverted_to": None,
    }
    assert result["findings"][1]["message"] == (
        f"人才待遇 #{entitlement.pk} 没有完整性校验码，可能未经系统写入或校验码被删除"
    )
    event = last_event("integrity_failed")
    assert event.detail["source"] == "verify_integrity"
    assert event.detail["count"] == 2


def test_an_orm_update_outside_the_services_is_found_too() -> None:
    entitlement = Entitlement.objects.order_by("pk").first()
    assert entitlement is not None
    Entitlement.objects.filter(pk=entitlement.pk).update(
        monthly_amount=Decimal("8000"), end_date=dt.date(2030, 1, 1)
    )
    assert findings() == [
        ("talent.entitlement", entitlement.pk, "changed", ("end_date", "monthly_amount"))
    ]


def test_a_value_the_database_cannot_give_back_is_named() -> None:
    score = Score.objects.order_by("pk").first()
    assert score is not None
    if connection.vendor == "postgresql":  # PostgreSQL refuses it: nothing to name
        with pytest.raises(DataError), transaction.atomic():
            sql("UPDATE assessment_score SET total = 'abc' WHERE id = %s", score.pk)
        assert findings() == []
        return
    # SQLite keeps text in a numeric column; the record is named, not the whole check lost.
    sql("UPDATE assessment_score SET total = 'abc' WHERE id = %s", score.pk)
    assert findings() == [
        (
            "assessment.score",
            score.pk,
            "unreadable",
            ("period", "base", "unit", "total", "subtotals", "rank"),
        )
    ]


# Writes through the platform keep their tags --------------------------------------------------


def test_the_ledgers_writes_keep_their_tags(demo_db: Demo) -> None:
    from yanzhen.core import history

    office = demo_db.users["office"]
    cooperation = Cooperation.objects.filter(stage="intention").order_by("pk").first()
    assert cooperation is not None
    ledger.cooperation_move(
        actor=office, cooperation=cooperation, target="agreement", date=dt.date(2026, 11, 20)
    )
    moved = Cooperation.objects.get(pk=cooperation.pk)
    moved_version = latest_version(moved)
    data = ledger.CooperationData(
        title=moved.title,
        owner_unit=moved.owner_unit,
        parties=list(moved.parties.all()),
        universities=list(moved.universities.all()),
        channel=moved.channel,
        kind=moved.kind,
        intention_date=moved.intention_date,
        stage=moved.stage,
        agreement_date=moved.agreement_date,
        base=moved.base,
        planned_investment=Decimal("1234.50"),
    )
    ledger.cooperation_update(actor=office, cooperation=moved, data=data)
    ledger.cooperation_delete(actor=office, cooperation=moved)
    ledger.cooperation_restore(actor=office, cooperation=moved)
    assert findings() == []
    history.revert(actor=office, instance=moved, history_id=moved_version)
    reverted = Cooperation.objects.get(pk=cooperation.pk)
    assert (reverted.stage, reverted.agreement_date, reverted.planned_investment) == (
        "agreement",
        dt.date(2026, 11, 20),
        cooperation.planned_investment,
    )
    assert findings() == []


def test_an_import_keeps_the_tags_of_what_it_creates_and_updates(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    existing = Cooperation.objects.filter(stage="intention").order_by("pk").first()
    assert existing is not None
    columns = ledger_excel.columns()
    exported = [
        "、".join(v) if isinstance(v, list) else ("是" if v else "否") if isinstance(v, bool) else v
        for v in next(iter(ledger_excel.export_rows([existing], user=office)))
    ]
    exported[[c.header for c in columns].index("计划投资（万元）")] = 777
    new = dict.fromkeys((c.header for c in columns), None)
    new.update(
        {
            "合作名称": "芦笋深加工技术合作",
            "登记单位": "永济市省校合作办公室",
            "本地合作方": "山西长荣农业科技股份有限公司",
            "合作高校": "西北农林科技大学",
            "对接渠道": "企业自主找",
            "合作类型": "联合研发",
            "阶段": "落地",
            "意向日期": dt.date(2026, 3, 2),
            "签约日期": "2026-05-06",
            "落地日期": "2026-09-01",
            "计划投资（万元）": 350,
            "落地投资（万元）": 120,
            "云对接/云签约": "否",
        }
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.header for c in columns])
    sheet.append(exported)
    sheet.append([new[c.header] for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    report = ledger_excel.import_file(
        user=office, data=buffer.getvalue(), filename="ledger.xlsx", commit=True
    )
    assert (report.ok, report.created, report.updated) == (True, 1, 1)
    created = Cooperation.objects.get(title="芦笋深加工技术合作")
    assert (
        IntegrityTag.objects.filter(
            model="cooperation.cooperation", object_id__in=[created.pk, existing.pk]
        ).count()
        == 2
    )
    assert Cooperation.objects.get(pk=existing.pk).planned_investment == Decimal("777.00")
    assert findings() == []


def test_the_subsidy_writes_and_the_monthly_payment_keep_their_tags(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    delivery = (
        Delivery.objects.filter(period=dt.date(2021, 11, 1))
        .select_related("entitlement__benefit__paying_unit")
        .first()
    )
    assert delivery is not None
    unit = delivery.entitlement.benefit.paying_unit
    paid = benefit_services.payment_confirm(
        actor=office, paying_unit=unit, month=dt.date(2021, 12, 1), date=dt.date(2021, 12, 15)
    )
    assert len(paid) > 1
    assert IntegrityTag.objects.filter(
        model="talent.delivery", object_id__in=[d.pk for d in paid]
    ).count() == len(paid)
    benefit = delivery.entitlement.benefit
    benefit_services.benefit_update(actor=office, benefit=benefit, monthly_amount=Decimal("1500"))
    new = benefit_services.benefit_create(
        actor=office,
        code="yj-test",
        name="测试补贴",
        kind=BenefitKind.INSURANCE,
        owner_unit=benefit.owner_unit,
        paying_unit=benefit.paying_unit,
        amount=Decimal("300"),
    )
    benefit_services.rule_create(actor=office, benefit=new, name="所有人才")
    talents = list(Talent.objects.order_by("pk")[:5])
    generated = benefit_services.entitlements_generate(
        actor=office, talents=talents, on=dt.date(2022, 1, 1)
    )
    assert len(generated.created) == 5
    benefit_services.entitlement_cancel(
        actor=office, entitlement=generated.created[0], reason="离职"
    )
    benefit_services.delivery_create(
        actor=office, entitlement=generated.created[1], date=dt.date(2022, 1, 5)
    )
    agreement = ServiceAgreement.objects.select_related("talent").order_by("pk").first()
    assert agreement is not None
    talent.agreement_update(
        actor=office,
        agreement=agreement,
        title=agreement.title,
        signed_on=agreement.signed_on,
        start_date=agreement.start_date,
        end_date=agreement.end_date,
        days_per_year=agreement.days_per_year,
        remuneration=Decimal("15"),
    )
    assert findings() == []


def test_computing_scoring_and_deleting_a_period_keep_the_tags(demo_db: Demo) -> None:
    office = demo_db.users["office"]
    period = Period.objects.filter(state=PeriodState.PUBLISHED).order_by("pk").first()
    assert period is not None
    copy = assessment.period_create(
        actor=None,
        system=period.system,
        name="复核",
        kind=period.kind,
        start=period.start,
        end=period.end,
    )
    assessment.period_compute(actor=None, period=copy)
    items = list(ScoreItem.objects.filter(score__period=copy, manual=False).order_by("pk")[:3])
    assessment.entry_create(actor=office, item=items[0], value=Decimal("42"), reason="核实")
    assessment.entry_create(actor=office, item=items[1], value=Decimal("7"), reason="台账补录")
    assessment.entry_create(actor=office, item=items[2], value=Decimal("3"), reason="台账补录")
    assessment.period_compute(actor=None, period=copy)
    assert findings() == []
    assert IntegrityTag.objects.filter(model="assessment.scoreitem").count() == (
        840 + ScoreItem.objects.filter(score__period=copy).count()
    )
    copy.delete()  # the scores and items go by cascade, their tags with them
    assert findings() == []
    assert IntegrityTag.objects.filter(model="assessment.scoreitem").count() == 840


# Tagging what exists -----------------------------------------------------------------------------


def test_the_migration_tags_untagged_rows_and_never_blesses_a_changed_one() -> None:
    migration = importlib.import_module("yanzhen.core.migrations.0011_integrity_tags")
    score = Score.objects.order_by("pk").first()
    assert score is not None
    sql("UPDATE assessment_score SET total = total + 1 WHERE id = %s", score.pk)
    IntegrityTag.objects.filter(model="cooperation.cooperation").delete()
    assert len(findings()) == 122  # 121 cooperations and the changed score

    from django.apps import apps

    class Editor:
        connection = connection

    migration.seal_existing(apps, Editor())
    assert findings() == [("assessment.score", score.pk, "changed", ("total",))]
    assert IntegrityTag.objects.filter(model="cooperation.cooperation").count() == 121

    IntegrityTag.objects.filter(model="talent.benefit").delete()
    out = io.StringIO()
    call_command("seal_integrity", stdout=out)
    assert out.getvalue() == "talent.benefit：补上 9 条\n共补上 9 条完整性校验码\n"
    assert findings() == [("assessment.score", score.pk, "changed", ("total",))]
