"""The database's planner statistics after a bulk load.

PostgreSQL chooses each query's plan from statistics that ``ANALYZE`` gathers; autovacuum
gathers them for a table only after 50 rows and 10 % of it have changed, so a small table
filled at once (the demo's 36 bases, its units' closure of 1,600 rows) may keep none, and the
planner then guesses. On the demo, the data scope's subqueries (``unit in (units below the
county)``) were planned as nested loops over every unit × every closure row: 10–20 ms of the
database's CPU for a query that takes 0.3 ms with statistics, and up to ten times the
database's CPU per page (docs/benchmarks.md, "Serving under load"). A bulk load therefore
ends with :func:`analyze`; operators run ``vacuumdb --analyze-only`` after large imports
(docs/deploy.md)."""

from __future__ import annotations

from django.db import connection


def analyze() -> bool:
    """Gather the planner statistics of every table (PostgreSQL; SQLite keeps its own plans
    without them, nothing is done). Whether they were gathered."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
