"""Reading an office's own spreadsheet: where its header is, which column is which field, what
each cell means, and which lines are not records.

Pure Python (no Django), deterministic; used by the one import flow of ``core.importing``.

* :func:`find_header` — the header row under title rows, or two header rows (a merged parent
  over its sub-columns) flattened as ``合作时间/意向时间``.
* :func:`map_columns` — column → field by label and synonyms, each with a confidence; a saved
  mapping (header → field) wins.
* :func:`normalise` — one cell to the field's value: dates in the office forms (2021.3.5,
  2021/03/05, 2021年3月5日, 20210305, Excel serials, full-width digits), numbers with 千分位,
  万 and 亿, 是/否/√/×, choices by label, code or short word — each with a confidence.
* :func:`skip_reason` — empty lines, 合计/小计 rows, notes and 填表人 lines.
* :func:`parse_rows` — the records under the header, every problem of every row at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

Kind = Literal["text", "int", "decimal", "date", "bool", "choice", "list"]
Cell = object

# How far down a sheet the header is looked for, and the least a header row must match.
HEADER_SCAN_ROWS = 20
MIN_HEADER_SCORE = 1.5
# The least confidence of a column matched to a field automatically.
MIN_CONFIDENCE = 0.6
# A header compared by similarity: at least this ratio, and at most this long.
FUZZY_HEADER = 0.75
MAX_HEADER_LENGTH = 30
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
MAX_SERIAL = 2958465  # 9999-12-31

TRUE_WORDS = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "对"})
FALSE_WORDS = frozenset({"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "无", "不是"})
LIST_SEPARATORS = re.compile(r"[、,，;；/\n]+")
TOTAL_WORDS = ("合计", "小计", "总计", "累计", "总数")
SIGNATURE_WORDS = (
    "填表人", "制表人", "填报人", "审核人", "审核", "负责人", "联系人", "联系电话",
    "填表日期", "制表日期", "填报日期", "填报单位", "制表单位", "单位负责人", "分管领导",
)  # fmt: skip
NOTE_WORDS = ("注", "备注", "说明", "附注", "填表说明", "#")
MEASURE_WORDS = "人个名家项次所位件场期批"


@dataclass(frozen=True)
class Choice:
    """One value of a choice field: its stored value, its label, and the office's short words
    for it (``邀`` for 领导邀请)."""

    value: str
    label: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldSpec:
    """A field of a register as a spreadsheet may name it."""

    key: str
    label: str
    kind: Kind = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    # Amounts: what one unit of the field is worth in yuan (10000 for a field in 万元), so that
    # "1.2亿" becomes 12000 in a field in 万元.
    scale: Decimal = Decimal(1)


@dataclass(frozen=True)
class Header:
    """Where the header is: rows ``first``..``last`` (0-based), and each column's name."""

    first: int
    last: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    column: int
    header: str
    field: str
    confidence: float


@dataclass(frozen=True)
class ColumnMap:
    """The columns matched to fields, the columns no field takes, and the required fields no
    column gives."""

    matches: tuple[Match, ...]
    unused: tuple[tuple[int, str], ...]
    missing: tuple[str, ...]

    def by_field(self) -> dict[str, Match]:
        return {m.field: m for m in self.matches}

    def as_dict(self) -> dict[str, str]:
        """Source header → field key (the ``mapping`` of the command's JSON)."""
        return {m.header: m.field for m in self.matches}


@dataclass(frozen=True)
class Value:
    value: object
    confidence: float = 1.0


@dataclass(frozen=True)
class Problem:
    """One problem of one cell (``column`` 0-based, -1 for the row)."""

    row: int
    column: int
    field: str
    message: str


@dataclass(frozen=True)
class Skipped:
    row: int
    reason: str


@dataclass
class Record:
    """One record row: its number as the spreadsheet shows it, the values by field, the
    column of each field, and its problems."""

    row: int
    values: dict[str, object]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    records: list[Record]
    skipped: list[Skipped]


