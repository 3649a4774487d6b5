"""How to make N rows of each list route, one module per app: ``tests/rows/<app>.py``
declares ``ROWS: dict[str, RowFactory]`` — the URL name of a list (a route of kind ``list`` in
``tests/routes``) → a function that makes ``n`` rows of that list in the data scope of a user
of ``unit`` (and below) and returns the query parameters the list needs to show exactly them.

``tests/test_query_counts.py`` renders every list with 1 row and with 30 and asserts the
same number of queries: a list whose rows cost a query each fails there, naming its route.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from yanzhen.core.models import Unit

RowFactory = Callable[[int, Unit], dict[str, str]]

ROWS: dict[str, RowFactory] = {}
for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("_"):
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    _twice = set(ROWS) & set(_module.ROWS)
    if _twice:
        raise AssertionError(f"rows declared twice: {sorted(_twice)}")
    ROWS.update(_module.ROWS)
