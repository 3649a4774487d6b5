"""Scheduling of the 1:1 meetings of a 云对接会 (online matchmaking event) into time slots.

Pure Python, no Django. An event has time slots, parties of three kinds (``enterprise``,
``university``, ``expert``) and meeting requests: each request ``(a, b)`` pairs an enterprise
``a`` with a university or an expert ``b``, so the requests form a bipartite graph. A party may
be unavailable in some slots. A schedule gives some requests a slot each such that

* no party has two meetings in the same slot, and
* both parties of a meeting are available in its slot.

A pair of parties is requested at most once (a second request of the same pair is refused: a
pair meets once per event; when both sides asked for the meeting, the caller merges the two
requests into one).

:func:`schedule` — the schedule, the number of meetings it cannot exceed (``bound``) and whether
it is proven optimal:

* **Every party available in every slot** (the usual case): the schedule is optimal. A set of
  requests can be scheduled in S slots exactly when no party is in more than S of them: such a
  bipartite graph of maximum degree ≤ S is S-edge-colourable (König, 1916). So the largest
  schedule is a maximum degree-constrained subgraph (a bipartite b-matching with b = S), found
  as a maximum flow source → enterprise (capacity S) → university or expert (one arc of
  capacity 1 per request) → sink (capacity S) by Dinic's algorithm, and coloured into the slots
  by alternating-path recolouring (Kempe chains): an edge whose two ends have no common free
  slot gets one after the two-coloured path from one end is swapped, which never reaches the
  other end in a bipartite graph. ``bound`` is the flow's value and ``optimal`` is true.
* **With unavailable slots** the problem is NP-hard (timetabling with availabilities, Even,
  Itai and Shamir 1976). The schedule is still conflict-free and respects every availability:

  1. the requests are chosen by the same maximum flow, each party's capacity its *rank* (how
     many of its requests can have distinct slots that both sides attend, a small bipartite
     matching), and coloured most constrained first, recolouring along a two-coloured path
     only when every moved meeting stays in a slot both its parties attend;
  2. every left-over request is tried again, directly, along such a path, or by moving one or
     two meetings out of its way (a chain that fails is undone);
  3. then, in rounds, each slot's meetings — a matching of the parties attending it — are grown
     along augmenting paths through the unscheduled requests (the meetings a path displaces
     leave the slot and are tried again in others), until a round adds nothing.

  ``bound`` is the least of three valid upper bounds: the value of the choosing flow; the
  maximum flow source → (enterprise, slot) → request → (university or expert, slot) → sink
  over the slots both attend, in which a request takes a slot of each party but not
  necessarily the same one (computed only when the schedule is below the first, starting from
  the schedule); and the sum over the slots of the largest matching of the requests both of
  whose parties attend the slot, in which a request may count in several slots. ``optimal``
  is true only when the schedule reaches the bound; ``bound - len(meetings)`` (``gap``) is how
  far it may be from the optimum.

:func:`verify` — everything wrong with a schedule (the command checks the engine's result before
writing it). :func:`parse_event` — the JSON input of ``yanzhen schedule_meetings``, with an
:class:`InputError` naming the place of every problem (``requests[3].b: 缺少字段``).

Everything is deterministic: ties are broken by the order of the slots and of the requests.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

# The JSON helpers of the allocation engine: a syntax error named by line and column, duplicate
# keys remembered, and the same error type for a place and its message.
from yanzhen.engines.allocation import InputError, loads

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "Event",
    "InputError",
    "Meeting",
    "PartyKind",
    "Request",
    "Schedule",
    "loads",
    "parse_event",
    "schedule",
    "validate",
    "verify",
]

PartyKind = Literal["enterprise", "university", "expert"]
KINDS: tuple[PartyKind, ...] = ("enterprise", "university", "expert")
KIND_LABELS: dict[str, str] = {"enterprise": "企业", "university": "高校", "expert": "专家"}
A_KINDS: frozenset[str] = frozenset({"enterprise"})
B_KINDS: frozenset[str] = frozenset({"university", "expert"})


@dataclass(frozen=True)
class Request:
    """A requested meeting between enterprise ``a`` and university or expert ``b``."""

    id: str
    a: str
    b: str


@dataclass(frozen=True)
class Event:
    """The slots (in their order), the parties with their kinds, the requests and, per party,
    the slots it cannot attend (parties not named attend every slot)."""

    slots: Sequence[str]
    parties: Mapping[str, PartyKind]
    requests: Sequence[Request]
    unavailable: Mapping[str, Collection[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Meeting:
    request: str
    slot: str


@dataclass(frozen=True)
class Schedule:
    """Meetings in slot order (then request order), unscheduled request ids in request order,
    an upper bound on the number of meetings of any schedule, and whether this one is proven
    to reach it."""

    meetings: tuple[Meeting, ...]
    unscheduled: tuple[str, ...]
    bound: int
    optimal: bool

    @property
    def gap(self) -> int:
        """How many meetings a better schedule could have at most."""
        return self.bound - len(self.meetings)

    def as_json(self) -> dict[str, Any]:
        return {
            "meetings": [{"request": m.request, "slot": m.slot} for m in self.meetings],
            "unscheduled": list(self.unscheduled),
            "bound": self.bound,
            "optimal": self.optimal,
        }


# Maximum flow --------------------------------------------------------------------------------


class _Network:
    """A flow network for Dinic's algorithm: arcs ``2k`` (forward) and ``2k + 1`` (reverse)."""

    __slots__ = ("adj", "cap", "to")

    def __init__(self, nodes: int) -> None:
        self.adj: list[list[int]] = [[] for _ in range(nodes)]
        self.to: list[int] = []
        self.cap: list[int] = []

    def add(self, u: int, v: int, capacity: int) -> int:
        arc = len(self.to)
        self.to += (v, u)
        self.cap += (capacity, 0)
        self.adj[u].append(arc)
        self.adj[v].append(arc + 1)
        return arc

    def add_node(self) -> int:
        self.adj.append([])
        return len(self.adj) - 1

    def max_flow(self, source: int, sink: int) -> int:
        """Dinic's algorithm. Every path found here carries one unit: in the networks of this
        module every path goes through an arc of capacity 1."""
        adj, to, cap = self.adj, self.to, self.cap
        n = len(adj)
        total = 0
        while True:
            level = [-1] * n
            level[source] = 0
            queue = [source]
            for u in queue:  # the list grows while it is read: a breadth-first search
                if u == sink:
                    break
                next_level = level[u] + 1
                for arc in adj[u]:
                    v = to[arc]
                    if cap[arc] and level[v] < 0:
                        level[v] = next_level
                        queue.append(v)
            if level[sink] < 0:
                return total
            pointer = [0] * n
            path: list[int] = []
            u = source
            while True:
                if u == sink:
                    for arc in path:
                        cap[arc] -= 1
                        cap[arc ^ 1] += 1
                    total += 1
                    path.clear()
                    u = source
                    continue
                arcs = adj[u]
                i = pointer[u]
                count = len(arcs)
                next_level = level[u] + 1
                while i < count:
                    arc = arcs[i]
                    if cap[arc] and level[to[arc]] == next_level:
                        break
                    i += 1
                pointer[u] = i
                if i < count:
                    path.append(arcs[i])
                    u = to[arcs[i]]
                elif u == source:
                    break
                else:  # a dead end: leave it out of this phase and step back
                    level[u] = -1
                    arc = path.pop()
                    u = to[arc ^ 1]
                    pointer[u] += 1


