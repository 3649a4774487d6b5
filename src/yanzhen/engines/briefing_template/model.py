"""The catalogue of figures a template may name, the parsed template's nodes, the rendered
blocks (headings, paragraphs, tables) and how a value is written."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeAlias

MAX_DEPTH = 20

Value: TypeAlias = int | Decimal | str | None


class TemplateError(Exception):
    """A template that cannot be parsed or rendered: where, and why (in Chinese)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"第{line}行第{column}列：{message}")
        self.message = message
        self.line = line
        self.column = column


# The catalogue ---------------------------------------------------------------------------------


class Kind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    AMOUNT = "amount"
    TEXT = "text"


@dataclass(frozen=True)
class Param:
    """One parameter of a figure: the words it accepts, or (``figures``) any numeric figure."""

    label: str
    choices: tuple[str, ...] = ()
    figures: bool = False
    required: bool = False


@dataclass(frozen=True)
class Figure:
    name: str
    kind: Kind
    params: tuple[Param, ...] = ()
    description: str = ""


NOT_NAME = frozenset("{}[]|:：,，()（）<>=!≥≤≠＞＜＝！%-#")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
AND_WORDS, OR_WORDS, NOT_WORDS = (
    frozenset({"且", "并且"}),
    frozenset({"或", "或者"}),
    frozenset({"非"}),
)
_KEYWORDS = AND_WORDS | OR_WORDS | NOT_WORDS


def _is_word(text: str) -> bool:
    return (
        bool(text)
        and not any(c.isspace() or c in NOT_NAME for c in text)
        and not NUMBER.fullmatch(text)
        and text not in _KEYWORDS
    )


class Catalogue:
    """The figures a template may name. A bad catalogue is a programming error (ValueError)."""

    def __init__(self, figures: Iterable[Figure]) -> None:
        self._figures: dict[str, Figure] = {}
        for figure in figures:
            if not _is_word(figure.name):
                raise ValueError(f"指标名称“{figure.name}”不可用（不能含空格和符号，不能是数字）")
            if figure.name in self._figures:
                raise ValueError(f"指标“{figure.name}”重复")
            optional = False
            for param in figure.params:
                if param.required and optional:
                    raise ValueError(f"指标“{figure.name}”的必填参数须在可选参数之前")
                optional = optional or not param.required
                if param.figures == bool(param.choices):
                    raise ValueError(
                        f"指标“{figure.name}”的参数“{param.label}”须列出可选词或取指标"
                    )
                for word in param.choices:
                    if not _is_word(word):
                        raise ValueError(f"指标“{figure.name}”的参数词“{word}”不可用")
            self._figures[figure.name] = figure

    def get(self, name: str) -> Figure | None:
        return self._figures.get(name)

    def names(self) -> tuple[str, ...]:
        return tuple(self._figures)


@dataclass(frozen=True)
class FigureRef:
    """A figure as a template names it, with its parameters; ``key`` keys its value."""

    name: str
    args: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.name}:{','.join(self.args)}" if self.args else self.name


# The parsed template ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: Decimal
    percent: bool
    text: str


@dataclass(frozen=True)
class FigureOperand:
    ref: FigureRef
    kind: Kind


Operand: TypeAlias = Number | FigureOperand


@dataclass(frozen=True)
class Comparison:
    left: Operand
    op: str
    right: Operand
    line: int
    column: int


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


Condition: TypeAlias = Comparison | Not | AllOf | AnyOf


@dataclass(frozen=True)
class TextNode:
    text: str


@dataclass(frozen=True)
class LineBreak:
    line: int


@dataclass(frozen=True)
class CellBreak:
    line: int
    column: int


@dataclass(frozen=True)
class HeadingMark:
    level: int
    line: int
    column: int


@dataclass(frozen=True)
class Placeholder:
    ref: FigureRef
    kind: Kind
    line: int
    column: int


@dataclass(frozen=True)
class Branch:
    condition: Condition
    body: tuple[Node, ...]


@dataclass(frozen=True)
class Conditional:
    branches: tuple[Branch, ...]
    otherwise: tuple[Node, ...]


@dataclass(frozen=True)
class TableNode:
    caption: str
    body: tuple[Node, ...]
    line: int
    column: int


Node: TypeAlias = (
    TextNode | LineBreak | CellBreak | HeadingMark | Placeholder | Conditional | TableNode
)


# The rendered blocks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text; ``figure`` is the key of the figure it shows, if it is one."""

    text: str
    figure: str | None = None


def runs_text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return runs_text(self.runs)

    @classmethod
    def of(cls, text: str) -> Paragraph:
        return cls((Run(text),))


@dataclass(frozen=True)
class Heading:
    level: int
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return runs_text(self.runs)

    @classmethod
    def of(cls, level: int, text: str) -> Heading:
        return cls(level, (Run(text),))


@dataclass(frozen=True)
class Cell:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return runs_text(self.runs)


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @classmethod
    def of(cls, header: Iterable[str], rows: Iterable[Iterable[str]], caption: str = "") -> Table:
        def cells(texts: Iterable[str]) -> tuple[Cell, ...]:
            return tuple(Cell((Run(t),) if t else ()) for t in texts)

        return cls(caption, cells(header), tuple(cells(r) for r in rows))


Block: TypeAlias = Heading | Paragraph | Table


# Values ----------------------------------------------------------------------------------------


def format_value(kind: Kind, value: Value) -> str:
    """The text of a value of this kind (see the module's docstring); ValueError if it does not
    fit the kind."""
    if value is None:
        return "—"
    if kind is Kind.TEXT:
        if not isinstance(value, str):
            raise ValueError("应为文字")
        return value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("应为数值")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError("应为有限的数值")
    if number and number.adjusted() > 30:
        raise ValueError("过大")
    if kind is Kind.COUNT:
        if number != number.to_integral_value():
            raise ValueError("应为整数")
        return str(int(number))
    if kind is Kind.PERCENT:
        try:
            shown = (number.scaleb(2)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        except InvalidOperation as exc:
            raise ValueError("数值过大") from exc
        return f"{abs(shown) if shown == 0 else shown}%"
    return str(value) if isinstance(value, int) else format(value, "f")
