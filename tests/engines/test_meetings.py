"""The meeting scheduler of a 云对接会: exact on small cases, optimal (equal to an independent
maximum flow) when every party attends every slot, conflict-free and honest about its bound
with unavailable slots (checked against an exact integer programme), deterministic, and exact
about the input it refuses."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from yanzhen.engines.meetings import (
    Event,
    InputError,
    Meeting,
    PartyKind,
    Request,
    Schedule,
    loads,
    parse_event,
    schedule,
    validate,
    verify,
)


def event(
    slots: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    unavailable: dict[str, list[str]] | None = None,
    *,
    experts: Sequence[str] = (),
) -> Event:
    """Requests ``r0, r1, …`` for the pairs; ``E…`` are enterprises, the others universities
    (or experts when named in ``experts``)."""
    parties: dict[str, PartyKind] = {}
    for a, b in pairs:
        parties[a] = "enterprise"
        parties[b] = "expert" if b in experts else "university"
    requests = tuple(Request(f"r{i}", a, b) for i, (a, b) in enumerate(pairs))
    return Event(tuple(slots), parties, requests, unavailable or {})


def meetings(*pairs: tuple[str, str]) -> tuple[Meeting, ...]:
    return tuple(Meeting(request, slot) for request, slot in pairs)


# Independent checks --------------------------------------------------------------------------


def conflicts(ev: Event, result: Schedule) -> list[str]:
    """Written apart from the engine's ``verify``: a party twice in a slot, a party in a slot
    it cannot attend, a request twice, an unknown slot, a wrong list of unscheduled ids."""
    by_id = {r.id: r for r in ev.requests}
    found = []
    load: Counter[tuple[str, str]] = Counter()
    for m in result.meetings:
        r = by_id[m.request]
        for party in (r.a, r.b):
            load[party, m.slot] += 1
            if m.slot in ev.unavailable.get(party, ()):
                found.append(f"{party} unavailable in {m.slot}")
        if m.slot not in ev.slots:
            found.append(f"unknown slot {m.slot}")
    found += [f"{p} twice in {s}" for (p, s), n in load.items() if n > 1]
    scheduled = Counter(m.request for m in result.meetings)
    found += [f"{r} scheduled {n} times" for r, n in scheduled.items() if n > 1]
    if list(result.unscheduled) != [r.id for r in ev.requests if r.id not in scheduled]:
        found.append("unscheduled ids wrong")
    return found


def max_flow_optimum(ev: Event) -> int:
    """Every party in every slot: the largest set of requests with no party in more than S of
    them, by scipy's maximum flow (source → enterprise → other party → sink)."""
    n_slots = len(ev.slots)
    index = {p: 2 + i for i, p in enumerate(ev.parties)}
    arcs = [
        (0, node, n_slots) if ev.parties[party] == "enterprise" else (node, 1, n_slots)
        for party, node in index.items()
    ]
    arcs += [(index[r.a], index[r.b], 1) for r in ev.requests]
    rows, cols, caps = zip(*arcs, strict=True) if arcs else ((), (), ())
    n = 2 + len(index)
    graph = csr_matrix((np.array(caps, dtype=np.int32), (rows, cols)), shape=(n, n))
    return int(maximum_flow(graph, 0, 1).flow_value)


def exact_optimum(ev: Event) -> int:
    """The largest conflict-free schedule, by an integer programme (HiGHS): one binary per
    request and slot both of its parties can attend."""
    unavailable = {p: set(s) for p, s in ev.unavailable.items()}
    columns = [
        (i, s)
        for i, r in enumerate(ev.requests)
        for s in ev.slots
        if s not in unavailable.get(r.a, ()) and s not in unavailable.get(r.b, ())
    ]
    if not columns:
        return 0
    groups: dict[tuple[str, ...], list[int]] = {}
    for k, (i, s) in enumerate(columns):
        r = ev.requests[i]
        for key in (("request", r.id), ("party", r.a, s), ("party", r.b, s)):
            groups.setdefault(key, []).append(k)
    matrix = np.zeros((len(groups), len(columns)))
    for row, ks in enumerate(groups.values()):
        matrix[row, ks] = 1
    solution = milp(
        -np.ones(len(columns)),
        constraints=LinearConstraint(matrix, 0, 1),
        integrality=np.ones(len(columns)),
        bounds=Bounds(0, 1),
    )
    best: float = -solution.fun
    return round(best)