def _rank(slot_sets: Sequence[int]) -> int:
    """How many of the requests (each a bit set of the slots it may take) can have distinct
    slots at once: a maximum bipartite matching by augmenting paths found breadth-first, which
    stops once every slot that any of them may take is taken."""
    union = 0
    for mask in slot_sets:
        union |= mask
    limit = union.bit_count()
    holder: dict[int, int] = {}  # slot bit → request
    taken: dict[int, int] = {}  # request → slot bit
    matched = 0
    for i in range(len(slot_sets)):
        if matched == limit:
            break
        reached_by: dict[int, int] = {}  # slot bit → the request that reached it
        queue = [i]
        seen = 0
        free = 0
        for j in queue:
            mask = slot_sets[j] & ~seen
            seen |= mask
            while mask:
                low = mask & -mask
                mask ^= low
                reached_by[low] = j
                other = holder.get(low)
                if other is None:
                    free = low
                    break
                queue.append(other)
            if free:
                break
        if not free:
            continue
        slot = free
        while True:  # each request on the path takes the slot it reached; the first ends it
            j = reached_by[slot]
            previous = taken.get(j, 0)
            holder[slot] = j
            taken[j] = slot
            if j == i:
                break
            slot = previous
        matched += 1
    return matched


# Scheduling ----------------------------------------------------------------------------------


