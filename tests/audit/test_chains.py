"""The three logs are keyed hash chains with signed checkpoints: an intruder who can write to
the database but has not the audit key cannot change, remove or recompute rows unseen; an
operator checks a checkpoint kept elsewhere with the public key alone."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.test import RequestFactory

from tests import dbcache
from tests.audit.tamper import drop_guards
from yanzhen.audit import chain, keys
from yanzhen.audit.models import AccessLog, ChainHead, Checkpoint, ExportLog, SecurityEvent
from yanzhen.audit.services import (
    access_logged,
    export_logged,
    purge_processing_records,
    record,
    verify_chain,
)
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, UnitKind, User
from yanzhen.core.services import unit_create, user_create

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def actor(db: None) -> User:
    unit: Unit = unit_create(actor=None, parent=None, name="永济市", kind=UnitKind.COUNTY)
    return user_create(username="office1", password="x-Unused-Password-1", unit=unit, roles=[])


def write_rows(log: str, actor: User, count: int) -> list[int]:
    """``count`` rows in ``log``, written through the services; their ids."""
    request = RequestFactory().get("/talents/1/", REMOTE_ADDR="10.0.0.9")
    request.user = actor
    for n in range(count):
        if log == "security":
            record("login", user=actor, detail={"n": n})
        elif log == "access":
            access_logged(request=request, action="open", record_type="talent", record_id=n + 1)
        else:
            export_logged(
                request=request, title="合作台账", filters={"q": f"甲{n}"}, fmt="csv", rows=n,
                content=f"file {n}".encode(), unmasked=False,
            )  # fmt: skip
    model = chain.model_of(log)
    ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    return ids[-count:]


MODELS: dict[str, type[Model]] = {
    "security": SecurityEvent,
    "access": AccessLog,
    "export": ExportLog,
}
EDITS: dict[str, dict[str, object]] = {
    "security": {"username": "someone"},
    "access": {"record_id": 999},
    "export": {"rows": 999},
}
LABELS = {"security": "安全日志", "access": "个人信息访问日志", "export": "导出记录"}


def test_recomputing_the_plain_hashes_after_an_edit_is_found(actor: User) -> None:
    """The attack of the issue: drop the trigger, change a row, recompute every hash after it
    (SHA-256, as the old chain had it) and the head — the keyed chain still tells."""
    ids = write_rows("security", actor, 5)
    drop_guards()
    SecurityEvent.objects.filter(pk=ids[1]).update(username="someone")
    previous = ""
    for event in SecurityEvent.objects.filter(pk__gte=ids[1]).order_by("pk"):
        if previous:
            event.prev_hash = previous
        event.hash = chain.plain_link("security", event, event.prev_hash)
        SecurityEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        previous = event.hash
    head = ChainHead.objects.order_by("pk").first()
    assert head is not None
    ChainHead.objects.filter(pk=head.pk).update(last_hash=previous)
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == ids[1]
    assert report.message == f"安全日志校验失败：编号 {ids[1]} 的记录内容被修改"
    with pytest.raises(CommandError, match=f"编号 {ids[1]} 的记录内容被修改"):
        call_command("verify_audit")


@pytest.mark.parametrize("log", ["security", "access", "export"])
def test_an_edited_row_is_named(actor: User, log: str) -> None:
    ids = write_rows(log, actor, 4)
    assert verify_chain().ok
    drop_guards()
    MODELS[log]._default_manager.filter(pk=ids[2]).update(**EDITS[log])
    report = verify_chain()
    assert report.first_broken_id == ids[2]
    assert report.message == f"{LABELS[log]}校验失败：编号 {ids[2]} 的记录内容被修改"
    with pytest.raises(CommandError, match=report.message):
        call_command("verify_audit")


@pytest.mark.parametrize("log", ["security", "access", "export"])
def test_a_deleted_row_is_named(actor: User, log: str) -> None:
    ids = write_rows(log, actor, 4)
    drop_guards()
    MODELS[log]._default_manager.filter(pk=ids[1]).delete()
    report = verify_chain()
    assert report.first_broken_id == ids[2]
    assert report.message == (
        f"{LABELS[log]}校验失败：编号 {ids[2]} 的记录与前一条不衔接：前一条被修改或删除"
    )


def test_rows_removed_at_the_end_are_found_even_with_the_head_moved_back(actor: User) -> None:
    ids = write_rows("access", actor, 5)
    drop_guards()
    AccessLog.objects.filter(pk__in=ids[3:]).delete()
    assert verify_chain().message == f"个人信息访问日志校验失败：链尾记录（编号至 {ids[4]}）被删除"
    kept = AccessLog.objects.get(pk=ids[2])
    ChainHead.objects.filter(chain="access").update(last_id=kept.pk, last_hash=kept.hash)
    assert verify_chain().message == "个人信息访问日志校验失败：链头被修改（链尾的记录可能被删除）"


def test_a_failed_check_raises_an_alert(actor: User, caplog: pytest.LogCaptureFixture) -> None:
    ids = write_rows("export", actor, 2)
    drop_guards()
    ExportLog.objects.filter(pk=ids[0]).update(rows=5)
    with pytest.raises(CommandError):
        call_command("verify_audit")
    alert = SecurityEvent.objects.get(kind="audit_alert")
    assert alert.detail == {"problems": [f"导出记录校验失败：编号 {ids[0]} 的记录内容被修改"]}
    assert [r.levelname for r in caplog.records if "audit_alert" in r.getMessage()] == [
        "ERROR",
        "INFO",
    ]


def test_the_database_refuses_to_change_access_and_export_rows_and_checkpoints(
    actor: User,
) -> None:
    access = write_rows("access", actor, 1)[0]
    export = write_rows("export", actor, 1)[0]
    cases: list[tuple[type[Model], dict[str, object], dict[str, object]]] = [
        (AccessLog, {"pk": access}, {"record_id": 7}),
        (ExportLog, {"pk": export}, {"rows": 7}),
        (Checkpoint, {"number": 1}, {"kind": "periodic"}),
    ]
    before = [list(m._default_manager.filter(**f).values()) for m, f, _ in cases]
    for model, where, change in cases:
        with pytest.raises(DatabaseError), transaction.atomic():
            model._default_manager.filter(**where).update(**change)
        with pytest.raises(DatabaseError), transaction.atomic():
            model._default_manager.filter(**where).delete()
    assert [list(m._default_manager.filter(**f).values()) for m, f, _ in cases] == before
    assert verify_chain().ok


def _checkpoint_files(tmp_path: Path) -> tuple[Path, Path]:
    call_command("checkpoint_audit", "-o", str(tmp_path), stdout=io.StringIO())
    call_command("export_audit_key", "-o", str(tmp_path / "audit.pem"), stdout=io.StringIO())
    (path,) = tmp_path.glob("yanzhen-checkpoint-*.json")
    return path, tmp_path / "audit.pem"


def test_a_checkpoint_file_is_checked_with_the_public_key_alone(
    actor: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_rows("security", actor, 2)
    write_rows("access", actor, 2)
    out = io.StringIO()
    call_command("checkpoint_audit", "-o", str(tmp_path), stdout=out)
    file = tmp_path / "yanzhen-checkpoint-000002.json"
    checkpoint = Checkpoint.objects.get(number=2)
    assert out.getvalue() == f"已写第 2 号检查点，摘要 {checkpoint.digest}，已导出到 {file}\n"
    call_command("export_audit_key", "-o", str(tmp_path / "audit.pem"), stdout=io.StringIO())
    pem = (tmp_path / "audit.pem").read_text()
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    secret = base64.b64encode(keys.master_key()).decode()
    assert secret not in pem
    assert secret not in file.read_text()
    body = json.loads(file.read_text())["body"]
    heads = {h.chain: h for h in ChainHead.objects.all()}
    security = heads["security"]
    assert body["chains"]["security"]["last_id"] < security.last_id  # the checkpoint event
    assert body["chains"]["access"] == {
        "last_id": heads["access"].last_id, "last_hash": heads["access"].last_hash,
        "purged_through": 0, "anchor_hash": chain.ZERO,
    }  # fmt: skip

    keys.forget()

    def no_secret() -> bytes:
        raise AssertionError("the audit key was read")

    monkeypatch.setattr(keys, "master_key", no_secret)
    out = io.StringIO()
    call_command(
        "verify_checkpoint", str(file), "--public-key", str(tmp_path / "audit.pem"), stdout=out
    )
    assert out.getvalue() == (
        f"第 2 号检查点（{body['created_at']}）签名有效，数据库中的日志与之一致\n"
    )


def test_a_forged_checkpoint_is_refused(actor: User, tmp_path: Path) -> None:
    write_rows("security", actor, 3)
    file, pem = _checkpoint_files(tmp_path)
    data = json.loads(file.read_text())
    refused = "检查点校验失败：第 2 号检查点的签名无效：文件被伪造或修改，或不是这把公钥签的"

    def verify(document: dict[str, object]) -> None:
        forged = tmp_path / "forged.json"
        forged.write_text(json.dumps(document, ensure_ascii=False))
        with pytest.raises(CommandError) as caught:
            call_command("verify_checkpoint", str(forged), "--public-key", str(pem))
        assert str(caught.value) == refused

    changed = json.loads(json.dumps(data))
    changed["body"]["chains"]["security"]["last_id"] = 1
    verify(changed)
    forger = Ed25519PrivateKey.generate()
    text = chain.canonical(changed["body"])
    verify({**changed, "signature": base64.b64encode(forger.sign(text.encode())).decode()})

    # A checkpoint the forger adds to the database is refused by verify_audit too.
    drop_guards()
    body = {**json.loads(Checkpoint.objects.get(number=2).body), "number": 3,
            "previous": Checkpoint.objects.get(number=2).digest}  # fmt: skip
    text = chain.canonical(body)
    signature = base64.b64encode(forger.sign(text.encode())).decode()
    digest = chain.checkpoint_digest(text, signature)
    Checkpoint.objects.create(
        number=3, kind="periodic", body=text, signature=signature, digest=digest
    )
    ChainHead.objects.filter(chain="checkpoint").update(last_id=3, last_hash=digest)
    report = verify_chain()
    assert report.message == "第 3 号检查点的签名无效（伪造或被修改）"
    with pytest.raises(CommandError, match="第 3 号检查点的签名无效"):
        call_command("verify_audit")


def test_a_chain_rewritten_with_the_key_is_caught_by_the_checkpoints(
    actor: User, tmp_path: Path
) -> None:
    """Even someone holding the audit key (an insider) cannot rewrite history: the stored
    checkpoints show it, and if they are re-signed too, the copy kept elsewhere does."""
    ids = write_rows("security", actor, 4)
    file, pem = _checkpoint_files(tmp_path)
    drop_guards()
    SecurityEvent.objects.filter(pk=ids[1]).update(username="someone")
    previous = SecurityEvent.objects.get(pk=ids[0]).hash
    for event in SecurityEvent.objects.filter(pk__gte=ids[1]).order_by("pk"):
        event.prev_hash = previous
        event.hash = chain.keyed_link("security", event, previous)
        SecurityEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        previous = event.hash
    head = ChainHead.objects.get(chain="security")
    head.last_hash = previous
    chain.seal_head(head)
    head.save()
    assert verify_chain().message == (
        f"安全日志校验失败：编号 {ids[3]} 的记录与第 2 号检查点不符（整条链被重算）"
    )

    Checkpoint.objects.filter(number=2).delete()
    genesis = Checkpoint.objects.get(number=1)
    states = {
        h.chain: {"last_id": h.last_id, "last_hash": h.last_hash,
                  "purged_through": h.purged_through, "anchor_hash": h.anchor_hash}
        for h in ChainHead.objects.exclude(chain="checkpoint")
    }  # fmt: skip
    signed = chain.sign(
        chain.checkpoint_body(number=2, kind="periodic", previous=genesis.digest, chains=states)
    )
    Checkpoint.objects.create(
        number=2,
        kind="periodic",
        body=signed.body,
        signature=signed.signature,
        digest=signed.digest,
    )
    checkpoints = ChainHead.objects.get(chain="checkpoint")
    checkpoints.last_hash = signed.digest
    chain.seal_head(checkpoints)
    checkpoints.save()
    assert verify_chain().ok  # the database alone now agrees with itself

    with pytest.raises(CommandError) as caught:
        call_command("verify_checkpoint", str(file), "--public-key", str(pem))
    assert str(caught.value) == (
        "检查点校验失败：数据库中的第 2 号检查点与文件不同（被替换）；"
        f"安全日志编号 {ids[3]} 的记录与检查点不符（被修改或整条链被重算）"
    )


def test_purging_keeps_records_of_processing_three_years(actor: User) -> None:
    times = [dt.datetime(2022, 6, 1, tzinfo=dt.UTC), dt.datetime(2023, 6, 1, tzinfo=dt.UTC),
             dt.datetime(2024, 6, 1, tzinfo=dt.UTC), dt.datetime(2026, 11, 1, tzinfo=dt.UTC)]  # fmt: skip
    for when in times:
        with time_machine.travel(when, tick=False):
            write_rows("access", actor, 1)
            write_rows("export", actor, 1)
    with pytest.raises(DomainError, match="至少保留 1096 天（三年）"):
        purge_processing_records(days=365)
    assert AccessLog.objects.count() == 4
    with time_machine.travel(dt.datetime(2026, 12, 1, tzinfo=dt.UTC), tick=False):
        assert purge_processing_records() == {"access": 2, "export": 2}
    years = {"access": [2024, 2026], "export": [2024, 2026]}
    assert {
        "access": [a.created_at.year for a in AccessLog.objects.order_by("pk")],
        "export": [e.created_at.year for e in ExportLog.objects.order_by("pk")],
    } == years
    assert verify_chain().ok
    purges = SecurityEvent.objects.filter(kind="purge").order_by("pk")
    assert [p.detail for p in purges] == [
        {"log": "access", "deleted": 2, "days": 1096},
        {"log": "export", "deleted": 2, "days": 1096},
    ]


def test_a_broken_chain_is_not_purged(actor: User) -> None:
    with time_machine.travel(dt.datetime(2022, 6, 1, tzinfo=dt.UTC), tick=False):
        ids = write_rows("access", actor, 3)
    drop_guards()
    AccessLog.objects.filter(pk=ids[1]).update(record_id=42)
    with (
        time_machine.travel(dt.datetime(2026, 12, 1, tzinfo=dt.UTC), tick=False),
        pytest.raises(DomainError, match=f"编号 {ids[1]} 的记录内容被修改"),
    ):
        purge_processing_records()
    assert AccessLog.objects.count() == 3


# The database from before the keyed chains: a new database migrated up to the audit log's
# second migration, built once per content of the migrations (``dbcache.sqlite_state``).
OLD_SCHEMA = """
from django.db import connection
from tests.migrating import old_graph_executor, render_state_once

