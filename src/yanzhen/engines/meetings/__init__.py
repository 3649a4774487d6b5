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

from yanzhen.engines.allocation import InputError, loads
from yanzhen.engines.meetings.checking import verify
from yanzhen.engines.meetings.model import (
    KIND_LABELS,
    KINDS,
    Event,
    Meeting,
    PartyKind,
    Request,
    Schedule,
)
from yanzhen.engines.meetings.parsing import parse_event, validate
from yanzhen.engines.meetings.solver import schedule

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
