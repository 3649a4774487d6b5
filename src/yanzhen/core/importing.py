"""One import flow for every register: file → sheet → header → mapping → preview → commit.

A register (cooperations, units, …) declares its fields (label, synonyms, kind), its natural
key, how a row's names are resolved (in one batch for the whole file) and how a record is
created, updated and removed — always through its app's services. This module does the rest,
the same way for all of them:

* reads ``.xlsx``/``.xls`` (python-calamine) or ``.csv`` (UTF-8, GBK, GB18030), after the
  upload bounds of ``core.uploads`` (before any reader opens the file);
* finds the header (``engines.tabular``), maps the columns (a saved mapping first), skips the
  rows that are not records, and normalises every cell;
* lists **every** error of every row (row as the spreadsheet shows it, column, message);
* commits all or nothing — or, when asked (``skip_invalid``), the valid rows only;
* importing the same file twice adds nothing: natural keys find the existing records, which are
  ``unchanged`` or updated through the edit service;
* keeps each committed import as an :class:`~yanzhen.core.models.ImportBatch` that can be
  undone as a whole within ``UNDO_DAYS`` days.
"""

from __future__ import annotations

import abc
import datetime as dt
import hashlib
import io
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from django.db import models, transaction
from django.utils import timezone
from python_calamine import CalamineWorkbook

from yanzhen.core import history
from yanzhen.core.errors import DomainError
from yanzhen.core.excel import CellError, ImportReport, append_row, csv_unescape, new_workbook
from yanzhen.core.import_memo import FileParse, memo, memo_key, pack
from yanzhen.core.import_writes import insert_rows, large_cache
from yanzhen.core.models import ImportAction, ImportBatch, ImportBatchItem, ImportMapping, User
from yanzhen.core.registry import modules
from yanzhen.core.trail import EventKind, audit_trail
from yanzhen.core.uploads import SPREADSHEET_SUFFIXES, check_spreadsheet, csv_rows
from yanzhen.engines.tabular import (
    HEADER_SCAN_ROWS,
    ColumnMap,
    FieldSpec,
    Header,
    Record,
    Skipped,
    blank_value,
    column_letter,
    find_header,
    header_key,
    iter_records,
    map_columns,
    text_of,
)

UNDO_DAYS = 30
# Progress is told (and a cancel can interrupt) every this many rows; new rows are written by
# the register's bulk service in chunks of this many.
PROGRESS_STEP = 500
# Columns that never make a row a record by themselves.
ROW_NUMBER_HEADERS = ("序号", "编号", "No", "No.", "行号")
Item = TypeVar("Item")
Obj = TypeVar("Obj", bound=models.Model)
# Creates one chunk of new rows: each item's object or its error, in order (``None``: the
# register creates one by one).
Creator = Callable[[Sequence[Item]], "list[Obj | DomainError] | None"]


def _bad_file(message: str) -> DomainError:
    return DomainError("bad_file", message, {"file": message})


# Registers -------------------------------------------------------------------------------------


