"""Consistent online backups and verified restores.

A backup is one archive (zip): the database (SQLite through its online backup API, never a
file copy; PostgreSQL through ``pg_dump -Fc`` on the very snapshot the manifest was read from)
and ``manifest.json`` with every table's row count and checksum. With a key it is sealed
with AES-256-GCM. A restore goes into a fresh database only, then checks the integrity and that
every table has the same rows and checksum as the manifest.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection, transaction

from yanzhen.core.errors import DomainError

MAGIC = b"YZBAK1"
FORMAT = 1


def _canonical(value: Any) -> str:
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return "" if value is None else str(value)


def table_digest(rows: Iterable[Iterable[Any]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def sqlite_manifest(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    out = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({quoted})")]
        order = ", ".join(f'"{c}"' for c in columns)
        # bandit: names from the database catalogue, quoted
        rows = db.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608  # nosec B608
        count, checksum = table_digest(rows)
        out[table] = {"rows": count, "sha256": checksum}
    return out


def postgres_manifest(cursor: Any) -> dict[str, dict[str, Any]]:
    """Each row as PostgreSQL's own text of it (``t::text``), so that the checksum does not
    depend on how a client library loads values (Django reads JSON as text, a bare psycopg
    connection as dicts), with times in UTC whatever the session's zone."""
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    out = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        columns = [r[0] for r in cursor.fetchall()]
        order = ", ".join(f'"{c}"' for c in columns)
        # bandit: names from the database catalogue, quoted
        cursor.execute(f'SELECT t::text FROM "{table}" AS t ORDER BY {order}')  # noqa: S608  # nosec B608
        count, checksum = table_digest(cursor.fetchall())
        out[table] = {"rows": count, "sha256": checksum}
    return out


def _seal(data: bytes, key: bytes) -> bytes:
    nonce = os.urandom(12)
    return MAGIC + nonce + AESGCM(hashlib.sha256(key).digest()).encrypt(nonce, data, MAGIC)


def _open(data: bytes, key: bytes | None) -> bytes:
    if not data.startswith(MAGIC):
        return data
    if key is None:
        raise DomainError("backup_key", "备份文件已加密：请提供备份密钥（YANZHEN_BACKUP_KEY）")
    nonce, sealed = data[len(MAGIC) : len(MAGIC) + 12], data[len(MAGIC) + 12 :]
    try:
        return AESGCM(hashlib.sha256(key).digest()).decrypt(nonce, sealed, MAGIC)
    except Exception as error:  # cryptography.exceptions.InvalidTag
        raise DomainError("backup_key", "备份密钥不正确，或备份文件已损坏") from error


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int
    encrypted: bool


def _pg_env(settings_db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if settings_db.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_db["PASSWORD"])
    args = [
        "-h",
        str(settings_db.get("HOST") or "127.0.0.1"),
        "-p",
        str(settings_db.get("PORT") or 5432),
    ]
    if settings_db.get("USER"):
        args += ["-U", str(settings_db["USER"])]
    return args, env


def backup(output: Path, *, key: bytes | None = None) -> BackupResult:
    """Write a consistent backup of the database to ``output``."""
    output = Path(output)
    connection.ensure_connection()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database"
        if connection.vendor == "sqlite":
            target = sqlite3.connect(dump)
            connection.connection.backup(target)
            manifest = sqlite_manifest(target)
            target.close()
            kind = "sqlite"
        elif connection.vendor == "postgresql":
            manifest, kind = _pg_backup(dump), "postgresql"
        else:
            raise DomainError("backup_vendor", f"不支持备份 {connection.vendor} 数据库")
        meta = {
            "format": FORMAT,
            "database": kind,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "tables": manifest,
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(dump, "database")
            archive.writestr("manifest.json", json.dumps(meta, ensure_ascii=False, indent=1))
    data = buffer.getvalue()
    if key is not None:
        data = _seal(data, key)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    output.chmod(0o600)
    rows = sum(t["rows"] for t in manifest.values())
    return BackupResult(output, len(manifest), rows, key is not None)


def _pg_backup(dump: Path) -> dict[str, dict[str, Any]]:
    """pg_dump on the snapshot of our own transaction, so that dump and manifest agree."""
    settings_db = connection.settings_dict
    args, env = _pg_env(settings_db)
    if connection.in_atomic_block:
        raise DomainError("backup_transaction", "备份须在事务之外进行")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        manifest = postgres_manifest(cursor)
        pg_dump = shutil.which("pg_dump") or "pg_dump"
        subprocess.run(  # noqa: S603 (fixed program, our own arguments)
            [pg_dump, *args, "-Fc", f"--snapshot={snapshot}", "-f", str(dump), settings_db["NAME"]],
            env=env,
            check=True,
            capture_output=True,
        )
    return manifest


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    mismatches: list[str]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _compare(expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None or got is None:
            problems.append(f"表 {table} {'多出' if want is None else '缺失'}")
        elif want != got:
            problems.append(
                f"表 {table}：备份 {want['rows']} 行，恢复后 {got['rows']} 行"
                + ("" if want["rows"] != got["rows"] else "，内容校验和不同")
            )
    return problems


def restore(archive: Path, *, sqlite_path: Path | None = None, database_url: str | None = None,
            key: bytes | None = None) -> RestoreReport:  # fmt: skip
    """Restore ``archive`` into a fresh database and verify it table by table."""
    data = _open(Path(archive).read_bytes(), key)
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        meta = json.loads(bundle.read("manifest.json"))
        dump = bundle.read("database")
    expected: dict[str, dict[str, Any]] = meta["tables"]
    if meta["database"] == "sqlite":
        if sqlite_path is None:
            raise DomainError("restore_target", "请用 --sqlite 指定恢复到的新数据库文件")
        if sqlite_path.exists():
            raise DomainError("restore_target", f"{sqlite_path} 已存在：只能恢复到新的数据库")
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        sqlite_path.write_bytes(dump)
        db = sqlite3.connect(sqlite_path)
        try:
            (check,) = db.execute("PRAGMA integrity_check").fetchone()
            actual = sqlite_manifest(db)
        finally:
            db.close()
        problems = [] if check == "ok" else [f"完整性检查失败：{check}"]
    else:
        if not database_url:
            raise DomainError(
                "restore_target", "请用 --database-url 指定恢复到的新 PostgreSQL 数据库"
            )
        actual, problems = _pg_restore(dump, database_url)
    problems += _compare(expected, actual)
    return RestoreReport(len(actual), sum(t["rows"] for t in actual.values()), problems)


def _pg_restore(dump: bytes, database_url: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    import psycopg

    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        (existing,) = cursor.fetchone() or (0,)
        if existing:
            raise DomainError("restore_target", "目标数据库不是空的：只能恢复到新的数据库")
    parts = urlsplit(database_url)
    with tempfile.NamedTemporaryFile(suffix=".dump") as handle:
        handle.write(dump)
        handle.flush()
        pg_restore = shutil.which("pg_restore") or "pg_restore"
        env = dict(os.environ)
        if parts.password:
            env["PGPASSWORD"] = parts.password
        subprocess.run(  # noqa: S603 (fixed program, our own arguments)
            [pg_restore, "--no-owner", "--exit-on-error", "-d", database_url, handle.name],
            env=env,
            check=True,
            capture_output=True,
        )
    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        return postgres_manifest(cursor), []
