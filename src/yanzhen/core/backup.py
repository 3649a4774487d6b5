"""Consistent online backups and verified restores (restore drills).

A backup is one archive (zip): the database (SQLite through its online backup API, never a
file copy; PostgreSQL through ``pg_dump -Fc`` on the very snapshot the manifest was read from),
the uploaded files (``MEDIA_ROOT``: evidence, attachments, work plans) under ``media/``, and
``manifest.json`` with every table's row count and checksum and every file's size and SHA-256.

With a passphrase the archive is sealed (format 2): ``YZBAK2``, the length and text of a JSON
header (``kdf: scrypt`` with its salt, n, r, p; ``cipher: AES-256-GCM`` with its nonce), then
the ciphertext and its tag; the header is authenticated with the data. Archives sealed before
(format 1: ``YZBAK1``, nonce, AES-256-GCM under SHA-256 of the passphrase) still open.

The archive is written to a temporary file beside the target, flushed to disk and renamed
over it: a full disk leaves a clear error and whatever backup was there before.

A restore goes into a fresh database (and a fresh directory for the files) only, then checks
the database's integrity, that every table has the rows and checksum of the manifest, that
every file is there with its SHA-256, and the records' integrity tags (``core/integrity.py``)
in the restored copy. Each restore leaves a drill record (``restore-drills.jsonl`` beside the
backups, and the security log).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import errno
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import urlsplit

import dj_database_url
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from yanzhen.core import integrity
from yanzhen.core.errors import DomainError

MAGIC_V1 = b"YZBAK1"  # sealed before 2026-12: AES-256-GCM, key = SHA-256(passphrase)
MAGIC = b"YZBAK2"
FORMAT = 2
SCRYPT = {"n": 2**17, "r": 8, "p": 1}  # RFC 7914 / OWASP: 128 MiB, ~0.3 s
NONCE = 12
TAG = 16
CHUNK = 1 << 20
MEDIA = "media/"
DRILLS = "restore-drills.jsonl"
DRILL_DAYS = 92  # a drill at least every quarter


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


# Writing files ---------------------------------------------------------------------------------


def _write_chunk(handle: IO[bytes], data: bytes) -> int:
    """Every byte of a backup reaches the disk here (a test fills the disk by replacing it)."""
    return handle.write(data)


class _Sink(io.RawIOBase):
    """A file the zip writer and the sealing write through ``_write_chunk``."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return _write_chunk(self._handle, bytes(data))

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def flush(self) -> None:
        self._handle.flush()


def _disk_error(error: OSError, where: Path) -> DomainError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DomainError(
            "backup_disk_full",
            f"磁盘空间不足，备份未完成（{where}）；原有的备份文件未受影响，请清理空间后重试",
        )
    return DomainError(
        "backup_io", f"写入备份失败（{where}）：{error.strerror}；原有的备份文件未受影响"
    )


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system syncs a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# Sealing ---------------------------------------------------------------------------------------


def _scrypt(passphrase: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase)


def _seal(source: IO[bytes], target: IO[bytes], passphrase: bytes) -> None:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(NONCE)
    header = json.dumps(
        {
            "format": FORMAT,
            "kdf": "scrypt",
            **SCRYPT,
            "salt": base64.b64encode(salt).decode(),
            "cipher": "AES-256-GCM",
            "nonce": base64.b64encode(nonce).decode(),
        },
        sort_keys=True,
    ).encode()
    prefix = MAGIC + struct.pack(">I", len(header)) + header
    key = _scrypt(passphrase, salt, SCRYPT["n"], SCRYPT["r"], SCRYPT["p"])
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(prefix)
    _write_chunk(target, prefix)
    while chunk := source.read(CHUNK):
        _write_chunk(target, encryptor.update(chunk))
    _write_chunk(target, encryptor.finalize() + encryptor.tag)


def _wrong_key() -> DomainError:
    return DomainError("backup_key", "备份密钥不正确，或备份文件已损坏")