class Register(abc.ABC, Generic[Item, Obj]):
    """What one register declares; the flow is the same for all (:func:`run`)."""

    name: ClassVar[str]  # on the command line: ``yanzhen import <name>``
    title: ClassVar[str]  # 合作台账
    permission: ClassVar[str]
    model: ClassVar[type[models.Model]]
    derivable: ClassVar[tuple[str, ...]] = ()
    # A service's field name → the register's field, for errors raised deep in a service.
    field_columns: ClassVar[Mapping[str, str]] = {}
    # The error of a row whose natural key an earlier row of the file has (``{row}``).
    duplicate_message: ClassVar[str] = "与第{row}行是同一条记录"
    # Whether :meth:`create_many` may be given the new rows in chunks (the progress between
    # them); not when it groups rows across the whole file (a unit's list of payments).
    create_in_chunks: ClassVar[bool] = False

    @abc.abstractmethod
    def specs(self) -> tuple[FieldSpec, ...]:
        """The fields, in the template's order."""

    def derive(self, values: dict[str, object], present: set[str]) -> None:
        """Fill fields the sheet lacks from those it has (``present``: the mapped fields)."""
        return None

    @abc.abstractmethod
    def prepare(self, *, user: User, records: Sequence[Record]) -> Any:
        """What resolving every row needs, read at once for the whole file (names, codes)."""

    def prepare_fields(self) -> tuple[str, ...] | None:
        """The fields :meth:`prepare` reads, when it reads nothing of a file but the distinct
        texts of these fields (each part of a list; fields that :meth:`derive` does not
        set): it is then given one record per distinct text, not every record of the file
        (a large file's records are not all held at once). ``None``: every record."""
        return None

    @abc.abstractmethod
    def build(self, context: Any, values: Mapping[str, object], notes: list[str]) -> Item:
        """The item of one row, or ``DomainError`` with every problem by field."""

    @abc.abstractmethod
    def key(self, item: Item) -> Hashable:
        """The natural key: the same key twice in a file is an error, in the database an
        existing record."""

    @abc.abstractmethod
    def existing(self, context: Any, items: Sequence[Item]) -> dict[Hashable, Obj]:
        """The records of the user's scope that bear these items' keys (one query or a few).
        A key held by a record outside the scope raises in :meth:`create`."""

    @abc.abstractmethod
    def unchanged(self, context: Any, obj: Obj, item: Item) -> bool: ...

    @abc.abstractmethod
    def create(self, *, user: User, item: Item) -> Obj: ...

    def create_many(self, *, user: User, items: Sequence[Item]) -> list[Obj | DomainError] | None:
        """Create many at once through the app's bulk service (each item's object or its
        error, in order), or ``None`` when the register creates one by one (:meth:`create`)."""
        return None

    def creator(self, *, user: User, write: bool) -> Creator[Item, Obj]:
        """What creates the new rows of one import, chunk after chunk (by default
        :meth:`create_many`). A register's own may keep what the chunks share (the codes
        given, the names taken) and, with ``write=False`` (a preview, rolled back anyway),
        answer without writing when its answers are the same."""
        return lambda items: self.create_many(user=user, items=items)

    @abc.abstractmethod
    def update(self, *, user: User, obj: Obj, item: Item) -> Obj: ...

    @abc.abstractmethod
    def remove(self, *, user: User, obj: Obj) -> None:
        """Undo a creation (the app's delete service)."""

    def revert(self, *, user: User, obj: Obj, history_id: int) -> None:
        """Undo an update: the record back to the version it had (``core.history``)."""
        history.revert(actor=user, instance=obj, history_id=history_id)

    def objects(self) -> models.QuerySet[Any]:
        return self.model._default_manager.all()


def registers() -> dict[str, Register[Any, Any]]:
    """Every register, by name: the ``REGISTERS`` of each app's ``importers`` module."""
    found: dict[str, Register[Any, Any]] = {}
    for _app, module in modules("importers"):
        for register in getattr(module, "REGISTERS", ()):
            found[register.name] = register
    return found


def register_named(name: str) -> Register[Any, Any]:
    found = registers().get(name)
    if found is None:
        names = "、".join(sorted(registers()))
        raise DomainError("unknown_register", f"没有名为“{name}”的登记簿（可选：{names}）")
    return found


# Reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    names: tuple[str, ...]
    name: str
    rows: list[list[Any]]


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _bad_file("无法识别CSV文件的编码，请另存为UTF-8或GBK编码")


def _csv_sheet(data: bytes) -> Sheet:
    rows: list[list[object]] = [[csv_unescape(v) for v in r] for r in csv_rows(decode_csv(data))]
    return Sheet(("CSV",), "CSV", rows)


def _checked_file(data: bytes, filename: str) -> bool:
    """Whether the file is a CSV, once it passed every upload bound."""
    name = filename.lower()
    if not name.endswith(SPREADSHEET_SUFFIXES):
        raise _bad_file("只支持 .xlsx、.xls 和 .csv 文件")
    check_spreadsheet(data, filename)
    return name.endswith(".csv")