render_state_once()
old_graph_executor(connection).migrate([("audit", "0002_append_only")])
"""

UPGRADE = r"""
import datetime as dt, json, django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from tests.migrating import old_graph_executor, render_state_once

render_state_once()
old = old_graph_executor(connection).loader.project_state(("audit", "0002_append_only")).apps
Event, Head = old.get_model("audit", "SecurityEvent"), old.get_model("audit", "ChainHead")
Access, Export = old.get_model("audit", "AccessLog"), old.get_model("audit", "ExportLog")
user = old.get_model("core", "User").objects.create(username="old", password="!")
from yanzhen.audit.chain import plain_link  # the old chain's SHA-256
when = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
previous = "0" * 64
for n in range(3):
    event = Event(created_at=when, kind="login", username=f"old{n}", ip="10.0.0.1",
                  path="/login/", detail={"n": n}, prev_hash=previous)
    event.hash = previous = plain_link("security", event, previous)
    event.save()
Head.objects.create(pk=1, last_hash=previous)
for n in range(3):
    Access.objects.create(created_at=when, user=user, action="open", record_type="talent",
                          record_id=n, ip="10.0.0.1")
    Export.objects.create(created_at=when, user=user, title="合作台账", filters={"q": str(n)},
                          fmt="csv", rows=n, sha256="0" * 64)
