"""The 公文 .docx (GB/T 9704-2012), read back from its XML: page, grid, fonts by name with the East
Asian font set, sizes in half-points, the red masthead and line, odd and even page numbers."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from docx.oxml import parse_xml

from yanzhen.engines.briefing_template import Heading, Paragraph, Table
from yanzhen.reports.gongwen import (
    Document,
    GongwenError,
    Kind,
    chinese_date,
    chinese_number,
    render_docx,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}

BODY = (
    Heading.of(1, "强化工作主动"),
    Paragraph.of("全年新增合作意向120个、签约81个、落地63个。"),
    Heading.of(2, "聚焦产业而动"),
    Heading.of(3, "凸显集聚效应"),
    Heading.of(3, "巩固拓展成果"),
    Heading.of(4, "人才"),
    Heading.of(2, "第二项"),
    Heading.of(3, "重新编号"),
    Heading.of(1, "下一步工作"),
    Table.of(["指标", "2021年"], [["合作意向", "120"]], caption="表1 合作项目情况"),
)

OFFICIAL = Document(
    Kind.OFFICIAL,
    "永济市2021年省校合作工作总结",
    BODY,
    masthead="永济市省校合作办公室文件",
    number="永合办〔2021〕5号",
    recipients=("运城市省校合作办公室",),
    attachments=("2021年合作项目清单", "2021年引进人才名册"),
    signature="永济市省校合作办公室",
    signed_on=dt.date(2021, 12, 31),
    copy_to=("市委办公室", "市政府办公室"),
    printed_by="永济市省校合作办公室",
    printed_on=dt.date(2022, 1, 4),
)

BRIEFING = Document(
    Kind.BRIEFING,
    "我市省校合作工作取得新成效",
    BODY[:2],
    masthead="省校合作工作简报",
    issue=5,
    compiler="永济市省校合作办公室",
    issued_on=dt.date(2021, 12, 31),
    report_to=("市委", "市政府领导"),
    copy_to=("各乡镇", "市直各部门"),
)


class Docx:
    """The parts of a .docx, parsed."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))

    def part(self, name: str) -> Any:
        return parse_xml(self.zip.read(name))

    @property
    def body(self) -> Any:
        return self.part("word/document.xml").find("w:body", NS)

    def paragraphs(self) -> list[tuple[str | None, str]]:
        """(style id, text) of the body's paragraphs, outside tables."""
        result = []
        for p in self.body.findall("w:p", NS):
            style = p.find("w:pPr/w:pStyle", NS)
            result.append((None if style is None else style.get(f"{W}val"), text_of(p)))
        return result

    def style(self, style_id: str) -> Any:
        styles = self.part("word/styles.xml")
        return styles.find(f"w:style[@w:styleId='{style_id}']", NS)


def text_of(element: Any) -> str:
    """The text of a paragraph or run, tabs included."""
    return "".join(
        "\t" if e.tag == f"{W}tab" and e.getparent().tag == f"{W}r" else e.text or ""
        for e in element.iter(f"{W}t", f"{W}tab")
    )


def attributes(element: Any) -> dict[str, str]:
    return {key.removeprefix(W): value for key, value in element.attrib.items()}


def fonts_and_size(style: Any) -> tuple[dict[str, str], str, bool]:
    rpr = style.find("w:rPr", NS)
    return (
        attributes(rpr.find("w:rFonts", NS)),
        rpr.find("w:sz", NS).get(f"{W}val"),
        rpr.find("w:b", NS) is not None,
    )


def named(font: str) -> dict[str, str]:
    return {"ascii": font, "hAnsi": font, "eastAsia": font, "cs": font, "hint": "eastAsia"}


@pytest.fixture(scope="module")
def official() -> Docx:
    return Docx(render_docx(OFFICIAL))


@pytest.fixture(scope="module")
def briefing() -> Docx:
    return Docx(render_docx(BRIEFING))


