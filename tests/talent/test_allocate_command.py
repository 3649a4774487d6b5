"""``yanzhen allocate INPUT.json [-o OUTPUT.json] [--optimal applicant|unit]``: the result and
its figures, and every refused input named with its place and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yanzhen.__main__ import main

INPUT = {
    "applicants": {"张三": ["开张镇", "城西街道"], "李四": ["开张镇"], "王五": []},
    "units": {
        "开张镇": {"capacity": 1, "ranking": ["李四", "张三"]},
        "城西街道": {"capacity": 1, "ranking": ["张三"]},
    },
}
EXPECTED_STATS = {
    "optimal": "applicant",
    "applicants": 3,
    "units": 2,
    "capacity": 2,
    "matched": 2,
    "unmatched": 1,
    "rank_distribution": {"1": 1, "2": 1},
    "unmatched_reasons": {"no_choices": 1},
    "unfilled_places": {},
    "blocking_pairs": 0,
}


def write(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return str(path)


def test_it_writes_the_assignments_and_the_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, INPUT)
    target = tmp_path / "out.json"
    call_command("allocate", source, "-o", str(target))
    assert json.loads(target.read_text()) == {
        "assignments": {"张三": "城西街道", "李四": "开张镇", "王五": None},
        "stats": EXPECTED_STATS,
    }
    assert capsys.readouterr().err.strip() == f"已分配 2/3 人，结果已写入 {target}"


def test_without_an_output_file_it_prints_and_can_favour_the_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crossed = {
        "applicants": {"a": ["u", "v"], "b": ["v", "u"]},
        "units": {"u": {"capacity": 1, "ranking": ["b", "a"]},
                  "v": {"capacity": 1, "ranking": ["a", "b"]}},
    }  # fmt: skip
    source = write(tmp_path, crossed)
    call_command("allocate", source)
    assert json.loads(capsys.readouterr().out)["assignments"] == {"a": "u", "b": "v"}
    call_command("allocate", source, "--optimal", "unit")
    printed = json.loads(capsys.readouterr().out)
    assert printed["assignments"] == {"a": "v", "b": "u"}
    assert printed["stats"]["optimal"] == "unit"
    assert printed["stats"]["rank_distribution"] == {"2": 2}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"applicants": {', "{path}:1:17: JSON 格式错误：Expecting property name enclosed in double quotes"),
        ({"applicants": {"a": ["x"]}, "units": {}}, '{path}: applicants["a"][0]: 未知的单位 "x"'),
        ({"applicants": {"a": ["u", "u"]}, "units": {"u": {"capacity": 1}}},
         '{path}: applicants["a"][1]: 重复的条目 "u"（已在 [0] 出现）'),
        ({"applicants": {}, "units": {"u": {"capacity": -2}}}, '{path}: units["u"].capacity: 不能为负数（为 -2）'),
        ({"applicants": {}, "units": {"u": {"capacity": 1, "ranking": ["ghost"]}}},
         '{path}: units["u"].ranking[0]: 未知的申请人 "ghost"'),
        ('{"applicants": {}, "units": {}, "units": {}}', '{path}: $["units"]: 键重复'),
    ],
)  # fmt: skip
def test_a_bad_input_names_its_place_with_exit_code_2(
    tmp_path: Path, content: object, message: str
) -> None:
    source = write(tmp_path, content)
    with pytest.raises(CommandError) as caught:
        call_command("allocate", source)
    assert (str(caught.value), caught.value.returncode) == (message.format(path=source), 2)


def test_the_console_command_exits_with_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    missing = str(tmp_path / "missing.json")
    monkeypatch.setattr("sys.argv", ["yanzhen", "allocate", missing])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    assert capsys.readouterr().err.startswith(f"CommandError: {missing}: 无法读取：")
    monkeypatch.setattr("sys.argv", ["yanzhen", "allocate", missing, "--optimal", "both"])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    assert "invalid choice: 'both'" in capsys.readouterr().err