class _Solver:
    """The event as integers: enterprises 0..nA-1, the other side 0..nB-1, requests 0..R-1,
    slots as bits of an int."""

    def __init__(self, event: Event) -> None:
        self.event = event
        self.slots = list(event.slots)
        n_slots = len(self.slots)
        self.full = (1 << n_slots) - 1
        slot_bit = {s: 1 << i for i, s in enumerate(self.slots)}
        a_index: dict[str, int] = {}
        b_index: dict[str, int] = {}
        self.ra: list[int] = []
        self.rb: list[int] = []
        for request in event.requests:
            self.ra.append(a_index.setdefault(request.a, len(a_index)))
            self.rb.append(b_index.setdefault(request.b, len(b_index)))
        self.n_a, self.n_b = len(a_index), len(b_index)

        def availability(index: dict[str, int]) -> list[int]:
            out = []
            for party in index:
                mask = self.full
                for s in event.unavailable.get(party, ()):
                    mask &= ~slot_bit[s]
                out.append(mask)
            return out

        self.avail_a = availability(a_index)
        self.avail_b = availability(b_index)
        self.common = [
            self.avail_a[a] & self.avail_b[b] for a, b in zip(self.ra, self.rb, strict=True)
        ]
        self.plain = all(m == self.full for m in self.avail_a) and all(
            m == self.full for m in self.avail_b
        )
        self.by_a: list[list[int]] = [[] for _ in range(self.n_a)]
        self.by_b: list[list[int]] = [[] for _ in range(self.n_b)]
        self.by_slot: list[list[int]] = [[] for _ in range(n_slots)]
        for r, (a, b) in enumerate(zip(self.ra, self.rb, strict=True)):
            if self.common[r]:
                self.by_a[a].append(r)
                self.by_b[b].append(r)
                for s in _bits(self.common[r]):
                    self.by_slot[s].append(r)
        # The colouring: the request each party holds in each slot (-1: free), its busy slots.
        self.at_a = [[-1] * n_slots for _ in range(self.n_a)]
        self.at_b = [[-1] * n_slots for _ in range(self.n_b)]
        self.busy_a = [0] * self.n_a
        self.busy_b = [0] * self.n_b
        self.slot_of = [-1] * len(self.ra)
        self.journal: list[tuple[int, int]] = []  # (request, its slot before; -1: none)

    # The choice of requests: a maximum flow with the parties' capacities.

    def choose(self, cap_a: Sequence[int], cap_b: Sequence[int]) -> tuple[list[int], int]:
        source, sink = 0, 1
        network = _Network(2 + self.n_a + self.n_b)
        for a in range(self.n_a):
            if cap_a[a]:
                network.add(source, 2 + a, cap_a[a])
        request_arcs = [
            (r, network.add(2 + self.ra[r], 2 + self.n_a + self.rb[r], 1))
            for r in range(len(self.ra))
            if self.common[r]
        ]
        for b in range(self.n_b):
            if cap_b[b]:
                network.add(2 + self.n_a + b, sink, cap_b[b])
        value = network.max_flow(source, sink)
        cap = network.cap
        return [r for r, arc in request_arcs if cap[arc] == 0], value

    # The colouring. Every change goes through _put and _take, which keep a journal so that a
    # chain of moves that fails half-way is undone.

    def _put(self, r: int, s: int) -> None:
        a, b = self.ra[r], self.rb[r]
        self.at_a[a][s] = r
        self.at_b[b][s] = r
        self.busy_a[a] |= 1 << s
        self.busy_b[b] |= 1 << s
        self.slot_of[r] = s
        self.journal.append((r, -1))

    def _take(self, r: int) -> None:
        s = self.slot_of[r]
        a, b = self.ra[r], self.rb[r]
        self.at_a[a][s] = -1
        self.at_b[b][s] = -1
        self.busy_a[a] &= ~(1 << s)
        self.busy_b[b] &= ~(1 << s)
        self.slot_of[r] = -1
        self.journal.append((r, s))

    def _undo(self, mark: int) -> None:
        """Undo every change made since the journal had ``mark`` entries."""
        for r, old in reversed(self.journal[mark:]):
            if old < 0:
                self._take(r)
            else:
                self._put(r, old)
        del self.journal[mark:]

    def _path(self, start: int, on_b: bool, first: int, second: int) -> list[int] | None:
        """The meetings on the path from party ``start`` that alternates slots ``first`` and
        ``second``, or None if one of them cannot be held in the other slot."""
        path: list[int] = []
        x, colour, other = start, first, second
        common = self.common
        while True:
            r = self.at_b[x][colour] if on_b else self.at_a[x][colour]
            if r < 0:
                return path
            if not (common[r] >> other) & 1:
                return None
            path.append(r)
            x = self.ra[r] if on_b else self.rb[r]
            on_b = not on_b
            colour, other = other, colour

    def _swap(self, path: list[int], first: int, second: int) -> None:
        old = [self.slot_of[r] for r in path]
        for r in path:
            self._take(r)
        for r, s in zip(path, old, strict=True):
            self._put(r, second if s == first else first)

    def place(self, r: int) -> bool:
        """Give request ``r`` a slot, directly or after swapping a two-coloured path."""
        a, b, mask = self.ra[r], self.rb[r], self.common[r]
        free_a = mask & ~self.busy_a[a]
        free_b = mask & ~self.busy_b[b]
        both = free_a & free_b
        if both:
            self._put(r, (both & -both).bit_length() - 1)
            return True
        for alpha in _bits(free_a):  # free at a, so taken at b
            for beta in _bits(free_b):  # free at b, so taken at a
                # From b along alpha, beta, …: b has no beta meeting, so this is a path (not a
                # cycle), and it never reaches a, which has no alpha meeting.
                path = self._path(b, True, alpha, beta)
                if path is not None:
                    self._swap(path, alpha, beta)
                    self._put(r, alpha)
                    return True
                path = self._path(a, False, beta, alpha)
                if path is not None:
                    self._swap(path, beta, alpha)
                    self._put(r, beta)
                    return True
        return False

    def relocate(self, x: int, depth: int) -> bool:
        """Give the unplaced request ``x`` a slot: directly, or by taking out the meetings of
        its parties in one of its slots and giving each of them a slot the same way, at most
        ``depth`` moves deep. Nothing changes when it fails."""
        a, b, mask = self.ra[x], self.rb[x], self.common[x]
        busy_a, busy_b = self.busy_a[a], self.busy_b[b]
        both = mask & ~busy_a & ~busy_b
        if both:
            self._put(x, (both & -both).bit_length() - 1)
            return True
        # Every other meeting keeps a slot, so each party needs a slot it can attend left.
        if depth == 0 or not self.avail_a[a] & ~busy_a or not self.avail_b[b] & ~busy_b:
            return False
        for s in _bits(mask):
            mark = len(self.journal)
            blockers = [y for y in (self.at_a[a][s], self.at_b[b][s]) if y >= 0]
            for y in blockers:
                self._take(y)
            self._put(x, s)
            if all(self.relocate(y, depth - 1) for y in blockers):
                return True
            self._undo(mark)
        return False

    def retry(self) -> int:
        """Try every left-over request again (:meth:`place`, then :meth:`relocate`); returns
        how many meetings there are now."""
        for r, mask in enumerate(self.common):
            if mask and self.slot_of[r] < 0 and not self.place(r):
                self.relocate(r, MOVES)
            self.journal.clear()
        return sum(1 for s in self.slot_of if s >= 0)

    def augment_slot(self, s: int) -> int:
        """More meetings in slot ``s``: its meetings are a matching of the parties that attend
        it, grown along augmenting paths (a free enterprise, an unscheduled request, a meeting
        held in ``s``, an unscheduled request, …, a free university or expert). The meetings
        of the path leave ``s`` unscheduled and its requests take ``s``: one meeting more per
        path. Returns how many were added."""
        bit = 1 << s
        at_a, at_b, ra, rb = self.at_a, self.at_b, self.ra, self.rb
        edges: dict[int, list[int]] = {}
        for r in self.by_slot[s]:
            if self.slot_of[r] < 0:
                edges.setdefault(ra[r], []).append(r)
        added = 0
        while True:
            # Breadth-first from every enterprise free in s; parent[b] = the request that
            # reached b, through its enterprise.
            parent: dict[int, int] = {}
            queue = [a for a in edges if not self.busy_a[a] & bit]
            seen_a = set(queue)
            end = -1
            for a in queue:
                for r in edges.get(a, ()):
                    if self.slot_of[r] >= 0:
                        continue
                    b = rb[r]
                    if b in parent:
                        continue
                    parent[b] = r
                    held = at_b[b][s]
                    if held < 0:
                        end = b
                        break
                    other = ra[held]
                    if other not in seen_a:
                        seen_a.add(other)
                        queue.append(other)
                if end >= 0:
                    break
            if end < 0:
                return added
            path: list[int] = []  # the unscheduled requests of the path, from its end
            b = end
            while True:
                r = parent[b]
                path.append(r)
                held = at_a[ra[r]][s]
                if held < 0:
                    break
                b = rb[held]
            for r in path:
                held = at_a[ra[r]][s]
                if held >= 0:
                    self._take(held)
                    edges.setdefault(ra[held], []).append(held)
            for r in path:
                self._put(r, s)
            added += 1

    def result(self, bound: int) -> Schedule:
        requests = self.event.requests
        placed = sorted((s, r) for r, s in enumerate(self.slot_of) if s >= 0)
        meetings = tuple(Meeting(requests[r].id, self.slots[s]) for s, r in placed)
        unscheduled = tuple(requests[r].id for r, s in enumerate(self.slot_of) if s < 0)
        return Schedule(meetings, unscheduled, bound, len(meetings) == bound)

    # The bound with unavailable slots.

    def relaxed_bound(self, rank_a: Sequence[int], rank_b: Sequence[int]) -> int:
        """The maximum flow source → (enterprise, slot) → request → (other party, slot) → sink
        over the requests' common slots, each node of a party and a slot of capacity 1. A party
        whose requests can all have distinct slots at once (its rank is their number) needs no
        slot nodes: its requests connect to the source (or the sink) directly. The flow starts
        from the current schedule, which is a flow of this network."""
        network = _Network(2)
        source, sink = 0, 1
        slot_of = self.slot_of
        routes: list[int] = []  # the arcs of the scheduled meetings' paths

        def route(r: int, s: int, arc: int) -> None:
            if s >= 0 and slot_of[r] == s:
                routes.append(arc)

        free_a = [rank_a[a] == len(rs) for a, rs in enumerate(self.by_a)]
        free_b = [rank_b[b] == len(rs) for b, rs in enumerate(self.by_b)]
        entry = [-1] * len(self.ra)
        exit_ = [-1] * len(self.ra)
        for r, mask in enumerate(self.common):
            if not mask:
                continue
            entry[r] = network.add_node()
            if free_a[self.ra[r]] or free_b[self.rb[r]]:
                exit_[r] = entry[r]  # at most one unit already, through the free side's arc
            else:
                exit_[r] = network.add_node()
                route(r, slot_of[r], network.add(entry[r], exit_[r], 1))
        for a, rs in enumerate(self.by_a):
            if free_a[a]:
                for r in rs:
                    route(r, slot_of[r], network.add(source, entry[r], 1))
                continue
            nodes: dict[int, int] = {}
            for r in rs:
                for s in _bits(self.common[r]):
                    node = nodes.get(s)
                    if node is None:
                        node = nodes[s] = network.add_node()
                        arc = network.add(source, node, 1)
                        if self.at_a[a][s] >= 0:
                            routes.append(arc)
                    route(r, s, network.add(node, entry[r], 1))
        for b, rs in enumerate(self.by_b):
            if free_b[b]:
                for r in rs:
                    route(r, slot_of[r], network.add(exit_[r], sink, 1))
                continue
            nodes = {}
            for r in rs:
                for s in _bits(self.common[r]):
                    node = nodes.get(s)
                    if node is None:
                        node = nodes[s] = network.add_node()
                        arc = network.add(node, sink, 1)
                        if self.at_b[b][s] >= 0:
                            routes.append(arc)
                    route(r, s, network.add(exit_[r], node, 1))
        cap = network.cap
        for arc in routes:
            cap[arc] -= 1
            cap[arc ^ 1] += 1
        return sum(1 for s in slot_of if s >= 0) + network.max_flow(source, sink)

    def slot_bound(self) -> int:
        """The sum over the slots of the largest matching of the requests both of whose parties
        attend the slot: the meetings of one slot are such a matching. (A request counts in
        every slot it may take, which the other bound does not allow; this one holds each slot
        to one meeting per party, which the other relaxes.)"""
        total = 0
        for requests in self.by_slot:
            a_node: dict[int, int] = {}
            b_node: dict[int, int] = {}
            network = _Network(2)
            for r in requests:
                a, b = self.ra[r], self.rb[r]
                u = a_node.get(a)
                if u is None:
                    u = a_node[a] = network.add_node()
                    network.add(0, u, 1)
                v = b_node.get(b)
                if v is None:
                    v = b_node[b] = network.add_node()
                    network.add(v, 1, 1)
                network.add(u, v, 1)
            total += network.max_flow(0, 1)
        return total


