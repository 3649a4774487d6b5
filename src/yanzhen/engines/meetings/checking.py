"""Everything wrong with a schedule (the command checks the engine's result before writing)."""

from __future__ import annotations

from yanzhen.engines.meetings.model import Event, Schedule


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
