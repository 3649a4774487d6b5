"""The agreement register's obligations: drafted with the agreement, filed as milestones of
the cooperation's base's work plan (supervision) exactly once, on the last signature; their
milestone's state on the agreement's page and the overdue ones where supervision shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import Demo
from yanzhen.cooperation.models import Cooperation
from yanzhen.core.models import DataScope, Unit, UnitKind, User
from yanzhen.core.services import unit_create
from yanzhen.signing import services
from yanzhen.signing.models import Agreement, AgreementState, Obligation
from yanzhen.supervision import services as supervision_services
from yanzhen.supervision.models import Milestone, MilestoneStatus, WorkPlan

ENTERPRISE = "中车永济电机有限公司"
OFFICE = "永济市省校合作办公室"


def _at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def draft(demo_db: Demo) -> Agreement:
    """A new project agreement of the enterprise's first cooperation (base YJ-B01)."""
    cooperation = Cooperation.objects.get(title="牵引电机控制技术联合研发")
    return services.agreement_create(
        actor=demo_db.users["office"],
        cooperation=cooperation,
        kind="project",
        title="联合研发二期协议",
        starts_on=dt.date(2023, 1, 1),
        expires_on=dt.date(2025, 12, 31),
        parties=[
            services.PartyData(
                unit=Unit.objects.get(name=ENTERPRISE), signer=demo_db.users["enterprise"]
            ),
            services.PartyData(unit=Unit.objects.get(name=OFFICE), signer=demo_db.users["office"]),
        ],
    )


def _add(client: Client, agreement: Agreement, **data: str) -> str:
    response = client.post(reverse("signing:obligation_new", args=[agreement.pk]), data)
    if response.status_code == 302:
        return ""
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_agreement_s_obligations_are_done_milestones_of_its_base(demo_db: Demo) -> None:
    signed = Agreement.objects.get(state=AgreementState.SIGNED)
    obligations = signed.obligations.select_related(
        "unit", "milestone__base", "milestone__owner_unit"
    )
    rows = []
    for o in obligations.order_by("due_date"):
        m = o.milestone
        assert m is not None
        rows.append(
            (
                o.unit.name,
                o.title,
                o.due_date,
                m.base.code,
                m.title,
                m.owner_unit.name,
                m.status,
                m.done_date,
            )
        )
    assert rows == [
        (ENTERPRISE, "建成校企联合研发中心", dt.date(2022, 6, 30), "YJ-B01",
         f"建成校企联合研发中心（协议{signed.code}）", ENTERPRISE, "done", dt.date(2022, 5, 20)),
        (OFFICE, "协调落实研发人员住房与子女入学", dt.date(2022, 12, 31), "YJ-B01",
         f"协调落实研发人员住房与子女入学（协议{signed.code}）", OFFICE, "done", dt.date(2022, 11, 30)),
    ]  # fmt: skip
    page = demo_db.client("office").get(reverse("signing:agreement_detail", args=[signed.pk]))
    html = page.content.decode()
    assert '<span class="tag ok">已完成（2022-05-20）</span>' in html
    assert '<span class="tag ok">已完成（2022-11-30）</span>' in html
    assert reverse("signing:obligation_new", args=[signed.pk]) not in html  # fixed once signed


def test_obligations_become_milestones_exactly_once_on_the_last_signature(
    demo_db: Demo, draft: Agreement
) -> None:
    office = demo_db.client("office")
    enterprise = Unit.objects.get(name=ENTERPRISE)
    page = office.get(reverse("signing:agreement_detail", args=[draft.pk])).content.decode()
    assert reverse("signing:obligation_new", args=[draft.pk]) in page
    assert "本协议未约定义务条款。" in page
    for unit, title, due in (
        (enterprise, "完成样机试制", "2023-06-30"),
        (Unit.objects.get(name=OFFICE), "协调试验场地", "2024-03-31"),
    ):
        assert (
            _add(office, draft, unit=str(unit.pk), title=title, due_date=due, deliverable="") == ""
        )
    page = office.get(reverse("signing:agreement_detail", args=[draft.pk])).content.decode()
    assert page.count('<span class="tag muted">签署生效后纳入督办</span>') == 2
    before = Milestone.objects.count()
    services.agreement_send(actor=demo_db.users["office"], agreement=draft)
    services.agreement_sign(
        request=None, actor=demo_db.users["enterprise"], agreement=draft, token=None
    )
    assert Milestone.objects.count() == before  # one party still to sign
    assert Obligation.objects.filter(agreement=draft, milestone__isnull=False).count() == 0
    services.agreement_sign(
        request=None, actor=demo_db.users["office"], agreement=draft, token=None
    )
    draft.refresh_from_db()
    assert draft.state == AgreementState.SIGNED
    assert Milestone.objects.count() == before + 2
    made = Milestone.objects.filter(obligation__agreement=draft).order_by("due_date")
    assert [(m.base.code, m.title, m.owner_unit.name, m.due_date, m.status) for m in made] == [
        ("YJ-B01", f"完成样机试制（协议{draft.code}）", ENTERPRISE, dt.date(2023, 6, 30), "not_started"),
        ("YJ-B01", f"协调试验场地（协议{draft.code}）", OFFICE, dt.date(2024, 3, 31), "not_started"),
    ]  # fmt: skip
    assert services.obligations_to_milestones(agreement=draft) == []  # once
    assert Milestone.objects.count() == before + 2

    first = made[0]
    url = reverse("signing:agreement_detail", args=[draft.pk])
    with _at(dt.date(2023, 7, 1)):
        html = office.get(url).content.decode()
        assert '<span class="tag gap">已逾期</span>' in html
        assert '<span class="tag warn">未开始</span>' in html
        late = office.get(reverse("supervision:milestone_list") + "?overdue=1").content.decode()
        assert first.title in late
        assert made[1].title not in late
    supervision_services.milestone_update(
        actor=None, milestone=first, status=MilestoneStatus.DONE, done_date=dt.date(2023, 7, 5)
    )
    with _at(dt.date(2023, 7, 6)):
        html = office.get(url).content.decode()
        assert '<span class="tag ok">已完成（2023-07-05）</span>' in html
        assert "已逾期" not in html


