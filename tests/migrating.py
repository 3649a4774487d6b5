"""Django's migration executor, with the state-only parts of a migration rendered once.

The "database from before" tests (the app splits, the one secondment record, the keyed audit
chains) migrate a database across the splits of ``talent``, whose migrations move dozens of
models between apps with ``SeparateDatabaseAndState`` (state operations only: the tables
stay). Django re-renders the models related to each model that a state operation touches,
right after each operation; ``core.Unit``, ``core.Person`` and ``core.User`` are related to
nearly every model, so each of the hundreds of ``RemoveField``/``CreateModel`` state
operations re-renders most of the project (a profile: 96 % of these tests' time in
``StateApps.render_multiple``, 22,000 model renders for 13 migrations).

:func:`render_state_once` makes ``SeparateDatabaseAndState`` apply its state operations to
the unrendered model states and render the project's models once afterwards. The database
operations, the migrations run and their order, the resulting state (the same model states,
rendered from scratch as Django does at the start of every ``migrate``) and what the database
holds are unchanged; only the repeated in-memory re-rendering in between is left out.

These tests reach the migrations from before the squashes (the old files, which existing
deployments keep running) through :func:`old_graph_executor`: Django's loader without the
squashes. With them, Django replaces every old file by the squashes on a database that is new
or fully migrated, so the old migrations are not nodes a test could migrate to.
"""

from __future__ import annotations

import os
from typing import Any

from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from tests.dbcache import site_keys
from yanzhen.core.migrations._replaced import REPLACED


class OldGraphLoader(MigrationLoader):
    """Django's migration loader without the squashed migrations (those that replace others):
    the graph of the old files, as on a deployment that migrated with them."""

    def load_disk(self) -> None:
        super().load_disk()
        squashes = {
            key: migration for key, migration in self.disk_migrations.items() if migration.replaces
        }
        for key in squashes:
            del self.disk_migrations[key]
        # A migration added after the squashes depends on its app's squash: on the old files'
        # graph, on the last old file of that app (what the squash stands for there).
        last_old = {
            key: [r for r in migration.replaces if r[0] == key[0]][-1]
            for key, migration in squashes.items()
        }
        for migration in self.disk_migrations.values():
            migration.dependencies = [last_old.get(d, d) for d in migration.dependencies]  # type: ignore[misc]


def old_graph_executor(connection: Any) -> MigrationExecutor:
    """A migration executor over the old files (:class:`OldGraphLoader`)."""
    executor = MigrationExecutor(connection)
    executor.loader = OldGraphLoader(connection, replace_migrations=False)
    return executor


def render_state_once() -> None:
    """Install the change (in the process of a migration test, after ``django.setup()``)."""
    from django.db.migrations.operations.special import SeparateDatabaseAndState
    from django.db.migrations.state import ProjectState

    def state_forwards(self: SeparateDatabaseAndState, app_label: str, state: ProjectState) -> None:
        rendered = state.__dict__.pop("apps", None) is not None
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)
        if rendered:
            state.is_delayed = False
            state.apps  # noqa: B018 (renders every model once, as Django's first access does)

    setattr(SeparateDatabaseAndState, "state_forwards", state_forwards)  # noqa: B010


# A new database migrated through the old files only, as ``migrate`` does (its signals too).
OLD_FILES = r"""
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection
from tests.migrating import old_graph_executor, render_state_once

render_state_once()
emit_pre_migrate_signal(0, False, "default")
executor = old_graph_executor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())
emit_post_migrate_signal(0, False, "default")
"""


def project_squashes() -> set[tuple[str, str]]:
    """The project's squashed migrations (those that replace the old files)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {app for app, _ in REPLACED}
    return {key for key in loader.replacements if key[0] in ours}


def site_env(**extra: str) -> dict[str, str]:
    """The environment of a platform process of a migration test: the production settings,
    the suite's keys, SQLite unless ``extra`` names a database."""
    env = {**os.environ, **site_keys(), "DJANGO_SETTINGS_MODULE": "yanzhen.settings"}
    env.pop("DATABASE_URL", None)
    return {**env, **extra}
