"""Capacitated stable allocation (hospitals/residents) by deferred acceptance.

Pure Python, no Django. Applicants rank host units (best first); each unit has a capacity and
ranks applicants (best first). A pair is *acceptable* only when each side ranks the other: a
unit that does not rank an applicant is unacceptable to that applicant, and vice versa.

* :func:`solve` — the applicant-optimal stable matching (applicants propose; the default) or
  the unit-optimal one (units propose). Both are unique, so the result does not depend on the
  order in which proposals are made.
* :func:`verify` — what is wrong with an assignment: blocking pairs, over-full units,
  unacceptable or unknown pairs. A result is shown only when this is empty.
* :func:`blocking_pairs`, :func:`rank_distribution`, :func:`unmatched_reasons`,
  :func:`stats` — what the allocation page and the command line show.
* :func:`loads` and :func:`parse_instance` — the JSON input of ``yanzhen allocate``, with an
  :class:`InputError` naming the place of every problem (duplicate keys included).

The implementation keeps, per unit, a heap of the applicants it holds keyed by their rank, so
a proposal costs O(log capacity); an instance is solved in O(total length of the lists).
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

Optimal = Literal["applicant", "unit"]
OPTIMAL_CHOICES: tuple[Optimal, ...] = ("applicant", "unit")


@dataclass(frozen=True)
class HostUnit:
    """A unit's capacity and its ranking of applicants, best first."""

    capacity: int
    ranking: tuple[str, ...] = ()


@dataclass
class Instance:
    """Applicants' preferences (unit ids, best first) and the units."""

    applicants: Mapping[str, Sequence[str]]
    units: Mapping[str, HostUnit]

    @cached_property
    def unit_ranks(self) -> dict[str, dict[str, int]]:
        """For each unit, applicant id → position in its ranking (0 = best)."""
        return {
            u: dict(zip(spec.ranking, range(len(spec.ranking)), strict=True))
            for u, spec in self.units.items()
        }


Assignment = Mapping[str, str | None]


# Solving -------------------------------------------------------------------------------------


def solve(instance: Instance, optimal: Optimal = "applicant") -> dict[str, str | None]:
    """The stable matching optimal for ``optimal``'s side: applicant id → unit id or None."""
    if optimal == "applicant":
        return _applicants_propose(instance)
    if optimal == "unit":
        matched = _units_propose(instance)
        return {a: matched.get(a) for a in instance.applicants}
    raise ValueError(f"optimal must be 'applicant' or 'unit', not {optimal!r}")


def _applicants_propose(instance: Instance) -> dict[str, str | None]:
    # The hot loop makes one proposal per step, about 150,000 at NRMP scale (40,000×5,000),
    # and is bound by memory: looking the applicant up in the unit's table of ranks misses the
    # cache. So everything else stays small and is bound once per unit: ``state[u]`` is
    # (the ``get`` of its table, the heap of the ranks it holds, its capacity, its ranking).
    # The tables map applicant → *negated* rank, with the values shared by every unit (one
    # int object per position, not one per pair: fewer objects to build and to read), so
    # that the heap, a min-heap, has the worst applicant held at ``heap[0]``. A rank names
    # its applicant (``ranking[-negated]``), so the heaps hold plain integers and the
    # matching is read from them at the end. Each applicant proposes down its list; one who
    # displaces another hands over to the displaced, who goes on after the unit that let it go.
    prefs = instance.applicants
    longest = max((len(spec.ranking) for spec in instance.units.values()), default=0)
    negated = [-r for r in range(longest)]
    state = {
        u: (
            dict(zip(spec.ranking, negated, strict=False)).get,
            list[int](),
            spec.capacity,
            spec.ranking,
        )
        for u, spec in instance.units.items()
    }
    push, replace = heapq.heappush, heapq.heapreplace
    for a in prefs:
        choices = prefs[a]
        i, n = 0, len(choices)
        while i < n:
            u = choices[i]
            i += 1
            rank_of, heap, capacity, ranking = state[u]
            r = rank_of(a)
            if r is None:  # the unit does not rank ``a``: unacceptable both ways
                continue
            if len(heap) < capacity:
                push(heap, r)
                break
            if heap and heap[0] < r:  # the worst applicant held ranks below ``a``
                a = ranking[-replace(heap, r)]
                choices = prefs[a]
                i, n = choices.index(u) + 1, len(choices)
    matched: dict[str, str | None] = dict.fromkeys(prefs)
    for u, (_rank_of, heap, _capacity, ranking) in state.items():
        for r in heap:
            matched[ranking[-r]] = u
    return matched


