"""Every record of the issue's list has a change history (G14): subsidy catalogue and rules,
service agreements, applicants, activities, secondments, work plans, scheduling rounds, task
forces, training records, apartments, allocations, campaigns. Each create, update and delete
through the services leaves exactly one history row with its author and the author's unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import models

from tests.conftest import Demo
from yanzhen.core.models import Person, Unit, User

pytestmark = pytest.mark.usefixtures("demo_db")

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield


def office_unit() -> Unit:
    return Unit.objects.get(name="永济市省校合作办公室")


def new_person(name: str) -> Person:
    from yanzhen.core.services import person_create

    return person_create(actor=None, name=name, unit=office_unit())


# Each write: (label, what it does) → a function of the actor that writes through the services
# and returns the record written (for a delete: the deleted instance).
Write = Callable[[User], models.Model]


def _benefit_fields(benefit: Any, **changes: Any) -> dict[str, Any]:
    from yanzhen.benefits.services.benefits import BENEFIT_FIELDS

    return {**{f: getattr(benefit, f) for f in BENEFIT_FIELDS}, **changes}


def benefit_create(actor: User) -> models.Model:
    from yanzhen.benefits import services as benefit_services
    from yanzhen.benefits.models import Benefit

    benefit = Benefit.objects.order_by("pk").first()
    return benefit_services.benefit_create(
        actor=actor, **_benefit_fields(benefit, code="yj-test", name="测试待遇")
    )


def benefit_update(actor: User) -> models.Model:
    from yanzhen.benefits import services as benefit_services
    from yanzhen.benefits.models import Benefit

    benefit = Benefit.objects.order_by("pk").first()
    assert benefit is not None
    return benefit_services.benefit_update(
        actor=actor, benefit=benefit, **_benefit_fields(benefit, description="改")
    )


def _rule(actor: User, rule: Any, name: str) -> Any:
    from yanzhen.benefits import services as benefit_services
    from yanzhen.benefits.models import Benefit

    if rule is not None:
        return benefit_services.rule_update(actor=actor, rule=rule, name=name, min_years=1)
    benefit = Benefit.objects.order_by("pk").first()
    assert benefit is not None
    return benefit_services.rule_create(actor=actor, benefit=benefit, name=name, min_years=1)


def rule_create(actor: User) -> models.Model:
    return _rule(actor, None, "测试规则")  # type: ignore[no-any-return]


def rule_update(actor: User) -> models.Model:
    from yanzhen.benefits.models import EligibilityRule

    return _rule(actor, EligibilityRule.objects.order_by("pk").first(), "改名的规则")  # type: ignore[no-any-return]


def rule_delete(actor: User) -> models.Model:
    from yanzhen.benefits.models import EligibilityRule
    from yanzhen.benefits.services.benefits import rule_delete

    rule = EligibilityRule.objects.order_by("pk").first()
    assert rule is not None
    pk = rule.pk
    rule_delete(actor=actor, rule=rule)
    rule.pk = pk  # the key the history row names (a delete clears it)
    return rule


def _agreement(actor: User, agreement: Any) -> Any:
    from yanzhen.talent import services
    from yanzhen.talent.models import ServiceAgreement

    model = ServiceAgreement.objects.order_by("pk").first()
    assert model is not None
    fields: dict[str, Any] = {
        "title": "测试服务协议" if agreement is None else model.title,
        "signed_on": model.signed_on,
        "start_date": model.start_date,
        "end_date": model.end_date,
        "days_per_year": model.days_per_year,
        "remuneration": model.remuneration,
        "content": "改",
    }
    if agreement is None:
        return services.agreement_create(actor=actor, talent=model.talent, **fields)
    return services.agreement_update(actor=actor, agreement=agreement, **fields)


def agreement_create(actor: User) -> models.Model:
    return _agreement(actor, None)  # type: ignore[no-any-return]


def agreement_update(actor: User) -> models.Model:
    from yanzhen.talent.models import ServiceAgreement

    return _agreement(actor, ServiceAgreement.objects.order_by("pk").first())  # type: ignore[no-any-return]


def applicant_create(actor: User) -> models.Model:
    from yanzhen.talent.models import Position
    from yanzhen.talent.services.recruitment import applicant_create

    position = Position.objects.order_by("pk").first()
    assert position is not None
    return applicant_create(
        actor=actor, position=position, person=new_person("报名测试"), applied_on=TODAY
    )


def applicant_update(actor: User) -> models.Model:
    from yanzhen.talent.models import Applicant, ApplicantStage, Position
    from yanzhen.talent.services.recruitment import applicant_move

    # Every demo applicant has come to an end: one who just applied (stored without history).
    position = Position.objects.order_by("pk").first()
    assert position is not None
    [applicant] = Applicant.objects.bulk_create(
        [
            Applicant(
                campaign=position.campaign,
                position=position,
                person=new_person("在途报名"),
                applied_on=TODAY,
                stage=ApplicantStage.APPLIED,
                stage_date=TODAY,
            )
        ]
    )
    return applicant_move(
        actor=actor, applicant=applicant, target=ApplicantStage.WITHDRAWN, date=TODAY, reason="放弃"
    )


def _placement(actor: User, update: bool) -> Any:
    from yanzhen.placement import services
    from yanzhen.placement.models import PlacementApplicant, Programme, ProgrammeKind

    # The demo's programmes are all confirmed: a programme still collecting (no history).
    programme = Programme.objects.create(
        name="测试分配项目",
        kind=ProgrammeKind.INTERN,
        owner_unit=office_unit(),
        year=2026,
        start_date=TODAY,
    )
    applicant = None
    if update:
        [applicant] = PlacementApplicant.objects.bulk_create(
            [PlacementApplicant(programme=programme, code="TEST-0", person=new_person("申请人"))]
        )
    if applicant is not None:
        return services.placement_applicant_update(
            actor=actor, applicant=applicant, code="TEST-1", preferences=[], degree="master"
        )
    return services.placement_applicant_create(
        actor=actor,
        programme=programme,
        code="TEST-1",
        person=new_person("分配测试"),
        preferences=[],
        degree="master",
    )


def placement_create(actor: User) -> models.Model:
    return _placement(actor, update=False)  # type: ignore[no-any-return]


def placement_update(actor: User) -> models.Model:
    return _placement(actor, update=True)  # type: ignore[no-any-return]


def _activity(actor: User, activity: Any) -> Any:
    from yanzhen.cooperation.models import ActivityKind
    from yanzhen.cooperation.services.activities import (
        ActivityData,
        activity_create,
        activity_update,
    )

    data = ActivityData(
        kind=ActivityKind.VISIT,
        title="走访测试" if activity is None else activity.title,
        date=TODAY,
        organizer_unit=office_unit(),
        summary="改",
    )
    if activity is None:
        return activity_create(actor=actor, data=data)
    return activity_update(
        actor=actor, activity=activity, data=data, expected_version=activity.version
    )


def activity_create(actor: User) -> models.Model:
    return _activity(actor, None)  # type: ignore[no-any-return]


def activity_update(actor: User) -> models.Model:
    from yanzhen.cooperation.models import Activity

    return _activity(actor, Activity.objects.order_by("pk").first())  # type: ignore[no-any-return]


def _secondment(actor: User, secondment: Any) -> Any:
    from yanzhen.cooperation.models import Secondment
    from yanzhen.cooperation.services.secondments import (
        SecondmentData,
        secondment_create,
        secondment_update,
    )

    model = Secondment.objects.order_by("pk").first()
    assert model is not None
    data = SecondmentData(
        person=model.person,
        university=model.university,
        host_unit=model.host_unit,
        post="测试岗位" if secondment is None else model.post,
        # A person's second secondment starts on another day (one record per start).
        start_date=model.start_date if secondment is not None else TODAY,
        end_date=model.end_date if secondment is not None else None,
        cooperation=model.cooperation if secondment is not None else None,
        note="改",
    )
    if secondment is None:
        return secondment_create(actor=actor, data=data)
    return secondment_update(
        actor=actor, secondment=secondment, data=data, expected_version=secondment.version
    )


def secondment_create(actor: User) -> models.Model:
    return _secondment(actor, None)  # type: ignore[no-any-return]


def secondment_update(actor: User) -> models.Model:
    from yanzhen.cooperation.models import Secondment

    return _secondment(actor, Secondment.objects.order_by("pk").first())  # type: ignore[no-any-return]


def work_plan_create(actor: User) -> models.Model:
    from yanzhen.cooperation.models import Base
    from yanzhen.supervision.services import work_plan_create as create

    # Every demo base has its plan: a new base (no history of its own here).
    model = Base.objects.order_by("pk").first()
    assert model is not None
    [base] = Base.objects.bulk_create(
        [Base(code="T-01", name="测试基地", county=model.county, lead_department=office_unit())]
    )
    return create(actor=actor, base=base, title="测试方案", adopted_on=TODAY)


def work_plan_update(actor: User) -> models.Model:
    from yanzhen.supervision.models import WorkPlan
    from yanzhen.supervision.services import work_plan_update as update

    plan = WorkPlan.objects.order_by("pk").first()
    assert plan is not None
    return update(actor=actor, work_plan=plan, title="改")


def round_create(actor: User) -> models.Model:
    from yanzhen.cooperation.models import Base
    from yanzhen.supervision.models import Round
    from yanzhen.supervision.services import round_create as create

    kind = Round._meta.get_field("kind").choices[0][0]  # type: ignore[index]
    return create(
        actor=actor,
        title="测试调度",
        kind=kind,
        opened_on=TODAY,
        deadline=TODAY,
        bases=list(Base.objects.order_by("pk")[:2]),
    )


def round_update(actor: User) -> models.Model:
    from yanzhen.supervision.models import Round
    from yanzhen.supervision.services import round_update

    round = Round.objects.order_by("pk").first()
    assert round is not None
    return round_update(
        actor=actor,
        round=round,
        title="改",
        deadline=round.deadline,
        note=round.note,
        state=round.state,
    )


def _members(base: Any) -> list[tuple[Person, str]]:
    return [(m.person, m.duty) for m in base.members.select_related("person")]


def member_create(actor: User) -> models.Model:
    from yanzhen.cooperation.models import Base, TaskForceMember
    from yanzhen.cooperation.services import task_force_set

    base = Base.objects.filter(members__isnull=False).order_by("pk").first()
    assert base is not None
    person = new_person("专班测试")
    task_force_set(actor=actor, base=base, members=[*_members(base), (person, "联络员")])
    return TaskForceMember.objects.get(base=base, person=person)


def member_update(actor: User) -> models.Model:
    from yanzhen.cooperation.models import Base, TaskForceMember
    from yanzhen.cooperation.services import task_force_set

    base = Base.objects.filter(members__isnull=False).order_by("pk").first()
    assert base is not None
    members = _members(base)
    members[0] = (members[0][0], "改")
    task_force_set(actor=actor, base=base, members=members)
    return TaskForceMember.objects.get(base=base, person=members[0][0])


def member_delete(actor: User) -> models.Model:
    from yanzhen.cooperation.models import Base, TaskForceMember
    from yanzhen.cooperation.services import task_force_set

    base = Base.objects.filter(members__isnull=False).order_by("pk").first()
    assert base is not None
    members = _members(base)
    gone = TaskForceMember.objects.get(base=base, person=members[0][0])
    task_force_set(actor=actor, base=base, members=members[1:])
    assert not TaskForceMember.objects.filter(pk=gone.pk).exists()
    return gone


def enrolment_create(actor: User) -> models.Model:
    from yanzhen.college import services as college_services
    from yanzhen.college.models import TrainingClass

    training_class = TrainingClass.objects.filter(capacity=0).order_by("pk").first() or (
        TrainingClass.objects.order_by("pk").first()
    )
    assert training_class is not None
    if training_class.capacity:
        TrainingClass.objects.filter(pk=training_class.pk).update(capacity=0)
        training_class.refresh_from_db()
    return college_services.enrolment_create(
        actor=actor,
        training_class=training_class,
        person=new_person("学员测试"),
        unit=office_unit(),
        enrolled_on=TODAY,
    )


def enrolment_update(actor: User) -> models.Model:
    from yanzhen.college.models import Enrolment, EnrolmentStatus
    from yanzhen.college.services import enrolment_move

    enrolment = Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).order_by("pk").first()
    assert enrolment is not None
    return enrolment_move(
        actor=actor, enrolment=enrolment, target=EnrolmentStatus.DROPPED, date=TODAY
    )


def apartment_create(actor: User) -> models.Model:
    from yanzhen.benefits import services as benefit_services

    return benefit_services.apartment_create(actor=actor, name="测试公寓", owner_unit=office_unit())


def apartment_update(actor: User) -> models.Model:
    from yanzhen.benefits import services as benefit_services
    from yanzhen.benefits.models import Apartment

    apartment = Apartment.objects.order_by("pk").first()
    assert apartment is not None
    return benefit_services.apartment_update(
        actor=actor,
        apartment=apartment,
        name=apartment.name,
        owner_unit=apartment.owner_unit,
        note="改",
    )


def room_create(actor: User) -> models.Model:
    from yanzhen.benefits import services as benefit_services
    from yanzhen.benefits.models import Apartment

    apartment = Apartment.objects.order_by("pk").first()
    assert apartment is not None
    return benefit_services.room_create(actor=actor, apartment=apartment, number="T-101", beds=2)


def room_update(actor: User) -> models.Model:
    from yanzhen.benefits import services as benefit_services
    from yanzhen.benefits.models import Room

    room = Room.objects.order_by("pk").first()
    assert room is not None
    return benefit_services.room_update(
        actor=actor,
        room=room,
        number=room.number,
        beds=room.beds + 1,
        area=room.area,
        monthly_rent=room.monthly_rent,
    )


def allocation_update(actor: User) -> models.Model:
    from yanzhen.benefits.models import AllocationStatus, RoomAllocation
    from yanzhen.benefits.services.apartments import allocation_move

    allocation = (
        RoomAllocation.objects.filter(status=AllocationStatus.ALLOCATED).order_by("pk").first()
    )
    assert allocation is not None
    return allocation_move(
        actor=actor, allocation=allocation, target=AllocationStatus.CHECKED_IN, date=TODAY
    )


def allocation_create(actor: User) -> models.Model:
    from yanzhen.benefits.models import AllocationStatus, RoomAllocation
    from yanzhen.benefits.services.apartments import room_allocate

    # A talent who had a bed and left it gets one again.
    allocation = (
        RoomAllocation.objects.filter(status=AllocationStatus.ALLOCATED).order_by("pk").first()
    )
    assert allocation is not None
    RoomAllocation.objects.filter(pk=allocation.pk).update(status=AllocationStatus.CANCELLED)
    return room_allocate(
        actor=actor, room=allocation.room, talent=allocation.talent, date=allocation.allocated_on
    )


def _campaign(actor: User, campaign: Any) -> Any:
    from yanzhen.talent import services
    from yanzhen.talent.models import Campaign

    model = Campaign.objects.order_by("pk").first()
    assert model is not None
    fields: dict[str, Any] = {
        "name": "测试招聘" if campaign is None else model.name,
        "channel": model.channel,
        "owner_unit": model.owner_unit,
        "year": model.year,
        "start_date": model.start_date,
        "end_date": model.end_date,
        "description": "改",
    }
    if campaign is None:
        return services.campaign_create(actor=actor, **fields)
    return services.campaign_update(actor=actor, campaign=campaign, **fields)


def campaign_create(actor: User) -> models.Model:
    return _campaign(actor, None)  # type: ignore[no-any-return]


def campaign_update(actor: User) -> models.Model:
    from yanzhen.talent.models import Campaign

    return _campaign(actor, Campaign.objects.order_by("pk").first())  # type: ignore[no-any-return]


def _survey(actor: User, campaign: Any) -> Any:
    from yanzhen.demand.models import CampaignTarget, SurveyCampaign
    from yanzhen.demand.services import CampaignData, campaign_create, campaign_update

    model = SurveyCampaign.objects.order_by("pk").first()
    assert model is not None
    fields: dict[str, Any] = {
        "owner_unit": model.owner_unit,
        "opens_on": model.opens_on,
        "deadline": model.deadline,
        "enterprises": list(
            Unit.objects.filter(
                pk__in=CampaignTarget.objects.filter(campaign=model).values("enterprise_id")
            )
        ),
        "description": "改",
    }
    if campaign is None:
        return campaign_create(actor=actor, data=CampaignData(title="测试调查", **fields))
    data = CampaignData(title=model.title, **fields)
    return campaign_update(actor=actor, campaign=campaign, data=data)


def survey_create(actor: User) -> models.Model:
    return _survey(actor, None)  # type: ignore[no-any-return]


def survey_update(actor: User) -> models.Model:
    from yanzhen.demand.models import SurveyCampaign

    return _survey(actor, SurveyCampaign.objects.order_by("pk").first())  # type: ignore[no-any-return]


# model label → its writes, each with the history type it leaves.
WRITES: dict[str, tuple[tuple[str, Write], ...]] = {
    "benefits.Benefit": (("+", benefit_create), ("~", benefit_update)),
    "benefits.EligibilityRule": (("+", rule_create), ("~", rule_update), ("-", rule_delete)),
    "talent.ServiceAgreement": (("+", agreement_create), ("~", agreement_update)),
    "talent.Applicant": (("+", applicant_create), ("~", applicant_update)),
    "placement.PlacementApplicant": (("+", placement_create), ("~", placement_update)),
    "cooperation.Activity": (("+", activity_create), ("~", activity_update)),
    "cooperation.Secondment": (("+", secondment_create), ("~", secondment_update)),
    "supervision.WorkPlan": (("+", work_plan_create), ("~", work_plan_update)),
    "supervision.Round": (("+", round_create), ("~", round_update)),
    "cooperation.TaskForceMember": (
        ("+", member_create),
        ("~", member_update),
        ("-", member_delete),
    ),
    "college.Enrolment": (("+", enrolment_create), ("~", enrolment_update)),
    "benefits.Apartment": (("+", apartment_create), ("~", apartment_update)),
    "benefits.Room": (("+", room_create), ("~", room_update)),
    "benefits.RoomAllocation": (("+", allocation_create), ("~", allocation_update)),
    "talent.Campaign": (("+", campaign_create), ("~", campaign_update)),
    "demand.SurveyCampaign": (("+", survey_create), ("~", survey_update)),
}
CASES = [(label, kind, write) for label, writes in WRITES.items() for kind, write in writes]


@pytest.mark.parametrize(
    ("label", "kind", "write"), CASES, ids=[f"{label}{kind}" for label, kind, _ in CASES]
)
def test_each_write_leaves_exactly_one_row_with_its_author(
    label: str, kind: str, write: Write, demo_db: Demo
) -> None:
    from django.apps import apps

    model = apps.get_model(label)
    history = model.history
    before = history.count()
    last = history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    actor = demo_db.users["office"]
    record = write(actor)
    assert type(record) is model
    assert history.count() == before + 1
    rows = list(history.filter(history_id__gt=last))
    assert [(r.id, r.history_type, r.history_user, r.history_unit_name) for r in rows] == [
        (record.pk, kind, actor, "永济市省校合作办公室")
    ]


def test_purging_a_record_purges_its_history_and_that_of_what_goes_with_it(
    demo_db: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    from yanzhen.cooperation.models import Activity, Cooperation
    from yanzhen.cooperation.services import cooperation_delete

    office = demo_db.users["office"]
    old = activity_create(office)
    activity_update(office)  # another activity: its history stays
    assert isinstance(old, Activity)
    Activity.objects.filter(pk=old.pk).update(deleted_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        gone = Cooperation.objects.order_by("pk")[0]
        cooperation_delete(actor=office, cooperation=gone)
    kept = Cooperation.objects.order_by("pk")[0]
    assert Activity.history.filter(id=old.pk).count() == 1
    assert Cooperation.history.filter(id=gone.pk).count() >= 2
    others = (
        Activity.history.exclude(id=old.pk).count(),
        Cooperation.history.exclude(id=gone.pk).count(),
    )
    call_command("purge_deleted")
    out = capsys.readouterr().out
    assert "对接活动：清除 1 条" in out
    assert "合作项目：清除 1 条" in out
    assert not Activity.all_objects.filter(pk=old.pk).exists()
    assert Activity.history.filter(id=old.pk).count() == 0
    assert Cooperation.history.filter(id=gone.pk).count() == 0
    assert (
        Activity.history.exclude(id=old.pk).count(),
        Cooperation.history.exclude(id=gone.pk).count(),
    ) == others
    assert Cooperation.history.filter(id=kept.pk).exists()
