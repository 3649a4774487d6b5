"""The JSON input of ``yanzhen schedule_meetings`` and the checks of an event, with an
:class:`InputError` naming the place of every problem (``requests[3].b: 缺少字段``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

# The JSON helpers of the allocation engine: a syntax error named by line and column, duplicate
# keys remembered, and the same error type for a place and its message.
from yanzhen.engines.allocation import InputError, json_type
from yanzhen.engines.meetings.model import (
    A_KINDS,
    B_KINDS,
    KIND_LABELS,
    KINDS,
    Event,
    PartyKind,
    Request,
)


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


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(where, f"应为 JSON 对象，实际为{json_type(value)}")
    duplicates = getattr(value, "duplicates", [])
    if duplicates:
        raise InputError(f"{where}[{_quote(duplicates[0])}]", "键重复")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(where, f"应为列表，实际为{json_type(value)}")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(where, f"应为字符串，实际为{json_type(value)}")
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
            raise InputError(where, f"类型应为字符串，实际为{json_type(kind)}")
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
