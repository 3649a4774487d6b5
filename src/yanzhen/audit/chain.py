"""The keyed hash chains of the three logs and the signed checkpoints over them.

Each log (security, access, export) is a chain: rows in id order, each storing ``prev_hash``
(the link of the row before) and ``hash`` = HMAC-SHA256(chain key, the log's name and the row's
canonical content with ``prev_hash``). Whoever can write to the database but does not hold the
audit key (``keys.py``) cannot recompute a chain after changing, adding or removing a row.

Rows written before the chains were keyed ("early" rows, ids up to ``legacy_through``) keep
what they had: the security log its plain SHA-256 chain, the access and export logs nothing.
Their plain links (SHA-256 of the same content) are recomputed on every check, and the
*genesis* checkpoint — signed, written by the migration that introduced the key — records the
link of the last of them; the first keyed row of each log chains from the genesis digest. So
an early row changed and the plain hashes recomputed no longer meet the genesis checkpoint.

A checkpoint states, per chain, the id of its last row and the link after it, names the digest
of the checkpoint before it, and is signed with Ed25519: with only the public key, an operator
can check a checkpoint file kept elsewhere, and that the database still holds those rows.

Each chain has a head (``ChainHead``, locked while appending) with the id and link of its last
row, the anchor left by the last purge, and an HMAC over these, so that rows removed at the end
of a chain are found too.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import models, transaction
from django.utils import timezone

from yanzhen.audit import keys
from yanzhen.audit.models import (
    AccessLog,
    Chain,
    ChainHead,
    Checkpoint,
    ExportLog,
    SecurityEvent,
)

ZERO = "0" * 64
FORMAT = "yanzhen-audit-checkpoint/1"
LOGS: tuple[str, ...] = (Chain.SECURITY, Chain.ACCESS, Chain.EXPORT)
LABELS = {c.value: c.label for c in Chain}


def model_of(chain: str) -> type[models.Model]:
    return {Chain.SECURITY: SecurityEvent, Chain.ACCESS: AccessLog, Chain.EXPORT: ExportLog}[
        Chain(chain)
    ]


def canonical(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def content(chain: str, row: Any, prev: str) -> str:
    """What a row's link covers (the security log's is the one its plain chain always had)."""
    if chain == Chain.SECURITY:
        data: dict[str, Any] = {
            "created_at": _utc(row.created_at),
            "kind": row.kind,
            "username": row.username,
            "user_id": row.user_id_value,
            "unit": row.unit,
            "unit_id": row.unit_id_value,
            "ip": row.ip,
            "path": row.path,
            "detail": row.detail,
        }
    elif chain == Chain.ACCESS:
        data = {
            "created_at": _utc(row.created_at),
            "user_id": row.user_id,
            "action": row.action,
            "record_type": row.record_type,
            "record_id": row.record_id,
            "field": row.field,
            "ip": row.ip,
        }
        # A row naming an approval covers it; the links of the others stay as they were (the
        # migrations' historical rows have no such field).
        approval = getattr(row, "approval_id", None)
        if approval is not None:
            data["approval"] = approval
    else:
        data = {
            "created_at": _utc(row.created_at),
            "user_id": row.user_id,
            "title": row.title,
            "filters": row.filters,
            "fmt": row.fmt,
            "rows": row.rows,
            "sha256": row.sha256,
            "unmasked": row.unmasked,
        }
    data["prev_hash"] = prev
    return canonical(data)


def plain_link(chain: str, row: Any, prev: str) -> str:
    """The link of an early row (for the security log: the hash it was stored with)."""
    return hashlib.sha256(content(chain, row, prev).encode("utf-8")).hexdigest()


def keyed_link(chain: str, row: Any, prev: str) -> str:
    message = f"{chain}\n{content(chain, row, prev)}".encode()
    return hmac.new(keys.chain_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class HeadState:
    chain: str
    last_id: int
    last_hash: str
    anchor_hash: str
    purged_through: int
    mac: str

    @classmethod
    def of(cls, head: Any) -> HeadState:
        return cls(
            head.chain,
            head.last_id,
            head.last_hash,
            head.anchor_hash,
            head.purged_through,
            head.mac,
        )

    def expected_mac(self) -> str:
        message = canonical(
            {
                "chain": self.chain,
                "last_id": self.last_id,
                "last_hash": self.last_hash,
                "anchor_hash": self.anchor_hash,
                "purged_through": self.purged_through,
            }
        ).encode()
        return hmac.new(keys.chain_key(), b"head\n" + message, hashlib.sha256).hexdigest()


def seal_head(head: Any) -> None:
    """Set the head's MAC after its fields changed (the caller saves it)."""
    head.mac = HeadState.of(head).expected_mac()


