"""Log lines with the local time and its explicit UTC offset (``2026-11-27T16:30:00.123+08:00``).

Used by ``LOGGING`` in the settings; loaded before the apps, so it imports no model.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone


class OffsetFormatter(logging.Formatter):
    """``%(asctime)s`` in the platform's time zone (``TIME_ZONE``), ISO 8601 with offset."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        zone: dt.tzinfo = timezone.get_default_timezone() if settings.configured else dt.UTC
        moment = dt.datetime.fromtimestamp(record.created, tz=zone)
        return moment.isoformat(timespec="milliseconds")