def _units_propose(instance: Instance) -> dict[str, str]:
    prefs = instance.applicants
    applicant_ranks = {a: {u: i for i, u in enumerate(choices)} for a, choices in prefs.items()}
    match: dict[str, str] = {}
    count = dict.fromkeys(instance.units, 0)
    position = dict.fromkeys(instance.units, 0)
    pending = [u for u, spec in instance.units.items() if spec.capacity > 0]
    pending.reverse()
    while pending:
        u = pending.pop()
        spec = instance.units[u]
        ranking, cap = spec.ranking, spec.capacity
        i, n = position[u], len(ranking)
        while count[u] < cap and i < n:
            a = ranking[i]
            i += 1
            mine = applicant_ranks.get(a, {}).get(u)
            if mine is None:
                continue
            current = match.get(a)
            if current is None:
                match[a] = u
                count[u] += 1
            elif mine < applicant_ranks[a][current]:
                match[a] = u
                count[u] += 1
                count[current] -= 1
                pending.append(current)
        position[u] = i
    return match


# Checking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason an assignment is not a valid stable allocation."""

    code: Literal["unknown", "unacceptable", "over_capacity", "blocking_pair"]
    applicant: str
    unit: str
    message: str


def blocking_pairs(
    instance: Instance, assignment: Assignment, *, limit: int | None = None
) -> list[tuple[str, str]]:
    """Pairs (applicant, unit), mutually acceptable, that both prefer each other to what the
    assignment gives them: the applicant is unmatched or prefers the unit to its own, and the
    unit has a free place or prefers the applicant to one it holds."""
    ranks = instance.unit_ranks
    held: Counter[str] = Counter()
    worst: dict[str, int] = {}
    for a, u in assignment.items():
        if u is None or u not in ranks:
            continue
        held[u] += 1
        held_rank = ranks[u].get(a, len(ranks[u]))
        if held_rank > worst.get(u, -1):
            worst[u] = held_rank
    found: list[tuple[str, str]] = []
    for a, choices in instance.applicants.items():
        own = assignment.get(a)
        for u in choices:
            if u == own:
                break
            r = ranks[u].get(a)
            if r is None:
                continue
            if held[u] < instance.units[u].capacity or r < worst.get(u, -1):
                found.append((a, u))
                if limit is not None and len(found) >= limit:
                    return found
    return found


def verify(instance: Instance, assignment: Assignment, *, limit: int = 50) -> list[Problem]:
    """Everything wrong with ``assignment`` (at most ``limit`` blocking pairs listed)."""
    problems: list[Problem] = []
    ranks = instance.unit_ranks
    load: Counter[str] = Counter()
    for a, u in assignment.items():
        if u is None:
            continue
        if a not in instance.applicants or u not in instance.units:
            problems.append(Problem("unknown", a, u, f"未知的申请人或单位：{a} → {u}"))
            continue
        load[u] += 1
        if u not in instance.applicants[a] or a not in ranks[u]:
            problems.append(Problem("unacceptable", a, u, f"{a} 与 {u} 并非双方互选，不能匹配"))
    for u, n in sorted(load.items()):
        capacity = instance.units[u].capacity
        if n > capacity:
            problems.append(
                Problem("over_capacity", "", u, f"{u} 接收 {n} 人，超过名额 {capacity} 人")
            )
    for a, u in blocking_pairs(instance, assignment, limit=limit):
        problems.append(
            Problem(
                "blocking_pair",
                a,
                u,
                f"{a} 更愿意去 {u}，而 {u} 有空余名额或更愿意接收 {a}：分配不稳定",
            )
        )
    return problems


# Figures ------------------------------------------------------------------------------------


