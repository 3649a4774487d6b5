"""The security log reaches the log at the default settings, each line with its UTC offset,
optionally to a syslog on another host, and with no personal data in it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from yanzhen.audit.models import ExportLog, SecurityEvent
from yanzhen.audit.services import export_logged
from yanzhen.core.models import User
from yanzhen.core.services import user_create

EMIT = """
import logging, django
django.setup()
logging.getLogger("yanzhen.security").info("security login id=%s user=%s", 1, "zhangwei")
logging.getLogger("yanzhen.core").info("an everyday detail")
"""
LINE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00 INFO yanzhen\.security "
    r"security login id=1 user=zhangwei$"
)


def test_the_security_log_is_emitted_by_default_with_its_offset(tmp_path: Path) -> None:
    """With the production settings as shipped (no log level set), a security line goes to
    the console and to the syslog named by YANZHEN_SYSLOG_ADDRESS; other INFO lines do not."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as syslog:
        syslog.bind(("127.0.0.1", 0))
        syslog.settimeout(20)
        port = syslog.getsockname()[1]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
               "YANZHEN_DATA_DIR": str(tmp_path), "YANZHEN_SYSLOG_ADDRESS": f"127.0.0.1:{port}"}  # fmt: skip
        for name in ("YANZHEN_LOG_LEVEL", "YANZHEN_SECURITY_LOG_LEVEL", "DATABASE_URL"):
            env.pop(name, None)
        result = subprocess.run(
            [sys.executable, "-c", EMIT], env=env, capture_output=True, text=True, check=True
        )
        received = syslog.recv(4096).decode()
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert LINE.match(lines[0]), lines[0]
    # authpriv (10) × 8 + info (6); a NUL ends the message
    assert received == f"<86>yanzhen: {lines[0]}\x00"


@pytest.mark.django_db
def test_ids_and_mobiles_typed_as_names_or_filters_are_masked(
    clerk: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    for typed in ("140881198803124015", "13812345678"):
        client.post(reverse("core:login"), {"username": typed, "password": "Wrong-Pass-99!"})
    assert list(SecurityEvent.objects.order_by("pk").values_list("kind", "username")) == [
        ("login_failed", "1408**********4015"),
        ("login_failed", "138****5678"),
    ]
    request = RequestFactory().get("/people/")
    request.user = clerk
    export_logged(request=request, title="人员", filters={"q": "张 140881198803124015 13812345678"},
                  fmt="csv", rows=1, content=b"x", unmasked=False)  # fmt: skip
    assert ExportLog.objects.get().filters == {"q": "张 1408**********4015 138****5678"}
    log = "\n".join(r.getMessage() for r in caplog.records)
    assert "security login_failed" in log
    assert "140881198803124015" not in log
    assert "13812345678" not in log


@pytest.mark.django_db
def test_an_account_named_like_a_number_keeps_its_name(db: None) -> None:
    user_create(username="13900001111", password="x-Unused-Password-1", unit=None, roles=[])
    Client().post(reverse("core:login"), {"username": "13900001111", "password": "Wrong-Pass-9!"})
    assert SecurityEvent.objects.get(kind="login_failed").username == "13900001111"
    # Its log line masks it all the same (G19: no mobile in any log).
    assert "13900001111" not in Path(getattr(settings, "SUITE_LOG")).read_text(encoding="utf-8")  # noqa: B009


def test_production_refuses_an_audit_key_beside_the_database(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """The audit key in the data directory: a refusal to start in production (E002), a warning
    of the deployment check otherwise (W002); an external key passes."""
    from yanzhen.audit.checks import check_audit_key

    monkeypatch.delenv("YANZHEN_AUDIT_KEY", raising=False)
    monkeypatch.delenv("YANZHEN_AUDIT_KEY_FILE", raising=False)
    settings.YANZHEN_AUDIT_KEY = ""
    settings.YANZHEN_PRODUCTION = True
    assert [(m.id, m.is_serious()) for m in check_audit_key()] == [("yanzhen.E002", True)]
    settings.YANZHEN_PRODUCTION = False
    assert [(m.id, m.is_serious()) for m in check_audit_key()] == [("yanzhen.W002", False)]
    settings.YANZHEN_AUDIT_KEY_FILE = "/etc/yanzhen/audit_key"
    assert check_audit_key() == []
