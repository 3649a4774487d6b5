"""Rooms: a slot holds at most as many meetings as the event has (video-meeting) rooms.

:func:`fit_rooms` takes the engine's schedule (:func:`yanzhen.engines.meetings.schedule`) and
gives every meeting a room, no slot holding more meetings than there are rooms:

1. **Balancing.** While a slot holds more meetings than rooms and another fewer, the meetings
   of the two slots form paths and even cycles (each party meets at most once per slot); a
   path that starts and ends with a meeting of the full slot has one meeting more there than
   in the other, and swapping the two slots along it moves one meeting across, every party
   still in at most one meeting per slot (Kempe chains; with unavailable slots a path is
   swapped only when every moved meeting stays in a slot both its parties attend).
2. The meetings a slot still holds beyond the rooms leave it (the last requests first) and,
   with the engine's unscheduled requests, are tried in every slot with a free room that both
   parties attend and are free in.
3. Rooms are given in each slot in the order of the requests.

With every party available in every slot the result is optimal: the engine's schedule is a
largest set of requests with no party in more than S of them (S slots); any subset of it is
one too, and a bipartite graph has an equitable edge colouring with S colours (de Werra,
1971), so ``min(engine's count, rooms × S)`` meetings fit — which the balancing reaches, since
a slot above the rooms while another is below them always has such a path. ``bound`` is
``min(engine's bound, rooms × S)``; ``optimal`` is whether the result reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass

from yanzhen.engines.meetings.model import Event, Request, Schedule


@dataclass(frozen=True)
class Placed:
    """A meeting: its request, its slot and its room (the index of the event's rooms)."""

    request: str
    slot: str
    room: int


@dataclass(frozen=True)
class RoomSchedule:
    """Meetings in slot order (then room order), unscheduled requests in request order, the
    bound and whether it is reached."""

    meetings: tuple[Placed, ...]
    unscheduled: tuple[str, ...]
    bound: int
    optimal: bool

    @property
    def gap(self) -> int:
        return self.bound - len(self.meetings)


class _Fit:
    def __init__(self, event: Event, result: Schedule, rooms: int) -> None:
        self.rooms = rooms
        self.slots = list(event.slots)
        index = {s: i for i, s in enumerate(self.slots)}
        self.requests: dict[str, Request] = {r.id: r for r in event.requests}
        self.order = {r.id: i for i, r in enumerate(event.requests)}
        self.unavailable = {
            p: {index[s] for s in ss if s in index} for p, ss in event.unavailable.items()
        }
        self.slot_of: dict[str, int] = {}
        self.at: dict[tuple[str, int], str] = {}
        self.size = [0] * len(self.slots)
        for m in result.meetings:
            self.put(m.request, index[m.slot])

    def attends(self, request: str, s: int) -> bool:
        r = self.requests[request]
        return s not in self.unavailable.get(r.a, ()) and s not in self.unavailable.get(r.b, ())

    def put(self, request: str, s: int) -> None:
        r = self.requests[request]
        self.slot_of[request] = s
        self.at[(r.a, s)] = request
        self.at[(r.b, s)] = request
        self.size[s] += 1

    def take(self, request: str) -> None:
        r = self.requests[request]
        s = self.slot_of.pop(request)
        del self.at[(r.a, s)]
        del self.at[(r.b, s)]
        self.size[s] -= 1

    def _path(self, party: str, first: int, second: int) -> list[str]:
        """The meetings alternating slots ``first`` and ``second`` from ``party``."""
        path: list[str] = []
        colour, other = first, second
        while (request := self.at.get((party, colour))) is not None:
            path.append(request)
            r = self.requests[request]
            party = r.b if party == r.a else r.a
            colour, other = other, colour
        return path

    def shift(self, full: int, free: int) -> bool:
        """Move one meeting net from slot ``full`` to slot ``free`` along a path (True if
        one was found whose meetings all stay in slots their parties attend)."""
        for request in sorted(  # the last requests move first
            (q for q, s in self.slot_of.items() if s == full),
            key=self.order.__getitem__,
            reverse=True,
        ):
            r = self.requests[request]
            for party in (r.a, r.b):
                if (party, free) in self.at:
                    continue
                path = self._path(party, full, free)
                if len(path) % 2 == 0:
                    continue
                moves = [(q, free if i % 2 == 0 else full) for i, q in enumerate(path)]
                if not all(self.attends(q, s) for q, s in moves):
                    continue
                for q, _s in moves:
                    self.take(q)
                for q, s in moves:
                    self.put(q, s)
                return True
        return False

    def balance(self) -> None:
        progress = True
        while progress:
            progress = False
            for full in range(len(self.slots)):
                if self.size[full] <= self.rooms:
                    continue
                for free in sorted(range(len(self.slots)), key=lambda s: (self.size[s], s)):
                    if self.size[free] >= self.rooms:
                        break
                    if self.shift(full, free):
                        progress = True
                        break

    def trim(self) -> None:
        for s in range(len(self.slots)):
            held = sorted(
                (q for q, t in self.slot_of.items() if t == s), key=self.order.__getitem__
            )
            for request in reversed(held[self.rooms :]):
                self.take(request)

    def refill(self) -> None:
        for request in sorted(self.requests, key=self.order.__getitem__):
            if request in self.slot_of:
                continue
            r = self.requests[request]
            for s in range(len(self.slots)):
                if (
                    self.size[s] < self.rooms
                    and self.attends(request, s)
                    and (r.a, s) not in self.at
                    and (r.b, s) not in self.at
                ):
                    self.put(request, s)
                    break

    def placed(self) -> tuple[Placed, ...]:
        out: list[Placed] = []
        for s, slot in enumerate(self.slots):
            held = sorted(
                (q for q, t in self.slot_of.items() if t == s), key=self.order.__getitem__
            )
            out.extend(Placed(q, slot, room) for room, q in enumerate(held))
        return tuple(out)


def fit_rooms(event: Event, result: Schedule, rooms: int) -> RoomSchedule:
    """``result`` (the engine's schedule of ``event``) with at most ``rooms`` meetings per
    slot, each meeting in a room (see the module's docstring)."""
    if rooms < 0:
        raise ValueError("rooms must not be negative")
    fit = _Fit(event, result, rooms)
    fit.balance()
    fit.trim()
    fit.refill()
    meetings = fit.placed()
    held = {m.request for m in meetings}
    unscheduled = tuple(r.id for r in event.requests if r.id not in held)
    bound = min(result.bound, rooms * len(fit.slots))
    return RoomSchedule(meetings, unscheduled, bound, len(meetings) == bound)