def choice_rank(instance: Instance, applicant: str, unit: str | None) -> int | None:
    """1 for the applicant's first choice, 2 for the second, …; None if unmatched/unlisted."""
    if unit is None:
        return None
    choices = instance.applicants.get(applicant, ())
    try:
        return list(choices).index(unit) + 1
    except ValueError:
        return None


def rank_distribution(instance: Instance, assignment: Assignment) -> dict[int, int]:
    """How many applicants got their 1st, 2nd, … choice (ranks in increasing order)."""
    counts: Counter[int] = Counter()
    for a, u in assignment.items():
        rank = choice_rank(instance, a, u)
        if rank is not None:
            counts[rank] += 1
    return dict(sorted(counts.items()))


UnmatchedCode = Literal["no_choices", "not_ranked", "no_capacity", "outranked"]
UNMATCHED_LABELS: dict[str, str] = {
    "no_choices": "未填报任何志愿单位",
    "not_ranked": "所填志愿单位均未将其列入排序",
    "no_capacity": "所填志愿单位名额为零",
    "outranked": "所填志愿单位均已满额，且已录取者排序都在其前",
}


@dataclass(frozen=True)
class UnitVerdict:
    """Why one listed unit did not take an unmatched applicant."""

    unit: str
    code: Literal["unknown", "not_ranked", "no_capacity", "outranked", "has_room"]
    applicant_rank: int | None = None  # the unit's rank of the applicant (1 = best)
    last_admitted_rank: int | None = None  # the unit's rank of the worst applicant it holds


@dataclass(frozen=True)
class Unmatched:
    applicant: str
    code: UnmatchedCode
    units: tuple[UnitVerdict, ...] = field(default=())

    @property
    def label(self) -> str:
        return UNMATCHED_LABELS[self.code]


def unmatched_reasons(instance: Instance, assignment: Assignment) -> dict[str, Unmatched]:
    """For every unmatched applicant, why: unit by unit, then a summary code."""
    ranks = instance.unit_ranks
    held: Counter[str] = Counter()
    worst: dict[str, int] = {}
    for a, u in assignment.items():
        if u is not None and u in ranks:
            held[u] += 1
            worst[u] = max(worst.get(u, -1), ranks[u].get(a, -1))
    out: dict[str, Unmatched] = {}
    for a, choices in instance.applicants.items():
        if assignment.get(a) is not None:
            continue
        verdicts: list[UnitVerdict] = []
        for u in choices:
            if u not in instance.units:
                verdicts.append(UnitVerdict(u, "unknown"))
                continue
            r = ranks[u].get(a)
            if r is None:
                verdicts.append(UnitVerdict(u, "not_ranked"))
            elif instance.units[u].capacity <= 0:
                verdicts.append(UnitVerdict(u, "no_capacity", r + 1))
            elif held[u] >= instance.units[u].capacity:
                verdicts.append(UnitVerdict(u, "outranked", r + 1, worst[u] + 1))
            else:
                verdicts.append(UnitVerdict(u, "has_room", r + 1))
        codes = {v.code for v in verdicts}
        code: UnmatchedCode
        if not verdicts:
            code = "no_choices"
        elif "outranked" in codes or "has_room" in codes:
            code = "outranked"
        elif "no_capacity" in codes:
            code = "no_capacity"
        else:
            code = "not_ranked"
        out[a] = Unmatched(a, code, tuple(verdicts))
    return out


def stats(
    instance: Instance, assignment: Assignment, *, optimal: Optimal = "applicant"
) -> dict[str, Any]:
    """The figures of an allocation, JSON-ready and deterministic."""
    matched = sum(1 for u in assignment.values() if u is not None)
    reasons = unmatched_reasons(instance, assignment)
    load = Counter(u for u in assignment.values() if u is not None)
    return {
        "optimal": optimal,
        "applicants": len(instance.applicants),
        "units": len(instance.units),
        "capacity": sum(spec.capacity for spec in instance.units.values()),
        "matched": matched,
        "unmatched": len(instance.applicants) - matched,
        "rank_distribution": {
            str(k): v for k, v in rank_distribution(instance, assignment).items()
        },
        "unmatched_reasons": dict(sorted(Counter(r.code for r in reasons.values()).items())),
        "unfilled_places": {
            u: spec.capacity - load[u]
            for u, spec in instance.units.items()
            if spec.capacity > load[u]
        },
        "blocking_pairs": len(blocking_pairs(instance, assignment)),
    }


