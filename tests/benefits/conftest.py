"""The services' tests use the talent work's small world (a county, its units, a talent office):
its fixtures are the talent tests' own."""

from __future__ import annotations

from tests.talent.conftest import frozen, world

__all__ = ["frozen", "world"]