def _unseal(archive: Path, target: Path, passphrase: bytes | None) -> int:
    """Decrypt ``archive`` into ``target`` if sealed; return its format (0: not sealed)."""
    with archive.open("rb") as source:
        magic = source.read(len(MAGIC))
        if magic not in (MAGIC, MAGIC_V1):
            return 0
        if passphrase is None:
            raise DomainError("backup_key", "备份文件已加密：请提供备份密钥（YANZHEN_BACKUP_KEY）")
        if magic == MAGIC_V1:
            data = source.read()
            nonce, sealed = data[:NONCE], data[NONCE:]
            try:
                plain = AESGCM(hashlib.sha256(passphrase).digest()).decrypt(nonce, sealed, MAGIC_V1)
            except InvalidTag as error:
                raise _wrong_key() from error
            target.write_bytes(plain)
            return 1
        (length,) = struct.unpack(">I", source.read(4))
        raw = source.read(length)
        try:
            header = json.loads(raw)
            if header["kdf"] != "scrypt" or header["cipher"] != "AES-256-GCM":
                raise ValueError(header["kdf"])
            key = _scrypt(passphrase, base64.b64decode(header["salt"]), int(header["n"]),
                          int(header["r"]), int(header["p"]))  # fmt: skip
            nonce = base64.b64decode(header["nonce"])
        except (ValueError, KeyError, TypeError) as error:
            raise DomainError("backup_format", "备份文件头已损坏，无法读取") from error
        body = archive.stat().st_size - len(MAGIC) - 4 - length - TAG
        if body < 0:
            raise _wrong_key()
        decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).decryptor()
        decryptor.authenticate_additional_data(MAGIC + struct.pack(">I", length) + raw)
        with target.open("wb") as out:
            left = body
            while left:
                chunk = source.read(min(CHUNK, left))
                if not chunk:
                    raise _wrong_key()
                left -= len(chunk)
                out.write(decryptor.update(chunk))
            try:
                out.write(decryptor.finalize_with_tag(source.read(TAG)))
            except (InvalidTag, ValueError) as error:
                raise _wrong_key() from error
        return 2


