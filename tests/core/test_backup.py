"""Backups and restores of the loaded demo, through the real commands in their own processes;
and 20 parallel writers on SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yanzhen", *args], env=env, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A platform of its own (data directory, database) with the demo loaded."""
    data = tmp_path_factory.mktemp("backup-site")
    env = {
        **os.environ,
        "YANZHEN_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
    }
    created = ""
    if POSTGRES:
        import psycopg

        created = f"yanzhen_site_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {created}")
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + created
    else:
        env.pop("DATABASE_URL", None)
    for args in (["migrate", "--noinput", "-v0"], ["demo"]):
        result = run(args, env)
        assert result.returncode == 0, result.stderr[-3000:]
    yield env
    if created:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {created} WITH (FORCE)")


def fresh_target(tmp_path: Path) -> tuple[list[str], str]:
    if not POSTGRES:
        return ["--sqlite", str(tmp_path / "restored.sqlite3")], ""
    import psycopg

    name = f"yanzhen_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    return ["--database-url", url], name


def drop(name: str) -> None:
    if name:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_backup_of_the_demo_restores_with_no_row_lost(
    site: dict[str, str], tmp_path: Path
) -> None:
    archive = tmp_path / "demo.yzbak"
    result = run(["backup", "-o", str(archive)], site)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(archive) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
    tables = manifest["tables"]
    assert tables["cooperation_cooperation"]["rows"] == 120
    assert tables["core_user"]["rows"] == 8
    target, name = fresh_target(tmp_path)
    try:
        result = run(["restore", str(archive), *target], site)
        assert result.returncode == 0, result.stderr
        rows = sum(t["rows"] for t in tables.values())
        assert result.stdout.strip() == f"恢复完成并已校验：{len(tables)} 张表，{rows} 行，0 行缺失"
        again = run(["restore", str(archive), *target], site)
        assert again.returncode != 0
        assert "只能恢复到新的数据库" in again.stderr
    finally:
        drop(name)
    log = run(
        [
            "shell",
            "-c",
            "from yanzhen.audit.models import SecurityEvent as E; print(sorted(set(E.objects.values_list('kind', flat=True))))",
        ],
        site,
    )
    assert "'backup'" in log.stdout
    assert "'restore'" in log.stdout


def test_a_changed_backup_is_caught(site: dict[str, str], tmp_path: Path) -> None:
    archive = tmp_path / "demo.yzbak"
    assert run(["backup", "-o", str(archive)], site).returncode == 0
    tampered = tmp_path / "tampered.yzbak"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as out:
        manifest = json.loads(source.read("manifest.json"))
        manifest["tables"]["cooperation_cooperation"]["rows"] = 121
        out.writestr("manifest.json", json.dumps(manifest))
        out.writestr("database", source.read("database"))
    target, name = fresh_target(tmp_path)
    try:
        result = run(["restore", str(tampered), *target], site)
    finally:
        drop(name)
    assert result.returncode != 0
    assert "表 cooperation_cooperation：备份 121 行，恢复后 120 行" in result.stderr


def test_an_encrypted_backup_needs_its_key(site: dict[str, str], tmp_path: Path) -> None:
    archive = tmp_path / "sealed.yzbak"
    keyed = {**site, "YANZHEN_BACKUP_KEY": "a long backup passphrase 2026"}
    assert run(["backup", "--encrypt", "-o", str(archive)], keyed).returncode == 0
    assert not zipfile.is_zipfile(archive)
    target, name = fresh_target(tmp_path)
    try:
        refused = run(["restore", str(archive), *target], site)
        assert "备份文件已加密" in refused.stderr
        wrong = run(["restore", str(archive), *target], {**site, "YANZHEN_BACKUP_KEY": "wrong"})
        assert "备份密钥不正确" in wrong.stderr
        assert run(["restore", str(archive), *target], keyed).returncode == 0
    finally:
        drop(name)


WRITERS = """
import threading, django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "yanzhen.settings"
django.setup()
from django.db import connection
from yanzhen.audit.services import record, verify_chain
from yanzhen.audit.models import SecurityEvent
errors = []
def write(n):
    try:
        for i in range(50):
            record("export", username=f"writer{n}", detail={"i": i})
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()
threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
for t in threads: t.start()
for t in threads: t.join()
print(len(errors), SecurityEvent.objects.filter(username__startswith="writer").count(), verify_chain().ok)
print(errors[:3])
"""


def test_twenty_parallel_writers_on_sqlite(tmp_path: Path) -> None:
    """Always on SQLite (the locking check is about SQLite), also in the PostgreSQL run."""
    env = {
        **os.environ,
        "YANZHEN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
    }
    env.pop("DATABASE_URL", None)
    assert run(["migrate", "--noinput", "-v0"], env).returncode == 0
    result = subprocess.run(
        [sys.executable, "-c", WRITERS], env=env, capture_output=True, text=True
    )
    assert result.stdout.splitlines()[0] == "0 1000 True", result.stdout + result.stderr[-2000:]
