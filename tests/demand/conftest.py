"""Time is frozen for the demand map's tests (surveys, reminders, dates of needs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        yield