# Random events -------------------------------------------------------------------------------


@st.composite
def events(draw: st.DrawFn, *, with_unavailable: bool = True) -> Event:
    n_a = draw(st.integers(1, 5))
    n_b = draw(st.integers(1, 4))
    slots = [f"s{i}" for i in range(draw(st.integers(0, 4)))]
    all_pairs = [(f"E{i}", f"U{j}") for i in range(n_a) for j in range(n_b)]
    pairs = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=12))
    ev = event(slots, pairs, experts=[f"U{j}" for j in range(n_b) if j % 2])
    if not with_unavailable or not slots or not ev.parties:
        return ev
    unavailable = {
        party: draw(st.lists(st.sampled_from(slots), unique=True, max_size=len(slots)))
        for party in draw(st.lists(st.sampled_from(sorted(ev.parties)), unique=True))
    }
    return Event(ev.slots, ev.parties, ev.requests, unavailable)


# Properties ----------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(events())
def test_every_schedule_is_conflict_free_and_within_its_bound(ev: Event) -> None:
    result = schedule(ev)
    assert conflicts(ev, result) == []
    assert verify(ev, result) == []
    assert len(result.meetings) <= result.bound
    assert result.optimal == (len(result.meetings) == result.bound)


@settings(max_examples=100, deadline=None)
@given(events(with_unavailable=False))
def test_with_every_party_available_it_is_the_maximum_flow_optimum(ev: Event) -> None:
    result = schedule(ev)
    optimum = max_flow_optimum(ev)
    assert (len(result.meetings), result.bound, result.optimal) == (optimum, optimum, True)


@settings(max_examples=60, deadline=None)
@given(events())
def test_with_unavailable_slots_the_bound_is_valid_and_optimal_is_proven(ev: Event) -> None:
    result = schedule(ev)
    best = exact_optimum(ev)
    assert len(result.meetings) <= best <= result.bound
    if result.optimal:
        assert len(result.meetings) == best


@settings(max_examples=30, deadline=None)
@given(events())
def test_it_is_deterministic(ev: Event) -> None:
    copy = Event(
        list(ev.slots),
        dict(ev.parties),
        [Request(r.id, r.a, r.b) for r in ev.requests],
        {p: list(s) for p, s in ev.unavailable.items()},
    )
    assert schedule(ev) == schedule(ev) == schedule(copy)


# Exact cases, checked by hand ----------------------------------------------------------------


def test_a_two_coloured_path_is_swapped_where_first_fit_would_stop() -> None:
    # r0 takes s0, r1 s1 (U2 is in s0), r2 s0; r3 = E1–U1 finds E1 free only in s0 and U1
    # only in s1: r2 (U1–E3) moves to s1 and r3 takes s0.
    ev = event(["s0", "s1"], [("E2", "U2"), ("E1", "U2"), ("E3", "U1"), ("E1", "U1")])
    assert schedule(ev) == Schedule(
        meetings=meetings(("r0", "s0"), ("r3", "s0"), ("r1", "s1"), ("r2", "s1")),
        unscheduled=(),
        bound=4,
        optimal=True,
    )


def test_a_busy_university_meets_as_many_as_there_are_slots() -> None:
    ev = event(["09:00", "09:20"], [("E1", "U1"), ("E2", "U1"), ("E3", "U1"), ("E3", "X1")],
               experts=["X1"])  # fmt: skip
    assert schedule(ev) == Schedule(
        meetings=meetings(("r0", "09:00"), ("r3", "09:00"), ("r1", "09:20")),
        unscheduled=("r2",),
        bound=3,
        optimal=True,
    )


