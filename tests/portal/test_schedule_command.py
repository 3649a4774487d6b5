"""``yanzhen schedule_meetings IN.json [-o OUT.json]``: the schedule in its JSON shape, every
refused input named with its place and exit code 2, and a result checked before it is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yanzhen.__main__ import main
from yanzhen.engines import meetings
from yanzhen.portal.management.commands.schedule_meetings import FORMAT

INPUT: dict[str, Any] = {
    "slots": ["09:00", "09:20"],
    "parties": {
        "E1": "enterprise",
        "E2": "enterprise",
        "U1": "university",
        "X1": "expert",
    },
    "requests": [
        {"id": "r1", "a": "E1", "b": "U1"},
        {"id": "r2", "a": "E2", "b": "U1"},
        {"id": "r3", "a": "E1", "b": "X1"},
    ],
    "unavailable": {"U1": ["09:00"]},
}
# U1 attends 09:20 only, so r1 and r2 cannot both be held; E1 meets X1 at 09:00.
EXPECTED = {
    "meetings": [{"request": "r3", "slot": "09:00"}, {"request": "r1", "slot": "09:20"}],
    "unscheduled": ["r2"],
    "bound": 2,
    "optimal": True,
}


def write(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return str(path)


def test_it_writes_the_schedule_and_says_how_good_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path, INPUT)
    target = tmp_path / "out.json"
    monkeypatch.setattr("sys.argv", ["yanzhen", "schedule_meetings", source, "-o", str(target)])
    main()  # returns: exit code 0
    assert json.loads(target.read_text(encoding="utf-8")) == EXPECTED
    assert capsys.readouterr().err.strip() == (
        f"已安排 2/3 场约见（上界 2，已证明最优），结果已写入 {target}"
    )


def test_without_an_output_file_it_prints_and_names_the_gap_to_the_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # r3 (E1–U2) conflicts with r2 in s1 and with r1 in s2: 3 meetings, the bound allows 4.
    pairs = [("E0", "U1"), ("E0", "U2"), ("E1", "U0"), ("E1", "U2")]
    data = {
        "slots": ["s0", "s1", "s2", "s3"],
        "parties": {**dict.fromkeys(["E0", "E1"], "enterprise"),
                    **dict.fromkeys(["U0", "U1", "U2"], "university")},
        "requests": [{"id": f"r{i}", "a": a, "b": b} for i, (a, b) in enumerate(pairs)],
        "unavailable": {"E0": ["s1"], "E1": ["s3"], "U0": ["s0", "s2"], "U1": ["s0"],
                        "U2": ["s0", "s3"]},
    }  # fmt: skip
    source = write(tmp_path, data)
    call_command("schedule_meetings", source)
    assert json.loads(capsys.readouterr().out) == {
        "meetings": [
            {"request": "r2", "slot": "s1"},
            {"request": "r1", "slot": "s2"},
            {"request": "r0", "slot": "s3"},
        ],
        "unscheduled": ["r3"],
        "bound": 4,
        "optimal": False,
    }
    target = tmp_path / "out.json"
    call_command("schedule_meetings", source, "-o", str(target))
    assert capsys.readouterr().err.strip() == (
        f"已安排 3/4 场约见（上界 4，距上界最多差 1 场），结果已写入 {target}"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"slots": [', "{path}:1:12: JSON 格式错误：Expecting value"),
        ({**INPUT, "requests": [*INPUT["requests"][:3], {"id": "r4", "a": "E2"}]},
         "{path}: requests[3].b: 缺少字段"),
        ({**INPUT, "requests": [{"id": "r1", "a": "U1", "b": "X1"}]},
         '{path}: requests[0].a: "U1" 是高校，a 应为企业'),
        ({**INPUT, "requests": [{"id": "r1", "a": "E1", "b": "E2"}]},
         '{path}: requests[0].b: "E2" 是企业，b 应为高校或专家'),
        ({**INPUT, "parties": {**INPUT["parties"], "X1": "person"}},
         '{path}: parties["X1"]: 未知的类型 "person"（应为 "enterprise"、"university" 或 "expert"）'),
        ({**INPUT, "unavailable": {"U1": ["10:00"]}}, '{path}: unavailable["U1"][0]: 未知的时段 "10:00"'),
    ],
)  # fmt: skip
def test_a_bad_input_names_its_place_with_exit_code_2(
    tmp_path: Path, content: object, message: str
) -> None:
    source = write(tmp_path, content)
    target = tmp_path / "out.json"
    with pytest.raises(CommandError) as caught:
        call_command("schedule_meetings", source, "-o", str(target))
    assert (str(caught.value), caught.value.returncode) == (message.format(path=source), 2)
    assert not target.exists()


def test_the_console_command_exits_with_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = write(tmp_path, {**INPUT, "requests": [{"id": "r1", "a": "E1"}]})
    monkeypatch.setattr("sys.argv", ["yanzhen", "schedule_meetings", bad])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    assert capsys.readouterr().err == f"CommandError: {bad}: requests[0].b: 缺少字段\n"
    missing = str(tmp_path / "missing.json")
    monkeypatch.setattr("sys.argv", ["yanzhen", "schedule_meetings", missing])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    assert capsys.readouterr().err.startswith(f"CommandError: {missing}: 无法读取：")


def test_a_schedule_that_fails_its_check_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    double_booked = meetings.Schedule(
        (meetings.Meeting("r1", "09:20"), meetings.Meeting("r2", "09:20")), ("r3",), 2, True
    )
    monkeypatch.setattr(meetings, "schedule", lambda event: double_booked)
    target = tmp_path / "out.json"
    with pytest.raises(CommandError) as caught:
        call_command("schedule_meetings", write(tmp_path, INPUT), "-o", str(target))
    assert (str(caught.value), caught.value.returncode) == (
        "排期未通过校验：U1 在时段 09:20 同时有 r1 和 r2",
        1,
    )
    assert not target.exists()


def test_the_help_gives_the_format_and_the_kinds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.argv", ["yanzhen", "schedule_meetings", "--help"])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 0
    shown = capsys.readouterr().out
    assert "-o OUT.json, --output OUT.json" in shown
    assert shown.rstrip().endswith(FORMAT)