def lock_head(chain: str) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        raise RuntimeError(
            f"审计链“{LABELS[chain]}”的链头缺失：请运行 yanzhen verify_audit 查明原因"
        )
    return head


def append(chain: str, row: models.Model) -> None:
    """Save ``row`` (new, with its ``created_at`` set) as the last link of ``chain``. The head
    stays locked until the caller's transaction ends, so the chain cannot fork."""
    with transaction.atomic():
        head = lock_head(chain)
        row.prev_hash = head.last_hash  # type: ignore[attr-defined]
        row.hash = keyed_link(chain, row, head.last_hash)  # type: ignore[attr-defined]
        row.save(force_insert=True)
        head.last_id = row.pk
        head.last_hash = row.hash  # type: ignore[attr-defined]
        seal_head(head)
        head.save(update_fields=["last_id", "last_hash", "mac"])


# --- checkpoints -------------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    body: str
    signature: str
    digest: str


def checkpoint_digest(body: str, signature: str) -> str:
    return hashlib.sha256(f"{body}\n{signature}".encode()).hexdigest()


def sign(body: Mapping[str, Any]) -> Signed:
    text = canonical(body)
    signature = base64.b64encode(keys.signing_key().sign(text.encode("utf-8"))).decode("ascii")
    return Signed(text, signature, checkpoint_digest(text, signature))


def checkpoint_body(
    *, number: int, kind: str, previous: str, chains: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "number": number,
        "kind": kind,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "previous": previous,
        "key_id": keys.key_id(keys.public_key()),
        "chains": {name: dict(state) for name, state in chains.items()},
    }


def signature_valid(body: str, signature: str, public: Ed25519PublicKey) -> bool:
    try:
        public.verify(base64.b64decode(signature, validate=True), body.encode("utf-8"))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def document(checkpoint: Checkpoint) -> dict[str, Any]:
    """The checkpoint as the file an operator keeps elsewhere."""
    return {
        "format": FORMAT,
        "body": json.loads(checkpoint.body),
        "signature": checkpoint.signature,
        "digest": checkpoint.digest,
    }


def verify_document(data: Any, public: Ed25519PublicKey) -> list[str]:
    """Problems of a checkpoint file, checked with the public key only (no secret)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return ["不是雁阵审计检查点文件（format 不符）"]
    body, signature = data.get("body"), data.get("signature")
    if not isinstance(body, dict) or not isinstance(signature, str):
        return ["检查点文件缺少 body 或 signature"]
    text = canonical(body)
    if not signature_valid(text, signature, public):
        return [f"第 {body.get('number')} 号检查点的签名无效：文件被伪造或修改，或不是这把公钥签的"]
    problems = []
    if body.get("key_id") != keys.key_id(public):
        problems.append("检查点记录的公钥指纹与所给公钥不符")
    if data.get("digest") not in (None, checkpoint_digest(text, signature)):
        problems.append("检查点文件的摘要与内容不符")
    return problems


def compare_with_database(body: Mapping[str, Any]) -> list[str]:
    """Does the database still hold what a (verified) checkpoint states? Reads stored values
    only, so no secret is needed."""
    number = int(body.get("number") or 0)
    problems = []
    stored = Checkpoint.objects.filter(number=number).first()
    if stored is None:
        problems.append(f"数据库中没有第 {number} 号检查点（被删除）")
    elif json.loads(stored.body) != body:
        problems.append(f"数据库中的第 {number} 号检查点与文件不同（被替换）")
    genesis = Checkpoint.objects.filter(number=1).values_list("digest", flat=True).first()
    heads = {h.chain: h for h in ChainHead.objects.all()}
    chains = body.get("chains", {})
    for chain in LOGS:
        state = chains.get(chain)
        if not isinstance(state, dict):
            problems.append(f"检查点缺少{LABELS[chain]}")
            continue
        last_id, last_hash = int(state.get("last_id", 0)), str(state.get("last_hash", ""))
        head = heads.get(chain)
        if head is None:
            problems.append(f"{LABELS[chain]}的链头缺失")
            continue
        if last_id <= head.purged_through:
            if last_id == head.purged_through and last_id and head.anchor_hash != last_hash:
                problems.append(f"{LABELS[chain]}清理后的锚点与检查点不符")
            continue
        row = model_of(chain)._default_manager.filter(pk=last_id).first()
        if row is None:
            problems.append(f"{LABELS[chain]}编号 {last_id} 的记录已不存在（被删除）")
        elif last_hash != genesis and row.hash != last_hash:  # type: ignore[attr-defined]
            problems.append(
                f"{LABELS[chain]}编号 {last_id} 的记录与检查点不符（被修改或整条链被重算）"
            )
    return problems


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    chain: str
    row_id: int | None
    message: str


@dataclass
class Expectations:
    """What the checkpoints say the link after a row must be: chain → row id → (who, link)."""

    at: dict[str, dict[int, list[tuple[str, str]]]] = field(default_factory=dict)

    def add(self, chain: str, row_id: int, who: str, link: str) -> None:
        self.at.setdefault(chain, {}).setdefault(row_id, []).append((who, link))


@dataclass(frozen=True)
class Early:
    """What the genesis checkpoint records of a chain's early (unkeyed) rows."""

    through: int
    link: str