def test_unavailable_slots_are_respected_and_the_optimum_proven() -> None:
    # U1 attends 09:20 only: r0 or r1, not both; E1 meets X1 at 09:00.
    ev = event(["09:00", "09:20"], [("E1", "U1"), ("E2", "U1"), ("E1", "X1")],
               {"U1": ["09:00"]}, experts=["X1"])  # fmt: skip
    assert schedule(ev) == Schedule(
        meetings=meetings(("r2", "09:00"), ("r0", "09:20")),
        unscheduled=("r1",),
        bound=2,
        optimal=True,
    )


def test_the_slot_bound_is_tighter_than_the_count_of_slots() -> None:
    # E1 attends both slots, but U1 and U2 only s0 and U3 only s1, which E2 also wants:
    # counting slots allows 3 (E1–U1, E1–U2, E2–U3); E1 has one s0, so at most 2.
    ev = event(["s0", "s1"], [("E1", "U1"), ("E1", "U2"), ("E1", "U3"), ("E2", "U3")],
               {"U1": ["s1"], "U2": ["s1"], "U3": ["s0"]})  # fmt: skip
    result = schedule(ev)
    assert (len(result.meetings), result.bound, result.optimal) == (2, 2, True)
    assert conflicts(ev, result) == []


def test_with_unavailable_slots_it_says_how_far_it_may_be_from_the_bound() -> None:
    # Common slots: r0 (E0–U1) s2 or s3, r1 (E0–U2) s2 only, r2 (E1–U0) s1 only, r3 (E1–U2)
    # s1 or s2. r3 conflicts with r2 in s1 (E1) and with r1 in s2 (U2): 3 meetings at most.
    # Both bounds allow 4: the flow lets r3 take E1's s2 and U2's s1, and the slots' largest
    # matchings are 0 + 1 + 2 + 1 (s2: r0 and r3). So 3 is not proven optimal: at most 1 short.
    ev = event(
        ["s0", "s1", "s2", "s3"],
        [("E0", "U1"), ("E0", "U2"), ("E1", "U0"), ("E1", "U2")],
        {"E0": ["s1"], "E1": ["s3"], "U0": ["s0", "s2"], "U1": ["s0"], "U2": ["s0", "s3"]},
    )
    result = schedule(ev)
    assert result == Schedule(
        meetings=meetings(("r2", "s1"), ("r1", "s2"), ("r0", "s3")),
        unscheduled=("r3",),
        bound=4,
        optimal=False,
    )
    assert result.gap == 1
    assert exact_optimum(ev) == 3


def test_the_bound_of_the_slots_matchings_proves_what_the_flow_cannot() -> None:
    # E1 attends s0 only, U0 s1 only: E1–U0 can never meet. E1–U1 must take s0, so E0–U1
    # takes s1 and E0–U0 (s1 only) is left out: 2 meetings. The flow allows 3 (E0–U1 taking
    # E0's s0 and U1's s1), the slots' matchings 1 + 1 (s0: U1; s1: E0): proven optimal.
    ev = event(["s0", "s1"], [("E0", "U0"), ("E0", "U1"), ("E1", "U0"), ("E1", "U1")],
               {"E1": ["s1"], "U0": ["s0"]})  # fmt: skip
    assert schedule(ev) == Schedule(
        meetings=meetings(("r3", "s0"), ("r0", "s1")),
        unscheduled=("r1", "r2"),
        bound=2,
        optimal=True,
    )


def test_a_party_that_attends_no_slot_meets_nobody() -> None:
    ev = event(["s0", "s1"], [("E1", "U1"), ("E2", "U1")], {"E1": ["s0", "s1"]})
    assert schedule(ev) == Schedule(meetings(("r1", "s0")), ("r0",), 1, True)


def test_no_slots_and_no_requests() -> None:
    assert schedule(event([], [("E1", "U1")])) == Schedule((), ("r0",), 0, True)
    assert schedule(event(["s0"], [])) == Schedule((), (), 0, True)


def test_the_json_form() -> None:
    result = schedule(event(["s0"], [("E1", "U1"), ("E2", "U1")]))
    assert result.as_json() == {
        "meetings": [{"request": "r0", "slot": "s0"}],
        "unscheduled": ["r1"],
        "bound": 1,
        "optimal": True,
    }


