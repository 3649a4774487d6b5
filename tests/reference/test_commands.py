"""The loading commands: what they print, and how they fail on bad input."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yanzhen.reference.models import Discipline, University

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded")]


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def test_load_reference_prints_one_line_per_list(reference_dir: Path) -> None:
    lines = [line for line in run("load_reference", str(reference_dir)) if "：新增" in line]
    assert lines == [
        "高校：新增 0 条，更新 0 条，未变 3167 条",
        "学科：新增 0 条，更新 0 条，未变 131 条",
        "双一流建设学科（2022）：新增 0 条，更新 0 条，未变 428 条，提示 3 条",
        "双一流建设学科（2017）：新增 0 条，更新 0 条，未变 457 条，提示 4 条",
        "第四轮学科评估：新增 0 条，更新 0 条，未变 5212 条，提示 1 条",
        "本科专业目录（2026）：新增 0 条，更新 0 条，未变 883 条",
        "国民经济行业分类：新增 0 条，更新 0 条，未变 1971 条",
        "行政区划：新增 0 条，更新 0 条，未变 41934 条",
        "行政区划（县内乡镇与村、社区）：新增 0 条，更新 0 条，未变 233 条",
        "高校别名：新增 0 条，更新 0 条，未变 106 条",
        "本地产业：新增 0 条，更新 0 条，未变 16 条",
    ]


def test_load_universities_reads_both_spreadsheets(regular_xls: Path, adult_xls: Path) -> None:
    assert run("load_universities", str(regular_xls), str(adult_xls)) == [
        "高校：新增 0 条，更新 0 条，未变 3167 条，提示 1 条",
        "  · moe_2025-06-20_regular_W020250627301230138068.xls：海南省标题为 27 所，实际列出 28 所",
    ]


def test_load_dfc_2017_lists_the_schools_it_did_not_find(reference_dir: Path) -> None:
    lines = run(
        "load_dfc", str(reference_dir / "double_first_class_2017_round1.csv"), "--round", "2017"
    )
    assert lines == [
        "双一流建设学科（2017）：新增 0 条，更新 0 条，未变 457 条，提示 4 条",
        "  · double_first_class_2017_round1.csv 第 252 行：高校名单中没有“上海体育学院”，未导入",
        "  · double_first_class_2017_round1.csv 第 460、461、462、463、464 行：高校名单中没有“国防科技大学”，未导入",
        "  · double_first_class_2017_round1.csv 第 465 行：高校名单中没有“第二军医大学”，未导入",
        "  · double_first_class_2017_round1.csv 第 466 行：高校名单中没有“第四军医大学”，未导入",
    ]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("load_divisions", "行政区划：新增 0 条，更新 0 条，未变 41934 条"),
        ("load_aliases", "高校别名：新增 0 条，更新 0 条，未变 106 条"),
        ("load_local_industries", "本地产业：新增 0 条，更新 0 条，未变 16 条"),
    ],
)
def test_commands_without_a_path_use_the_package_or_our_own_list(
    command: str, expected: str
) -> None:
    assert run(command) == [expected]


@pytest.mark.parametrize(
    ("command", "file", "expected"),
    [
        (
            "load_disciplines",
            "disciplines_2022_first_level.csv",
            "学科：新增 0 条，更新 0 条，未变 131 条",
        ),
        (
            "load_industries",
            "industry_gbt4754_2017.csv",
            "国民经济行业分类：新增 0 条，更新 0 条，未变 1971 条",
        ),
        (
            "load_divisions",
            "admin_divisions_mca_20251231.csv",
            "行政区划：新增 0 条，更新 0 条，未变 41934 条",
        ),
    ],
)
def test_commands_with_a_path(reference_dir: Path, command: str, file: str, expected: str) -> None:
    assert run(command, str(reference_dir / file)) == [expected]


def test_a_bad_file_ends_the_command_with_the_message(reference_dir: Path) -> None:
    with pytest.raises(CommandError) as caught:
        run("load_evaluation", str(reference_dir / "industry_gbt4754_2017.csv"))
    assert str(caught.value) == "industry_gbt4754_2017.csv 第 1 行“discipline_code”列：缺少此列"


def test_a_malformed_row_commits_nothing(tmp_path: Path) -> None:
    path = tmp_path / "disciplines.csv"
    path.write_text(
        "category_code,category_name,code,name\n98,测试门类,9801,测试学科\n98,别的名字,9802,测试学科乙\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="第 3 行“category_name”列：与第 2 行的门类名称不一致"):
        run("load_disciplines", str(path))
    assert not Discipline.objects.filter(code__startswith="98").exists()


def test_an_unknown_extension_is_refused(reference_dir: Path) -> None:
    with pytest.raises(
        CommandError, match=re.escape("README.md：只支持 .csv、.csv.gz、.xls 或 .xlsx 文件")
    ):
        run("load_universities", str(reference_dir / "README.md"))
    assert University.objects.count() == 3167


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="目录不存在"):
        run("load_reference", str(tmp_path / "nowhere"))
