"""The PDF of a 公文 and of a 工作简报, made by LibreOffice headless from the .docx and read back
with poppler (pdfinfo, pdftotext, pdffonts): A4, the text in Chinese (not boxes), the fonts
aliased to Noto CJK, 28 characters a line and 22 lines a page. Two renders for the module."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from yanzhen.engines.briefing_template import Catalogue, Figure, Kind, Param, Value, parse
from yanzhen.reports.gongwen import Document, render_pdf
from yanzhen.reports.gongwen import Kind as DocumentKind
from yanzhen.reports.pdf import PdfError, docx_to_pdf

pytestmark = pytest.mark.libreoffice

CATALOGUE = Catalogue(
    [
        Figure("合作意向数", Kind.COUNT, (Param("时期", ("上年",)),)),
        Figure("签约数", Kind.COUNT),
        Figure("落地数", Kind.COUNT),
        Figure("博士数", Kind.COUNT),
        Figure("硕士数", Kind.COUNT),
        Figure("同比增长", Kind.PERCENT, (Param("指标", figures=True, required=True),)),
    ]
)
# A paragraph of Chinese only, long enough to fill whole lines: each line holds 28 characters.
FILLER = "省校合作聚焦产业发展需求推动高校科技成果在我市转化落地" * 12
TEMPLATE = f"""# 强化工作主动
全年新增合作意向{{合作意向数}}个，签约{{签约数}}个，落地{{落地数}}个，\
[若 同比增长:合作意向数>0]同比增长{{同比增长:合作意向数}}[否则]同比持平[/若]。
{FILLER}
## 聚焦产业而动
引进人才{{硕士数}}名[若 博士数>0]，其中博士研究生{{博士数}}名[/若]。
{FILLER}
{FILLER}
# 巩固拓展成果
{FILLER}
[表 表1 合作项目情况]
指标|上年|本年
合作意向|{{合作意向数:上年}}|{{合作意向数}}
[/表]
"""
VALUES: dict[str, Value] = {
    "合作意向数": 120,
    "合作意向数:上年": 98,
    "签约数": 81,
    "落地数": 63,
    "博士数": 1,
    "硕士数": 106,
    "同比增长:合作意向数": Decimal(120 - 98) / 98,
}
BODY = parse(TEMPLATE, CATALOGUE).render(VALUES)

DOCUMENTS = {
    "公文": Document(
        DocumentKind.OFFICIAL,
        "永济市2021年省校合作工作总结",
        BODY,
        masthead="永济市省校合作办公室文件",
        number="永合办〔2021〕5号",
        recipients=("运城市省校合作办公室",),
        signature="永济市省校合作办公室",
        signed_on=dt.date(2021, 12, 31),
        copy_to=("市委办公室", "市政府办公室"),
        printed_by="永济市省校合作办公室",
        printed_on=dt.date(2021, 12, 31),
    ),
    "简报": Document(
        DocumentKind.BRIEFING,
        "我市省校合作工作取得新成效",
        BODY,
        masthead="省校合作工作简报",
        issue=5,
        compiler="永济市省校合作办公室",
        issued_on=dt.date(2021, 12, 31),
        report_to=("市委", "市政府"),
        copy_to=("各乡镇",),
    ),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for name, document in DOCUMENTS.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(render_pdf(document))
        paths[name] = path
    return paths


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(c) for c in command], capture_output=True, check=True, text=True
    ).stdout


def pages(path: Path) -> list[list[str]]:
    """The text lines of each page, spaces dropped (pdftotext spaces Latin from Chinese)."""
    text = run("pdftotext", "-enc", "UTF-8", path, "-")
    return [
        [re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()]
        for page in text.split("\f")
        if page.strip()
    ]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_pdf_is_a4(pdfs: dict[str, Path], name: str) -> None:
    info = run("pdfinfo", pdfs[name])
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info)
    assert size is not None
    assert (round(float(size[1])), round(float(size[2]))) == (595, 842)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_chinese_text_and_the_figures_come_out(pdfs: dict[str, Path], name: str) -> None:
    lines = [line for page in pages(pdfs[name]) for line in page]
    text = "".join(lines)
    assert DOCUMENTS[name].title in lines
    assert "全年新增合作意向120个，签约81个，落地63个，同比增长22.4%。" in text
    assert "引进人才106名，其中博士研究生1名。" in text
    assert "一、强化工作主动" in lines
    assert "（一）聚焦产业而动" in lines
    assert "\ufffd" not in text
    assert "□" not in text
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 1000


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_fonts_are_drawn_with_noto_cjk(pdfs: dict[str, Path], name: str) -> None:
    fonts = run("pdffonts", pdfs[name])
    assert "NotoSerifCJK" in fonts  # 仿宋_GB2312, 方正小标宋简体 through the package's aliases
    assert "NotoSansCJK" in fonts  # 黑体


def test_lines_hold_28_characters_and_pages_22_lines(pdfs: dict[str, Path]) -> None:
    second = pages(pdfs["公文"])[1]
    assert second[-1] == "—2—"  # the page number, left on an even page
    body = second[:-1]
    assert len(body) == 22
    filler = [len(line) for line in body if line in FILLER * 2]
    assert max(filler) == 28  # a paragraph's inner lines; its first is indented by two
    assert filler.count(28) >= 15


def words(path: Path, page: int) -> dict[str, tuple[float, float, float, float]]:
    """Each word of a page with its box (x min, y min, x max, y max) in points from the top."""
    html = run("pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), path, "-")
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<'
    return {m[5]: (float(m[1]), float(m[2]), float(m[3]), float(m[4])) for m in re.finditer(pattern, html)}  # fmt: skip


MM = 72 / 25.4
TEXT_BOTTOM = 842 - 35 * MM  # the foot of the 版心
LEFT, RIGHT = 28 * MM, 595 - 26 * MM


def test_the_official_document_begins_with_its_masthead_and_ends_with_its_imprint(
    pdfs: dict[str, Path],
) -> None:
    document = pages(pdfs["公文"])
    assert document[0][:3] == [
        "永济市省校合作办公室文件",
        "永合办〔2021〕5号",
        DOCUMENTS["公文"].title,
    ]
    last = document[-1]
    assert {
        "抄送：市委办公室，市政府办公室。",
        "永济市省校合作办公室",
        "2021年12月31日印发",
    } <= set(last)
    # the 版记 ends on the last line of the 版心, on the last page
    box = words(pdfs["公文"], len(document))
    assert box["日印发"][3] == pytest.approx(TEXT_BOTTOM, abs=3)


def test_page_numbers_sit_below_the_text_right_on_odd_pages_and_left_on_even(
    pdfs: dict[str, Path],
) -> None:
    document = pages(pdfs["公文"])
    assert len(document) >= 3
    for number in range(1, len(document) + 1):
        assert f"—{number}—" in document[number - 1]
        box = words(pdfs["公文"], number)
        left, top, right, _ = box[str(number)]
        assert top - TEXT_BOTTOM == pytest.approx(7 * MM, abs=3)  # about 7 mm below the 版心
        if number % 2:
            assert RIGHT - right == pytest.approx(14 + 12, abs=4)  # a 四号 character and a dash
        else:
            assert left - LEFT == pytest.approx(14 + 12, abs=4)


def test_the_briefing_begins_with_its_masthead_and_ends_with_its_footer(
    pdfs: dict[str, Path],
) -> None:
    document = pages(pdfs["简报"])
    assert document[0][:4] == [
        "省校合作工作简报",
        "第5期",
        "永济市省校合作办公室",
        "2021年12月31日",
    ]
    assert {"报送：市委，市政府", "抄送：各乡镇"} <= set(document[-1])
    box = words(pdfs["简报"], len(document))
    assert box["抄送：各乡镇"][3] == pytest.approx(TEXT_BOTTOM, abs=3)


# Without LibreOffice, or when it fails or hangs (a stand-in program; no render) --------------


def fake_soffice(folder: Path, script: str) -> None:
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def test_without_libreoffice_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PdfError) as caught:
        docx_to_pdf(b"docx")
    assert str(caught.value) == (
        "未安装 LibreOffice，无法生成 PDF：请安装 Debian 软件包 libreoffice-writer-nogui "
        "和 fonts-noto-cjk（scripts/debian-packages --install）"
    )


def test_a_failing_libreoffice_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice(tmp_path, "echo 'source file could not be loaded' >&2\nexit 3")
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    with pytest.raises(PdfError) as caught:
        docx_to_pdf(b"docx")
    assert (
        str(caught.value) == "LibreOffice 未能生成 PDF（退出码 3）：source file could not be loaded"
    )


def test_a_hanging_libreoffice_is_stopped_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "pid"
    fake_soffice(tmp_path, f"echo $$ > {pid_file}\nexec sleep 60")
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    with pytest.raises(PdfError) as caught:
        docx_to_pdf(b"docx", timeout=1)
    assert str(caught.value) == "LibreOffice 生成 PDF 超时（1 秒），已中止"
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_each_conversion_has_its_own_profile_and_the_font_aliases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "seen"
    fake_soffice(
        tmp_path,
        f'echo "$FONTCONFIG_FILE $1 $2" >> {seen}\n'
        'out=$(echo "$@" | sed "s/.*--outdir \\([^ ]*\\) .*/\\1/")\n'
        'mkdir -p "$out" && printf "%%PDF-1.7" > "$out/document.pdf"',
    )
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    assert docx_to_pdf(b"docx") == b"%PDF-1.7"
    assert docx_to_pdf(b"docx") == b"%PDF-1.7"
    first, second = seen.read_text().splitlines()
    fonts_conf = Path(__file__).parents[2] / "src/yanzhen/reports/fonts/fonts.conf"
    for line in (first, second):
        conf, profile, headless = line.split(" ")
        assert Path(conf) == fonts_conf.resolve()
        assert profile.startswith("-env:UserInstallation=file:///")
        assert headless == "--headless"
    assert first.split(" ")[1] != second.split(" ")[1]
