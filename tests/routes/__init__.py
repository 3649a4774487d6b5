"""The access rule of every URL of the platform, one module per app.

Each module ``tests/routes/<app>.py`` declares ``ROUTES: dict[str, str]`` — URL name → kind:

* ``public``   — no login (login page, health);
* ``logout``   — the logout view;
* ``open``     — any logged-in user, no data scope (reference data); ``open:<key>`` takes an id;
* ``global``   — configuration of the whole deployment, for holders of the permission (roles);
* ``list``     — scoped list: an outsider sees none of Yongji's records;
* ``create``   — a form or an upload: an outsider's form offers none of Yongji's records;
* ``object:<key>[:<key>]`` — one record (and a second id): an outsider gets 404 for every method.

and, when its routes take ids, ``object_ids() -> dict[str, int]``: ids of demo records for each
``<key>`` it uses (called with the Yongji demo loaded). ``tests/test_access.py`` fails when a URL
has no rule, so no page can forget the data scope.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType


def _modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]


ROUTES: dict[str, str] = {}
OBJECT_IDS: list[Callable[[], dict[str, int]]] = []
for _module in _modules():
    duplicated = set(ROUTES) & set(_module.ROUTES)
    if duplicated:
        raise AssertionError(f"routes declared twice: {sorted(duplicated)}")
    ROUTES.update(_module.ROUTES)
    if hasattr(_module, "object_ids"):
        OBJECT_IDS.append(_module.object_ids)


def id_keys() -> set[str]:
    """Every id key a rule names (``object:base:member`` → base, member)."""
    return {key for kind in ROUTES.values() for key in kind.split(":")[1:]}
