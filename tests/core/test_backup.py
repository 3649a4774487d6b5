"""Backups and restore drills of the loaded demo (database, uploaded files, integrity tags),
through the real commands in their own processes; sealing with scrypt and the old format;
a full disk; and 20 parallel writers on SQLite."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests import dbcache
from yanzhen.core import backup
from yanzhen.core.errors import DomainError

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yanzhen", *args], env=env, capture_output=True, text=True
    )


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The command's error, after the security log's lines (emitted on stderr by default)."""
    return [line for line in result.stderr.splitlines() if " yanzhen.security " not in line][-1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A platform of its own (data directory, database) with the demo loaded."""
    data = tmp_path_factory.mktemp("backup-site")
    env = {
        **os.environ,
        **dbcache.site_keys(),
        "YANZHEN_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
    }
    created = ""
    if POSTGRES:
        import psycopg

        created = dbcache.pg_name("site")
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {created}")
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + created
    else:
        env.pop("DATABASE_URL", None)
    dbcache.demo_site(data, env)  # the demo loaded once for the suite's sites
    yield env
    if created:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {created} WITH (FORCE)")


def fresh_target(tmp_path: Path) -> tuple[list[str], str]:
    if not POSTGRES:
        return ["--sqlite", str(tmp_path / "restored.sqlite3")], ""
    import psycopg

    name = dbcache.pg_name("restore")
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    return ["--database-url", url], name


def drop(name: str) -> None:
    if name:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


UPLOADS = {
    "cooperation/1/files/合作协议.pdf": bytes(range(256)) * 1200,
    "talent/deliveries/3/receipt.txt": "发放凭证 2021-11".encode(),
}


def uploads(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def made(
    site: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One backup of the demo with two uploads beside its work plans, evidence and signed
    agreements (27 files), read by the tests that change a copy of it."""
    media = Path(site["YANZHEN_DATA_DIR"]) / "media"
    for name, content in UPLOADS.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
    archive = tmp_path_factory.mktemp("made") / "made.yzbak"
    result = run(["backup", "-o", str(archive)], site)
    assert result.returncode == 0, result.stderr
    return archive, result


def drills(site: dict[str, str]) -> list[dict[str, Any]]:
    path = Path(site["YANZHEN_DATA_DIR"]) / "backups" / "restore-drills.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def security_log(site: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """The details of the backup and restore events, oldest first."""
    code = (
        "import json; from yanzhen.audit.models import SecurityEvent as E; print(json.dumps({k: "
        "[e.detail for e in E.objects.filter(kind=k).order_by('id')] for k in ('backup', 'restore')}))"
    )
    result = run(["shell", "-c", code], site)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.splitlines()[-1]))


def copy_changed(archive: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of ``archive`` with each member passed through ``change`` (None drops it)."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.namelist():
            content = change(item, source.read(item))
            if content is not None:
                out.writestr(item, content)
    return target


def test_a_backup_of_the_demo_restores_with_no_row_and_no_file_lost(
    site: dict[str, str], made: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    archive, result = made
    media = Path(site["YANZHEN_DATA_DIR"]) / "media"
    with zipfile.ZipFile(archive) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
    tables = manifest["tables"]
    assert manifest["format"] == 2
    # yanzhen demo loads the whole city: Yongji's 120 cooperations and one waiting for review,
    # 85 in the city's other 12 counties; the demo's logins (the city's and its counties'
    # among them) and the clerks of 5 towns.
    assert tables["cooperation_cooperation"]["rows"] == 206
    assert tables["core_user"]["rows"] == 24
    assert (
        len(manifest["files"]) == 35
    )  # with the photo of an 信息报送 item, a 揭榜 attachment, a 洽谈 attachment
    receipt = UPLOADS["talent/deliveries/3/receipt.txt"]
    assert manifest["files"]["talent/deliveries/3/receipt.txt"] == {
        "size": len(receipt),
        "sha256": hashlib.sha256(receipt).hexdigest(),
    }
    rows = sum(t["rows"] for t in tables.values())
    assert (
        result.stdout.strip() == f"已备份到 {archive}：{len(tables)} 张表，{rows} 行，35 个上传文件"
    )
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    target, name = fresh_target(tmp_path)
    restored = tmp_path / "media"
    try:
        result = run(["restore", str(archive), *target, "--media-dir", str(restored)], site)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines[:3] == [
            f"恢复完成并已校验：{len(tables)} 张表，{rows} 行，0 行缺失",
            f"上传文件：35 个，0 个缺失或被改动，已恢复到 {restored}",
            "完整性校验码：2955 条记录，0 条不符",
        ]
        assert lines[3].startswith("用时 ")
        assert lines[3].endswith(
            f"秒；演练记录已写入 {site['YANZHEN_DATA_DIR']}/backups/restore-drills.jsonl"
        )
        assert uploads(restored) == uploads(media)
        again = run(["restore", str(archive), *target], site)
        assert again.returncode != 0
        assert "只能恢复到新的数据库" in again.stderr
    finally:
        drop(name)
    first, second = drills(site)[-2:]
    assert {k: first[k] for k in ("file", "result", "tables", "rows", "rows_expected")} == {
        "file": str(archive),
        "result": "ok",
        "tables": len(tables),
        "rows": rows,
        "rows_expected": rows,
    }
    assert (first["files"], first["files_expected"], first["integrity_checked"]) == (35, 35, 2955)
    assert first["file_sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert (second["result"], len(second["problems"])) == ("failed", 1)
    log = security_log(site)
    assert [(r["result"], r.get("rows")) for r in log["restore"][-2:]] == [
        ("ok", rows),
        ("failed", None),
    ]
    assert [e for e in log["backup"] if e["file"] == "made.yzbak"] == [
        {
            "file": "made.yzbak",
            "tables": len(tables),
            "rows": rows,
            "files": 35,
            "encrypted": False,
            "ok": True,
        }
    ]


def test_a_changed_backup_is_caught(
    site: dict[str, str], made: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    def change(item: str, content: bytes) -> bytes:
        if item != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["tables"]["cooperation_cooperation"]["rows"] = 207
        return json.dumps(manifest).encode()

    tampered = copy_changed(made[0], tmp_path / "tampered.yzbak", change)
    target, name = fresh_target(tmp_path)
    try:
        result = run(["restore", str(tampered), *target], site)
    finally:
        drop(name)
    assert result.returncode != 0
    assert "表 cooperation_cooperation：备份 207 行，恢复后 206 行" in result.stderr


def test_a_changed_or_missing_file_fails_the_drill(
    site: dict[str, str], made: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    def change(item: str, content: bytes) -> bytes | None:
        if item == "media/talent/deliveries/3/receipt.txt":
            return None  # lost
        if item == "media/cooperation/1/files/合作协议.pdf":
            return content[:-1] + b"!"  # changed
        return content

    tampered = copy_changed(made[0], tmp_path / "tampered.yzbak", change)
    target, name = fresh_target(tmp_path)
    try:
        result = run(["restore", str(tampered), *target, "--media-dir", str(tmp_path / "m")], site)
    finally:
        drop(name)
    assert result.returncode != 0
    problems = [
        "文件 cooperation/1/files/合作协议.pdf 的内容与备份清单不符（SHA-256 不同）",
        "文件 talent/deliveries/3/receipt.txt 缺失",
    ]
    assert error_line(result) == "CommandError: 恢复校验失败：" + "；".join(problems)
    last = drills(site)[-1]
    assert (last["result"], last["files"], last["files_expected"]) == ("failed", 33, 35)
    assert last["problems"] == problems


CHANGE_AND_BACK_UP = """
import sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("UPDATE assessment_score SET total = total + 7 WHERE id = 1")
try:
    call_command("backup", "-o", sys.argv[1])
finally:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assessment_score SET total = total - 7 WHERE id = 1")
"""


def test_a_tampered_figure_in_the_backed_up_database_fails_the_drill(
    site: dict[str, str], tmp_path: Path
) -> None:
    """The restored copy's integrity tags are checked too: the manifest's row counts and
    checksums cannot see a change made in the database before the backup."""
    archive = tmp_path / "demo.yzbak"
    made = subprocess.run(
        [sys.executable, "-c", CHANGE_AND_BACK_UP, str(archive)],
        env=site,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    target, name = fresh_target(tmp_path)
    try:
        result = run(["restore", str(archive), *target], site)
    finally:
        drop(name)
    assert error_line(result) == (
        "CommandError: 恢复校验失败：完整性校验码不符："
        "考核得分 #1 的“总分”与完整性校验码不符，可能被绕过系统直接修改"
    )
    last = drills(site)[-1]
    assert (last["result"], last["integrity_checked"], last["integrity_failed"]) == (
        "failed",
        2955,
        1,
    )


PASSPHRASE = "a long backup passphrase 2026"


def test_an_encrypted_backup_needs_its_key_derived_by_scrypt(
    site: dict[str, str], tmp_path: Path
) -> None:
    archive = tmp_path / "sealed.yzbak"
    keyed = {**site, "YANZHEN_BACKUP_KEY": PASSPHRASE}
    assert run(["backup", "--encrypt", "-o", str(archive)], keyed).returncode == 0
    data = archive.read_bytes()
    assert not zipfile.is_zipfile(archive)
    assert data[:6] == b"YZBAK2"
    (length,) = struct.unpack(">I", data[6:10])
    header = json.loads(data[10 : 10 + length])
    assert {k: header[k] for k in ("format", "kdf", "n", "r", "p", "cipher")} == {
        "format": 2,
        "kdf": "scrypt",
        "n": 131072,
        "r": 8,
        "p": 1,
        "cipher": "AES-256-GCM",
    }
    assert len(base64.b64decode(header["salt"])) == 16
    # Not the old derivation: SHA-256 of the passphrase opens nothing.
    with pytest.raises(InvalidTag):
        AESGCM(hashlib.sha256(PASSPHRASE.encode()).digest()).decrypt(
            base64.b64decode(header["nonce"]), data[10 + length :], data[: 10 + length]
        )
    broken = tmp_path / "broken.yzbak"
    broken.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])
    fresh = tmp_path / "never.sqlite3"
    for path, key, message in (
        (archive, None, "备份文件已加密：请提供备份密钥（YANZHEN_BACKUP_KEY）"),
        (archive, b"wrong", "备份密钥不正确，或备份文件已损坏"),
        (broken, PASSPHRASE.encode(), "备份密钥不正确，或备份文件已损坏"),
    ):
        with pytest.raises(DomainError) as refused:
            backup.restore(path, sqlite_path=fresh, key=key)
        assert refused.value.message == message
    assert not fresh.exists()
    target, name = fresh_target(tmp_path)
    try:
        result = run(["restore", str(archive), *target], keyed)
    finally:
        drop(name)
    assert result.returncode == 0, result.stderr
    assert "0 行缺失" in result.stdout


def old_seal(data: bytes, passphrase: bytes) -> bytes:
    """How backups were sealed before (format 1): AES-256-GCM under SHA-256 of the passphrase."""
    nonce = os.urandom(12)
    return (
        b"YZBAK1"
        + nonce
        + AESGCM(hashlib.sha256(passphrase).digest()).encrypt(nonce, data, b"YZBAK1")
    )


def test_a_backup_made_before_the_key_derivation_still_restores(
    site: dict[str, str], made: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    old = io.BytesIO()
    with zipfile.ZipFile(made[0]) as source, zipfile.ZipFile(old, "w") as out:
        manifest = json.loads(source.read("manifest.json"))
        out.writestr("database", source.read("database"))
        out.writestr(
            "manifest.json",
            json.dumps(
                {k: manifest[k] for k in ("database", "created_at", "tables")} | {"format": 1}
            ),
        )
    sealed = tmp_path / "old.yzbak"
    sealed.write_bytes(old_seal(old.getvalue(), PASSPHRASE.encode()))
    target, name = fresh_target(tmp_path)
    try:
        result = run(["restore", str(sealed), *target], {**site, "YANZHEN_BACKUP_KEY": PASSPHRASE})
    finally:
        drop(name)
    assert result.returncode == 0, result.stderr
    rows = sum(t["rows"] for t in manifest["tables"].values())
    assert result.stdout.splitlines()[:3] == [
        f"恢复完成并已校验：{len(manifest['tables'])} 张表，{rows} 行，0 行缺失",
        "完整性校验码：2955 条记录，0 条不符",
        "该备份为旧格式，不含上传文件",
    ]
    assert drills(site)[-1]["format"] == 1


def test_a_production_backup_must_be_encrypted(site: dict[str, str], tmp_path: Path) -> None:
    data = Path(site["YANZHEN_DATA_DIR"])
    production = {
        **site,  # with the field and audit keys from outside the data directory
        "YANZHEN_PRODUCTION": "1",
        "YANZHEN_SECRET_KEY": (data / "secret_key").read_text(encoding="utf-8").strip(),
    }
    result = run(["backup", "-o", str(tmp_path / "plain.yzbak")], production)
    assert result.returncode == 1
    assert error_line(result) == (
        "CommandError: 生产环境（YANZHEN_PRODUCTION）的备份必须加密：请加 --encrypt 并设置 "
        "YANZHEN_BACKUP_KEY"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_last_successful_drill_is_known(tmp_path: Path) -> None:
    record = tmp_path / "drills.jsonl"
    assert backup.last_drill(record) is None
    backup.drill_record({"time": "2026-08-01T03:00:00+08:00", "result": "ok"}, record)
    backup.drill_record({"time": "2026-11-01T03:00:00+08:00", "result": "failed"}, record)
    assert backup.last_drill(record) == dt.datetime.fromisoformat("2026-08-01T03:00:00+08:00")
    assert stat.S_IMODE(record.stat().st_mode) == 0o600


FULL_DISK = """
import errno, sys
import django
django.setup()
from yanzhen.core import backup
real, written = backup._write_chunk, [0]
def full(handle, data):
    if written[0] + len(data) > 65536:
        raise OSError(errno.ENOSPC, "No space left on device")
    written[0] += len(data)
    return real(handle, data)
backup._write_chunk = full
from django.core.management import execute_from_command_line
execute_from_command_line(["yanzhen", *sys.argv[1:]])
"""


def test_a_full_disk_leaves_a_clear_error_and_the_previous_backup(
    site: dict[str, str], made: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    archive = folder / "nightly.yzbak"
    shutil.copyfile(made[0], archive)
    before = archive.read_bytes()
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "backup", "-o", str(archive)],
        env=site,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert error_line(result) == (
        f"CommandError: 磁盘空间不足，备份未完成（{folder}）；原有的备份文件未受影响，请清理空间后重试"
    )
    assert archive.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["nightly.yzbak"]
    assert security_log(site)["backup"][-1] == {
        "file": "nightly.yzbak",
        "ok": False,
        "error": f"磁盘空间不足，备份未完成（{folder}）；原有的备份文件未受影响，请清理空间后重试",
    }


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
        **dbcache.site_keys(),
        "YANZHEN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "yanzhen.settings",
    }
    env.pop("DATABASE_URL", None)
    dbcache.copy_sqlite_template(tmp_path / "yanzhen.sqlite3")
    result = subprocess.run(
        [sys.executable, "-c", WRITERS], env=env, capture_output=True, text=True
    )
    assert result.stdout.splitlines()[0] == "0 1000 True", result.stdout + result.stderr[-2000:]
