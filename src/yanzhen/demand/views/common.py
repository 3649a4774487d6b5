"""Helpers shared by the pages of the demand map."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def local_time(value: dt.datetime | None) -> str:
    """A moment as the county reads it (``2021-12-20 10:00``), "" for none."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
