"""Retries with exponential backoff (pure arithmetic: the caller records its attempts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """``attempts`` tries in all; after the n-th failed one the next waits
    ``first × factor^(n-1)``, at most ``longest``."""

    attempts: int
    first: dt.timedelta
    factor: float = 2.0
    longest: dt.timedelta = dt.timedelta(hours=6)

    def delay(self, failed: int) -> dt.timedelta:
        """The wait after ``failed`` failed attempts (1 for the first)."""
        seconds = self.first.total_seconds() * self.factor ** max(failed - 1, 0)
        return min(dt.timedelta(seconds=seconds), self.longest)

    def next_attempt(self, failed: int, now: dt.datetime) -> dt.datetime | None:
        """When to try again after ``failed`` failed attempts, or None: give up."""
        if failed >= self.attempts:
            return None
        return now + self.delay(failed)