def test_verify_names_each_problem() -> None:
    ev = event(["s0", "s1"], [("E1", "U1"), ("E1", "U2")], {"U2": ["s1"]})
    bad = Schedule(
        meetings(("r0", "s0"), ("r1", "s0"), ("r1", "s1"), ("r9", "s0"), ("r0", "s9")),
        (),
        1,
        True,
    )
    assert verify(ev, bad) == [
        "E1 在时段 s0 同时有 r0 和 r1",
        "约见请求 r1 被安排了不止一次",
        "未知的约见请求 r9",
        "约见请求 r0 被安排了不止一次",
        "安排了 5 场，超过上界 1",
        "标为最优，但安排的场数不等于上界",
    ]
    assert verify(ev, Schedule(meetings(("r1", "s1")), ("r0",), 2, False)) == [
        "U2 在时段 s1 不能参会，却被安排了 r1"
    ]
    assert verify(ev, Schedule(meetings(("r1", "s9")), (), 2, False)) == [
        "约见请求 r1 的时段 s9 不存在",
        "未安排的约见请求与安排结果不符",
    ]


# Refused input -------------------------------------------------------------------------------

BASE: dict[str, Any] = {
    "slots": ["09:00", "09:20"],
    "parties": {"E1": "enterprise", "E2": "enterprise", "U1": "university", "X1": "expert"},
    "requests": [{"id": "r1", "a": "E1", "b": "U1"}, {"id": "r2", "a": "E2", "b": "X1"}],
    "unavailable": {"U1": ["09:00"]},
}


def changed(path: Sequence[str | int], value: Any) -> dict[str, Any]:
    """BASE with the value at ``path`` replaced (or removed when ``value`` is ``...``)."""
    data: Any = json.loads(json.dumps(BASE))
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return dict(data)


