"""The field key beside the database: a warning at start-up (yanzhen.W001); in production
(``YANZHEN_PRODUCTION``) a refusal to start (yanzhen.E001, Chinese and English) unless the
key comes from the environment or a file outside the data directory."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from yanzhen.core.checks import check_field_key, refuse_to_start_without_external_key

KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Path:
    """A deployment that set no key: the default file in its data directory."""
    for name in ("YANZHEN_FIELD_KEY", "YANZHEN_FIELD_KEY_FILE", "YANZHEN_PRODUCTION"):
        monkeypatch.delenv(name, raising=False)
    settings.DATA_DIR = tmp_path / "var"
    settings.YANZHEN_FIELD_KEY = ""
    settings.YANZHEN_FIELD_KEY_FILE = ""
    settings.YANZHEN_PRODUCTION = False
    return tmp_path


def test_a_key_in_the_data_directory_is_a_warning(no_key: Path) -> None:
    (message,) = check_field_key()
    assert (message.id, message.level, message.is_serious()) == (
        "yanzhen.W001", checks.WARNING, False,
    )  # fmt: skip
    assert message.msg.startswith("字段加密密钥（身份证号、手机号的加密密钥）保存在数据目录中")
    assert "The field encryption key" in message.msg
    refuse_to_start_without_external_key()  # outside production it starts


def test_production_refuses_a_key_in_the_data_directory(no_key: Path, settings: Any) -> None:
    settings.YANZHEN_PRODUCTION = True
    (message,) = check_field_key()
    assert (message.id, message.is_serious()) == ("yanzhen.E001", True)
    assert message.msg.startswith("生产环境（YANZHEN_PRODUCTION）不能使用数据目录中的字段加密密钥")
    assert "Refusing to start in production" in message.msg
    assert "YANZHEN_FIELD_KEY" in (message.hint or "")
    with pytest.raises(ImproperlyConfigured) as caught:
        refuse_to_start_without_external_key()
    assert "yanzhen.E001" in str(caught.value)
    # A key file named explicitly but still inside the data directory is refused too.
    settings.YANZHEN_FIELD_KEY_FILE = str(no_key / "var" / "keys" / "field_key")
    assert [m.id for m in check_field_key()] == ["yanzhen.E001"]


def test_production_starts_with_an_external_key(
    no_key: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.YANZHEN_PRODUCTION = True
    settings.YANZHEN_FIELD_KEY_FILE = str(no_key / "etc" / "yanzhen-field-key")
    assert check_field_key() == []
    settings.YANZHEN_FIELD_KEY_FILE = ""
    monkeypatch.setenv("YANZHEN_FIELD_KEY", KEY)
    assert check_field_key() == []
    monkeypatch.setenv("YANZHEN_AUDIT_KEY", KEY)  # the audit key's own check (E002)
    refuse_to_start_without_external_key()


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("YANZHEN_")}
    base.pop("DATABASE_URL", None)
    base.update(
        DJANGO_SETTINGS_MODULE="yanzhen.settings",
        YANZHEN_DATA_DIR=str(tmp_path / "var"),
        YANZHEN_SECRET_KEY="k" * 20 + "-this-is-a-long-random-production-key-0123456789",
        **env,
    )
    return subprocess.run(args, env=base, capture_output=True, text=True, check=False)


def test_the_commands_and_the_wsgi_entry_point_refuse_to_start(tmp_path: Path) -> None:
    check = [sys.executable, "-m", "yanzhen", "check", "--deploy"]
    refused = run(check, tmp_path, YANZHEN_PRODUCTION="1")
    assert refused.returncode == 1
    assert "yanzhen.E001" in refused.stderr
    assert "拒绝启动" in refused.stderr
    wsgi = [sys.executable, "-c", "import yanzhen.wsgi"]
    crashed = run(wsgi, tmp_path, YANZHEN_PRODUCTION="1")
    assert crashed.returncode != 0
    assert "yanzhen.E001" in crashed.stderr
    # The audit key in the data directory is refused as well (E002), by itself.
    assert "yanzhen.E002" in refused.stderr
    half = run(check, tmp_path, YANZHEN_PRODUCTION="1", YANZHEN_FIELD_KEY=KEY)
    assert half.returncode == 1
    assert ("yanzhen.E001" in half.stderr, "yanzhen.E002" in half.stderr) == (False, True)
    started = run(
        check, tmp_path, YANZHEN_PRODUCTION="1", YANZHEN_FIELD_KEY=KEY, YANZHEN_AUDIT_KEY=KEY
    )
    assert started.returncode == 0, started.stderr
    assert "yanzhen" not in started.stderr
    # Outside production the keys beside the data are said by the deployment check only, not
    # at every command.
    quiet = run([sys.executable, "-m", "yanzhen", "check"], tmp_path)
    assert (quiet.returncode, "yanzhen.W00" in quiet.stderr) == (0, False)
    warned = run([sys.executable, "-m", "yanzhen", "check", "--deploy"], tmp_path)
    assert warned.returncode == 0
    assert ("yanzhen.W001" in warned.stderr, "yanzhen.W002" in warned.stderr) == (True, True)