# Text ------------------------------------------------------------------------------------------


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Cell) -> str:
    """A cell as text: integral numbers without ``.0``, datetimes as dates, NFKC-folded
    (full-width digits and letters become ASCII), outer spaces removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    return unicodedata.normalize("NFKC", str(value)).strip()


_SPACES = re.compile(r"\s+")
_PARENS = re.compile(r"\([^)]*\)")


def header_key(text: str) -> str:
    """A header as compared: NFKC, no spaces, no ``*`` marks, ``（）`` as ``()``."""
    folded = unicodedata.normalize("NFKC", text)
    return _SPACES.sub("", folded).replace("*", "").replace("※", "")


# Header ----------------------------------------------------------------------------------------


def _name_score(name: str, spec: FieldSpec) -> float:
    """How well a column's name names a field."""
    return _text_score(name, spec.label, spec.synonyms)


@functools.lru_cache(maxsize=65536)
def _text_score(name: str, spec_label: str, spec_synonyms: tuple[str, ...]) -> float:
    """:func:`_name_score`, cached by the texts compared (the same cells recur down a sheet;
    a field's choices, which can be long, are no part of the key)."""
    key = header_key(name)
    if not key:
        return 0.0
    label = header_key(spec_label)
    synonyms = [header_key(s) for s in spec_synonyms]
    bare = _PARENS.sub("", key)
    parts = key.split("/")

    def exact(text: str) -> float:
        if text == label:
            return 1.0
        if text in synonyms:
            return 0.95
        text_bare = _PARENS.sub("", text)
        if text_bare and (text_bare == _PARENS.sub("", label) or text_bare in synonyms):
            return 0.9
        return 0.0

    best = max(exact(key), exact(bare))
    if best:
        return best
    if len(parts) > 1:
        last = exact(parts[-1])
        if last:
            return round(last * 0.9, 4)
        first = exact(parts[0])
        if first:
            return round(first * 0.7, 4)
    if len(bare) > MAX_HEADER_LENGTH:
        return 0.0  # a record's text, not a header
    ratio = 0.0
    for candidate in (_PARENS.sub("", label), *synonyms):
        # The cheap upper bounds first: most cells are nothing like a header. The lengths
        # alone bound the ratio (difflib's ``real_quick_ratio``, without building a matcher).
        if 2 * min(len(bare), len(candidate)) < FUZZY_HEADER * (len(bare) + len(candidate)):
            continue
        matcher = difflib.SequenceMatcher(None, bare, candidate)
        if matcher.quick_ratio() < FUZZY_HEADER:
            continue
        ratio = max(ratio, matcher.ratio())
    return round(ratio * 0.8, 4) if ratio >= FUZZY_HEADER else 0.0


def _row_names(row: Sequence[Cell]) -> list[str]:
    return [v.strip() if isinstance(v, str) else "" for v in row]


def flatten(top: Sequence[Cell], bottom: Sequence[Cell]) -> tuple[str, ...]:
    """Two header rows as one: a parent (merged across its sub-columns, so written in the first
    of them only) over each sub-column's name gives ``parent/sub``; a column with one name
    (merged down the two rows) keeps it."""
    width = max(len(top), len(bottom))
    upper = _row_names(top) + [""] * (width - len(top))
    lower = _row_names(bottom) + [""] * (width - len(bottom))
    names: list[str] = []
    carry = ""
    for t, b in zip(upper, lower, strict=True):
        if t:
            carry = t if b else ""
            parent = t
        elif b and carry:
            parent = carry
        else:
            parent, carry = "", ""
        names.append(f"{parent}/{b}" if parent and b else parent or b)
    return tuple(names)


def _score(names: Sequence[str], fields: Sequence[FieldSpec]) -> float:
    return sum(m.confidence for m in _assign(names, fields, {}))


