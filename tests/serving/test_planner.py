"""Planner statistics after a bulk load (``core.planner``; the demo ends with it)."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command
from django.db import connection

from yanzhen.core.models import Unit
from yanzhen.core.planner import analyze


def _statistics(table: str, column: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "select count(*) from pg_stats where tablename = %s and attname = %s", [table, column]
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def test_analyze_gathers_the_statistics_on_postgresql_and_does_nothing_on_sqlite(
    county: Unit,
) -> None:
    if connection.vendor == "postgresql":
        before = _statistics("core_unit", "kind")
        assert analyze() is True
        assert (before, _statistics("core_unit", "kind")) == (0, 1)
    else:
        assert analyze() is False


def test_the_demo_ends_by_gathering_the_statistics(db: None) -> None:
    with (
        mock.patch("yanzhen.demo.management.commands.demo.load_demo") as load,
        mock.patch(
            "yanzhen.demo.management.commands.demo.load_national_divisions", return_value=[]
        ),
        mock.patch("yanzhen.demo.management.commands.demo.analyze") as gathered,
    ):
        load.return_value.created = {}
        call_command("demo", stdout=mock.MagicMock())
    gathered.assert_called_once_with()
