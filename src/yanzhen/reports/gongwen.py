"""Word documents in the format of Chinese official documents (GB/T 9704-2012).

Plain Python (python-docx, no Django): a :class:`Document` — a 公文, a 工作简报 or a plain 文稿 —
with its body as the blocks of :mod:`yanzhen.engines.briefing_template` (headings, paragraphs,
tables) is written by :func:`render_docx` as a .docx:

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the 版心 is 156 × 225 mm;
  22 lines of 28 characters, set in the section's document grid (line pitch 579 twips = 225 mm /
  22; character pitch 156 mm / 28 = 15.79 pt, i.e. ``charSpace`` −849/4096 pt from the 16 pt
  body font) and as the body's exact line spacing (28.95 pt), so a renderer that ignores the
  grid still sets 22 lines.
- Title 二号 (22 pt) 方正小标宋简体, centred; body 三号 (16 pt) 仿宋_GB2312, indented two
  characters; headings numbered ``一、`` (黑体), ``（一）`` (楷体_GB2312), ``1.`` (仿宋_GB2312
  bold), ``（1）`` (仿宋_GB2312).
- Page numbers ``— 1 —`` in 四号 (14 pt) 半角宋体, about 7 mm below the 版心: right (one
  character in) on odd pages, left on even pages (separate odd and even footers).
- 公文: the red 发文机关标志 35 mm below the top of the 版心, the 发文字号 (with 签发人 for an
  upward document) and the red separator 4 mm below it; title; 主送机关; body; 附件说明;
  署名 and 成文日期 as for an unsealed document (署名 two characters from the right, the date's
  first character two characters right of the 署名's); the 版记 (抄送, 印发机关 and 印发日期
  between a thick, a thin and a thick line) at the foot of the last page.
- 工作简报: the red masthead, 第N期, the compiling unit and the date over a red line; title;
  items; the 报送/抄送 footer at the foot of the last page.

Every font is named in ``w:rFonts`` for ASCII, high ANSI, East Asian and complex script text, so
WPS and Word pick it (the East Asian name is the one they use for Chinese); the font table gives
each an alternative that Windows ships (``仿宋_GB2312`` → ``仿宋``) for machines without it.
On Debian the fonts are aliased to Noto CJK when LibreOffice makes the PDF
(:mod:`yanzhen.reports.pdf`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Twips

from yanzhen.engines.briefing_template import Block, Heading, Paragraph, Table
from yanzhen.reports.pdf import docx_to_pdf

# Sizes in half-points (the unit of w:sz): 二号 22 pt, 三号 16 pt, 四号 14 pt, 初号 42 pt.
ER_HAO, SAN_HAO, SI_HAO, CHU_HAO = 44, 32, 28, 84

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
# What Word and WPS may use where a font is missing (the fonts Windows ships).
ALTERNATIVES = {
    TITLE_FONT: ("宋体", "roman", "variable"),
    BODY_FONT: ("仿宋", "modern", "fixed"),
    KAI_FONT: ("楷体", "modern", "fixed"),
    HEI_FONT: ("SimHei", "modern", "fixed"),
    SONG_FONT: ("SimSun", "auto", "variable"),
}

RED = "FF0000"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH = Twips(8845)  # 156 mm
LINE_PITCH = 579  # twips: 225 mm / 22 lines
CHAR_SPACE = -849  # 4096ths of a point: 156 mm / 28 characters − 16 pt
CHAR = 320  # twips: one character of the 16 pt body


class Kind(StrEnum):
    OFFICIAL = "公文"
    BRIEFING = "工作简报"
    PLAIN = "文稿"


class GongwenError(ValueError):
    """A document that lacks what its kind needs (message in Chinese, naming the field)."""


@dataclass(frozen=True)
class Document:
    """A document to write. Which fields a kind uses:

    - 公文: ``masthead`` (发文机关标志, e.g. ``永济市省校合作办公室文件``), ``number``
      (发文字号, ``永合办〔2021〕5号``), ``signer`` (签发人, for an upward document),
      ``recipients`` (主送机关), ``attachments``, ``signature`` and ``signed_on``, ``copy_to``
      (抄送), ``printed_by`` and ``printed_on`` (印发机关, 印发日期).
    - 工作简报: ``masthead`` (e.g. ``省校合作工作简报``), ``issue`` (第N期), ``compiler``
      (编印单位), ``issued_on``, ``report_to`` (报送) and ``copy_to`` (抄送).
    - 文稿: the title, the body and optionally ``signature`` and ``signed_on``.
    """

    kind: Kind
    title: str
    body: tuple[Block, ...]
    masthead: str = ""
    number: str = ""
    signer: str = ""
    issue: int | None = None
    compiler: str = ""
    issued_on: dt.date | None = None
    recipients: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    signature: str = ""
    signed_on: dt.date | None = None
    report_to: tuple[str, ...] = ()
    copy_to: tuple[str, ...] = ()
    printed_by: str = ""
    printed_on: dt.date | None = None


def chinese_date(day: dt.date) -> str:
    """``2021年12月31日``: the year in full, month and day without leading zeros (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九 (headings count at most 99)."""
    if not 1 <= n <= 99:
        raise GongwenError(f"标题序号须在1至99之间：{n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def text_width(text: str) -> float:
    """The width in characters: Chinese and full-width characters 1, ASCII (half-width) ½."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def check(document: Document) -> None:
    """GongwenError if the document lacks what its kind needs."""
    if not document.title.strip():
        raise GongwenError("标题不能为空")
    if document.kind in (Kind.OFFICIAL, Kind.BRIEFING) and not document.masthead.strip():
        raise GongwenError(
            "发文机关标志不能为空" if document.kind is Kind.OFFICIAL else "简报名称不能为空"
        )
    if document.kind is Kind.BRIEFING:
        if document.issue is None or document.issue < 1:
            raise GongwenError("简报期号须为正整数")
        if not document.compiler.strip():
            raise GongwenError("编印单位不能为空")
        if document.issued_on is None:
            raise GongwenError("简报日期不能为空")
    if bool(document.signature.strip()) != (document.signed_on is not None):
        raise GongwenError("发文机关署名与成文日期须同时填写")
    if bool(document.printed_by.strip()) != (document.printed_on is not None):
        raise GongwenError("印发机关与印发日期须同时填写")
    counters = [0, 0, 0, 0]
    for block in document.body:
        if isinstance(block, Heading):
            if not 1 <= block.level <= 4:
                raise GongwenError(f"标题层级须在1至4之间：{block.level}")
            counters[block.level - 1] += 1
            counters[block.level :] = [0] * (4 - block.level)
            heading_number(block.level, counters[block.level - 1])
        if isinstance(block, Table) and not block.header:
            raise GongwenError(f"表格“{block.caption}”没有表头")


def render_pdf(document: Document) -> bytes:
    """The PDF of the document, by LibreOffice (PdfError if LibreOffice is missing or fails)."""
    return docx_to_pdf(render_docx(document, for_libreoffice=True))


def render_docx(document: Document, *, for_libreoffice: bool = False) -> bytes:
    """The .docx of the document (GongwenError if it lacks what its kind needs).

    ``for_libreoffice``: the copy LibreOffice turns into the PDF. LibreOffice puts a character
    wider than the grid's cell into two cells (Word and WPS condense it), so a 16 pt character
    in the 15.79 pt cells of 28 characters a line would set 14; this copy has no character grid
    and condenses the text by 0.25 pt a character instead (28 × 15.75 pt fit the 156 mm), the
    exact line spacing keeping the 22 lines.
    """
    check(document)
    writer = _Writer(document, grid=not for_libreoffice)
    writer.write()
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return buffer.getvalue()


# XML helpers -----------------------------------------------------------------------------------

# The order of children the schema requires (Word refuses a file that breaks it).
_PPR = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
]  # fmt: skip
_RPR = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
    "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
    "oMath",
]  # fmt: skip
_TBLPR = [
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook",
]  # fmt: skip


