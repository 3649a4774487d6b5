"""A file's records as the import flow (``core.importing``) holds them: packed chunk by chunk,
and kept between a file's preview and its commit in the same process.

* **Packed**: the records of a chunk (``PROGRESS_STEP`` rows) are pickled and compressed as
  soon as they are parsed, and unpacked one chunk at a time when their items are built, so a
  large file's records (~2 KB a row as Python objects, ~0.1 KB packed) are never all held at
  once. Only this process's own objects are pickled, never anything read from outside.
* **Kept**: reading and parsing a file depends on nothing but its bytes, the sheet, the
  mapping and the register's fields; a preview keeps its parse (:data:`memo`) under a key of
  exactly these (the file's SHA-256), and the commit of the same file takes it instead of
  reading the file again. Everything that depends on the database — the names resolved, the
  natural keys, the rules of the services — is checked again by the commit. At most
  ``KEEP`` parses of at most ``KEEP_BYTES`` together, each for ``KEEP_SECONDS``.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from yanzhen.engines.tabular import ColumnMap, FieldSpec, Header, Record, Skipped

KEEP = 4
KEEP_BYTES = 64 * 1024 * 1024
KEEP_SECONDS = 3600


def pack(records: Sequence[Record]) -> bytes:
    """Records as compressed bytes (their row, values, problems and notes)."""
    rows = [(r.row, r.values, r.problems, r.notes) for r in records]
    return zlib.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(blob: bytes) -> list[Record]:
    """The records :func:`pack` packed."""
    # Bytes this process packed and kept in its memory (never read from a file, the database
    # or a request): nothing from outside is unpickled.
    rows = pickle.loads(zlib.decompress(blob))  # noqa: S301  # nosec B301
    return [Record(row, values, problems, notes) for row, values, problems, notes in rows]


@dataclass
class FileParse:
    """What reading and parsing one file gave: its sheets, header and mapping, the records
    packed chunk by chunk, the rows skipped, and — for a register whose ``prepare`` reads only
    the distinct texts of some fields (``Register.prepare_fields``) — those texts."""

    sheets: tuple[str, ...]
    chosen: str
    header: Header
    columns: ColumnMap
    rows: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    texts: dict[str, dict[str, None]] | None = None  # field → its texts, in order

    @property
    def size(self) -> int:
        return sum(len(c) for c in self.chunks)

    def records(self) -> Iterator[Record]:
        """The records in order, one chunk unpacked at a time."""
        for blob in self.chunks:
            yield from unpack(blob)


def memo_key(
    register: str,
    data: bytes,
    filename: str,
    sheet: str | None,
    mapping: Mapping[str, str] | None,
    specs: Sequence[FieldSpec],
) -> Hashable:
    """Everything a file's parse depends on (the register's fields with their choices)."""
    return (
        register,
        hashlib.sha256(data).hexdigest(),
        filename,
        sheet or "",
        tuple(sorted((mapping or {}).items())),
        hashlib.sha256(repr(tuple(specs)).encode()).hexdigest(),
    )


class Memo:
    """The parses of previewed files, taken by their commits (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, tuple[float, FileParse]] = OrderedDict()

    def put(self, key: Hashable, parse: FileParse) -> None:
        if parse.size > KEEP_BYTES:
            return
        with self._lock:
            self._kept.pop(key, None)
            self._kept[key] = (time.monotonic(), parse)
            self._expire()

    def take(self, key: Hashable) -> FileParse | None:
        """The parse kept under ``key`` (no longer kept), or ``None``."""
        with self._lock:
            self._expire()
            kept = self._kept.pop(key, None)
        return None if kept is None else kept[1]

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)

    def _expire(self) -> None:
        oldest = time.monotonic() - KEEP_SECONDS
        for key in [k for k, (at, _p) in self._kept.items() if at < oldest]:
            del self._kept[key]
        while len(self._kept) > KEEP or sum(p.size for _a, p in self._kept.values()) > KEEP_BYTES:
            self._kept.popitem(last=False)


memo = Memo()
