"""The audit key: kept outside the database, like the field key.

``YANZHEN_AUDIT_KEY`` (base64 of 32 bytes), or the file named by ``YANZHEN_AUDIT_KEY_FILE``,
else a file ``audit_key`` generated once in the data directory (mode 0600). Two keys are
derived from it (HKDF-SHA256):

* the chain key — HMAC-SHA256 of every log row, so that whoever can write to the database but
  does not hold the key cannot recompute the chain after changing a row;
* the checkpoint signing key — an Ed25519 key whose public half (``yanzhen export_audit_key``)
  lets anyone check a checkpoint without any secret.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import os
import secrets
import tempfile
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("yanzhen.security")


def key_path() -> Path:
    named = os.environ.get("YANZHEN_AUDIT_KEY_FILE") or getattr(
        settings, "YANZHEN_AUDIT_KEY_FILE", ""
    )
    return Path(named) if named else Path(settings.DATA_DIR) / "audit_key"


def _create_once(path: Path) -> None:
    """Write a new random key to ``path`` unless it exists; two processes starting together
    end up with the same key (the file appears whole, by a hard link, or not at all)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit_key-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(32)).decode())
        with contextlib.suppress(FileExistsError):  # another process was first: keep its key
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


@cache
def master_key() -> bytes:
    value = os.environ.get("YANZHEN_AUDIT_KEY") or getattr(settings, "YANZHEN_AUDIT_KEY", "")
    if not value:
        path = key_path()
        if not path.exists():
            _create_once(path)
        value = path.read_text(encoding="ascii").strip()
    try:
        key = base64.b64decode(value, validate=True)
    except ValueError as error:
        raise ImproperlyConfigured("YANZHEN_AUDIT_KEY 应为32字节密钥的base64编码") from error
    if len(key) != 32:
        raise ImproperlyConfigured("YANZHEN_AUDIT_KEY 应为32字节密钥的base64编码")
    return key


def _derive(purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master_key())


@cache
def chain_key() -> bytes:
    return _derive(b"yanzhen audit chain hmac")


@cache
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_derive(b"yanzhen audit checkpoint ed25519"))


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    return (
        (key or public_key())
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key (the first 16 hex digits of its SHA-256)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """A public key from its PEM text; ``ValueError`` for anything else."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as error:
        raise ValueError(
            "公钥文件无法读取（应为 yanzhen export_audit_key 导出的 PEM 文件）"
        ) from error
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("公钥不是 Ed25519 公钥")
    return key


def forget() -> None:
    """Drop the cached keys (after the key setting changed, e.g. in tests)."""
    master_key.cache_clear()
    chain_key.cache_clear()
    signing_key.cache_clear()