def _calamine_sheet(data: bytes, sheet: str | None) -> tuple[tuple[str, ...], str, Any]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = tuple(str(n) for n in book.sheet_names)
    except Exception as error:  # calamine raises its own exception types
        raise _bad_file(f"无法读取Excel文件：{error}") from error
    if not names:
        raise _bad_file("文件中没有工作表")
    chosen = sheet if sheet else names[0]
    if chosen not in names:
        raise DomainError(
            "bad_sheet",
            f"没有名为“{chosen}”的工作表（有：{'、'.join(names)}）",
            {"sheet": "请选择文件中的工作表"},
        )
    try:
        return names, chosen, book.get_sheet_by_name(chosen)
    except Exception as error:  # calamine raises its own exception types
        raise _bad_file(f"无法读取工作表“{chosen}”：{error}") from error


def stream_sheet(
    data: bytes, filename: str, sheet: str | None = None
) -> tuple[tuple[str, ...], str, Iterator[list[Any]]]:
    """:func:`read_sheet`'s names and cells, the cells read row by row as they are asked for
    (a large workbook's cells are never all Python objects at once): the sheet names, the
    chosen one, its rows from row 1 and column A."""
    if _checked_file(data, filename):
        table = _csv_sheet(data)
        return table.names, table.name, iter(table.rows)
    names, chosen, found = _calamine_sheet(data, sheet)

    def rows() -> Iterator[list[Any]]:
        # calamine's rows begin at row 1 but at the first used column: padded to column A,
        # as ``to_python(skip_empty_area=False)`` gives them.
        try:
            pad = [""] * int(found.start[1]) if found.start is not None else []
            for row in found.iter_rows():
                yield [*pad, *row] if pad else row
        except Exception as error:  # calamine raises its own exception types
            raise _bad_file(f"无法读取工作表“{chosen}”：{error}") from error

    return names, chosen, rows()


def read_sheet(data: bytes, filename: str, sheet: str | None = None) -> Sheet:
    """The cells of one sheet (the first by default), from row 1 and column A, after the file
    passed every upload bound."""
    if _checked_file(data, filename):
        return _csv_sheet(data)
    names, chosen, found = _calamine_sheet(data, sheet)
    try:
        grid = found.to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own exception types
        raise _bad_file(f"无法读取工作表“{chosen}”：{error}") from error
    return Sheet(names, chosen, grid)  # calamine's own lists (not copied: a large file)


def sheet_height(data: bytes, sheet: str | None = None) -> int:
    """How many rows a workbook's sheet has (the first by default; 0 when unreadable), read by
    calamine without making Python objects of its cells."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [str(n) for n in book.sheet_names]
        chosen = sheet if sheet in names else (names[0] if names else None)
        return 0 if chosen is None else int(book.get_sheet_by_name(chosen).height)
    except Exception:  # calamine raises its own exception types; the flow reports them
        return 0


# Results ---------------------------------------------------------------------------------------


@dataclass
class ImportResult(ImportReport):
    """A preview or a commit: counts, every error, the skipped rows, the mapping."""

    register: str = ""
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    header: Header | None = None
    mapping: ColumnMap | None = None
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    left_out: int = 0
    batch_id: int | None = None

    @property
    def bad_rows(self) -> set[int]:
        header_rows = set() if self.header is None else {self.header.last + 1}
        return {e.row for e in self.errors} - header_rows

    @property
    def valid(self) -> int:
        if self.mapping is not None and self.mapping.missing:
            return 0
        return self.rows - len(self.bad_rows)

    @property
    def unused(self) -> list[str]:
        return [] if self.mapping is None else [name for _i, name in self.mapping.unused]

    def as_json(self) -> dict[str, Any]:
        """The shape the command prints with ``--json``."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
            "skipped": [{"row": s.row, "reason": s.reason} for s in self.skipped],
            "mapping": {} if self.mapping is None else self.mapping.as_dict(),
        }