def test_the_base_input_is_accepted() -> None:
    ev = parse_event(BASE)
    assert ev == Event(
        ("09:00", "09:20"),
        BASE["parties"],
        (Request("r1", "E1", "U1"), Request("r2", "E2", "X1")),
        {"U1": ["09:00"]},
    )
    assert schedule(ev) == Schedule(meetings(("r2", "09:00"), ("r1", "09:20")), (), 2, True)
    without = dict(BASE)
    del without["unavailable"]
    assert parse_event(without).unavailable == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "$: 应为 JSON 对象，实际为列表"),
        (changed(["slots"], ...), "slots: 缺少字段"),
        (changed(["parties"], ...), "parties: 缺少字段"),
        (changed(["requests"], ...), "requests: 缺少字段"),
        ({**BASE, "rooms": []}, '$["rooms"]: 未知的字段（应为 "slots"、"parties"、"requests" 或 "unavailable"）'),
        (changed(["slots"], "09:00"), "slots: 应为列表，实际为字符串"),
        (changed(["slots", 1], 920), "slots[1]: 应为字符串，实际为数字"),
        (changed(["slots", 1], "09:00"), 'slots[1]: 重复的时段 "09:00"（已在 [0] 出现）'),
        (changed(["slots", 1], ""), "slots[1]: 时段名称不能为空"),
        (changed(["parties", "E1"], "company"),
         'parties["E1"]: 未知的类型 "company"（应为 "enterprise"、"university" 或 "expert"）'),
        (changed(["parties", "E1"], 1), 'parties["E1"]: 类型应为字符串，实际为数字'),
        (changed(["requests", 1], "r2"), "requests[1]: 应为 JSON 对象，实际为字符串"),
        (changed(["requests", 1, "b"], ...), "requests[1].b: 缺少字段"),
        (changed(["requests", 1, "id"], ...), "requests[1].id: 缺少字段"),
        (changed(["requests", 1, "b"], None), "requests[1].b: 应为字符串，实际为null"),
        (changed(["requests", 1, "room"], "A"), 'requests[1]["room"]: 未知的字段（应为 "id"、"a" 和 "b"）'),
        (changed(["requests", 1, "id"], "r1"), 'requests[1].id: 重复的约见请求 id "r1"（已在 requests[0] 出现）'),
        (changed(["requests", 1, "id"], ""), "requests[1].id: 不能为空"),
        (changed(["requests", 1, "a"], "U1"), 'requests[1].a: "U1" 是高校，a 应为企业'),
        (changed(["requests", 1, "a"], "X1"), 'requests[1].a: "X1" 是专家，a 应为企业'),
        (changed(["requests", 1, "b"], "E1"), 'requests[1].b: "E1" 是企业，b 应为高校或专家'),
        (changed(["requests", 1, "b"], "U9"), 'requests[1].b: 未知的参会方 "U9"（parties 中没有）'),
        (changed(["requests", 1], {"id": "r3", "a": "E1", "b": "U1"}),
         'requests[1]: 与 requests[0] 是同一对参会方（"E1" 与 "U1"），同一对只能约见一次'),
        (changed(["unavailable"], ["U1"]), "unavailable: 应为 JSON 对象，实际为列表"),
        (changed(["unavailable", "U9"], []), 'unavailable["U9"]: 未知的参会方 "U9"（parties 中没有）'),
        (changed(["unavailable", "U1"], "09:00"), 'unavailable["U1"]: 应为列表，实际为字符串'),
        (changed(["unavailable", "U1", 0], "10:00"), 'unavailable["U1"][0]: 未知的时段 "10:00"'),
        (changed(["unavailable", "U1"], ["09:00", "09:00"]),
         'unavailable["U1"][1]: 重复的时段 "09:00"（已在 [0] 出现）'),
    ],
)  # fmt: skip
def test_a_bad_input_is_refused_at_its_place(data: Any, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_event(data)
    assert str(caught.value) == message


def test_json_errors_name_the_line_and_column_and_repeated_keys() -> None:
    with pytest.raises(InputError) as caught:
        loads('{"slots": [\n  "09:00",\n}', source="in.json")
    assert str(caught.value) == "in.json:3:1: JSON 格式错误：Expecting value"
    with pytest.raises(InputError) as caught:
        parse_event(loads('{"slots": [], "parties": {}, "requests": [], "slots": []}'))
    assert str(caught.value) == '$["slots"]: 键重复'
    with pytest.raises(InputError) as caught:
        parse_event(loads('{"slots": [], "parties": {}, "requests": [{"id": "r", "id": "s"}]}'))
    assert str(caught.value) == 'requests[0]["id"]: 键重复'


def test_the_engine_refuses_a_wrong_kind_given_as_dataclasses() -> None:
    wrong = Event(("s0",), {"U1": "university", "U2": "university"}, (Request("r", "U1", "U2"),))
    with pytest.raises(InputError) as caught:
        schedule(wrong)
    assert str(caught.value) == 'requests[0].a: "U1" 是高校，a 应为企业'
    with pytest.raises(InputError) as caught:
        validate(Event(("s0",), {"E1": "enterprise", "": "expert"}, ()))
    assert str(caught.value) == 'parties[""]: 参会方 id 不能为空'


def test_a_long_chain_of_slots_needs_no_deep_recursion() -> None:
    # E1 asks 401 universities; U_i attends slots i and i+1 only, the last one slot 0 only.
    # Counting how many of E1's requests can have distinct slots, the last request displaces
    # the first, which displaces the second, … along 400 requests: deeper than the recursion
    # limit set here (a recursive search would stop there, as at Python's 1,000 with 1,000+
    # slots).
    n = 400
    slots = [f"s{i}" for i in range(n + 1)]
    pairs = [("E1", f"U{i}") for i in range(n + 1)]
    away = {f"U{i}": slots[:i] + slots[i + 2 :] for i in range(n)}
    away[f"U{n}"] = slots[1:]
    ev = event(slots, pairs, away)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        result = schedule(ev)
    finally:
        sys.setrecursionlimit(limit)
    assert result.meetings[:3] == meetings((f"r{n}", "s0"), ("r0", "s1"), ("r1", "s2"))
    assert (len(result.meetings), result.bound, result.optimal) == (n + 1, n + 1, True)
