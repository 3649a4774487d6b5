"""How the domain apps plug into the platform without a central list to edit.

Each app may provide, next to its models:

* ``urls.py`` — mounted at ``<AppConfig.url_prefix>`` (default ``<label>/``);
* ``api.py`` with ``router`` — added to the JSON API under ``/api/v1/``;
* ``indicators.py`` with ``SOURCES`` — figures the assessment can compute per unit;
* ``bases.py`` with ``figures(*, user, bases)`` and ``page(*, user, base)`` — figures per base
  in the list of cooperation bases, and context for a base's page (the supervision's
  milestones and work plan);

The menu is the one central list: ``core.menu.MENU`` (one line per page).

Apps are taken in ``INSTALLED_APPS`` order.

What core itself needs from an app above it (the audit trail, the notifications) is a
:class:`Port`: core declares the protocol and calls it; the app installs its implementation in
its ``AppConfig.ready`` (``core.trail.audit_trail``, ``core.notify.notifier``).
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Generic, TypeVar

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


def domain_apps() -> list[AppConfig]:
    return [a for a in apps.get_app_configs() if a.name.startswith("yanzhen.")]


def app_module(app: AppConfig, name: str) -> ModuleType | None:
    """``<app>.<name>`` if the app has such a module."""
    qualified = f"{app.name}.{name}"
    if importlib.util.find_spec(qualified) is None:
        return None
    return importlib.import_module(qualified)


def modules(name: str) -> list[tuple[AppConfig, ModuleType]]:
    found = []
    for app in domain_apps():
        module = app_module(app, name)
        if module is not None:
            found.append((app, module))
    return found


class Port(Generic[T]):
    """A service core calls and an app above core provides (installed at start)."""

    def __init__(self, missing: str) -> None:
        self._missing = missing  # the error, in Chinese, when nothing is installed
        self._installed: list[T] = []

    def install(self, implementation: T) -> None:
        self._installed[:] = [implementation]

    def __call__(self) -> T:
        if not self._installed:
            raise ImproperlyConfigured(self._missing)
        return self._installed[0]
