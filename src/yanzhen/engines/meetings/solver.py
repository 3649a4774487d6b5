"""Scheduling: the requests chosen by a maximum flow, coloured into the slots, the left-overs
tried again, the slots augmented in rounds, and the upper bounds (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Sequence

from yanzhen.engines.meetings.flow import Network, bits, slot_rank
from yanzhen.engines.meetings.model import Event, Meeting, Schedule
from yanzhen.engines.meetings.parsing import validate


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
                for s in bits(self.common[r]):
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
        network = Network(2 + self.n_a + self.n_b)
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
        for alpha in bits(free_a):  # free at a, so taken at b
            for beta in bits(free_b):  # free at b, so taken at a
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
        for s in bits(mask):
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
        network = Network(2)
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
                for s in bits(self.common[r]):
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
                for s in bits(self.common[r]):
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
            network = Network(2)
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
    rank_a = [slot_rank([solver.common[r] for r in rs]) for rs in solver.by_a]
    rank_b = [slot_rank([solver.common[r] for r in rs]) for rs in solver.by_b]
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