@dataclass(frozen=True)
class Genesis:
    digest: str
    early: dict[str, Early]


@dataclass
class CheckpointResult:
    genesis: Genesis | None = None
    expectations: Expectations = field(default_factory=Expectations)
    count: int = 0
    problems: list[Problem] = field(default_factory=list)


def verify_checkpoints() -> CheckpointResult:
    """Every stored checkpoint: signed by our key, numbered 1, 2, … without a gap, each naming
    the one before, the first the genesis; the checkpoint head matches the last."""
    result = CheckpointResult()
    public = keys.public_key()

    def fail(number: int | None, message: str) -> CheckpointResult:
        result.problems.append(Problem(Chain.CHECKPOINT, number, message))
        return result

    previous = ""
    number = 0
    for checkpoint in Checkpoint.objects.order_by("number").iterator():
        number += 1
        result.count += 1
        if not signature_valid(checkpoint.body, checkpoint.signature, public):
            return fail(
                checkpoint.number, f"第 {checkpoint.number} 号检查点的签名无效（伪造或被修改）"
            )
        body = json.loads(checkpoint.body)
        if checkpoint.number != number or body.get("number") != number:
            return fail(checkpoint.number, f"缺少第 {number} 号检查点（被删除）")
        if body.get("previous") != previous:
            return fail(checkpoint.number, f"第 {number} 号检查点与前一个不衔接")
        if checkpoint.digest != checkpoint_digest(checkpoint.body, checkpoint.signature):
            return fail(checkpoint.number, f"第 {number} 号检查点的摘要被修改")
        is_genesis = body.get("kind") == Checkpoint.Kind.GENESIS
        if is_genesis != (number == 1):
            return fail(checkpoint.number, f"第 {number} 号检查点的类型不对")
        chains = body.get("chains", {})
        if is_genesis:
            result.genesis = Genesis(
                checkpoint.digest,
                {
                    c: Early(int(chains[c]["legacy_through"]), str(chains[c]["legacy_hash"]))
                    for c in LOGS
                },
            )
        for chain in LOGS:
            state = chains[chain]
            # The genesis pins the early rows by their plain link (checked in ``walk``).
            if not is_genesis and int(state["last_id"]) > 0:
                result.expectations.add(
                    chain, int(state["last_id"]), f"第 {number} 号检查点", str(state["last_hash"])
                )
        previous = checkpoint.digest
    if result.genesis is None:
        return fail(None, "起点检查点（第 1 号）缺失：无法确认启用密钥之前的记录")
    head = ChainHead.objects.filter(chain=Chain.CHECKPOINT).first()
    if head is None:
        return fail(None, "检查点的链头缺失")
    state = HeadState.of(head)
    if not hmac.compare_digest(state.mac, state.expected_mac()):
        return fail(None, "检查点的链头被修改")
    if (state.last_id, state.last_hash) != (number, previous):
        return fail(None, f"第 {number} 号之后的检查点被删除（链头记录到第 {state.last_id} 号）")
    return result


