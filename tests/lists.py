"""Helpers of the list tests: query counts and the rows of a list's XLSX export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def midnight(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day)  # noqa: DTZ001 - openpyxl reads dates back naive


def queries(client: Client, url: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def exported(client: Client, url: str, params: dict[str, Any]) -> list[list[Any]]:
    """The rows of the XLSX export of ``url`` filtered by ``params`` (the header first)."""
    response = client.get(url, {**params, "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]
