"""Maximum flow (Dinic) and the bipartite matching of requests to slots (a party's rank)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence


class Network:
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


def slot_rank(slot_sets: Sequence[int]) -> int:
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


def bits(mask: int) -> Iterator[int]:
    """The positions of the set bits, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low