call_command("migrate", "audit", verbosity=0)

from tests.audit.tamper import drop_guards
from yanzhen.audit.models import AccessLog, Checkpoint, ExportLog, SecurityEvent
from yanzhen.audit.services import record, verify_chain

out = {"upgraded": verify_chain().message}
genesis = json.loads(Checkpoint.objects.get(number=1).body)["chains"]
out["early"] = {name: state["legacy_through"] for name, state in genesis.items()}
out["security_early_link"] = genesis["security"]["legacy_hash"] == previous
new = record("login", username="new")
out["new_row_chains_from_genesis"] = new.prev_hash == Checkpoint.objects.get(number=1).digest
out["with_a_new_row"] = verify_chain().message


class Undo(Exception):
    pass


def attempt(name, change):
    try:
        with transaction.atomic():
            drop_guards()
            change()
            out[name] = verify_chain().message
            raise Undo
    except Undo:
        pass


def recompute_security():
    SecurityEvent.objects.filter(pk=2).update(username="someone")
    previous = SecurityEvent.objects.get(pk=1).hash
    for event in SecurityEvent.objects.filter(pk__in=[2, 3]).order_by("pk"):
        event.prev_hash = previous
        event.hash = previous = plain_link("security", event, event.prev_hash)
        SecurityEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)


