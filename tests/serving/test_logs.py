"""``YANZHEN_LOG_FORMAT=json``: one JSON object a line for a SIEM, with the local time and its
offset, the level, the logger, the message and the record's extra fields; the settings pick
it; an access line per request with ``YANZHEN_ACCESS_LOG=1``."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client

from yanzhen.audit.logs import JsonLineFormatter

pytestmark = pytest.mark.django_db


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("yanzhen.security", logging.WARNING, __file__, 1, message, (), None)
    record.created = dt.datetime(2026, 12, 7, tzinfo=dt.UTC).timestamp() + 0.5
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_json_line() -> None:
    line = JsonLineFormatter().format(_record("登录失败", event="login_failed", user_id=7))
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-12-07T08:00:00.500+08:00",
        "level": "WARNING",
        "logger": "yanzhen.security",
        "message": "登录失败",
        "event": "login_failed",
        "user_id": 7,
    }


def test_an_exception_stays_on_its_line() -> None:
    try:
        raise ValueError("坏值")
    except ValueError:
        record = _record("出错")
        record.exc_info = sys.exc_info()
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: 坏值" in json.loads(line)["exc_info"]


def test_the_settings_choose_json_lines_and_the_access_log() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
        "YANZHEN_LOG_FORMAT": "json",
        "YANZHEN_ACCESS_LOG": "1",
    }
    code = (
        "from django.conf import settings as s; import json;"
        "print(json.dumps([s.LOGGING['handlers']['console']['formatter'],"
        " s.LOGGING['loggers']['yanzhen.access']['level']]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == ["json", "INFO"]
    env.pop("YANZHEN_LOG_FORMAT")
    env.pop("YANZHEN_ACCESS_LOG")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == ["stamped", "WARNING"]


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_an_access_line_per_request() -> None:
    logger = logging.getLogger("yanzhen.access")
    level, propagate, kept = logger.level, logger.propagate, _Kept()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(kept)
    try:
        Client().get("/health/?x=1")
    finally:
        logger.removeHandler(kept)
        logger.setLevel(level)
        logger.propagate = propagate
    [record] = kept.records
    line = json.loads(JsonLineFormatter().format(record))
    assert line["message"].startswith("GET /health/ 200 ")
    assert {k: line[k] for k in ("method", "path", "route", "status", "user_id")} == {
        "method": "GET",
        "path": "/health/",
        "route": "core:health",
        "status": 200,
        "user_id": None,
    }