# The flow --------------------------------------------------------------------------------------


class Progress(Protocol):
    """Told how far an import is: ``phase`` "check" (the rows read and checked) or "write"
    (the rows written), ``done`` of ``total`` record rows. It may raise to stop the import
    (a cancel): nothing is then written (the commit's transaction is rolled back)."""

    def __call__(self, phase: str, done: int, total: int) -> None: ...


def _silent(phase: str, done: int, total: int) -> None:
    return None


def saved_mapping(register: str, name: str) -> dict[str, str]:
    found = ImportMapping.objects.filter(register=register, name=name).first()
    if found is None:
        raise DomainError(
            "unknown_mapping",
            f"没有名为“{name}”的列对应方案",
            {"mapping": "请选择已保存的列对应方案"},
        )
    return {str(k): str(v) for k, v in found.mapping.items()}


def mapping_save(*, actor: User, register: str, name: str, mapping: Mapping[str, str]) -> None:
    name = name.strip()
    if not name:
        raise DomainError("invalid", "请填写方案名称", {"mapping_name": "请填写方案名称"})
    ImportMapping.objects.update_or_create(
        register=register,
        name=name[:60],
        defaults={"mapping": dict(mapping), "created_by": actor, "updated_at": timezone.now()},
    )


def _error_items(error: DomainError) -> list[tuple[str, str]]:
    return list(error.fields.items()) or [("__all__", error.message)]


@dataclass(slots=True)
class _Row:
    row: int  # as the spreadsheet shows it
    item: Any
    key: Hashable