def find_header(
    rows: Sequence[Sequence[Cell]], fields: Sequence[FieldSpec], *, scan: int = HEADER_SCAN_ROWS
) -> Header | None:
    """The header among the first ``scan`` rows: the row (or pair of rows) whose names match
    the most fields; ``None`` when no row matches at least two columns' worth."""
    best: tuple[float, int, Header] | None = None
    for index in range(min(scan, len(rows))):
        single = tuple(_row_names(rows[index]))
        candidates = [Header(index, index, single)]
        if index + 1 < len(rows):
            candidates.append(Header(index, index + 1, flatten(rows[index], rows[index + 1])))
        for candidate in candidates:
            score = _score(candidate.names, fields)
            # A second header row must add: ties keep the single row.
            rank = (score, -(candidate.last - candidate.first))
            if best is None or rank > (best[0], -(best[2].last - best[2].first)):
                best = (score, index, candidate)
    if best is None or best[0] < MIN_HEADER_SCORE:
        return None
    return best[2]


# Mapping ---------------------------------------------------------------------------------------


def _assign(
    names: Sequence[str], fields: Sequence[FieldSpec], saved: Mapping[str, str]
) -> list[Match]:
    keys = {f.key for f in fields}
    taken_fields: set[str] = set()
    taken_columns: set[int] = set()
    matches: list[Match] = []
    for column, name in enumerate(names):
        if name and name in saved:
            target = saved[name]
            taken_columns.add(column)  # saved as ignored ("") or as a field
            if target in keys and target not in taken_fields:
                taken_fields.add(target)
                matches.append(Match(column, name, target, 1.0))
    scored = sorted(
        (
            (score, column, spec.key, name)
            for column, name in enumerate(names)
            if name and column not in taken_columns
            for spec in fields
            if spec.key not in taken_fields
            for score in (_name_score(name, spec),)
            if score >= MIN_CONFIDENCE
        ),
        key=lambda t: (-t[0], t[1]),
    )
    for score, column, key, name in scored:
        if column in taken_columns or key in taken_fields:
            continue
        taken_columns.add(column)
        taken_fields.add(key)
        matches.append(Match(column, name, key, score))
    return sorted(matches, key=lambda m: m.column)


def map_columns(
    names: Sequence[str],
    fields: Sequence[FieldSpec],
    *,
    saved: Mapping[str, str] | None = None,
    derivable: Iterable[str] = (),
) -> ColumnMap:
    """Each column's field (a saved mapping first, then by name), the named columns no field
    takes, and the required fields neither a column nor a derivation gives."""
    matches = _assign(names, fields, saved or {})
    used = {m.column for m in matches}
    unused = tuple((i, n) for i, n in enumerate(names) if n and i not in used)
    given = {m.field for m in matches} | set(derivable)
    missing = tuple(f.key for f in fields if f.required and f.key not in given)
    return ColumnMap(tuple(matches), unused, missing)


# Values ----------------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*[日号]?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
DATE_HINT = "可写成 2021-03-05、2021.3.5、2021/03/05 或 2021年3月5日"


