"""The event and its schedule: slots, parties of three kinds, requests, meetings."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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