def run(
    register: Register[Any, Any],
    *,
    user: User,
    data: bytes,
    filename: str,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    commit: bool = False,
    skip_invalid: bool = False,
    fixed: Mapping[str, object] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check (``commit=False``, nothing written) or import a file. With ``commit``, the whole
    file or nothing — unless ``skip_invalid``: then the valid rows, and the rest reported.
    ``fixed``: fields whose value the page gives for every row (a programme's page: the
    programme); the sheet needs no column for them, and a column it has for them is unused.
    ``progress``: told every ``PROGRESS_STEP`` rows (the background worker's progress bar).

    A preview keeps its parse of the file (``core.import_memo``) and the commit of the same
    file in the same process takes it instead of reading the file again; everything that
    depends on the database is checked again by the commit."""
    tell = progress or _silent
    given = dict(fixed or {})
    specs = tuple(s for s in register.specs() if s.key not in given)
    key = None if given else memo_key(register.name, data, filename, sheet, mapping, specs)
    parse = memo.take(key) if key is not None and commit else None
    if parse is None:
        parse = _parse(register, data, filename, sheet, mapping, specs)
        if key is not None and not commit and not parse.columns.missing:
            memo.put(key, parse)
    header, columns = parse.header, parse.columns
    result = ImportResult(register=register.name, sheet=parse.chosen, sheets=parse.sheets)
    result.header, result.mapping = header, columns
    result.rows = parse.rows
    result.skipped = list(parse.skipped)
    tell("check", 0, result.rows)
    by_key = {s.key: s for s in specs}
    for missing in columns.missing:
        label = by_key[missing].label
        result.errors.append(CellError(header.last + 1, "", label, f"缺少必填列“{label}”"))
    if columns.missing:
        return result
    where = {m.field: (column_letter(m.column), m.header) for m in columns.matches}

    def add(row: int, name: str, message: str) -> None:
        target = register.field_columns.get(name, name)
        letter, shown = where.get(target, ("", by_key[target].label if target in by_key else ""))
        result.errors.append(CellError(row, letter, shown, message))

    present = {m.field for m in columns.matches} | set(given)

    def derived(record: Record) -> Record:
        record.values.update(given)
        register.derive(record.values, present)
        return record

    # The records are unpacked chunk by chunk and each is let go once its item is built (a
    # large file's memory): ``prepare`` is given the distinct texts it reads when the register
    # declares them, else every record at once.
    records: Iterator[Record] = (derived(r) for r in parse.records())
    if parse.texts is None:
        held = deque(records)
        context = register.prepare(user=user, records=held)
        records = _drained(held)
    else:
        context = register.prepare(user=user, records=_text_records(parse.texts, by_key, given))
    good: list[_Row] = []
    seen: dict[Hashable, int] = {}
    for number, record in enumerate(records):
        if number and not number % PROGRESS_STEP:
            tell("check", number, result.rows)
        for problem in record.problems:
            add(record.row, problem.field, problem.message)
        result.notes.extend((record.row, n) for n in record.notes)
        broken = {p.field for p in record.problems}
        names: list[str] = []
        try:
            item = register.build(context, record.values, names)
        except DomainError as error:
            for name, message in _error_items(error):
                if register.field_columns.get(name, name) not in broken:
                    add(record.row, name, message)
            continue
        finally:
            result.notes.extend((record.row, n) for n in names)
            record.values.clear()  # in the item now (a large file's memory)
        if broken:
            continue
        key = register.key(item)
        if key in seen:
            add(record.row, "__duplicate__", register.duplicate_message.format(row=seen[key]))
            continue
        seen[key] = record.row
        good.append(_Row(record.row, item, key))
    tell("check", result.rows, result.rows)
    del seen  # the keys are in the rows (a large file's memory)
    found = register.existing(context, [r.item for r in good])
    _apply(register, context, user=user, rows=good, found=found, result=result, commit=commit,
           skip_invalid=skip_invalid, data=data, tell=tell)  # fmt: skip
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _parse(
    register: Register[Any, Any],
    data: bytes,
    filename: str,
    sheet: str | None,
    mapping: Mapping[str, str] | None,
    specs: tuple[FieldSpec, ...],
) -> FileParse:
    """Read the file row by row (after the upload bounds), find its header, map its columns
    and parse its records into packed chunks of ``PROGRESS_STEP`` (with the distinct texts of
    the register's ``prepare_fields``)."""
    sheets, chosen, cells = stream_sheet(data, filename, sheet)
    head = list(islice(cells, HEADER_SCAN_ROWS + 1))  # a header row and the one below it
    header = find_header(head, specs)
    if header is None:
        labels = "、".join(s.label for s in specs if s.required)
        raise DomainError(
            "no_header",
            f"在工作表“{chosen}”的前20行中找不到表头（应有：{labels}等列）",
            {"file": "找不到表头"},
        )
    columns = map_columns(header.names, specs, saved=mapping, derivable=register.derivable)
    parse = FileParse(sheets, chosen, header, columns)
    ignore = [i for i, name in enumerate(header.names) if header_key(name) in ROW_NUMBER_HEADERS]
    records = iter_records(
        chain(head, cells), header, columns, specs, skipped=parse.skipped, ignore=ignore
    )
    del head, cells  # read through ``records`` alone: calamine's sheet goes with it
    if columns.missing:
        parse.rows = sum(1 for _record in records)
        return parse
    fields = register.prepare_fields()
    texts = None if fields is None else {f: dict[str, None]() for f in fields}
    chunk: list[Record] = []
    for record in records:
        parse.rows += 1
        if texts is not None:
            _collect(texts, record.values)
        chunk.append(record)
        if len(chunk) == PROGRESS_STEP:
            parse.chunks.append(pack(chunk))
            chunk = []
    if chunk:
        parse.chunks.append(pack(chunk))
    parse.texts = texts
    return parse


def _collect(texts: dict[str, dict[str, None]], values: Mapping[str, object]) -> None:
    for name, found in texts.items():
        value = values.get(name)
        for part in value if isinstance(value, list) else (value,):
            text = "" if part is None else str(part).strip()
            if text:
                found[text] = None


def _text_records(
    texts: Mapping[str, Mapping[str, None]],
    specs: Mapping[str, FieldSpec],
    given: Mapping[str, object],
) -> list[Record]:
    """Records that hold every distinct text of the ``prepare_fields`` once (one part of a
    list each; other fields blank): what such a register's ``prepare`` reads of a file."""
    columns = {
        name: [*found, *([str(given[name])] if isinstance(given.get(name), str) else [])]
        for name, found in texts.items()
    }
    out: list[Record] = []
    for index in range(max((len(c) for c in columns.values()), default=0)):
        values: dict[str, object] = {}
        for name, found in columns.items():
            spec = specs.get(name)
            if index >= len(found):
                values[name] = blank_value(spec) if spec is not None else ""
            else:
                values[name] = [found[index]] if spec and spec.kind == "list" else found[index]
        out.append(Record(0, values))
    return out


def _drained(held: deque[Record]) -> Iterator[Record]:
    while held:
        yield held.popleft()


def _apply(
    register: Register[Any, Any],
    context: Any,
    *,
    user: User,
    rows: Sequence[_Row],
    found: Mapping[Hashable, Any],
    result: ImportResult,
    commit: bool,
    skip_invalid: bool,
    data: bytes,
    tell: Progress = _silent,
) -> None:
    """Write every row through the services in one transaction (each row in a savepoint, so
    that every row's rule errors are collected), and keep it only when it is to be kept."""
    by_key = {s.key: s for s in register.specs()}
    where = (
        {}
        if result.mapping is None
        else {m.field: (column_letter(m.column), m.header) for m in result.mapping.matches}
    )
    items: list[tuple[int, str, int | None]] = []  # (record, action, version before)
    history_of = getattr(register.model, "history", None)

    def failed(row: _Row, error: DomainError) -> None:
        for name, message in _error_items(error):
            target = register.field_columns.get(name, name)
            letter, shown = where.get(
                target, ("", by_key[target].label if target in by_key else "")
            )
            result.errors.append(CellError(row.row, letter, shown, message))

    with large_cache(), transaction.atomic():
        new = [row for row in rows if found.get(row.key) is None]
        total = len(rows)
        tell("write", 0, total)
        bulk = False  # whether the register created the new rows in bulk
        step = PROGRESS_STEP if register.create_in_chunks else max(len(new), 1)
        create = register.creator(user=user, write=commit)
        for start in range(0, len(new), step):
            chunk = new[start : start + step]
            answers = create([r.item for r in chunk])
            if answers is None:
                break
            bulk = True
            for row, answer in zip(chunk, answers, strict=True):
                row.item = None  # created or answered: not asked again (a large file's memory)
                if isinstance(answer, DomainError):
                    failed(row, answer)
                    continue
                items.append((answer.pk, ImportAction.CREATED, None))
                result.created += 1
            del answers  # a large file's records are not all kept in memory
            tell("write", start + len(chunk), total)
        written = len(new) if bulk else 0
        for row in rows:
            obj = found.get(row.key)
            if obj is None and bulk:
                continue
            written += 1
            if not written % PROGRESS_STEP:
                tell("write", written, total)
            if obj is not None and register.unchanged(context, obj, row.item):
                result.unchanged += 1
                continue
            savepoint = transaction.savepoint()
            try:
                if obj is None:
                    created = register.create(user=user, item=row.item)
                    items.append((created.pk, ImportAction.CREATED, None))
                    result.created += 1
                else:
                    before = None
                    if history_of is not None:
                        before = (
                            obj.history.order_by("-history_id")
                            .values_list("history_id", flat=True)
                            .first()
                        )
                    register.update(user=user, obj=obj, item=row.item)
                    items.append((obj.pk, ImportAction.UPDATED, before))
                    result.updated += 1
            except DomainError as error:
                transaction.savepoint_rollback(savepoint)
                failed(row, error)
                continue
            transaction.savepoint_commit(savepoint)
        tell("write", total, total)
        result.left_out = len(result.bad_rows)
        keep = commit and (not result.errors or skip_invalid)
        if keep and (result.created or result.updated or result.unchanged):
            batch = ImportBatch.objects.create(
                register=register.name,
                created_by=user,
                sha256=hashlib.sha256(data).hexdigest(),
                rows=result.rows,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
                left_out=result.left_out,
            )
            insert_rows(
                ImportBatchItem, ["object_id", "action", "history_id"], items,
                same={"batch_id": batch.pk},
            )  # fmt: skip
            result.batch_id = batch.pk
        result.committed = keep
        if not keep:
            transaction.set_rollback(True)


# The error workbook ----------------------------------------------------------------------------


def error_workbook(data: bytes, filename: str, result: ImportResult) -> bytes:
    """The rows that have errors, as the file had them, under the (flattened) header, with a
    column 错误说明 — to fix and upload again. Formulas are neutralised (``core.excel``)."""
    table = read_sheet(data, filename, result.sheet if result.sheet != "CSV" else None)
    header = result.header
    book = new_workbook()
    out = book.active
    assert out is not None
    out.title = "错误行"
    names = list(header.names) if header is not None else []
    append_row(out, ["原行号", *names, "错误说明"])
    messages: dict[int, list[str]] = {}
    for error in result.errors:
        where = f"{error.column}列（{error.header}）" if error.column else error.header
        messages.setdefault(error.row, []).append(
            f"{where}：{error.message}" if where else error.message
        )
    start = header.last + 1 if header is not None else 0
    for index in range(start, len(table.rows)):
        number = index + 1
        if number not in messages:
            continue
        cells = [text_of(v) if isinstance(v, dt.date) else v for v in table.rows[index]]
        cells += [None] * (len(names) - len(cells))
        append_row(out, [number, *cells[: len(names)], "；".join(messages[number])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Undo ------------------------------------------------------------------------------------------


def may_undo(batch: ImportBatch, *, now: dt.datetime | None = None) -> bool:
    moment = now or timezone.now()
    return batch.undone_at is None and batch.created_at >= moment - dt.timedelta(days=UNDO_DAYS)


def batch_undo(*, actor: User, batch: ImportBatch) -> int:
    """Undo a whole batch: its created records removed and its updated ones put back to the
    version they had, through the register's services; all or nothing. The number undone."""
    register = register_named(batch.register)
    if not actor.has_perm(register.permission):
        raise DomainError("forbidden", "无权撤销该导入", status=403)
    if batch.undone_at is not None:
        raise DomainError("undone", "该批次已撤销")
    if not may_undo(batch):
        raise DomainError("too_old", f"只能撤销{UNDO_DAYS}天内的导入")
    entries = list(batch.items.order_by("-id"))
    ids = [e.object_id for e in entries]
    objects = register.objects().in_bulk(ids)
    with transaction.atomic():
        for entry in entries:
            obj = objects.get(entry.object_id)
            if obj is None:
                continue  # deleted meanwhile
            if entry.action == ImportAction.CREATED:
                register.remove(user=actor, obj=obj)
            elif entry.history_id is not None:
                register.revert(user=actor, obj=obj, history_id=entry.history_id)
        batch.undone_at = timezone.now()
        batch.undone_by = actor
        batch.save(update_fields=["undone_at", "undone_by"])
    audit_trail().record(
        EventKind.IMPORT,
        user=actor,
        detail={"register": batch.register, "batch": batch.pk, "result": "undone",
                "records": len(entries)},
    )  # fmt: skip
    return len(entries)


def batches_of(user: User, names: Iterable[str] | None = None) -> models.QuerySet[ImportBatch]:
    """The batches a user may see: their own, of the registers they may import."""
    allowed = [n for n, r in registers().items() if user.has_perm(r.permission)]
    if names is not None:
        allowed = [n for n in allowed if n in set(names)]
    return ImportBatch.objects.filter(created_by=user, register__in=allowed)
