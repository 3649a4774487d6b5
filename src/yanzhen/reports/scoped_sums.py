"""The sums of a scoped dashboard (a user who does not see everything), kept per data scope
and ledger generation.

A county's dashboard sums the contributions of every cooperation in its scope: on the
benchmark's million, the busiest county's 3,295 cooperations and their universities are read
and summed on each request (about 20 ms of Python and 40 ms of the database's time). The sums
depend only on the scope (``core.scope.scope_key``) and on the ledger's rows, and every write
that could change them changes the ledger's generation (``cooperation.tally.ledger_generation``,
set by the database's triggers). So they are kept per ``(scope, counties, generation)`` in
the process, for the next request of anyone with the same scope: one small read of the
generation instead. Nothing kept is ever stale: a changed generation is a different key, and
the old sums drop out of the bounded store (``KEPT_ROWS``)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import TYPE_CHECKING

from yanzhen.cooperation.selectors import cooperation_qs
from yanzhen.cooperation.tally import columns_for, ledger_generation
from yanzhen.core.scope import scope_key
from yanzhen.engines import ledger
from yanzhen.engines.ledger import TallyKey, TallyValue

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yanzhen.core.models import User

Sums = dict[str, dict[TallyKey, TallyValue]]

# A process keeps sums of this many rows in all (a row is about 420 bytes held: the busiest
# county of the benchmark's million, 3,379 cooperations, sums to 7,232 rows, 3 MB), the least
# recently used scope dropped first; one scope's sums are kept whatever their size.
KEPT_ROWS = 100_000
_kept: OrderedDict[Hashable, tuple[int, Sums]] = OrderedDict()
_rows = 0
_lock = threading.Lock()


def compute(user: User | AnonymousUser, *, counties: bool) -> Sums:
    """The sums of the user's cooperations, split by dimension, summed afresh."""
    columns = columns_for(cooperation_qs(user), counties=counties)
    return ledger.by_dimension(ledger.sum_columns(columns))


def scoped_sums(user: User | AnonymousUser, *, counties: bool) -> Sums:
    """:func:`compute`, kept per scope and ledger generation. The dimensions of a county
    (``counties``) only for a user whose dashboard compares counties. The sums returned are
    shared: read them, never change them."""
    if not user.is_authenticated:
        return compute(user, counties=counties)
    generation = ledger_generation()  # read before the rows: they are at least this new
    if generation is None:
        return compute(user, counties=counties)
    key = (scope_key(user), counties, generation)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found[1]
    sums = compute(user, counties=counties)
    _keep(key, sums)
    return sums


def _keep(key: Hashable, sums: Sums) -> None:
    global _rows
    rows = sum(len(part) for part in sums.values())
    with _lock:
        if key in _kept:  # made twice at once by two threads
            return
        _kept[key] = (rows, sums)
        _rows += rows
        while _rows > KEPT_ROWS and len(_kept) > 1:
            _key, (dropped, _sums) = _kept.popitem(last=False)
            _rows -= dropped


def kept_rows() -> int:
    """The rows of sums this process keeps (all scopes)."""
    return _rows


def forget() -> None:
    """Drop every kept sum (tests that compare with sums computed afresh)."""
    global _rows
    with _lock:
        _kept.clear()
        _rows = 0
