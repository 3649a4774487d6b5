"""The problem list: raised → assigned → in progress → resolved → verified (closed), or returned;
every move recorded with who and when; every move refused when its rule is broken; the same
through the pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.supervision.conftest import World
from yanzhen.core.errors import DomainError
from yanzhen.core.models import User
from yanzhen.supervision import services
from yanzhen.supervision.models import (
    Problem,
    ProblemAction,
    ProblemEvent,
    ProblemSource,
    ProblemState,
)

pytestmark = pytest.mark.django_db
D = dt.date


def raise_problem(w: World, **overrides: object) -> Problem:
    values: dict[str, object] = {
        "actor": w.lead_user,
        "title": "中试场地不足",
        "raised_by_unit": w.lead,
        "base": w.base,
    }
    values.update(overrides)
    return services.problem_create(**values)  # type: ignore[arg-type]


def move(
    w: World, problem: Problem, action: str, actor: object = None, **kwargs: object
) -> Problem:
    return services.problem_move(
        actor=actor or w.office_user,  # type: ignore[arg-type]
        problem=problem,
        action=action,
        **kwargs,  # type: ignore[arg-type]
    )


def history(problem: Problem) -> list[tuple[str, str, str, str, str]]:
    return [
        (e.action, e.from_state, e.to_state, e.actor.username if e.actor else "", e.at.isoformat())
        for e in ProblemEvent.objects.filter(problem=problem).order_by("at", "id")
    ]


def test_a_problem_goes_round_the_loop_and_every_move_is_recorded(
    world: World, clock: time_machine.Traveller
) -> None:
    problem = raise_problem(world)
    assert (problem.state, problem.source, problem.created_by) == (
        ProblemState.RAISED,
        ProblemSource.DIRECT,
        world.lead_user,
    )
    move(world, problem, "assign", responsible_unit=world.other, deadline=D(2021, 7, 1))
    clock.shift(dt.timedelta(days=1))
    move(world, problem, "start", actor=world.other_user)
    clock.shift(dt.timedelta(days=1))
    move(world, problem, "resolve", actor=world.other_user, note="已协调场地")
    assert (problem.state, problem.resolved_on) == (ProblemState.RESOLVED, D(2021, 6, 12))
    move(world, problem, "return", note="场地尚未交付")
    assert (problem.state, problem.resolved_on) == (ProblemState.RETURNED, None)
    move(world, problem, "resolve", actor=world.other_user, note="场地已交付")
    clock.shift(dt.timedelta(days=1))
    move(world, problem, "verify", note="核实销号")
    problem.refresh_from_db()
    assert (problem.state, problem.resolved_on, problem.closed_on) == (
        ProblemState.CLOSED,
        D(2021, 6, 12),
        D(2021, 6, 13),
    )
    office, other, lead = (
        world.office_user.username,
        world.other_user.username,
        world.lead_user.username,
    )
    assert history(problem) == [
        ("raise", "", "raised", lead, "2021-06-10T02:00:00+00:00"),
        ("assign", "raised", "assigned", office, "2021-06-10T02:00:00+00:00"),
        ("start", "assigned", "in_progress", other, "2021-06-11T02:00:00+00:00"),
        ("resolve", "in_progress", "resolved", other, "2021-06-12T02:00:00+00:00"),
        ("return", "resolved", "returned", office, "2021-06-12T02:00:00+00:00"),
        ("resolve", "returned", "resolved", other, "2021-06-12T02:00:00+00:00"),
        ("verify", "resolved", "closed", office, "2021-06-13T02:00:00+00:00"),
    ]
    notes = list(ProblemEvent.objects.filter(problem=problem).values_list("note", flat=True))
    assert notes == ["", "", "", "已协调场地", "场地尚未交付", "场地已交付", "核实销号"]


def test_a_problem_raised_with_a_unit_and_deadline_is_assigned_at_once(world: World) -> None:
    problem = raise_problem(
        world, actor=world.office_user, responsible_unit=world.other, deadline=D(2021, 6, 30)
    )
    assert (problem.state, problem.responsible_unit, problem.deadline) == (
        ProblemState.ASSIGNED,
        world.other,
        D(2021, 6, 30),
    )
    assert [e[0] for e in history(problem)] == ["raise", "assign"]


# Every move from every state it may not start from.
ALL_STATES = [s.value for s in ProblemState]
WRONG_STATES = [
    (action, state)
    for action, (sources, _target, _perm) in services.TRANSITIONS.items()
    for state in ALL_STATES
    if state not in sources
]


@pytest.mark.parametrize(("action", "state"), WRONG_STATES)
def test_a_move_from_a_state_it_may_not_start_from_is_refused(
    world: World, action: str, state: str
) -> None:
    problem = raise_problem(
        world, actor=world.office_user, responsible_unit=world.lead, deadline=D(2021, 7, 1)
    )
    Problem.objects.filter(pk=problem.pk).update(state=state)
    problem.refresh_from_db()
    before = list(ProblemEvent.objects.filter(problem=problem).values_list("pk", flat=True))
    with pytest.raises(DomainError) as caught:
        move(
            world, problem, action, note="理由", responsible_unit=world.lead, deadline=D(2021, 7, 2)
        )
    label = ProblemAction(action).label
    assert caught.value.code == "invalid_move"
    assert caught.value.message == f"问题当前为“{ProblemState(state).label}”，不能{label}"
    problem.refresh_from_db()
    assert problem.state == state
    assert list(ProblemEvent.objects.filter(problem=problem).values_list("pk", flat=True)) == before


@pytest.mark.parametrize(
    ("action", "kwargs", "fields"),
    [
        ("assign", {"deadline": D(2021, 7, 1)}, {"responsible_unit": "请选择责任单位"}),
        ("assign", {"responsible_unit": "other"}, {"deadline": "请填写办理时限"}),
        (
            "assign",
            {"responsible_unit": "other", "deadline": D(2021, 6, 9)},
            {"deadline": "办理时限不能早于今天"},
        ),
        ("nonsense", {}, {"action": "操作不正确"}),
    ],
)
def test_an_assignment_needs_a_unit_and_a_deadline_not_in_the_past(
    world: World, action: str, kwargs: dict[str, object], fields: dict[str, str]
) -> None:
    problem = raise_problem(world)
    if kwargs.get("responsible_unit") == "other":
        kwargs["responsible_unit"] = world.other
    with pytest.raises(DomainError) as caught:
        move(world, problem, action, **kwargs)
    assert caught.value.fields == fields
    problem.refresh_from_db()
    assert (problem.state, problem.responsible_unit) == (ProblemState.RAISED, None)


def test_resolving_needs_a_note_and_returning_needs_a_reason(world: World) -> None:
    problem = raise_problem(
        world, actor=world.office_user, responsible_unit=world.lead, deadline=D(2021, 7, 1)
    )
    with pytest.raises(DomainError) as caught:
        move(world, problem, "resolve", actor=world.lead_user)
    assert caught.value.fields == {"note": "请填写办结情况"}
    move(world, problem, "resolve", actor=world.lead_user, note="已解决")
    with pytest.raises(DomainError) as caught:
        move(world, problem, "return", note="  ")
    assert caught.value.fields == {"note": "请填写退回理由"}
    problem.refresh_from_db()
    assert problem.state == ProblemState.RESOLVED


def test_only_the_responsible_unit_works_on_the_problem(world: World) -> None:
    problem = raise_problem(
        world, actor=world.office_user, responsible_unit=world.other, deadline=D(2021, 7, 1)
    )
    with pytest.raises(DomainError) as caught:
        move(world, problem, "start", actor=world.lead_user)
    assert (caught.value.code, caught.value.message) == (
        "out_of_scope",
        "只有责任单位可以办理该问题",
    )
    assert services.allowed_actions(world.lead_user, problem) == []
    assert services.allowed_actions(world.other_user, problem) == ["start", "resolve"]


@pytest.mark.parametrize("action", ["assign", "verify", "return", "escalate"])
def test_a_department_cannot_make_the_offices_moves(world: World, action: str) -> None:
    problem = raise_problem(world)
    with pytest.raises(DomainError) as caught:
        move(world, problem, action, actor=world.lead_user, note="x", responsible_unit=world.lead)
    assert (caught.value.code, caught.value.status) == ("forbidden", 403)
    problem.refresh_from_db()
    assert problem.state == ProblemState.RAISED


def test_raising_needs_the_permission_and_a_unit_in_scope(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        raise_problem(world, actor=world.leader_user)
    assert caught.value.code == "forbidden"
    with pytest.raises(DomainError) as caught:
        raise_problem(world, actor=world.other_user, raised_by_unit=world.lead, base=None)
    assert caught.value.fields == {"raised_by_unit": "不在您的数据范围内"}
    with pytest.raises(DomainError) as caught:
        raise_problem(world, actor=world.other_user, raised_by_unit=world.other)
    assert caught.value.fields == {"base": "无权选择该基地"}
    with pytest.raises(DomainError) as caught:
        raise_problem(world, title="  ")
    assert caught.value.fields == {"title": "请填写问题"}
    assert Problem.objects.count() == 0


def test_the_pages_list_move_and_scope_problems(world: World) -> None:
    office = world.client(world.office_user)
    response = office.post(
        reverse("supervision:problem_new"),
        {"title": "专家驻企时间少", "base": world.base.pk, "raised_by_unit": world.office.pk},
    )
    problem = Problem.objects.get()
    assert response["Location"] == reverse("supervision:problem_detail", args=[problem.pk])
    url = reverse("supervision:problem_move", args=[problem.pk])
    assert (
        office.post(url, {"action": "assign", "responsible_unit": world.other.pk}).status_code
        == 400
    )
    response = office.post(
        url, {"action": "assign", "responsible_unit": world.other.pk, "deadline": "2021-07-01"}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.state, problem.responsible_unit) == (ProblemState.ASSIGNED, world.other)
    detail = office.get(reverse("supervision:problem_detail", args=[problem.pk])).content.decode()
    assert "交办" in detail
    assert "科技局" in detail
    # The responsible unit sees it (it is assigned to it); the lead department too (its base).
    assert world.client(world.other_user).get(url).status_code == 200
    lead_list = (
        world.client(world.lead_user).get(reverse("supervision:problem_list")).content.decode()
    )
    assert "专家驻企时间少" in lead_list
    stranger = world.client(
        User.objects.create_user(username="stranger", password="x-Unused-Password-1")
    )
    assert stranger.get(url).status_code == 403
    export = office.get(reverse("supervision:problem_list") + "?export=csv").content.decode()
    assert "专家驻企时间少,电机基地,直接提出,合作办,科技局,2021-07-01,已交办,," in export


def test_the_api_raises_and_moves_problems_with_the_same_rules(world: World) -> None:
    office = world.client(world.office_user)
    created = office.post(
        reverse("api:create_problem"),
        {"title": "资金未到位", "raised_by_unit_id": world.office.pk, "base_id": world.base.pk},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["state"], body["actions"]) == ("raised", ["assign"])
    url = reverse("api:transition_problem", kwargs={"problem_id": body["id"]})
    refused = office.post(url, {"action": "verify"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "问题当前为“待交办”，不能验收销号"
    moved = office.post(
        url,
        {"action": "assign", "responsible_unit_id": world.lead.pk, "deadline": "2021-06-30"},
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert [e["action"] for e in moved.json()["events"]] == ["raise", "assign"]
    lead = world.client(world.lead_user)
    assert (
        lead.post(url, {"action": "start"}, content_type="application/json").json()["state"]
        == "in_progress"
    )
    assert lead.post(url, {"action": "assign"}, content_type="application/json").status_code == 403
    listed = office.get(reverse("api:list_problems") + "?state=in_progress").json()
    assert [p["title"] for p in listed["items"]] == ["资金未到位"]
    outsider = world.client(world.other_user)
    assert (
        outsider.get(reverse("api:get_problem", kwargs={"problem_id": body["id"]})).status_code
        == 404
    )
