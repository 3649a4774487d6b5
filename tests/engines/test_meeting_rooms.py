"""Rooms of a 云对接会: the engine's schedule fitted to the rooms, no slot holding more
meetings than rooms, optimal when every party attends every slot (compared with an
independent maximum flow capped at rooms × slots), conflict-free with unavailable slots."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engines.test_meetings import event, max_flow_optimum
from yanzhen.engines.meetings import Event, schedule
from yanzhen.engines.meetings.rooms import Placed, RoomSchedule, fit_rooms


def fitted(ev: Event, rooms: int) -> RoomSchedule:
    return fit_rooms(ev, schedule(ev), rooms)


def problems(ev: Event, result: RoomSchedule, rooms: int) -> list[str]:
    by_id = {r.id: r for r in ev.requests}
    found = []
    load: Counter[tuple[str, str]] = Counter()
    room_load: Counter[tuple[str, int]] = Counter()
    for m in result.meetings:
        r = by_id[m.request]
        room_load[m.slot, m.room] += 1
        if not 0 <= m.room < rooms:
            found.append(f"room {m.room}")
        for party in (r.a, r.b):
            load[party, m.slot] += 1
            if m.slot in ev.unavailable.get(party, ()):
                found.append(f"{party} unavailable in {m.slot}")
    found += [f"{p} twice in {s}" for (p, s), n in load.items() if n > 1]
    found += [f"room {k} twice" for k, n in room_load.items() if n > 1]
    held = {m.request for m in result.meetings}
    if list(result.unscheduled) != [r.id for r in ev.requests if r.id not in held]:
        found.append("unscheduled ids wrong")
    return found


def test_a_slot_holds_no_more_meetings_than_rooms() -> None:
    # Four enterprises each meet one university: the engine alone puts all four in the
    # first slot; two rooms take two per slot.
    ev = event(("09:00", "09:20"), [("E1", "U1"), ("E2", "U2"), ("E3", "U3"), ("E4", "U4")])
    assert [m.slot for m in schedule(ev).meetings] == ["09:00"] * 4
    result = fitted(ev, 2)
    assert result == RoomSchedule(
        meetings=(
            Placed("r0", "09:00", 0),
            Placed("r1", "09:00", 1),
            Placed("r2", "09:20", 0),
            Placed("r3", "09:20", 1),
        ),
        unscheduled=(),
        bound=4,
        optimal=True,
    )


def test_the_rooms_bound_the_meetings() -> None:
    ev = event(("09:00", "09:20"), [("E1", "U1"), ("E2", "U2"), ("E3", "U3")])
    result = fitted(ev, 1)
    assert result.meetings == (Placed("r0", "09:00", 0), Placed("r2", "09:20", 0))
    assert (result.unscheduled, result.bound, result.optimal, result.gap) == (("r1",), 2, True, 0)


def test_a_path_of_two_slots_is_swapped_to_free_a_room() -> None:
    # E1 meets U1 and U2, E2 meets U1: a chain; with one room per slot the engine's colouring
    # must move along the chain.
    ev = event(("s1", "s2", "s3"), [("E1", "U1"), ("E1", "U2"), ("E2", "U1"), ("E2", "U2")])
    result = fitted(ev, 1)
    assert problems(ev, result, 1) == []
    assert (len(result.meetings), result.bound, result.optimal) == (3, 3, True)


def test_unavailable_slots_are_respected_and_the_gap_reported() -> None:
    # U1 attends only s1, and so does U2: one room, so one of them cannot meet.
    ev = event(("s1", "s2"), [("E1", "U1"), ("E2", "U2")], {"U1": ["s2"], "U2": ["s2"]})
    result = fitted(ev, 1)
    assert result.meetings == (Placed("r0", "s1", 0),)
    assert (result.unscheduled, result.bound, result.optimal) == (("r1",), 2, False)


def test_no_room_no_meeting() -> None:
    ev = event(("s1",), [("E1", "U1")])
    assert fitted(ev, 0) == RoomSchedule((), ("r0",), 0, True)
    with pytest.raises(ValueError, match="negative"):
        fitted(ev, -1)


def pairs_strategy(n_a: int, n_b: int) -> st.SearchStrategy[list[tuple[str, str]]]:
    pair = st.tuples(st.integers(0, n_a - 1), st.integers(0, n_b - 1))
    return st.lists(pair, max_size=30, unique=True).map(
        lambda ps: [(f"E{a}", f"U{b}") for a, b in ps]
    )


@settings(max_examples=150, deadline=None)
@given(
    pairs=pairs_strategy(6, 5),
    n_slots=st.integers(1, 5),
    rooms=st.integers(0, 6),
)
def test_every_party_available_the_result_is_optimal(
    pairs: Sequence[tuple[str, str]], n_slots: int, rooms: int
) -> None:
    ev = event(tuple(f"s{i}" for i in range(n_slots)), pairs)
    result = fitted(ev, rooms)
    assert problems(ev, result, rooms) == []
    best = min(max_flow_optimum(ev), rooms * n_slots)
    assert (len(result.meetings), result.bound, result.optimal) == (best, best, True)


@settings(max_examples=150, deadline=None)
@given(
    pairs=pairs_strategy(5, 4),
    n_slots=st.integers(1, 4),
    rooms=st.integers(1, 4),
    holes=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 3)), max_size=8),
)
def test_with_unavailable_slots_it_is_conflict_free_and_within_its_bound(
    pairs: Sequence[tuple[str, str]], n_slots: int, rooms: int, holes: list[tuple[int, int]]
) -> None:
    names = [f"E{i}" for i in range(5)] + [f"U{i}" for i in range(4)]
    slots = tuple(f"s{i}" for i in range(n_slots))
    unavailable: dict[str, list[str]] = {}
    named = {p for pair in pairs for p in pair}
    for p, s in holes:
        if s < n_slots and names[p] in named:
            unavailable.setdefault(names[p], []).append(slots[s])
    ev = event(slots, pairs, unavailable)
    result = fitted(ev, rooms)
    assert problems(ev, result, rooms) == []
    assert len(result.meetings) <= result.bound <= rooms * n_slots
    assert result.optimal == (len(result.meetings) == result.bound)