def _date(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{shown}”不是有效日期（{DATE_HINT}）") from None


def _serial(number: float, shown: str) -> dt.date:
    whole = int(number)
    if 19000101 <= whole <= 99991231 and whole == number:
        return _date(whole // 10000, whole // 100 % 100, whole % 100, shown)
    if 1 <= whole <= MAX_SERIAL:
        return EXCEL_EPOCH + dt.timedelta(days=whole)
    raise ValueError(f"“{shown}”不是有效日期（{DATE_HINT}）")


def parse_date(value: Cell) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"“{text_of(value)}”不是日期（{DATE_HINT}）")
    if isinstance(value, int | float):
        return _serial(float(value), text_of(value))
    shown = text_of(value)
    text = _TIME_TAIL.sub("", _SPACES.sub(" ", shown)).strip()
    found = _DATE.fullmatch(text)
    if found:
        return _date(int(found[1]), int(found[2]), int(found[3]), shown)
    found = _COMPACT_DATE.fullmatch(text)
    if found:
        return _date(int(found[1]), int(found[2]), int(found[3]), shown)
    if re.fullmatch(r"\d{1,7}(\.\d+)?", text):
        return _serial(float(text), shown)
    raise ValueError(f"“{shown}”不是日期（{DATE_HINT}）")


_MULTIPLIERS = (("亿元", Decimal(10) ** 8), ("万元", Decimal(10) ** 4), ("亿", Decimal(10) ** 8),
                ("万", Decimal(10) ** 4), ("千", Decimal(1000)), ("元", Decimal(1)))  # fmt: skip


def parse_decimal(value: Cell, *, scale: Decimal = Decimal(1)) -> Decimal:
    """A number: ``1,234.5``, ``1.2万``, ``3亿``, ``500元`` (a number with a unit is converted
    to the field's unit, ``scale`` yuan; a bare number is already in it)."""
    if isinstance(value, bool):
        raise ValueError(f"“{text_of(value)}”不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    shown = text_of(value)
    text = shown.replace(",", "").replace(" ", "").rstrip(MEASURE_WORDS)
    multiplier: Decimal | None = None
    for suffix, factor in _MULTIPLIERS:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            multiplier = factor
            break
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{shown}”不是数字") from None
    if not number.is_finite():
        raise ValueError(f"“{shown}”不是数字")
    if multiplier is not None:
        number = number * multiplier / scale
    return number


def parse_int(value: Cell) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"“{text_of(value)}”不是整数")
    return int(number)


def parse_bool(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    text = text_of(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"“{text_of(value)}”应为“是”或“否”（也可写 √ 或 ×）")


def parse_choice(value: Cell, choices: Sequence[Choice]) -> Value:
    """A choice by label or value (1.0), by a short word (0.9), or by a part of one label
    only (0.8); anything else is an error naming the choices."""
    text = header_key(text_of(value))
    low = text.lower()
    for choice in choices:
        if low in (header_key(choice.label).lower(), choice.value.lower()):
            return Value(choice.value, 1.0)
    for choice in choices:
        if text in (header_key(w) for w in choice.words):
            return Value(choice.value, 0.9)
    if len(text) >= 2:
        near = [c for c in choices if text in header_key(c.label) or header_key(c.label) in text]
        if len(near) == 1:
            return Value(near[0].value, 0.8)
        if len(near) > 1:
            names = "、".join(c.label for c in near)
            raise ValueError(f"“{text_of(value)}”可能是：{names}，请写全称")
    labels = "、".join(c.label for c in choices)
    raise ValueError(f"“{text_of(value)}”不在可选值中（{labels}）")


def parse_list(value: Cell) -> list[str]:
    return [p.strip() for p in LIST_SEPARATORS.split(text_of(value)) if p.strip()]


_BLANKS: dict[str, object] = {"bool": False, "int": None, "decimal": None, "date": None}


def blank_value(spec: FieldSpec) -> object:
    if spec.kind == "list":
        return []  # a new list each time
    return _BLANKS.get(spec.kind, "")


def normalise(spec: FieldSpec, value: Cell) -> Value:
    """One cell as the field's value (blank: the field's empty value; a required field's blank
    is for the caller to report), or ``ValueError`` with the reason in Chinese."""
    if is_blank(value):
        return Value(blank_value(spec))
    if spec.kind == "date":
        return Value(parse_date(value))
    if spec.kind == "int":
        return Value(parse_int(value))
    if spec.kind == "decimal":
        return Value(parse_decimal(value, scale=spec.scale))
    if spec.kind == "bool":
        return Value(parse_bool(value))
    if spec.kind == "choice":
        return parse_choice(value, spec.choices)
    if spec.kind == "list":
        return Value(parse_list(value))
    if isinstance(value, dt.datetime | dt.date):
        return Value(text_of(value))
    return Value(text_of(value) if not isinstance(value, str) else value.strip())


# Rows ------------------------------------------------------------------------------------------


def _bare(value: Cell) -> str:
    return _SPACES.sub("", text_of(value))


def skip_reason(cells: Sequence[Cell], record_columns: Iterable[int]) -> str:
    """Why a row under the header is not a record (``""`` when it is one): an empty line (or
    one whose only value is its 序号), a 合计/小计 row, a note, a 填表人 line."""
    filled = [c for c in cells if not is_blank(c)]
    if not filled:
        return "空行"
    first = _bare(filled[0])
    if any(_bare(c).startswith(TOTAL_WORDS) for c in filled[:2]):
        return "合计行"
    if first.startswith(SIGNATURE_WORDS):
        return "填表人、审核人等落款"
    if first.startswith(NOTE_WORDS) and (
        len(filled) == 1 or first.startswith(("注:", "备注:", "说明:", "#"))
    ):
        return "注释说明"
    if all(is_blank(cells[i]) for i in record_columns if i < len(cells)):
        return "空行"
    return ""


_MEMO_KINDS = ("choice", "date", "bool")
_MEMO_TYPES = (str, float, int)


def parse_rows(
    rows: Iterable[Sequence[Cell]],
    header: Header,
    mapping: ColumnMap,
    fields: Sequence[FieldSpec],
    *,
    ignore: Iterable[int] = (),
    release: bool = False,
) -> Parsed:
    """The records under the header, each value normalised, every problem of every row (a
    required blank, a value that is not of its kind); rows that are not records are skipped.
    ``rows``: the sheet's rows from row 1, a list or read as they come (a large file's cells
    are then never all held at once). ``ignore``: columns that do not make a row a record by
    themselves (序号). ``release``: each row of a list ``rows`` is emptied once read (a large
    file's cells are not all held twice, as cells and as values)."""
    skipped: list[Skipped] = []
    records = list(
        iter_records(rows, header, mapping, fields, skipped=skipped, ignore=ignore, release=release)
    )
    return Parsed(records, skipped)


def iter_records(
    rows: Iterable[Sequence[Cell]],
    header: Header,
    mapping: ColumnMap,
    fields: Sequence[FieldSpec],
    *,
    skipped: list[Skipped],
    ignore: Iterable[int] = (),
    release: bool = False,
) -> Iterator[Record]:
    """:func:`parse_rows`'s records one by one as the rows are read (a large file's records
    are never all held at once); the rows that are not records appended to ``skipped``."""
    specs = {f.key: f for f in fields}
    record_columns = [m.column for m in mapping.matches if m.column not in set(ignore)]
    emptied = rows if release and isinstance(rows, list) else None
    # The same cell text of a choice, date or yes/no column recurs down a sheet: normalised
    # once (their values are immutable, so shared by the records).
    memos: dict[str, dict[Cell, Value]] = {f.key: {} for f in fields if f.kind in _MEMO_KINDS}
    for index, cells in enumerate(rows):
        if index <= header.last:
            continue
        if emptied is not None:
            emptied[index] = []
        number = index + 1
        reason = skip_reason(cells, record_columns)
        if reason:
            skipped.append(Skipped(number, reason))
            continue
        record = Record(number, {})
        for match in mapping.matches:
            spec = specs[match.field]
            raw = cells[match.column] if match.column < len(cells) else None
            if spec.required and is_blank(raw):
                record.problems.append(
                    Problem(number, match.column, spec.key, f"{spec.label}不能为空")
                )
                record.values[spec.key] = blank_value(spec)
                continue
            memo = memos.get(spec.key)
            parsed = memo.get(raw) if memo is not None and type(raw) in _MEMO_TYPES else None
            if parsed is None:
                try:
                    parsed = normalise(spec, raw)
                except ValueError as error:
                    record.problems.append(Problem(number, match.column, spec.key, str(error)))
                    record.values[spec.key] = blank_value(spec)
                    continue
                if memo is not None and type(raw) in _MEMO_TYPES:
                    memo[raw] = parsed
            record.values[spec.key] = parsed.value
            if parsed.confidence < 1.0:
                record.notes.append(f"{spec.label}“{text_of(raw)}”按“{_label_of(spec, parsed)}”")
        for spec in fields:
            if spec.key not in record.values:
                record.values[spec.key] = blank_value(spec)
        yield record


def _label_of(spec: FieldSpec, parsed: Value) -> str:
    for choice in spec.choices:
        if choice.value == parsed.value:
            return choice.label
    return text_of(parsed.value)


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
