"""The small county of the talent tests (the college's trainees are its people)."""

from __future__ import annotations

from tests.talent.conftest import frozen, world

__all__ = ["frozen", "world"]
