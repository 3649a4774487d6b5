"""The cache table of ``CACHES`` (``django.core.cache.backends.db.DatabaseCache``): the cache
lives in the shared database, so that every application node sees the same one (no local
state). ``createcachetable`` skips a table that exists."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_worker_heartbeat")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
