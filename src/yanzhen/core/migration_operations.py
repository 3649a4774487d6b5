"""The migration operation of the squashed migrations: an app's models created together.

Django applies a migration's operations one by one, and after each ``CreateModel`` it
re-renders the new model and every model related to it, recursively; ``core.Unit``,
``core.Person`` and ``core.User`` are related to nearly every model, so creating the project's
~300 models one operation at a time renders the project some 40,000 times (a profile of the
squashes written as plain ``CreateModel`` operations: 90 % of ``migrate``'s time in
``StateApps.render_multiple``). :class:`CreateModels` adds the model states of all its models
first and renders the project once, then creates each table from the rendered state: the same
``CREATE TABLE``, indexes and constraints as ``CreateModel`` (``schema_editor.create_model``),
foreign keys between the models of the group included (SQLite declares them in the table,
PostgreSQL adds them at the end of the migration).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.models import CreateModel
from django.db.migrations.operations.special import RunPython
from django.db.migrations.state import ProjectState


class CreateModels(Operation):
    """Create the models of ``operations`` (``CreateModel`` with every field and option of
    the model), rendering the project state once for all of them."""

    reversible = True

    def __init__(self, operations: list[CreateModel]) -> None:
        self.operations = operations

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.operations], {})

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        # A rendered state re-renders related models on every change: drop the rendering,
        # add every model state, and render once.
        rendered = state.__dict__.pop("apps", None) is not None
        for operation in self.operations:
            operation.state_forwards(app_label, state)
        if rendered:
            state.is_delayed = False
            state.apps  # noqa: B018 (renders the project once, as Django's first access does)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        for operation in self.operations:
            model = to_state.apps.get_model(app_label, operation.name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.create_model(model)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        for operation in reversed(self.operations):
            model = from_state.apps.get_model(app_label, operation.name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.delete_model(model)

    def describe(self) -> str:
        return f"Create {len(self.operations)} models"

    @property
    def migration_name_fragment(self) -> str:
        return "models"


def sql_per_vendor(forward: dict[str, list[str]], backward: dict[str, list[str]]) -> RunPython:
    """A migration step running each database's own statements (triggers and functions differ
    between SQLite and PostgreSQL), and their undoing when migrated back."""

    def run(statements: dict[str, list[str]]) -> Any:
        def execute(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
            for sql in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql)

        return execute

    return RunPython(run(forward), run(backward))
