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
"""

from __future__ import annotations


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