def _child(parent: Any, tag: str, order: list[str]) -> Any:
    """The child ``w:<tag>`` of ``parent``, created in its place in the schema's order."""
    found = parent.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    element = OxmlElement(f"w:{tag}")
    later = order[order.index(tag) + 1 :]
    for sibling in parent:
        if sibling.tag in {qn(f"w:{t}") for t in later}:
            sibling.addprevious(element)
            return element
    parent.append(element)
    return element


def _set(element: Any, **attributes: str | int) -> Any:
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _style(paragraph: Any, style_id: str) -> None:
    _set(_child(paragraph._p.get_or_add_pPr(), "pStyle", _PPR), val=style_id)


def _fonts(rpr: Any, font: str) -> None:
    """Name the font for every script, East Asian included; no theme fonts."""
    fonts = _child(rpr, "rFonts", _RPR)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    _set(fonts, ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")


def _run_format(
    rpr: Any, *, font: str | None = None, size: int | None = None, bold: bool = False,
    color: str | None = None,
) -> None:  # fmt: skip
    if font:
        _fonts(rpr, font)
    if bold:
        _child(rpr, "b", _RPR)
        _child(rpr, "bCs", _RPR)
    if color:
        _set(_child(rpr, "color", _RPR), val=color)
    if size:
        _set(_child(rpr, "sz", _RPR), val=size)
        _set(_child(rpr, "szCs", _RPR), val=size)


def _indent(ppr: Any, **chars: float) -> None:
    """Indents in characters (``left``, ``right``, ``firstLine``, ``hanging``), written both in
    hundredths of a character (Word, WPS) and in twips of the body's character (the others)."""
    ind = _child(ppr, "ind", _PPR)
    for key in list(ind.attrib):
        del ind.attrib[key]
    for name, value in chars.items():
        _set(ind, **{name: round(value * CHAR), f"{name}Chars": round(value * 100)})


def _spacing(ppr: Any, *, exact: int | None = None, before: int = 0, after: int = 0) -> None:
    spacing = _set(_child(ppr, "spacing", _PPR), before=before, after=after)
    if exact is None:
        _set(spacing, line=240, lineRule="auto")
    else:
        _set(spacing, line=exact, lineRule="exact")


def _border(ppr: Any, side: str, *, size: int, color: str, space: int = 0) -> None:
    borders = _child(ppr, "pBdr", _PPR)
    edge = OxmlElement(f"w:{side}")
    _set(edge, val="single", sz=size, space=space, color=color)
    borders.append(edge)


# The writer ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    id: str
    name: str
    font: str
    size: int = SAN_HAO
    bold: bool = False
    align: str = "both"
    first_line: float = 0  # characters
    exact: int | None = LINE_PITCH
    outline: int | None = None
    grid: bool = True
    keep_next: bool = False


_STYLES = (
    _Style("GwTitle", "公文标题", TITLE_FONT, ER_HAO, align="center"),
    _Style("GwHeading1", "一级标题", HEI_FONT, first_line=2, outline=0),
    _Style("GwHeading2", "二级标题", KAI_FONT, first_line=2, outline=1),
    _Style("GwHeading3", "三级标题", BODY_FONT, bold=True, first_line=2, outline=2),
    _Style("GwHeading4", "四级标题", BODY_FONT, first_line=2, outline=3),
    _Style(
        "GwMasthead", "发文机关标志", TITLE_FONT, CHU_HAO, align="center", exact=None, grid=False
    ),
    _Style("GwCentered", "居中", BODY_FONT, align="center"),
    _Style("GwFlush", "顶格", BODY_FONT),
    _Style("GwTableCaption", "表题", HEI_FONT, align="center", keep_next=True),
    _Style("GwTableText", "表格文字", BODY_FONT, SI_HAO, align="center", exact=None, grid=False),
    _Style("GwImprint", "版记", BODY_FONT, SI_HAO, align="left", exact=None, grid=False),
    _Style("GwPageNumber", "页码", SONG_FONT, SI_HAO, align="left", exact=320, grid=False),
)


class _Writer:
    def __init__(self, document: Document, *, grid: bool) -> None:
        self.document = document
        self.grid = grid
        self.doc = docx.Document()

    def write(self) -> None:
        self.setup()
        document = self.document
        if document.kind is Kind.OFFICIAL:
            self.official_head()
        elif document.kind is Kind.BRIEFING:
            self.briefing_head()
        self.paragraph(document.title, "GwTitle")
        self.blank()
        if document.recipients:
            text = "，".join(document.recipients).rstrip("：:") + "："
            self.paragraph(text, "GwFlush")
        self.body(document.body)
        self.attachments(document.attachments)
        if document.signature and document.signed_on:
            self.signature(document.signature, document.signed_on)
        if document.kind is Kind.OFFICIAL:
            rows = []
            if document.copy_to:
                rows.append((f"抄送：{'，'.join(document.copy_to)}。", ""))
            if document.printed_by and document.printed_on:
                printed = f"{chinese_date(document.printed_on)}印发"
                rows.append((document.printed_by, printed))
            self.foot(rows)
        elif document.kind is Kind.BRIEFING:
            rows = []
            if document.report_to:
                rows.append((f"报送：{'，'.join(document.report_to)}", ""))
            if document.copy_to:
                rows.append((f"抄送：{'，'.join(document.copy_to)}", ""))
            self.foot(rows)

    # The page, the styles, the footers -------------------------------------------------------

    def setup(self) -> None:
        doc = self.doc
        section = doc.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
        section.header_distance, section.footer_distance = Mm(15), Mm(22.4)
        grid = section._sectPr.find(qn("w:docGrid"))
        for key in list(grid.attrib):
            del grid.attrib[key]
        if self.grid:
            _set(grid, type="linesAndChars", linePitch=LINE_PITCH, charSpace=CHAR_SPACE)
        else:
            _set(grid, linePitch=LINE_PITCH)
        # Parts of python-docx's template that would contradict ours: Word 2010's copy of the
        # styles (with the template's theme fonts) and the template's thumbnail.
        for rels in (doc.part.rels, doc.part.package.rels):
            stale = ("/stylesWithEffects", "/thumbnail")
            for rel_id in [r for r, rel in rels.items() if rel.reltype.endswith(stale)]:
                rels.pop(rel_id)
        self.defaults()
        for style in _STYLES:
            self.style(style)
        self.font_table()
        doc.settings.odd_and_even_pages_header_footer = True
        self.page_number(section.footer.paragraphs[0], odd=True)
        self.page_number(section.even_page_footer.paragraphs[0], odd=False)
        properties = doc.core_properties
        properties.title = self.document.title
        properties.author = (
            self.document.signature or self.document.compiler or self.document.masthead
        )
        properties.language = "zh-CN"

    def defaults(self) -> None:
        styles = self.doc.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _run_format(rpr, font=BODY_FONT, size=SAN_HAO)
        if not self.grid:
            _set(_child(rpr, "spacing", _RPR), val=-5)
        _set(_child(rpr, "lang", _RPR), val="en-US", eastAsia="zh-CN", bidi="ar-SA")
        ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        _spacing(ppr)
        normal = self.doc.styles["Normal"].element
        _run_format(normal.get_or_add_rPr(), font=BODY_FONT, size=SAN_HAO)
        ppr = normal.get_or_add_pPr()
        # Every page holds its 22 lines: a paragraph may leave one line at the foot of a page.
        _set(_child(ppr, "widowControl", _PPR), val=0)
        _spacing(ppr, exact=LINE_PITCH)
        _indent(ppr, firstLine=2)
        _set(_child(ppr, "jc", _PPR), val="both")

    def style(self, spec: _Style) -> None:
        # Straight into the XML: python-docx's style API searches all 260 styles each time.
        element = self.doc.styles.element.add_style_of_type(
            spec.name, WD_STYLE_TYPE.PARAGRAPH, False
        )
        _set(element, styleId=spec.id)
        element.basedOn_val = "Normal"
        element.qFormat_val = True
        _run_format(element.get_or_add_rPr(), font=spec.font, size=spec.size, bold=spec.bold)
        ppr = element.get_or_add_pPr()
        if spec.outline is not None or spec.keep_next:
            _child(ppr, "keepNext", _PPR)
        if not spec.grid:
            _set(_child(ppr, "snapToGrid", _PPR), val=0)
        _spacing(ppr, exact=spec.exact)
        _indent(ppr, firstLine=spec.first_line)
        _set(_child(ppr, "jc", _PPR), val=spec.align)
        if spec.outline is not None:
            _set(_child(ppr, "outlineLvl", _PPR), val=spec.outline)

    def font_table(self) -> None:
        part = self.doc.part.part_related_by(RT.FONT_TABLE)
        fonts = parse_xml(part.blob)
        for name, (alternative, family, pitch) in ALTERNATIVES.items():
            fonts.append(
                parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternative}"/>'
                    f'<w:charset w:val="86"/><w:family w:val="{family}"/>'
                    f'<w:pitch w:val="{pitch}"/></w:font>'
                )
            )
        # python-docx keeps the font table as bytes (it has no class for it).
        part._blob = serialize_part_xml(fonts)

    def page_number(self, paragraph: Any, *, odd: bool) -> None:
        """``— N —``: right and one character in on odd pages, left on even pages."""
        _style(paragraph, "GwPageNumber")
        ppr = paragraph._p.get_or_add_pPr()
        _set(_child(ppr, "jc", _PPR), val="right" if odd else "left")
        ind = _child(ppr, "ind", _PPR)
        _set(ind, **({"right": 280} if odd else {"left": 280}))
        paragraph.add_run("— ")
        begin, instruction, separate, end = (
            OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar"),
            OxmlElement("w:fldChar"),
        )  # fmt: skip
        _set(begin, fldCharType="begin")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = " PAGE "
        _set(separate, fldCharType="separate")
        _set(end, fldCharType="end")
        paragraph.add_run()._r.append(begin)
        paragraph.add_run()._r.append(instruction)
        paragraph.add_run()._r.append(separate)
        paragraph.add_run("1")
        paragraph.add_run()._r.append(end)
        paragraph.add_run(" —")

    # Pieces ----------------------------------------------------------------------------------

    def paragraph(self, text: str, style: str = "Normal") -> Any:
        paragraph = self.doc.add_paragraph()
        if style != "Normal":
            _style(paragraph, style)
        if text:
            paragraph.add_run(text)
        return paragraph

    def blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self.paragraph("", "GwFlush")

    def masthead(self, text: str) -> Any:
        """The red masthead, as large as fits the width (at most 初号)."""
        paragraph = self.paragraph("", "GwMasthead")
        run = paragraph.add_run(text)
        size = min(CHU_HAO, int(2 * TEXT_WIDTH.pt * 0.98 / max(text_width(text), 1)))
        _run_format(run._r.get_or_add_rPr(), color=RED, size=size)
        return paragraph

    def official_head(self) -> None:
        document = self.document
        masthead = self.masthead(document.masthead)
        _spacing(masthead._p.get_or_add_pPr(), before=round(Mm(35).twips))
        self.blank(2)
        number = self.paragraph("", "GwCentered")
        ppr = number._p.get_or_add_pPr()
        if document.signer:
            # An upward document: the number one character from the left, 签发人 one from the right.
            _set(_child(ppr, "jc", _PPR), val="left")
            _indent(ppr, left=1)
            number.paragraph_format.tab_stops.add_tab_stop(
                Twips(TEXT_WIDTH.twips - CHAR), WD_TAB_ALIGNMENT.RIGHT
            )
            number.add_run(f"{document.number}\t签发人：")
            signer = number.add_run(document.signer)
            _run_format(signer._r.get_or_add_rPr(), font=KAI_FONT)
        else:
            number.add_run(document.number)
        _border(ppr, "bottom", size=12, color=RED, space=11)
        self.blank(2)

    def briefing_head(self) -> None:
        document = self.document
        assert document.issued_on is not None
        self.masthead(document.masthead)
        self.paragraph(f"第{document.issue}期", "GwCentered")
        line = self.paragraph("", "GwFlush")
        line.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        line.add_run(f"{document.compiler}\t{chinese_date(document.issued_on)}")
        _border(line._p.get_or_add_pPr(), "bottom", size=12, color=RED, space=4)
        self.blank()

    def body(self, blocks: Iterable[Block]) -> None:
        counters = [0, 0, 0, 0]
        for block in blocks:
            if isinstance(block, Heading):
                counters[block.level - 1] += 1
                counters[block.level :] = [0] * (4 - block.level)
                number = heading_number(block.level, counters[block.level - 1])
                self.paragraph(number + block.text, f"GwHeading{block.level}")
            elif isinstance(block, Paragraph):
                self.paragraph(block.text)
            else:
                self.table(block)

    def table(self, block: Table) -> None:
        if block.caption:
            self.paragraph(block.caption, "GwTableCaption")
        columns = len(block.header)
        table = self.doc.add_table(rows=1 + len(block.rows), cols=columns)
        _set(_child(table._tbl.tblPr, "tblStyle", _TBLPR), val="TableGrid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _child(table.rows[0]._tr.get_or_add_trPr(), "tblHeader", ["cantSplit", "tblHeader"])
        for index, (row, cells) in enumerate(
            zip(table.rows, (block.header, *block.rows), strict=True)
        ):
            for cell, content in zip(row.cells, cells, strict=False):
                paragraph = cell.paragraphs[0]
                _style(paragraph, "GwTableText")
                run = paragraph.add_run(content.text)
                if index == 0:
                    _run_format(run._r.get_or_add_rPr(), font=HEI_FONT)

    def attachments(self, names: tuple[str, ...]) -> None:
        if not names:
            return
        self.blank()
        if len(names) == 1:
            self.paragraph(f"附件：{names[0]}")
            return
        for index, name in enumerate(names, start=1):
            paragraph = self.paragraph(f"{'附件：' if index == 1 else ''}{index}.{name}")
            if index > 1:  # under the first name, after 附件：
                _indent(paragraph._p.get_or_add_pPr(), left=5, firstLine=0)

    def signature(self, unit: str, day: dt.date) -> None:
        """署名 two characters from the right; the date below, its first character two
        characters right of the 署名's first; if the date is the longer, both move left so that
        the date stays two characters from the right (GB/T 9704-2012 7.3.5.2)."""
        date = chinese_date(day)
        unit_right = 2.0
        date_right = unit_right + text_width(unit) - text_width(date) - 2
        if date_right < 2:
            unit_right += 2 - date_right
            date_right = 2
        self.blank()
        for text, right in ((unit, unit_right), (date, date_right)):
            paragraph = self.paragraph(text, "GwFlush")
            ppr = paragraph._p.get_or_add_pPr()
            # No extra space between the digits and the Chinese, so the widths above hold.
            _set(_child(ppr, "autoSpaceDE", _PPR), val=0)
            _set(_child(ppr, "autoSpaceDN", _PPR), val=0)
            _set(_child(ppr, "jc", _PPR), val="right")
            _indent(ppr, right=right)

    def foot(self, rows: list[tuple[str, str]]) -> None:
        """The 版记 (or the 简报's footer) at the foot of the last page: a table as wide as the
        版心, a thick line above and below and thin lines between, floating at the bottom of the
        page's text area. (Placed from the page's left edge: LibreOffice lets a table as wide as
        the text area float only when it is placed so.)"""
        if not rows:
            return
        table = self.doc.add_table(rows=len(rows), cols=2)
        tblpr = table._tbl.tblPr
        _set(
            _child(tblpr, "tblpPr", _TBLPR),
            leftFromText=0, rightFromText=0, topFromText=0, bottomFromText=0,
            vertAnchor="margin", tblpYSpec="bottom", horzAnchor="page", tblpX=LEFT.twips,
        )  # fmt: skip
        _set(_child(tblpr, "tblOverlap", _TBLPR), val="never")
        _set(_child(tblpr, "tblW", _TBLPR), w=TEXT_WIDTH.twips, type="dxa")
        borders = _child(tblpr, "tblBorders", _TBLPR)
        for side, size in (("top", 8), ("bottom", 8), ("insideH", 6)):
            borders.append(
                _set(OxmlElement(f"w:{side}"), val="single", sz=size, space=0, color="000000")
            )
        for side in ("left", "right", "insideV"):
            borders.append(_set(OxmlElement(f"w:{side}"), val="nil"))
        margins = _child(tblpr, "tblCellMar", _TBLPR)
        for side in ("left", "right"):
            margins.append(_set(OxmlElement(f"w:{side}"), w=0, type="dxa"))
        for row, (left, right) in zip(table.rows, rows, strict=True):
            cells = row.cells
            if not right:
                cell = cells[0].merge(cells[1])
                paragraph = cell.paragraphs[0]
                _style(paragraph, "GwImprint")
                paragraph.add_run(left)
                label = len(left.split("：", 1)[0]) + 1
                _indent(paragraph._p.get_or_add_pPr(), left=1 + label, right=1, hanging=label)
                continue
            for cell, text, align in ((cells[0], left, "left"), (cells[1], right, "right")):
                paragraph = cell.paragraphs[0]
                _style(paragraph, "GwImprint")
                paragraph.add_run(text)
                ppr = paragraph._p.get_or_add_pPr()
                _set(_child(ppr, "jc", _PPR), val=align)
                _indent(ppr, **({"left": 1} if align == "left" else {"right": 1}))
        # The body must end with a paragraph; this one takes no room.
        end = self.paragraph("", "GwFlush")
        _spacing(end._p.get_or_add_pPr(), exact=20)