@dataclass
class Walk:
    checked: int = 0
    prev: str = ZERO
    problem: Problem | None = None


def _rows(chain: str, after: int) -> Iterator[Any]:
    return (
        model_of(chain)
        ._default_manager.filter(pk__gt=after)
        .order_by("pk")
        .iterator(chunk_size=2000)
    )


def walk(
    chain: str,
    head: HeadState,
    genesis: Genesis,
    expectations: Expectations,
    *,
    stop_at: int | None = None,
) -> Walk:
    """Recompute ``chain`` from the purge anchor; stop at the first bad row (named). With
    ``stop_at``, stop after that row and give the link after it (for a purge)."""
    label = LABELS[chain]
    early = genesis.early[chain]
    result = Walk()

    def fail(row_id: int | None, message: str) -> Walk:
        result.problem = Problem(chain, row_id, f"{label}校验失败：{message}")
        return result

    # A head that is not ours (its MAC) says nothing about the end of the chain; the rows are
    # still walked, so that a changed row is named first.
    head_sound = hmac.compare_digest(head.mac, head.expected_mac())
    purged = head.purged_through
    if purged > 0:
        prev = head.anchor_hash
    elif early.through > 0:
        prev = ZERO
    else:
        prev = genesis.digest
    early_pending = purged < early.through
    expected = expectations.at.get(chain, {})
    for row_id, claims in expected.items():
        if row_id == purged:
            for who, link in claims:
                if link != prev:
                    return fail(None, f"清理锚点与{who}不符")
    if head_sound and head.last_id <= purged and head.last_hash != prev:
        return fail(None, "链头与清理锚点不符")
    seen_last = head.last_id <= purged or not head_sound
    unseen = {i for i in expected if i > purged}
    for row in _rows(chain, purged):
        result.checked += 1
        if row.pk <= early.through:
            link = plain_link(chain, row, prev)
            if chain == Chain.SECURITY and (row.prev_hash != prev or row.hash != link):
                return fail(
                    row.pk,
                    f"编号 {row.pk} 的记录与前一条不衔接或内容被修改（启用密钥前的记录）",
                )
            prev = link
            if row.pk == early.through:
                if prev != early.link:
                    return fail(
                        row.pk,
                        f"编号不大于 {early.through} 的早期记录（启用密钥前）被修改或删除，"
                        "与起点检查点不符",
                    )
                prev = genesis.digest
                early_pending = False
        else:
            if early_pending:
                return fail(row.pk, f"早期记录的最后一条（编号 {early.through}）被删除")
            if row.prev_hash != prev:
                return fail(row.pk, f"编号 {row.pk} 的记录与前一条不衔接：前一条被修改或删除")
            if not hmac.compare_digest(row.hash, keyed_link(chain, row, prev)):
                return fail(row.pk, f"编号 {row.pk} 的记录内容被修改")
            prev = row.hash
        unseen.discard(row.pk)
        for who, link in expected.get(row.pk, ()):
            if link != prev:
                return fail(row.pk, f"编号 {row.pk} 的记录与{who}不符（整条链被重算）")
        if head_sound and row.pk == head.last_id:
            seen_last = True
            if prev != head.last_hash:
                return fail(row.pk, f"最后一条记录（编号 {row.pk}）被修改")
        if stop_at is not None and row.pk >= stop_at:
            result.prev = prev
            return result
    if stop_at is not None:
        return fail(stop_at, f"编号 {stop_at} 的记录不存在")
    if not head_sound:
        return fail(None, "链头被修改（链尾的记录可能被删除）")
    if not seen_last:
        return fail(head.last_id, f"链尾记录（编号至 {head.last_id}）被删除")
    if unseen:
        first = min(unseen)
        return fail(first, f"{expected[first][0][0]}记录的编号 {first} 已不存在（被删除）")
    result.prev = prev
    return result
