"""A parsed template: the figures it needs, and its rendering with their values into blocks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from yanzhen.engines.briefing_template.model import (
    AllOf,
    Block,
    Catalogue,
    Cell,
    CellBreak,
    Comparison,
    Condition,
    Conditional,
    FigureOperand,
    FigureRef,
    Heading,
    HeadingMark,
    LineBreak,
    Node,
    Not,
    Number,
    Operand,
    Paragraph,
    Placeholder,
    Run,
    Table,
    TableNode,
    TemplateError,
    TextNode,
    Value,
    format_value,
    runs_text,
)
from yanzhen.engines.briefing_template.syntax import Parser, tokenise

# Rendering -------------------------------------------------------------------------------------


def _compare(left: Decimal, op: str, right: Decimal) -> bool:
    return {
        ">": left > right,
        ">=": left >= right,
        "<": left < right,
        "<=": left <= right,
        "=": left == right,
        "!=": left != right,
    }[op]


def _strip(runs: list[Run]) -> tuple[Run, ...]:
    """Merge plain runs and drop the spaces at either end (of plain runs)."""
    merged: list[Run] = []
    for run in runs:
        if merged and run.figure is None and merged[-1].figure is None:
            merged[-1] = Run(merged[-1].text + run.text)
        elif run.text or run.figure is not None:
            merged.append(run)
    if merged and merged[0].figure is None:
        merged[0] = Run(merged[0].text.lstrip())
    if merged and merged[-1].figure is None:
        merged[-1] = Run(merged[-1].text.rstrip())
    return tuple(r for r in merged if r.text or r.figure is not None)


@dataclass
class _Assembler:
    blocks: list[Block] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    heading: int = 0
    table: TableNode | None = None
    cells: list[Cell] = field(default_factory=list)
    rows: list[tuple[tuple[Cell, ...], int]] = field(default_factory=list)

    def newline(self, line: int) -> None:
        if self.table is not None:
            if self.cells or _strip(self.runs):
                self.cells.append(Cell(_strip(self.runs)))
                self.rows.append((tuple(self.cells), line))
            self.cells, self.runs = [], []
            return
        runs = _strip(self.runs)
        if runs_text(runs).strip():
            self.blocks.append(Heading(self.heading, runs) if self.heading else Paragraph(runs))
        self.runs, self.heading = [], 0

    def cell(self) -> None:
        self.cells.append(Cell(_strip(self.runs)))
        self.runs = []

    def end_table(self, table: TableNode) -> None:
        self.newline(table.line)
        if not self.rows:
            raise TemplateError("表格没有内容", table.line, table.column)
        header = self.rows[0][0]
        for row, line in self.rows[1:]:
            if len(row) != len(header):
                raise TemplateError(f"表格的这一行有{len(row)}格，表头有{len(header)}格", line, 1)
        self.blocks.append(Table(table.caption, header, tuple(r for r, _ in self.rows[1:])))
        self.table, self.rows = None, []


@dataclass(frozen=True)
class Template:
    """A parsed template: the figures it needs, and its rendering with their values."""

    source: str
    nodes: tuple[Node, ...]

    def figures(self) -> tuple[FigureRef, ...]:
        """Every figure the template names (in placeholders and conditions), once, in order."""
        seen: dict[FigureRef, None] = {}
        for ref in _refs(self.nodes):
            seen.setdefault(ref)
        return tuple(seen)

    def render(self, values: Mapping[str, Value]) -> tuple[Block, ...]:
        """The blocks, given each figure's value by its key (``FigureRef.key``)."""
        out = _Assembler()
        self._emit(self.nodes, values, out)
        out.newline(0)
        return tuple(out.blocks)

    def _emit(self, nodes: tuple[Node, ...], values: Mapping[str, Value], out: _Assembler) -> None:
        for node in nodes:
            if isinstance(node, TextNode):
                out.runs.append(Run(node.text))
            elif isinstance(node, LineBreak):
                out.newline(node.line)
            elif isinstance(node, CellBreak):
                out.cell()
            elif isinstance(node, HeadingMark):
                out.heading = node.level
            elif isinstance(node, Placeholder):
                value = _value(values, node.ref, node.line, node.column)
                try:
                    text = format_value(node.kind, value)
                except ValueError as exc:
                    raise TemplateError(
                        f"指标“{node.ref.key}”的数值{exc}：{value}", node.line, node.column
                    ) from exc
                out.runs.append(Run(text, node.ref.key))
            elif isinstance(node, Conditional):
                chosen = next(
                    (b.body for b in node.branches if _holds(b.condition, values)),
                    node.otherwise,
                )
                self._emit(chosen, values, out)
            else:
                out.newline(node.line)
                out.table = node
                self._emit(node.body, values, out)
                out.end_table(node)


def _value(values: Mapping[str, Value], ref: FigureRef, line: int, column: int) -> Value:
    if ref.key not in values:
        raise TemplateError(f"缺少指标“{ref.key}”的数值", line, column)
    return values[ref.key]


def _number(values: Mapping[str, Value], operand: Operand, at: Comparison) -> Decimal | None:
    if isinstance(operand, Number):
        return operand.value
    value = _value(values, operand.ref, at.line, at.column)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TemplateError(f"指标“{operand.ref.key}”的数值应为数值：{value}", at.line, at.column)
    return Decimal(value)


def _holds(condition: Condition, values: Mapping[str, Value]) -> bool:
    if isinstance(condition, Comparison):
        left = _number(values, condition.left, condition)
        right = _number(values, condition.right, condition)
        if left is None or right is None or left.is_nan() or right.is_nan():
            return False
        return _compare(left, condition.op, right)
    if isinstance(condition, Not):
        return not _holds(condition.operand, values)
    if isinstance(condition, AllOf):
        return all(_holds(p, values) for p in condition.parts)
    return any(_holds(p, values) for p in condition.parts)


def _condition_refs(condition: Condition) -> Iterator[FigureRef]:
    if isinstance(condition, Comparison):
        for operand in (condition.left, condition.right):
            if isinstance(operand, FigureOperand):
                yield operand.ref
    elif isinstance(condition, Not):
        yield from _condition_refs(condition.operand)
    else:
        for part in condition.parts:
            yield from _condition_refs(part)


def _refs(nodes: tuple[Node, ...]) -> Iterator[FigureRef]:
    for node in nodes:
        if isinstance(node, Placeholder):
            yield node.ref
        elif isinstance(node, Conditional):
            for branch in node.branches:
                yield from _condition_refs(branch.condition)
                yield from _refs(branch.body)
            yield from _refs(node.otherwise)
        elif isinstance(node, TableNode):
            yield from _refs(node.body)


def parse(source: str, catalogue: Catalogue) -> Template:
    """Parse a template; TemplateError (line, column, Chinese message) if it is malformed."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    return Template(source, Parser(tokenise(text), catalogue).parse())