MOVES = 2  # how deep a chain of moved meetings may go to make room for a left-over request
ROUNDS = 8  # at most this many rounds of augmenting the slots (each round adds meetings)


def _bits(mask: int) -> Iterator[int]:
    """The positions of the set bits, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def schedule(event: Event) -> Schedule:
    """The meetings of ``event`` in its slots (see the module's docstring). Raises
    :class:`InputError` for an event that :func:`validate` refuses."""
    validate(event)
    solver = _Solver(event)
    n_slots = len(solver.slots)
    if solver.plain:
        chosen, value = solver.choose([n_slots] * solver.n_a, [n_slots] * solver.n_b)
        for r in chosen:
            if not solver.place(r):  # König: cannot happen with maximum degree ≤ S
                raise AssertionError(f"request {r} could not be coloured")
        return solver.result(value)
    rank_a = [_rank([solver.common[r] for r in rs]) for rs in solver.by_a]
    rank_b = [_rank([solver.common[r] for r in rs]) for rs in solver.by_b]
    chosen, value = solver.choose(rank_a, rank_b)
    chosen.sort(key=lambda r: (solver.common[r].bit_count(), r))
    for r in chosen:
        solver.place(r)
    count = solver.retry()
    bound = value  # a schedule is a flow of the network of the choice: a valid upper bound
    for _round in range(ROUNDS):
        if count == bound:
            break
        added = sum(solver.augment_slot(s) for s in range(n_slots))
        if not added:
            break
        count = solver.retry()
    if count < bound:
        bound = min(bound, solver.relaxed_bound(rank_a, rank_b))
    if count < bound:
        bound = min(bound, solver.slot_bound())
    return solver.result(bound)


# Checking ------------------------------------------------------------------------------------


def verify(event: Event, result: Schedule) -> list[str]:
    """Everything wrong with ``result`` as a schedule of ``event`` (in Chinese)."""
    problems: list[str] = []
    requests = {r.id: r for r in event.requests}
    slots = set(event.slots)
    unavailable = {p: set(ss) for p, ss in event.unavailable.items()}
    seen: set[str] = set()
    held: dict[tuple[str, str], str] = {}
    for m in result.meetings:
        request = requests.get(m.request)
        if request is None:
            problems.append(f"未知的约见请求 {m.request}")
            continue
        if m.request in seen:
            problems.append(f"约见请求 {m.request} 被安排了不止一次")
            continue
        seen.add(m.request)
        if m.slot not in slots:
            problems.append(f"约见请求 {m.request} 的时段 {m.slot} 不存在")
            continue
        for party in (request.a, request.b):
            if m.slot in unavailable.get(party, ()):
                problems.append(f"{party} 在时段 {m.slot} 不能参会，却被安排了 {m.request}")
            other = held.setdefault((party, m.slot), m.request)
            if other != m.request:
                problems.append(f"{party} 在时段 {m.slot} 同时有 {other} 和 {m.request}")
    expected = [r.id for r in event.requests if r.id not in seen]
    if list(result.unscheduled) != expected:
        problems.append("未安排的约见请求与安排结果不符")
    if len(result.meetings) > result.bound:
        problems.append(f"安排了 {len(result.meetings)} 场，超过上界 {result.bound}")
    if result.optimal and len(result.meetings) != result.bound:
        problems.append("标为最优，但安排的场数不等于上界")
    return problems


# Input ---------------------------------------------------------------------------------------


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def validate(event: Event) -> None:
    """Refuse an event with an :class:`InputError` at the place of its first problem: repeated
    or empty slots and ids, unknown kinds, parties or slots, an ``a`` that is not an enterprise,
    a ``b`` that is neither a university nor an expert, a pair requested twice."""
    slot_at: dict[str, int] = {}
    for i, slot in enumerate(event.slots):
        if not slot:
            raise InputError(f"slots[{i}]", "时段名称不能为空")
        if slot in slot_at:
            raise InputError(
                f"slots[{i}]", f"重复的时段 {_quote(slot)}（已在 [{slot_at[slot]}] 出现）"
            )
        slot_at[slot] = i
    for party, kind in event.parties.items():
        where = f"parties[{_quote(party)}]"
        if not party:
            raise InputError(where, "参会方 id 不能为空")
        if kind not in KINDS:
            raise InputError(
                where,
                f'未知的类型 {_quote(str(kind))}（应为 "enterprise"、"university" 或 "expert"）',
            )
    request_at: dict[str, int] = {}
    pair_at: dict[tuple[str, str], int] = {}
    for i, request in enumerate(event.requests):
        where = f"requests[{i}]"
        if not request.id:
            raise InputError(f"{where}.id", "不能为空")
        if request.id in request_at:
            raise InputError(
                f"{where}.id",
                f"重复的约见请求 id {_quote(request.id)}（已在 requests[{request_at[request.id]}] 出现）",
            )
        request_at[request.id] = i
        for side, party, allowed, wanted in (
            ("a", request.a, A_KINDS, "企业"),
            ("b", request.b, B_KINDS, "高校或专家"),
        ):
            given = event.parties.get(party)
            if given is None:
                raise InputError(
                    f"{where}.{side}", f"未知的参会方 {_quote(party)}（parties 中没有）"
                )
            if given not in allowed:
                raise InputError(
                    f"{where}.{side}",
                    f"{_quote(party)} 是{KIND_LABELS[given]}，{side} 应为{wanted}",
                )
        pair = (request.a, request.b)
        if pair in pair_at:
            raise InputError(
                where,
                f"与 requests[{pair_at[pair]}] 是同一对参会方（{_quote(request.a)} 与 "
                f"{_quote(request.b)}），同一对只能约见一次",
            )
        pair_at[pair] = i
    for party, slots in event.unavailable.items():
        where = f"unavailable[{_quote(party)}]"
        if party not in event.parties:
            raise InputError(where, f"未知的参会方 {_quote(party)}（parties 中没有）")
        for j, slot in enumerate(slots):
            if slot not in slot_at:
                raise InputError(f"{where}[{j}]", f"未知的时段 {_quote(slot)}")


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list):
        return "列表"
    return "对象"


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(where, f"应为 JSON 对象，实际为{_type(value)}")
    duplicates = getattr(value, "duplicates", [])
    if duplicates:
        raise InputError(f"{where}[{_quote(duplicates[0])}]", "键重复")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(where, f"应为列表，实际为{_type(value)}")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(where, f"应为字符串，实际为{_type(value)}")
    return value


def parse_event(data: Any) -> Event:
    """``{"slots": [...], "parties": {id: kind}, "requests": [{"id", "a", "b"}],
    "unavailable": {party: [slots]}}`` → :class:`Event` (``unavailable`` may be left out), then
    :func:`validate`. A place is named as in ``requests[3].b`` or ``unavailable["E1"][0]``."""
    root = _object(data, "$")
    for key in root:
        if key not in ("slots", "parties", "requests", "unavailable"):
            raise InputError(
                f"$[{_quote(key)}]",
                '未知的字段（应为 "slots"、"parties"、"requests" 或 "unavailable"）',
            )
    for key in ("slots", "parties", "requests"):
        if key not in root:
            raise InputError(key, "缺少字段")
    slots = [_string(s, f"slots[{i}]") for i, s in enumerate(_list(root["slots"], "slots"))]
    parties: dict[str, PartyKind] = {}
    for party, kind in _object(root["parties"], "parties").items():
        where = f"parties[{_quote(party)}]"
        if not isinstance(kind, str):
            raise InputError(where, f"类型应为字符串，实际为{_type(kind)}")
        parties[party] = cast(PartyKind, kind)
    requests: list[Request] = []
    for i, item in enumerate(_list(root["requests"], "requests")):
        where = f"requests[{i}]"
        obj = _object(item, where)
        for key in obj:
            if key not in ("id", "a", "b"):
                raise InputError(f"{where}[{_quote(key)}]", '未知的字段（应为 "id"、"a" 和 "b"）')
        values = []
        for key in ("id", "a", "b"):
            if key not in obj:
                raise InputError(f"{where}.{key}", "缺少字段")
            values.append(_string(obj[key], f"{where}.{key}"))
        requests.append(Request(*values))
    unavailable: dict[str, list[str]] = {}
    for party, slots_in in _object(root.get("unavailable", {}), "unavailable").items():
        where = f"unavailable[{_quote(party)}]"
        listed: dict[str, int] = {}
        for j, slot in enumerate(_list(slots_in, where)):
            _string(slot, f"{where}[{j}]")
            if slot in listed:
                raise InputError(
                    f"{where}[{j}]", f"重复的时段 {_quote(slot)}（已在 [{listed[slot]}] 出现）"
                )
            listed[slot] = j
        unavailable[party] = list(listed)
    event = Event(tuple(slots), parties, tuple(requests), unavailable)
    validate(event)
    return event
