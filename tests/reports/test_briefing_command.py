"""``yanzhen briefing``: the annual summary with live figures as .docx (and PDF); the unit by
code, by default the only county, else YANZHEN_DEFAULT_UNIT, else exit 2 asking for --unit."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.conftest import Demo
from yanzhen.core.models import UnitKind
from yanzhen.core.services import unit_create

pytestmark = pytest.mark.usefixtures("demo_db")


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_the_summary_of_the_only_county(demo_db: Demo, tmp_path: Path) -> None:
    out = tmp_path / "summary.docx"
    call_command("briefing", "--year", "2021", "-o", str(out))
    texts = _paragraphs(out)
    assert texts[0] == "永济市省校合作工作领导小组办公室文件"
    assert "永济市2021年省校合作工作总结" in texts
    assert any(
        t.startswith("全年与38所高校（院所）达成合作意向120项，签订合作协议81项") for t in texts
    )
    assert any("全年引进各类人才131名，其中博士研究生1名、硕士研究生106名" in t for t in texts)


def test_another_year_has_other_figures(demo_db: Demo, tmp_path: Path) -> None:
    out = tmp_path / "2020.docx"
    call_command("briefing", "--year", "2020", "--unit", "140881", "-o", str(out))
    texts = _paragraphs(out)
    assert "永济市2020年省校合作工作总结" in texts
    assert any(t.startswith("全年与0所高校（院所）达成合作意向0项") for t in texts)


def test_without_one_county_the_default_unit_or_exit_2(demo_db: Demo, tmp_path: Path) -> None:
    unit_create(actor=None, parent=None, name="另一县", kind=UnitKind.COUNTY)
    out = tmp_path / "x.docx"
    with pytest.raises(CommandError, match="请用 --unit 指定单位代码") as raised:
        call_command("briefing", "--year", "2021", "-o", str(out))
    assert raised.value.returncode == 2
    assert not out.exists()
    with override_settings(YANZHEN_DEFAULT_UNIT="140881"):
        call_command("briefing", "--year", "2021", "-o", str(out))
    assert "永济市2021年省校合作工作总结" in _paragraphs(out)


def test_an_unknown_unit_or_template_exits_2(demo_db: Demo, tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    with pytest.raises(CommandError, match="没有代码为“999999”的单位") as raised:
        call_command("briefing", "--year", "2021", "--unit", "999999", "-o", str(out))
    assert raised.value.returncode == 2
    with pytest.raises(CommandError, match="没有名为“无此模板”的简报模板"):
        call_command("briefing", "--year", "2021", "--template", "无此模板", "-o", str(out))
    assert not out.exists()


@pytest.mark.libreoffice
def test_the_pdf_too(demo_db: Demo, tmp_path: Path) -> None:
    out, pdf = tmp_path / "s.docx", tmp_path / "s.pdf"
    call_command(
        "briefing",
        "--year",
        "2021",
        "--template",
        "年度省校合作工作总结",
        "-o",
        str(out),
        "--pdf",
        str(pdf),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
