"""The tokeniser and the recursive-descent parser of a template: its text, tags, figures and
conditions (no ``eval``: only the names of the catalogue)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from yanzhen.engines.briefing_template.model import (
    AND_WORDS,
    MAX_DEPTH,
    NOT_NAME,
    NOT_WORDS,
    NUMBER,
    OR_WORDS,
    AllOf,
    AnyOf,
    Branch,
    Catalogue,
    CellBreak,
    Comparison,
    Condition,
    Conditional,
    Figure,
    FigureOperand,
    FigureRef,
    HeadingMark,
    Kind,
    LineBreak,
    Node,
    Not,
    Number,
    Operand,
    Placeholder,
    TableNode,
    TemplateError,
    TextNode,
)

# The tokeniser ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    kind: str  # text nl pipe heading figure if elif else endif table endtable
    line: int
    column: int
    text: str = ""
    level: int = 0
    arg_line: int = 0
    arg_column: int = 0
    alone: bool = False


_CONDITION_TAGS = frozenset({"if", "elif", "else", "endif"})
_HEADING = re.compile(r"(#{1,4})[ \u3000]")


def _tag(content: str, line: int, column: int) -> _Tok:
    """A ``[...]`` tag; ``column`` is that of its ``[``."""
    lead = len(content) - len(content.lstrip())
    body = content.strip()
    start = column + 1 + lead

    def tok(kind: str, skip: int) -> _Tok:
        rest = body[skip:]
        offset = skip + len(rest) - len(rest.lstrip())
        return _Tok(kind, line, column, rest.strip(), arg_line=line, arg_column=start + offset)

    if body == "/若":
        return tok("endif", len(body))
    if body == "/表":
        return tok("endtable", len(body))
    if body == "否则":
        return tok("else", len(body))
    if body.startswith("否则") and body[2:].lstrip().startswith("若"):
        return tok("elif", len(body) - len(body[2:].lstrip()) + 1)
    if body.startswith("若"):
        return tok("if", 1)
    if body == "表" or (body.startswith("表") and body[1].isspace()):
        return tok("table", 1)
    raise TemplateError(f"未知的标记“[{content}]”（文字“[”请写“[[”）", line, column)


def tokenise(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    buffer: list[str] = []
    buffer_at = (1, 1)
    line, column, i, n = 1, 1, 0, len(source)
    at_line_start = True

    def flush() -> None:
        if buffer:
            tokens.append(_Tok("text", *buffer_at, "".join(buffer)))
            buffer.clear()

    def closing(close: str, what: str) -> int:
        """The index of the bracket closing the one at ``i``, on the same line."""
        j = i + 1
        while j < n and source[j] not in close + "\n":
            if source[j] in "{}[]":
                raise TemplateError(f"{what}中不能有“{source[j]}”", line, column + j - i)
            j += 1
        if j == n or source[j] == "\n":
            opener = source[i]
            raise TemplateError(
                f"“{opener}”没有对应的“{close}”（文字“{opener}”请写“{opener}{opener}”）",
                line,
                column,
            )
        return j

    while i < n:
        c = source[i]
        if c == "\n":
            flush()
            tokens.append(_Tok("nl", line, column))
            line, column, i, at_line_start = line + 1, 1, i + 1, True
            continue
        if c in "{}[]" and i + 1 < n and source[i + 1] == c:
            if not buffer:
                buffer_at = (line, column)
            buffer.append(c)
            i, column, at_line_start = i + 2, column + 2, False
            continue
        if c == "{":
            flush()
            j = closing("}", "占位符")
            tokens.append(_Tok("figure", line, column, source[i + 1 : j], 0, line, column + 1))
            column, i, at_line_start = column + j + 1 - i, j + 1, False
            continue
        if c == "[":
            flush()
            j = closing("]", "标记")
            tok = _tag(source[i + 1 : j], line, column)
            tokens.append(tok)
            at_line_start = at_line_start and tok.kind in _CONDITION_TAGS
            column, i = column + j + 1 - i, j + 1
            continue
        if c in "}]":
            raise TemplateError(f"多余的“{c}”（文字“{c}”请写“{c}{c}”）", line, column)
        if c == "|":
            flush()
            tokens.append(_Tok("pipe", line, column))
            i, column, at_line_start = i + 1, column + 1, False
            continue
        heading = _HEADING.match(source, i) if at_line_start and c == "#" else None
        if heading is not None:
            flush()
            level = len(heading.group(1))
            tokens.append(_Tok("heading", line, column, level=level))
            i, column, at_line_start = heading.end(), column + level + 1, False
            continue
        if not buffer:
            buffer_at = (line, column)
        buffer.append(c)
        at_line_start = at_line_start and c.isspace()
        i, column = i + 1, column + 1
    flush()
    return _mark_alone(tokens)


def _mark_alone(tokens: list[_Tok]) -> list[_Tok]:
    """Mark the table tags that stand on a line of their own."""
    result = list(tokens)
    start = 0
    for index in range(len(tokens) + 1):
        if index < len(tokens) and tokens[index].kind != "nl":
            continue
        line = tokens[start:index]
        tags = [k for k, t in enumerate(line) if t.kind in ("table", "endtable")]
        others = [t for t in line if not (t.kind == "text" and not t.text.strip())]
        if len(tags) == 1 and len(others) == 1:
            k = start + tags[0]
            t = result[k]
            result[k] = _Tok(t.kind, t.line, t.column, t.text, 0, t.arg_line, t.arg_column, True)
        start = index + 1
    return result


# Conditions and references ---------------------------------------------------------------------


@dataclass(frozen=True)
class _CTok:
    kind: str  # word num op lp rp colon comma and or not end
    text: str
    column: int
    value: Decimal = Decimal(0)
    percent: bool = False


_OPS = {
    ">": ">", ">=": ">=", "<": "<", "<=": "<=", "=": "=", "==": "=", "!=": "!=",
    "≥": ">=", "≤": "<=", "≠": "!=", "＞": ">", "＜": "<", "＝": "=", "＞＝": ">=",
    "＜＝": "<=", "！＝": "!=", "＝＝": "=",
}  # fmt: skip


def _lex_condition(text: str, line: int, column: int) -> list[_CTok]:
    tokens: list[_CTok] = []
    i, n = 0, len(text)
    while i < n:
        c, at = text[i], column + i
        if c.isspace():
            i += 1
        elif c in "(（":
            tokens.append(_CTok("lp", c, at))
            i += 1
        elif c in ")）":
            tokens.append(_CTok("rp", c, at))
            i += 1
        elif c in ":：":
            tokens.append(_CTok("colon", c, at))
            i += 1
        elif c in ",，":
            tokens.append(_CTok("comma", c, at))
            i += 1
        elif text[i : i + 2] in _OPS:
            tokens.append(_CTok("op", _OPS[text[i : i + 2]], at))
            i += 2
        elif c in _OPS:
            tokens.append(_CTok("op", _OPS[c], at))
            i += 1
        elif c == "-" or c not in NOT_NAME:
            j = i + 1
            while j < n and not text[j].isspace() and text[j] not in NOT_NAME:
                j += 1
            word = text[i:j]
            if c == "-" and not NUMBER.fullmatch(word[1:]):
                raise TemplateError("无法识别的字符“-”", line, at)
            if NUMBER.fullmatch(word.lstrip("-")):
                percent = j < n and text[j] == "%"
                value = Decimal(word).scaleb(-2) if percent else Decimal(word)
                shown = word + ("%" if percent else "")
                tokens.append(_CTok("num", shown, at, value, percent))
                i = j + (1 if percent else 0)
            else:
                kind = (
                    "and" if word in AND_WORDS else "or" if word in OR_WORDS else "not" if word in NOT_WORDS else
                    "word"
                )  # fmt: skip
                tokens.append(_CTok(kind, word, at))
                i = j
        else:
            raise TemplateError(f"无法识别的字符“{c}”", line, at)
    tokens.append(_CTok("end", "", column + n))
    return tokens


def _describe(tok: _CTok) -> str:
    return "结尾" if tok.kind == "end" else f"“{tok.text}”"


class _Refs:
    """Reads figure references (``名称`` or ``名称:参数,参数``) and checks them against the
    catalogue."""

    def __init__(self, catalogue: Catalogue, tokens: list[_CTok], line: int) -> None:
        self.catalogue = catalogue
        self.tokens = tokens
        self.line = line
        self.i = 0

    @property
    def peek(self) -> _CTok:
        return self.tokens[self.i]

    def take(self) -> _CTok:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def error(self, message: str, tok: _CTok) -> TemplateError:
        return TemplateError(message, self.line, tok.column)

    def figure(self, tok: _CTok) -> Figure:
        figure = self.catalogue.get(tok.text)
        if figure is not None:
            return figure
        message = f"未知的指标“{tok.text}”"
        pieces = re.split("[且或非]", tok.text)
        close = difflib.get_close_matches(tok.text, self.catalogue.names(), n=1, cutoff=0.6)
        if len(pieces) > 1 and any(self.catalogue.get(p) or NUMBER.match(p) for p in pieces):
            message += "（“且”“或”“非”前后须留空格）"
        elif close:
            message += f"，是否要写“{close[0]}”？"
        raise self.error(message, tok)

    def reference(self) -> tuple[FigureRef, Kind, _CTok]:
        name = self.take()
        if name.kind != "word":
            raise self.error(f"此处应为指标名称，而不是{_describe(name)}", name)
        figure = self.figure(name)
        args: list[_CTok] = []
        if self.peek.kind == "colon":
            self.take()
            while True:
                arg = self.take()
                if arg.kind != "word":
                    raise self.error(f"此处应为“{name.text}”的参数，而不是{_describe(arg)}", arg)
                args.append(arg)
                if self.peek.kind != "comma":
                    break
                self.take()
        self.check_args(figure, name, args)
        return FigureRef(figure.name, tuple(a.text for a in args)), figure.kind, name

    def check_args(self, figure: Figure, name: _CTok, args: list[_CTok]) -> None:
        params = figure.params
        if len(args) > len(params):
            message = (
                f"指标“{figure.name}”没有参数"
                if not params
                else f"指标“{figure.name}”最多有{len(params)}个参数"
            )
            raise self.error(message, args[len(params)])
        missing = [p.label for p in params[len(args) :] if p.required]
        if missing:
            raise self.error(f"指标“{figure.name}”需要参数：{'、'.join(missing)}", name)
        for arg, param in zip(args, params, strict=False):
            if param.figures:
                target = self.figure(arg)
                if target.kind is Kind.TEXT:
                    raise self.error(f"“{arg.text}”是文字，不能作为“{figure.name}”的参数", arg)
                if any(p.required for p in target.params):
                    raise self.error(f"“{arg.text}”需要参数，不能作为“{figure.name}”的参数", arg)
            elif arg.text not in param.choices:
                raise self.error(
                    f"“{arg.text}”不是“{figure.name}”的{param.label}（可写："
                    f"{'、'.join(param.choices)}）",
                    arg,
                )


class _ConditionParser(_Refs):
    def parse(self) -> Condition:
        if self.peek.kind == "end":
            raise self.error("缺少条件，例如“博士数>0”", self.peek)
        condition = self.any_of(0)
        tok = self.peek
        if tok.kind == "rp":
            raise self.error(f"多余的“{tok.text}”", tok)
        if tok.kind == "op":
            raise self.error("比较不能连写，请用“且”连接两个比较", tok)
        if tok.kind != "end":
            raise self.error(f"条件后有多余的内容{_describe(tok)}（多个比较用“且”“或”连接）", tok)
        return condition

    def deeper(self, depth: int) -> int:
        if depth >= MAX_DEPTH:
            raise self.error(f"条件嵌套过深（最多{MAX_DEPTH}层）", self.peek)
        return depth + 1

    def any_of(self, depth: int) -> Condition:
        parts = [self.all_of(depth)]
        while self.peek.kind == "or":
            self.take()
            parts.append(self.all_of(depth))
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def all_of(self, depth: int) -> Condition:
        parts = [self.negation(depth)]
        while self.peek.kind == "and":
            self.take()
            parts.append(self.negation(depth))
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def negation(self, depth: int) -> Condition:
        if self.peek.kind == "not":
            depth = self.deeper(depth)
            self.take()
            return Not(self.negation(depth))
        if self.peek.kind == "lp":
            depth = self.deeper(depth)
            opener = self.take()
            inner = self.any_of(depth)
            if self.peek.kind != "rp":
                raise self.error(f"“{opener.text}”没有对应的右括号", opener)
            self.take()
            return inner
        return self.comparison()

    def operand(self) -> tuple[Operand, _CTok]:
        tok = self.peek
        if tok.kind == "num":
            self.take()
            return Number(tok.value, tok.percent, tok.text), tok
        if tok.kind == "word":
            ref, kind, name = self.reference()
            if kind is Kind.TEXT:
                raise self.error(f"“{ref.name}”是文字，不能比较大小", name)
            return FigureOperand(ref, kind), name
        raise self.error(f"此处应为指标或数字，而不是{_describe(tok)}", tok)

    def comparison(self) -> Comparison:
        left, first = self.operand()
        op = self.peek
        if op.kind != "op":
            if isinstance(left, FigureOperand):
                raise self.error(f"“{left.ref.key}”之后缺少比较，例如“{left.ref.key}>0”", op)
            raise self.error(f"“{first.text}”之后缺少比较符", op)
        self.take()
        right, _ = self.operand()
        self.check_units(left, right, first)
        return Comparison(left, op.text, right, self.line, first.column)

    def check_units(self, left: Operand, right: Operand, at: _CTok) -> None:
        if isinstance(left, FigureOperand) and isinstance(right, FigureOperand):
            if (left.kind is Kind.PERCENT) != (right.kind is Kind.PERCENT):
                raise self.error(
                    f"“{left.ref.key}”与“{right.ref.key}”一个是百分比、一个不是，不能比较", at
                )
            return
        if isinstance(left, FigureOperand) and isinstance(right, Number):
            figure, number = left, right
        elif isinstance(left, Number) and isinstance(right, FigureOperand):
            figure, number = right, left
        else:
            raise self.error("比较中至少要有一个指标", at)
        if figure.kind is Kind.PERCENT and not number.percent and number.value != 0:
            raise self.error(
                f"“{figure.ref.key}”是百分比，请与百分数比较，例如“{number.text}%”", at
            )
        if figure.kind is not Kind.PERCENT and number.percent:
            raise self.error(f"“{figure.ref.key}”不是百分比，不能与“{number.text}”比较", at)


# The parser ------------------------------------------------------------------------------------

_OPENER_LABEL = {"if": "[若 …]", "table": "[表]"}
_CLOSER_LABEL = {"elif": "[否则若 …]", "else": "[否则]", "endif": "[/若]", "endtable": "[/表]"}
_CLOSES = {"if": frozenset({"elif", "else", "endif"}), "table": frozenset({"endtable"})}


class Parser:
    def __init__(self, tokens: list[_Tok], catalogue: Catalogue) -> None:
        self.tokens = tokens
        self.catalogue = catalogue
        self.i = 0
        self.open: list[_Tok] = []

    def parse(self) -> tuple[Node, ...]:
        nodes, stop = self.body(frozenset(), in_table=False)
        assert stop is None
        return tuple(nodes)

    def body(self, stops: frozenset[str], *, in_table: bool) -> tuple[list[Node], _Tok | None]:
        nodes: list[Node] = []
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            self.i += 1
            if tok.kind in stops:
                return nodes, tok
            if tok.kind == "text":
                nodes.append(TextNode(tok.text))
            elif tok.kind == "nl":
                nodes.append(LineBreak(tok.line))
            elif tok.kind == "pipe":
                nodes.append(CellBreak(tok.line, tok.column) if in_table else TextNode("|"))
            elif tok.kind == "heading":
                nodes.append(self.heading(tok, in_table=in_table))
            elif tok.kind == "figure":
                nodes.append(self.placeholder(tok))
            elif tok.kind == "if":
                nodes.append(self.conditional(tok, in_table=in_table))
            elif tok.kind == "table":
                nodes.append(self.table(tok, in_table=in_table))
            else:
                raise self.stray(tok)
        if self.open:
            raise self.unclosed(self.open[-1])
        return nodes, None

    def unclosed(self, opener: _Tok, before: _Tok | None = None) -> TemplateError:
        closer = "[/若]" if opener.kind == "if" else "[/表]"
        where = f"（在第{before.line}行的“{_CLOSER_LABEL[before.kind]}”之前）" if before else ""
        return TemplateError(
            f"“{_OPENER_LABEL[opener.kind]}”没有对应的“{closer}”{where}", opener.line, opener.column
        )

    def stray(self, tok: _Tok) -> TemplateError:
        if any(tok.kind in _CLOSES[o.kind] for o in self.open):
            return self.unclosed(self.open[-1], tok)
        if tok.kind == "endtable":
            return TemplateError("“[/表]”前没有对应的“[表]”", tok.line, tok.column)
        return TemplateError(
            f"“{_CLOSER_LABEL[tok.kind]}”前没有对应的“[若 …]”", tok.line, tok.column
        )

    def heading(self, tok: _Tok, *, in_table: bool) -> HeadingMark:
        if in_table:
            raise TemplateError("表格中不能有标题", tok.line, tok.column)
        rest = self.tokens[self.i :]
        following = next((t for t in rest if not (t.kind == "text" and not t.text.strip())), None)
        if following is None or following.kind == "nl":
            raise TemplateError("标题为空", tok.line, tok.column)
        return HeadingMark(tok.level, tok.line, tok.column)

    def placeholder(self, tok: _Tok) -> Placeholder:
        tokens = _lex_condition(tok.text, tok.arg_line, tok.arg_column)
        refs = _Refs(self.catalogue, tokens, tok.arg_line)
        if refs.peek.kind == "end":
            raise TemplateError("占位符“{}”中缺少指标名称", tok.line, tok.column)
        ref, kind, _ = refs.reference()
        if refs.peek.kind != "end":
            raise refs.error(f"占位符中有多余的内容{_describe(refs.peek)}", refs.peek)
        return Placeholder(ref, kind, tok.line, tok.column)

    def condition(self, tok: _Tok) -> Condition:
        tokens = _lex_condition(tok.text, tok.arg_line, tok.arg_column)
        return _ConditionParser(self.catalogue, tokens, tok.arg_line).parse()

    def conditional(self, tok: _Tok, *, in_table: bool) -> Conditional:
        if len(self.open) >= MAX_DEPTH:
            raise TemplateError(f"嵌套过深（最多{MAX_DEPTH}层）", tok.line, tok.column)
        branches = []
        condition = self.condition(tok)
        self.open.append(tok)
        body, stop = self.body(_CLOSES["if"], in_table=in_table)
        otherwise: list[Node] | None = None
        while True:
            assert stop is not None  # body() raises for a block left open at the end
            if stop.kind == "endif":
                break
            if otherwise is not None:
                raise TemplateError(
                    f"“[否则]”之后不能再有“{_CLOSER_LABEL[stop.kind]}”", stop.line, stop.column
                )
            if stop.kind == "elif":
                branches.append(Branch(condition, tuple(body)))
                condition = self.condition(stop)
                body, stop = self.body(_CLOSES["if"], in_table=in_table)
            else:
                branches.append(Branch(condition, tuple(body)))
                otherwise, stop = self.body(_CLOSES["if"], in_table=in_table)
        if otherwise is None:
            branches.append(Branch(condition, tuple(body)))
        self.open.pop()
        return Conditional(tuple(branches), tuple(otherwise or ()))

    def table(self, tok: _Tok, *, in_table: bool) -> TableNode:
        if in_table:
            raise TemplateError("表格中不能再有表格", tok.line, tok.column)
        if not tok.alone:
            raise TemplateError("“[表]”须单独占一行", tok.line, tok.column)
        if self.open:
            raise TemplateError(
                "表格不能写在“[若 …]”之中（条件可写在表格的行里）", tok.line, tok.column
            )
        self.open.append(tok)
        body, stop = self.body(_CLOSES["table"], in_table=True)
        assert stop is not None
        if not stop.alone:
            raise TemplateError("“[/表]”须单独占一行", stop.line, stop.column)
        self.open.pop()
        return TableNode(tok.text, tuple(body), tok.line, tok.column)
