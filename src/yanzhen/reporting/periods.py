"""The periods of recurring tasks (months and quarters), in pure date arithmetic."""

from __future__ import annotations

import datetime as dt


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the quarter of ``day``."""
    first_month = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    return start, _month_end(dt.date(day.year, first_month + 2, 1))


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    return start, _month_end(start)


def _month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_of(recurrence: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period of a task recurring ``monthly`` or ``quarterly`` (else the quarter) that
    holds ``day``."""
    return month_of(day) if recurrence == "monthly" else quarter_of(day)


def period_label(start: dt.date, end: dt.date) -> str:
    """ "2021年第4季度", "2021年12月", or the two dates."""
    if (start, end) == quarter_of(start):
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if (start, end) == month_of(start):
        return f"{start.year}年{start.month}月"
    return f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"