def test_a_base_without_a_work_plan_gets_one_for_the_obligations(
    demo_db: Demo, draft: Agreement
) -> None:
    base = draft.cooperation.base
    assert base is not None
    WorkPlan.objects.filter(base=base).delete()
    services.obligation_add(
        actor=None,
        agreement=draft,
        unit=Unit.objects.get(name=ENTERPRISE),
        title="完成样机试制",
        due_date=dt.date(2023, 6, 30),
    )
    services.agreement_send(actor=None, agreement=draft)
    for user in ("enterprise", "office"):
        services.agreement_sign(
            request=None, actor=demo_db.users[user], agreement=draft, token=None
        )
    plan = WorkPlan.objects.get(base=base)
    assert plan.title == f"{base.name}工作方案"
    assert plan.summary == f"含协议《联合研发二期协议》（{draft.code}）约定的义务"


def test_an_obligation_is_checked_and_nothing_is_saved_when_wrong(
    demo_db: Demo, draft: Agreement
) -> None:
    office = demo_db.client("office")
    outside = unit_create(
        actor=None,
        parent=Unit.objects.get(name="开张镇"),
        name="别的企业",
        kind=UnitKind.ENTERPRISE,
    )
    party = Unit.objects.get(name=ENTERPRISE)
    html = _add(office, draft, unit=str(outside.pk), title="完成样机试制", due_date="2023-06-30")
    assert "选择一个有效的选项" in html  # only the parties are offered
    html = _add(office, draft, unit=str(party.pk), title="完成样机试制", due_date="2026-01-01")
    assert "完成时限须在协议期限内（2023-01-01至2025-12-31）" in html
    with pytest.raises(Exception, match="责任方须是本协议的签约单位"):
        services.obligation_add(
            actor=None, agreement=draft, unit=outside, title="x", due_date=dt.date(2023, 6, 30)
        )
    no_base = (
        Cooperation.objects.filter(base__isnull=True, parties__name=ENTERPRISE).first()
        or Cooperation.objects.filter(base__isnull=True).first()
    )
    assert no_base is not None
    Agreement.objects.filter(pk=draft.pk).update(cooperation=no_base)
    html = _add(office, draft, unit=str(party.pk), title="完成样机试制", due_date="2023-06-30")
    assert "所属合作未归入合作基地，义务无法纳入督办节点任务：请先为合作指定所属基地" in html
    assert Obligation.objects.filter(agreement=draft).count() == 0


def test_obligations_are_fixed_once_the_agreement_is_sent(demo_db: Demo, draft: Agreement) -> None:
    office = demo_db.client("office")
    obligation = services.obligation_add(
        actor=None,
        agreement=draft,
        unit=Unit.objects.get(name=ENTERPRISE),
        title="完成样机试制",
        due_date=dt.date(2023, 6, 30),
    )
    services.agreement_send(actor=None, agreement=draft)
    new = reverse("signing:obligation_new", args=[draft.pk])
    assert "协议已提交签署，不能再修改义务条款" in office.get(new).content.decode()
    party = Unit.objects.get(name=ENTERPRISE)
    html = _add(office, draft, unit=str(party.pk), title="另一项", due_date="2023-06-30")
    assert "协议已提交签署，不能再修改义务条款" in html
    delete = reverse("signing:obligation_delete", args=[draft.pk, obligation.pk])
    response = office.post(delete, follow=True)
    assert "协议已提交签署，不能再修改义务条款" in response.content.decode()
    assert list(Obligation.objects.filter(agreement=draft)) == [obligation]


def test_a_draft_s_obligation_is_removed_and_an_outsider_can_do_neither(
    demo_db: Demo, draft: Agreement, make_user: Callable[..., User]
) -> None:
    obligation = services.obligation_add(
        actor=None,
        agreement=draft,
        unit=Unit.objects.get(name=ENTERPRISE),
        title="完成样机试制",
        due_date=dt.date(2023, 6, 30),
    )
    other = unit_create(
        actor=None,
        parent=Unit.objects.get(name="开张镇"),
        name="别的企业",
        kind=UnitKind.ENTERPRISE,
    )
    stranger = make_user(
        other, DataScope.UNIT, ["signing.view_agreement", "signing.change_agreement"]
    )
    client = Client()
    client.force_login(stranger)
    delete = reverse("signing:obligation_delete", args=[draft.pk, obligation.pk])
    assert client.post(delete).status_code == 404
    new = reverse("signing:obligation_new", args=[draft.pk])
    assert (
        client.post(
            new, {"unit": str(other.pk), "title": "x", "due_date": "2023-06-30"}
        ).status_code
        == 404
    )
    assert list(Obligation.objects.filter(agreement=draft).values_list("pk", flat=True)) == [
        obligation.pk
    ]
    assert demo_db.client("office").post(delete).status_code == 302
    assert Obligation.objects.filter(agreement=draft).count() == 0
