"""Log lines with the local time and its explicit UTC offset (``2026-11-27T16:30:00.123+08:00``).

Used by ``LOGGING`` in the settings; loaded before the apps, so it imports no model.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from pythonjsonlogger.json import JsonFormatter


class OffsetFormatter(logging.Formatter):
    """``%(asctime)s`` in the platform's time zone (``TIME_ZONE``), ISO 8601 with offset."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        zone: dt.tzinfo = timezone.get_default_timezone() if settings.configured else dt.UTC
        moment = dt.datetime.fromtimestamp(record.created, tz=zone)
        return moment.isoformat(timespec="milliseconds")


class JsonLineFormatter(JsonFormatter):
    """One JSON object a line for a SIEM (``YANZHEN_LOG_FORMAT=json``): ``time`` (local, with
    offset, as :class:`OffsetFormatter`), ``level``, ``logger``, ``message``, the exception's
    text as ``exc_info`` and every extra field the record carries (``logger.info(...,
    extra={...})``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    formatTime = OffsetFormatter.formatTime  # noqa: N815