# Backup ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int
    encrypted: bool
    files: int = 0
    file_bytes: int = 0


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


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every uploaded file under ``root`` (relative POSIX name, path), in name order; links
    are not followed."""
    if not root.is_dir():
        return
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    yield from sorted(found)


def _add_files(archive: zipfile.ZipFile, root: Path) -> dict[str, dict[str, Any]]:
    """Copy the files into the archive, hashing what is written (a file changed meanwhile is
    listed as it was copied)."""
    files: dict[str, dict[str, Any]] = {}
    for name, path in media_files(root):
        digest, size = hashlib.sha256(), 0
        try:
            source = path.open("rb")
        except FileNotFoundError:  # deleted since it was listed
            continue
        with source, archive.open(MEDIA + name, "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        files[name] = {"size": size, "sha256": digest.hexdigest()}
    return files


def backup(
    output: Path, *, key: bytes | None = None, media_root: Path | None = None
) -> BackupResult:
    """Write a consistent backup of the database and the uploaded files to ``output``."""
    output = Path(output)
    root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    connection.ensure_connection()
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as tmp:
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
            bundle = Path(tmp) / "bundle.zip"
            with (
                bundle.open("wb") as raw,
                zipfile.ZipFile(
                    _Sink(raw), "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
                ) as archive,
            ):
                with (
                    dump.open("rb") as source,
                    archive.open("database", "w", force_zip64=True) as out,
                ):
                    shutil.copyfileobj(source, out, CHUNK)
                dump.unlink()
                files = _add_files(archive, root)
                meta = {
                    "format": FORMAT,
                    "database": kind,
                    "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
                    "tables": manifest,
                    "files": files,
                }
                archive.writestr("manifest.json", json.dumps(meta, ensure_ascii=False, indent=1))
            final = bundle
            if key is not None:
                final = Path(tmp) / "sealed"
                with bundle.open("rb") as source, final.open("wb") as target_file:
                    _seal(source, target_file, key)
                bundle.unlink()
            with final.open("rb+") as handle:
                handle.flush()
                os.fsync(handle.fileno())
            final.chmod(0o600)
            os.replace(final, output)
            _fsync_dir(output.parent)
    except OSError as error:
        raise _disk_error(error, output.parent) from error
    except sqlite3.OperationalError as error:  # the SQLite backup API's own "disk is full"
        if "full" not in str(error):
            raise
        raise _disk_error(OSError(errno.ENOSPC, str(error)), output.parent) from error
    rows = sum(t["rows"] for t in manifest.values())
    size = sum(f["size"] for f in files.values())
    return BackupResult(output, len(manifest), rows, key is not None, len(files), size)


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
        result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
            [pg_dump, *args, "-Fc", f"--snapshot={snapshot}", "-f", str(dump), settings_db["NAME"]],
            env=env,
            check=False,
            capture_output=True,
        )
        if result.returncode:
            stderr = result.stderr.decode(errors="replace")
            if "No space left" in stderr:
                raise OSError(errno.ENOSPC, "No space left on device")
            raise DomainError("backup_pg_dump", f"pg_dump 失败：{stderr.strip()[-500:]}")
    return manifest


# Restore ---------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    tables: int
    rows: int
    mismatches: list[str]
    format: int = FORMAT
    files: int = 0
    files_expected: int | None = None  # None: an archive made before files were kept
    rows_expected: int = 0
    integrity_checked: int | None = None  # None: a database from before the integrity tags
    integrity_failed: int = 0
    media_dir: Path | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

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


def _safe_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        return None
    return path


def _restore_files(
    bundle: zipfile.ZipFile, expected: dict[str, dict[str, Any]], target: Path
) -> tuple[int, list[str]]:
    """Extract the files into ``target`` and check each against the manifest."""
    present = {n[len(MEDIA) :] for n in bundle.namelist() if n.startswith(MEDIA) and n != MEDIA}
    problems = [f"文件 {name} 不在备份清单中" for name in sorted(present - set(expected))]
    restored = 0
    for name, want in sorted(expected.items()):
        relative = _safe_name(name)
        if relative is None:
            problems.append(f"文件名 {name} 不合法，未恢复")
            continue
        if name not in present:
            problems.append(f"文件 {name} 缺失")
            continue
        path = target.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        try:
            with bundle.open(MEDIA + name) as source, path.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except (zipfile.BadZipFile, OSError) as error:
            problems.append(f"文件 {name} 无法读取：{error}")
            continue
        path.chmod(0o600)
        if digest.hexdigest() != want.get("sha256") or size != want.get("size"):
            problems.append(f"文件 {name} 的内容与备份清单不符（SHA-256 不同）")
            continue
        restored += 1
    return restored, problems


@contextlib.contextmanager
def _attached(cfg: dict[str, Any]) -> Iterator[str]:
    """A Django connection to the restored database, for the checks that go through the
    models (the integrity tags), removed afterwards."""
    alias = f"restore_drill_{secrets.token_hex(4)}"
    base = dict(connections.settings["default"])
    base.update(OPTIONS={}, TEST={}, ATOMIC_REQUESTS=False, AUTOCOMMIT=True, CONN_MAX_AGE=0)
    base.update(cfg)
    connections.settings[alias] = base
    try:
        yield alias
    finally:
        with contextlib.suppress(Exception):
            connections[alias].close()
        with contextlib.suppress(AttributeError):
            del connections[alias]
        connections.settings.pop(alias, None)


def _check_integrity(cfg: dict[str, Any], report: RestoreReport) -> None:
    try:
        with _attached(cfg) as alias:
            result = integrity.verify(using=alias)
    except DatabaseError as error:
        report.notes.append(f"恢复的数据库结构与当前版本不同，完整性校验码未核验（{error}）")
        return
    report.integrity_checked = result.checked
    report.integrity_failed = len(result.findings)
    for finding in result.findings[:20]:
        report.mismatches.append(f"完整性校验码不符：{finding.message()}")
    if len(result.findings) > 20:
        report.mismatches.append(f"另有 {len(result.findings) - 20} 条记录的完整性校验码不符")


def restore(archive: Path, *, sqlite_path: Path | None = None, database_url: str | None = None,
            key: bytes | None = None, media_dir: Path | None = None) -> RestoreReport:  # fmt: skip
    """Restore ``archive`` into a fresh database (and its files into ``media_dir``, a new or
    empty directory; without it they are checked in a temporary one) and verify everything."""
    started = time.monotonic()
    archive = Path(archive)
    if media_dir is not None and media_dir.exists() and any(media_dir.iterdir()):
        raise DomainError("restore_target", f"{media_dir} 不是空目录：文件只能恢复到新的目录")
    with tempfile.TemporaryDirectory(prefix="yanzhen-restore-") as tmp:
        plain = Path(tmp) / "bundle.zip"
        sealed = _unseal(archive, plain, key)
        source = plain if sealed else archive
        if not zipfile.is_zipfile(source):
            raise DomainError("backup_format", "不是雁阵的备份文件，或备份文件已损坏")
        with zipfile.ZipFile(source) as bundle:
            meta = json.loads(bundle.read("manifest.json"))
            expected: dict[str, dict[str, Any]] = meta["tables"]
            if meta["database"] == "sqlite":
                actual, problems, cfg = _sqlite_restore(bundle, sqlite_path)
            else:
                actual, problems, cfg = _pg_restore(bundle, database_url, Path(tmp))
            report = RestoreReport(
                len(actual),
                sum(t["rows"] for t in actual.values()),
                problems + _compare(expected, actual),
                format=int(meta.get("format", 1)),
                rows_expected=sum(t["rows"] for t in expected.values()),
            )
            files = meta.get("files")
            if files is None:
                report.notes.append("该备份为旧格式，不含上传文件")
            else:
                report.files_expected = len(files)
                target = media_dir or Path(tmp) / "media"
                target.mkdir(parents=True, exist_ok=True)
                report.files, file_problems = _restore_files(bundle, files, target)
                report.mismatches += file_problems
                report.media_dir = media_dir
    if "core_integritytag" in actual:
        _check_integrity(cfg, report)
    else:
        report.notes.append("该备份早于完整性校验码，未核验")
    report.seconds = time.monotonic() - started
    return report


def _sqlite_restore(
    bundle: zipfile.ZipFile, sqlite_path: Path | None
) -> tuple[dict[str, dict[str, Any]], list[str], dict[str, Any]]:
    if sqlite_path is None:
        raise DomainError("restore_target", "请用 --sqlite 指定恢复到的新数据库文件")
    if sqlite_path.exists():
        raise DomainError("restore_target", f"{sqlite_path} 已存在：只能恢复到新的数据库")
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    with bundle.open("database") as source, sqlite_path.open("xb") as out:
        shutil.copyfileobj(source, out, CHUNK)
    sqlite_path.chmod(0o600)  # it holds what the live database holds
    db = sqlite3.connect(sqlite_path)
    try:
        (check,) = db.execute("PRAGMA integrity_check").fetchone()
        actual = sqlite_manifest(db)
    finally:
        db.close()
    problems = [] if check == "ok" else [f"完整性检查失败：{check}"]
    return actual, problems, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_path)}


def _pg_restore(
    bundle: zipfile.ZipFile, database_url: str | None, tmp: Path
) -> tuple[dict[str, dict[str, Any]], list[str], dict[str, Any]]:
    import psycopg  # the PostgreSQL driver (libpq, 0.6 s to load): only a restore into PostgreSQL

    if not database_url:
        raise DomainError("restore_target", "请用 --database-url 指定恢复到的新 PostgreSQL 数据库")
    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        (existing,) = cursor.fetchone() or (0,)
        if existing:
            raise DomainError("restore_target", "目标数据库不是空的：只能恢复到新的数据库")
    parts = urlsplit(database_url)
    dump = tmp / "database.dump"
    with bundle.open("database") as source, dump.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK)
    pg_restore = shutil.which("pg_restore") or "pg_restore"
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    subprocess.run(  # noqa: S603 (fixed program, our own arguments)
        [pg_restore, "--no-owner", "--exit-on-error", "-d", database_url, str(dump)],
        env=env,
        check=True,
        capture_output=True,
    )
    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        actual = postgres_manifest(cursor)
    return actual, [], dict(dj_database_url.parse(database_url))


# Drill records ---------------------------------------------------------------------------------


def drills_path() -> Path:
    return Path(settings.DATA_DIR) / "backups" / DRILLS


def describe_target(sqlite_path: Path | None, database_url: str | None) -> str:
    """Where a restore went, without a password."""
    if sqlite_path is not None:
        return f"sqlite:{sqlite_path}"
    if database_url:
        parts = urlsplit(database_url)
        return f"postgresql://{parts.hostname or ''}:{parts.port or 5432}{parts.path}"
    return ""


def drill_record(entry: dict[str, Any], path: Path | None = None) -> Path:
    """Append one drill to the record (JSON lines, readable by the service account only)."""
    path = path or drills_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def last_drill(path: Path | None = None) -> dt.datetime | None:
    """When the last successful drill ended (``None``: never)."""
    path = path or drills_path()
    if not path.exists():
        return None
    last = None
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            entry = json.loads(line)
            if entry["result"] == "ok":
                last = dt.datetime.fromisoformat(entry["time"])
    return last


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
