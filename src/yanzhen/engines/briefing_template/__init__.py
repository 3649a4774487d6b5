"""Briefing templates: text with named figures, conditional sentences and tables.

Pure Python (no Django). The office writes a briefing's body as plain text; this module parses it
with its own tokeniser and recursive-descent parser (no ``eval``, no code, no attribute access:
only the names of the catalogue passed in), lists the figures it needs, and renders it with
their values into blocks (headings, paragraphs, tables) for the document renderer.

The syntax (also in docs/briefings.md)
--------------------------------------
Every line is a paragraph; blank lines are ignored; spaces at either end of a line are dropped
(the document indents paragraphs itself). Markup is written with ``{ }``, ``[ ]``, ``|`` in
tables and ``#`` at the start of a line; ``{{`` ``}}`` ``[[`` ``]]`` write the characters
themselves.

``{合作意向数}``
    A figure of the catalogue. Parameters follow a colon, several separated by commas:
    ``{合作意向数:上年}``, ``{同比增长:合作意向数}``. The catalogue says which parameters each
    figure takes (words such as ``上年``, or the name of another figure). The full-width ``：``
    and ``，`` are accepted too.
``[若 博士数>0]……[/若]``
    The text between the tags only when the condition holds. ``[否则若 条件]`` and ``[否则]``
    give other branches; conditionals nest (up to 20 deep) and may span lines. A condition
    compares a figure with a number or another figure: ``>`` ``>=`` ``<`` ``<=`` ``=`` ``!=``
    (also ``≥`` ``≤`` ``≠`` and the full-width ``＞`` ``＜`` ``＝``); ``且``, ``或``, ``非`` (with
    spaces around them) and parentheses combine comparisons, ``非`` binding tightest, then
    ``且``, then ``或``. A percentage figure is compared with a percentage (``同比增长:签约数>=10%``)
    or zero; a text figure cannot be compared.
``# 标题`` ``## 标题`` ``### 标题`` ``#### 标题``
    A heading of level 1–4: ``#`` and a space at the start of a line (after spaces or
    condition tags only). The document numbers headings itself: ``一、`` ``（一）`` ``1.``
    ``（1）``; do not type the numbers.
``[表 标题]`` … ``[/表]``
    A table, each tag on a line of its own (the title is optional). Every line between them is a
    row, its cells separated by ``|``; the first row is the header and every row has as many
    cells as the header. Cells hold text, figures and conditionals, and a conditional may hold
    whole rows; a table itself cannot stand inside a conditional.

Values (by the figure's kind in the catalogue): ``COUNT`` integers are written plainly, without
thousands separators (the practice of 公文 after GB/T 15835-2011: ``12345``); ``PERCENT`` values
are ratios written as percentages with one decimal, rounded half up (``0.2245`` → ``22.5%``);
``AMOUNT`` values (e.g. 万元) are written as given (``Decimal("1200.50")`` → ``1200.50``);
``TEXT`` values as they are. ``None`` means the value cannot be computed (e.g. a growth over
zero): it is written ``—`` and every comparison with it is false.

Errors are :class:`TemplateError` with the line and column (1-based) and a message in Chinese.

The package: ``model`` (the catalogue, the parsed nodes, the rendered blocks, how values are
written), ``syntax`` (the tokeniser and the parser), ``template`` (a parsed template and its
rendering); everything public is imported here.
"""

from __future__ import annotations

from yanzhen.engines.briefing_template.model import (
    MAX_DEPTH,
    AllOf,
    AnyOf,
    Block,
    Branch,
    Catalogue,
    Cell,
    CellBreak,
    Comparison,
    Condition,
    Conditional,
    Figure,
    FigureOperand,
    FigureRef,
    Heading,
    HeadingMark,
    Kind,
    LineBreak,
    Node,
    Not,
    Number,
    Operand,
    Paragraph,
    Param,
    Placeholder,
    Run,
    Table,
    TableNode,
    TemplateError,
    TextNode,
    Value,
    format_value,
)
from yanzhen.engines.briefing_template.template import Template, parse

__all__ = [
    "MAX_DEPTH",
    "AllOf",
    "AnyOf",
    "Block",
    "Branch",
    "Catalogue",
    "Cell",
    "CellBreak",
    "Comparison",
    "Condition",
    "Conditional",
    "Figure",
    "FigureOperand",
    "FigureRef",
    "Heading",
    "HeadingMark",
    "Kind",
    "LineBreak",
    "Node",
    "Not",
    "Number",
    "Operand",
    "Paragraph",
    "Param",
    "Placeholder",
    "Run",
    "Table",
    "TableNode",
    "Template",
    "TemplateError",
    "TextNode",
    "Value",
    "format_value",
    "parse",
]