def test_the_page_is_a4_with_the_gb_margins_and_a_grid_of_22_lines_of_28(official: Docx) -> None:
    section = official.body.find("w:sectPr", NS)
    assert attributes(section.find("w:pgSz", NS)) == {"w": "11906", "h": "16838"}
    margins = attributes(section.find("w:pgMar", NS))
    # top 37 mm, bottom 35 mm, left 28 mm, right 26 mm in twips (1 mm = 56.69 twips)
    assert {k: margins[k] for k in ("top", "bottom", "left", "right")} == {
        "top": "2098",
        "bottom": "1984",
        "left": "1587",
        "right": "1474",
    }
    assert attributes(section.find("w:docGrid", NS)) == {
        "type": "linesAndChars",
        "linePitch": "579",
        "charSpace": "-849",
    }
    width, height = 11906 - 1587 - 1474, 16838 - 2098 - 1984  # the 版心: 156 × 225 mm
    assert (round(width / 56.693), round(height / 56.693)) == (156, 225)
    assert height // 579 == 22
    assert round(width / 28 / 20, 2) == round(16 - 849 / 4096, 2)  # 28 characters of 15.79 pt


def test_fonts_are_named_with_the_east_asian_font_and_sized_in_half_points(
    official: Docx,
) -> None:
    assert fonts_and_size(official.style("Normal")) == (named("仿宋_GB2312"), "32", False)
    assert fonts_and_size(official.style("GwTitle")) == (named("方正小标宋简体"), "44", False)
    assert fonts_and_size(official.style("GwHeading1")) == (named("黑体"), "32", False)
    assert fonts_and_size(official.style("GwHeading2")) == (named("楷体_GB2312"), "32", False)
    assert fonts_and_size(official.style("GwHeading3")) == (named("仿宋_GB2312"), "32", True)
    assert fonts_and_size(official.style("GwPageNumber")) == (named("宋体"), "28", False)
    assert fonts_and_size(official.style("GwImprint")) == (named("仿宋_GB2312"), "28", False)
    defaults = official.part("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attributes(defaults.find("w:rFonts", NS)) == named("仿宋_GB2312")
    assert attributes(defaults.find("w:lang", NS))["eastAsia"] == "zh-CN"
    normal = official.style("Normal").find("w:pPr", NS)
    assert attributes(normal.find("w:spacing", NS)) == {
        "before": "0",
        "after": "0",
        "line": "579",
        "lineRule": "exact",
    }
    assert attributes(normal.find("w:ind", NS)) == {"firstLine": "640", "firstLineChars": "200"}


def test_the_font_table_names_what_windows_has_where_a_font_is_missing(official: Docx) -> None:
    table = official.part("word/fontTable.xml")
    alternatives = {
        f.get(f"{W}name"): f.find("w:altName", NS).get(f"{W}val")
        for f in table.findall("w:font", NS)
        if f.find("w:altName", NS) is not None
    }
    assert alternatives == {
        "方正小标宋简体": "宋体",
        "仿宋_GB2312": "仿宋",
        "楷体_GB2312": "楷体",
        "黑体": "SimHei",
        "宋体": "SimSun",
    }


def test_the_official_document_in_order(official: Docx) -> None:
    assert official.paragraphs() == [
        ("GwMasthead", "永济市省校合作办公室文件"),
        ("GwFlush", ""),
        ("GwFlush", ""),
        ("GwCentered", "永合办〔2021〕5号"),
        ("GwFlush", ""),
        ("GwFlush", ""),
        ("GwTitle", "永济市2021年省校合作工作总结"),
        ("GwFlush", ""),
        ("GwFlush", "运城市省校合作办公室："),
        ("GwHeading1", "一、强化工作主动"),
        (None, "全年新增合作意向120个、签约81个、落地63个。"),
        ("GwHeading2", "（一）聚焦产业而动"),
        ("GwHeading3", "1.凸显集聚效应"),
        ("GwHeading3", "2.巩固拓展成果"),
        ("GwHeading4", "（1）人才"),
        ("GwHeading2", "（二）第二项"),
        ("GwHeading3", "1.重新编号"),
        ("GwHeading1", "二、下一步工作"),
        ("GwTableCaption", "表1 合作项目情况"),
        ("GwFlush", ""),
        (None, "附件：1.2021年合作项目清单"),
        (None, "2.2021年引进人才名册"),
        ("GwFlush", ""),
        ("GwFlush", "永济市省校合作办公室"),
        ("GwFlush", "2021年12月31日"),
        ("GwFlush", ""),
    ]


def test_the_masthead_and_the_separator_are_red(official: Docx) -> None:
    first, _, _, number = official.body.findall("w:p", NS)[:4]
    run = first.find("w:r/w:rPr", NS)
    assert run.find("w:color", NS).get(f"{W}val") == "FF0000"
    assert run.find("w:sz", NS).get(f"{W}val") == "72"  # 12 characters in 156 mm: 36 pt
    assert first.find("w:pPr/w:spacing", NS).get(f"{W}before") == "1984"  # 35 mm
    assert attributes(number.find("w:pPr/w:pBdr/w:bottom", NS)) == {
        "val": "single",
        "sz": "12",
        "space": "11",
        "color": "FF0000",
    }
    assert fonts_and_size(official.style("GwMasthead"))[0] == named("方正小标宋简体")


def test_page_numbers_right_on_odd_pages_and_left_on_even(official: Docx) -> None:
    assert official.part("word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    rels = official.part("word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    section = official.body.find("w:sectPr", NS)
    footers = {
        ref.get(f"{W}type"): official.part("word/" + targets[ref.get(f"{{{NS_R}}}id")])
        for ref in section.findall("w:footerReference", NS)
    }
    assert set(footers) == {"default", "even"}
    for kind, side, indent in (("default", "right", "right"), ("even", "left", "left")):
        paragraph = footers[kind].find("w:p", NS)
        assert paragraph.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "GwPageNumber"
        assert paragraph.find("w:pPr/w:jc", NS).get(f"{W}val") == side
        assert paragraph.find("w:pPr/w:ind", NS).get(f"{W}{indent}") == "280"  # one 四号 character
        assert "".join(t.text for t in paragraph.iter(f"{W}t")) == "— 1 —"
        assert [i.text for i in paragraph.iter(f"{W}instrText")] == [" PAGE "]
        assert [c.get(f"{W}fldCharType") for c in paragraph.iter(f"{W}fldChar")] == [
            "begin",
            "separate",
            "end",
        ]


NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def imprint_rows(document: Docx) -> list[list[str]]:
    table = document.body.findall("w:tbl", NS)[-1]
    placement = attributes(table.find("w:tblPr/w:tblpPr", NS))
    assert (placement["vertAnchor"], placement["tblpYSpec"]) == ("margin", "bottom")
    assert (placement["horzAnchor"], placement["tblpX"]) == ("page", "1587")
    borders = table.find("w:tblPr/w:tblBorders", NS)
    assert [(b.tag.removeprefix(W), b.get(f"{W}sz")) for b in borders] == [
        ("top", "8"),
        ("bottom", "8"),
        ("insideH", "6"),
        ("left", None),
        ("right", None),
        ("insideV", None),
    ]
    return [
        ["".join(t.text for t in cell.iter(f"{W}t")) for cell in row.findall("w:tc", NS)]
        for row in table.findall("w:tr", NS)
    ]


def test_the_imprint_sits_at_the_foot_between_thick_and_thin_lines(official: Docx) -> None:
    assert imprint_rows(official) == [
        ["抄送：市委办公室，市政府办公室。"],
        ["永济市省校合作办公室", "2022年1月4日印发"],
    ]


def test_the_signature_and_date_keep_their_places() -> None:
    def indents(signature: str) -> list[str]:
        document = Docx(
            render_docx(
                Document(
                    Kind.PLAIN, "方案", (), signature=signature, signed_on=dt.date(2021, 3, 10)
                )
            )
        )
        return [
            p.find("w:pPr/w:ind", NS).get(f"{W}rightChars")
            for p in document.body.findall("w:p", NS)[-2:]
        ]

    # 10 characters: the name two from the right, the date (6½ wide) starting two further right
    assert indents("永济市省校合作办公室") == ["200", "350"]
    # 3 characters: the date would pass the margin, so both move left; the date two from the right
    assert indents("永济市") == ["750", "200"]


def test_the_briefing_has_its_masthead_issue_line_and_footer(briefing: Docx) -> None:
    assert briefing.paragraphs()[:6] == [
        ("GwMasthead", "省校合作工作简报"),
        ("GwCentered", "第5期"),
        ("GwFlush", "永济市省校合作办公室\t2021年12月31日"),
        ("GwFlush", ""),
        ("GwTitle", "我市省校合作工作取得新成效"),
        ("GwFlush", ""),
    ]
    paragraphs = briefing.body.findall("w:p", NS)
    masthead = paragraphs[0].find("w:r/w:rPr", NS)
    assert masthead.find("w:color", NS).get(f"{W}val") == "FF0000"
    assert masthead.find("w:sz", NS).get(f"{W}val") == "84"  # 初号
    line = paragraphs[2].find("w:pPr/w:pBdr/w:bottom", NS)
    assert line.get(f"{W}color") == "FF0000"
    assert imprint_rows(briefing) == [["报送：市委，市政府领导"], ["抄送：各乡镇，市直各部门"]]


def test_the_copy_for_libreoffice_condenses_instead_of_a_character_grid() -> None:
    document = Docx(render_docx(BRIEFING, for_libreoffice=True))
    grid = document.body.find("w:sectPr/w:docGrid", NS)
    assert attributes(grid) == {"linePitch": "579"}
    defaults = document.part("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:spacing", NS).get(f"{W}val") == "-5"  # 0.25 pt: 28 × 15.75 pt


def test_an_upward_document_names_its_signer() -> None:
    document = Docx(render_docx(Document(**{**OFFICIAL.__dict__, "signer": "张三"})))
    number = document.body.findall("w:p", NS)[3]
    runs = number.findall("w:r", NS)
    assert [text_of(r) for r in runs] == ["永合办〔2021〕5号\t签发人：", "张三"]
    assert attributes(runs[1].find("w:rPr/w:rFonts", NS)) == named("楷体_GB2312")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "标题不能为空"),
        ({"masthead": ""}, "发文机关标志不能为空"),
        ({"signature": ""}, "发文机关署名与成文日期须同时填写"),
        ({"printed_on": None}, "印发机关与印发日期须同时填写"),
        ({"body": (Heading.of(5, "五级"),)}, "标题层级须在1至4之间：5"),
        ({"body": (Heading.of(1, "一"),) * 100}, "标题序号须在1至99之间：100"),
        ({"body": (Table("空表", (), ()),)}, "表格“空表”没有表头"),
    ],
)
def test_an_incomplete_document_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(GongwenError, match=f"^{message}$"):
        render_docx(Document(**{**OFFICIAL.__dict__, **changes}))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"masthead": ""}, "简报名称不能为空"),
        ({"issue": 0}, "简报期号须为正整数"),
        ({"compiler": ""}, "编印单位不能为空"),
        ({"issued_on": None}, "简报日期不能为空"),
    ],
)
def test_an_incomplete_briefing_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(GongwenError, match=f"^{message}$"):
        render_docx(Document(**{**BRIEFING.__dict__, **changes}))


def test_numbers_and_dates_in_chinese() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 19, 20, 21, 99)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "九十九",
    ]  # fmt: skip
    assert chinese_date(dt.date(2021, 3, 5)) == "2021年3月5日"