attempt("early_security_recomputed", recompute_security)
attempt("early_access_edited", lambda: AccessLog.objects.filter(pk=2).update(record_id=9))
attempt("early_export_deleted", lambda: ExportLog.objects.filter(pk=1).delete())
attempt("last_early_export_deleted", lambda: ExportLog.objects.filter(pk=3).delete())
print(json.dumps(out, ensure_ascii=False))
"""


def test_an_upgraded_database_keeps_its_early_rows_under_the_genesis_checkpoint(
    tmp_path: Path,
) -> None:
    """Rows written before the key keep their hashes (or none); the signed genesis
    checkpoint pins them, so changing them is found even with the plain hashes recomputed.
    (Always on SQLite: it migrates a fresh database from the old schema.)"""
    old_schema = dbcache.sqlite_state(OLD_SCHEMA, from_template=False)
    dbcache.copy_sqlite_state(old_schema, tmp_path / "yanzhen.sqlite3")
    env = {**os.environ, "YANZHEN_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "yanzhen.settings"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", UPGRADE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.splitlines()[-1])
    early = "编号不大于 3 的早期记录（启用密钥前）被修改或删除，与起点检查点不符"
    assert out == {
        "upgraded": "审计日志完整：安全日志 3 条、个人信息访问日志 3 条、导出记录 3 条，检查点 1 个",
        "early": {"security": 3, "access": 3, "export": 3},
        "security_early_link": True,
        "new_row_chains_from_genesis": True,
        "with_a_new_row": "审计日志完整：安全日志 4 条、个人信息访问日志 3 条、导出记录 3 条，检查点 1 个",
        "early_security_recomputed": f"安全日志校验失败：{early}",
        "early_access_edited": f"个人信息访问日志校验失败：{early}",
        "early_export_deleted": f"导出记录校验失败：{early}",
        "last_early_export_deleted": "导出记录校验失败：链尾记录（编号至 3）被删除",
    }