# Input ---------------------------------------------------------------------------------------


class InputError(ValueError):
    """A problem in the input, with the place it was found (``units["u1"].capacity``)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it saw more than once."""

    duplicates: list[str]


def _object_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj and key not in obj.duplicates:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def loads(text: str, *, source: str = "input") -> Any:
    """Parse JSON text; a syntax error names the line and column."""
    try:
        return json.loads(text, object_pairs_hook=_object_pairs)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{source}:{error.lineno}:{error.colno}", f"JSON 格式错误：{error.msg}"
        ) from error


def _key(where: str, key: str) -> str:
    return f"{where}[{json.dumps(key, ensure_ascii=False)}]"


def _object(value: Any, where: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(where, f"{what}应为 JSON 对象，实际为{json_type(value)}")
    duplicates = getattr(value, "duplicates", [])
    if duplicates:
        raise InputError(_key(where, duplicates[0]), "键重复")
    return value


def _id_list(value: Any, where: str, what: str) -> list[str]:
    if not isinstance(value, list):
        raise InputError(where, f"{what}应为列表，实际为{json_type(value)}")
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise InputError(f"{where}[{index}]", f"应为字符串 id，实际为{json_type(item)}")
        if item in seen:
            raise InputError(
                f"{where}[{index}]",
                f"重复的条目 {json.dumps(item, ensure_ascii=False)}（已在 [{seen[item]}] 出现）",
            )
        seen[item] = index
    return list(value)


def json_type(value: Any) -> str:
    """The JSON type of ``value`` as an error message names it (对象, 列表…)."""
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


def parse_instance(data: Any) -> Instance:
    """``{"applicants": {id: [unit ids]}, "units": {id: {"capacity", "ranking"}}}`` → Instance.

    Every id must be known, no list may repeat an entry, capacities are integers ≥ 0.
    """
    root = _object(data, "$", "输入")
    unknown = sorted(set(root) - {"applicants", "units"})
    if unknown:
        raise InputError(_key("$", unknown[0]), '未知的键（应为 "applicants" 和 "units"）')
    for name in ("applicants", "units"):
        if name not in root:
            raise InputError("$", f'缺少键 "{name}"')
    applicants_in = _object(root["applicants"], "applicants", "applicants ")
    units_in = _object(root["units"], "units", "units ")
    units: dict[str, HostUnit] = {}
    for unit_id, spec_in in units_in.items():
        where = _key("units", unit_id)
        spec = _object(spec_in, where, "单位")
        extra = sorted(set(spec) - {"capacity", "ranking"})
        if extra:
            raise InputError(_key(where, extra[0]), '未知的键（应为 "capacity" 和 "ranking"）')
        if "capacity" not in spec:
            raise InputError(where, '缺少键 "capacity"')
        capacity = spec["capacity"]
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise InputError(f"{where}.capacity", f"应为整数，实际为{json_type(capacity)}")
        if capacity < 0:
            raise InputError(f"{where}.capacity", f"不能为负数（为 {capacity}）")
        ranking = _id_list(spec.get("ranking", []), f"{where}.ranking", "排序")
        for index, a in enumerate(ranking):
            if a not in applicants_in:
                raise InputError(
                    f"{where}.ranking[{index}]",
                    f"未知的申请人 {json.dumps(a, ensure_ascii=False)}",
                )
        units[unit_id] = HostUnit(capacity, tuple(ranking))
    applicants: dict[str, list[str]] = {}
    for applicant_id, prefs_in in applicants_in.items():
        where = _key("applicants", applicant_id)
        prefs = _id_list(prefs_in, where, "志愿")
        for index, u in enumerate(prefs):
            if u not in units:
                raise InputError(
                    f"{where}[{index}]", f"未知的单位 {json.dumps(u, ensure_ascii=False)}"
                )
        applicants[applicant_id] = prefs
    return Instance(applicants, units)
