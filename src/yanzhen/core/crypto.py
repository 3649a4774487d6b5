"""Encryption of ID numbers and mobiles at rest: AES-256-GCM (or SM4-GCM by setting) with a
random nonce per value, plus a keyed hash (HMAC-SHA256, the "blind index") for uniqueness and
exact search — the only way the database is ever searched for such a value.

The key never lives in the database: ``YANZHEN_FIELD_KEY`` (base64 of 32 bytes) or the file
``YANZHEN_FIELD_KEY_FILE``, else a file ``field_key`` generated once in the data directory
(mode 0600). That default sits beside the database: the system check ``yanzhen.W001`` says so,
and with ``YANZHEN_PRODUCTION`` set ``yanzhen.E001`` refuses to start (``core/checks.py``).
Losing the key loses the values: back it up apart from the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1"
NONCE = 12
TAG = 16


@dataclass(frozen=True)
class KeySource:
    """Where the field key comes from: the environment (or settings), or a file."""

    path: Path | None  # None: the key itself is in the environment or the settings

    @property
    def in_data_dir(self) -> bool:
        """The key file lies in the data directory, beside the database and the uploads."""
        if self.path is None:
            return False
        data_dir = Path(settings.DATA_DIR).resolve()
        return self.path.resolve().is_relative_to(data_dir)


def key_source() -> KeySource:
    if os.environ.get("YANZHEN_FIELD_KEY") or getattr(settings, "YANZHEN_FIELD_KEY", ""):
        return KeySource(None)
    return KeySource(
        Path(
            os.environ.get("YANZHEN_FIELD_KEY_FILE")
            or getattr(settings, "YANZHEN_FIELD_KEY_FILE", "")
            or Path(settings.DATA_DIR) / "field_key"
        )
    )


@cache
def master_key() -> bytes:
    value = os.environ.get("YANZHEN_FIELD_KEY") or getattr(settings, "YANZHEN_FIELD_KEY", "")
    if not value:
        path = key_source().path
        assert path is not None
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.b64encode(secrets.token_bytes(32)).decode(), encoding="ascii")
            path.chmod(0o600)
        value = path.read_text(encoding="ascii").strip()
    key = base64.b64decode(value)
    if len(key) != 32:
        raise ImproperlyConfigured("YANZHEN_FIELD_KEY 应为32字节密钥的base64编码")
    return key


def _derive(purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(
        master_key()
    )


def cipher_name() -> str:
    name = str(getattr(settings, "YANZHEN_FIELD_CIPHER", "AES-256-GCM")).upper()
    if name not in ("AES-256-GCM", "SM4-GCM"):
        raise ImproperlyConfigured("YANZHEN_FIELD_CIPHER 只能是 AES-256-GCM 或 SM4-GCM")
    return name


def encrypt(plaintext: str) -> str:
    nonce = secrets.token_bytes(NONCE)
    data = plaintext.encode("utf-8")
    name = cipher_name()
    if name == "SM4-GCM":
        encryptor = Cipher(
            algorithms.SM4(_derive(b"yanzhen sm4", 16)), modes.GCM(nonce)
        ).encryptor()
        sealed = encryptor.update(data) + encryptor.finalize() + encryptor.tag
        tag = "s"
    else:
        sealed = AESGCM(_derive(b"yanzhen aes", 32)).encrypt(nonce, data, None)
        tag = "a"
    return f"{PREFIX}:{tag}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored: str) -> str:
    if not stored.startswith(f"{PREFIX}:"):
        return stored  # a value written before encryption was switched on
    _, tag, payload = stored.split(":", 2)
    raw = base64.b64decode(payload)
    nonce, sealed = raw[:NONCE], raw[NONCE:]
    if tag == "s":
        decryptor = Cipher(
            algorithms.SM4(_derive(b"yanzhen sm4", 16)), modes.GCM(nonce, sealed[-TAG:])
        ).decryptor()
        return (decryptor.update(sealed[:-TAG]) + decryptor.finalize()).decode("utf-8")
    return AESGCM(_derive(b"yanzhen aes", 32)).decrypt(nonce, sealed, None).decode("utf-8")


def keyed_hash(value: str) -> str:
    """The same for the same (normalised) value, useless without the key."""
    if not value:
        return ""
    normalised = value.strip().upper()
    return hmac.new(_derive(b"yanzhen hash", 32), normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted in the database; the model sees the plain value."""

    description = "加密字段"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(f"{PREFIX}:"):
            return decrypt(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or str(value).startswith(f"{PREFIX}:"):
            return value
        return encrypt(str(value))


FILE_MAGIC = b"YZF1"


def encrypt_bytes(data: bytes, *, associated: bytes) -> bytes:
    """A file's bytes sealed with the field key (the cipher of ``YANZHEN_FIELD_CIPHER``);
    ``associated`` (not secret) must be given again to open them: it binds the file to its
    purpose, e.g. an import preview to its token and user."""
    nonce = secrets.token_bytes(NONCE)
    if cipher_name() == "SM4-GCM":
        encryptor = Cipher(
            algorithms.SM4(_derive(b"yanzhen sm4 files", 16)), modes.GCM(nonce)
        ).encryptor()
        encryptor.authenticate_additional_data(associated)
        sealed = encryptor.update(data) + encryptor.finalize() + encryptor.tag
        return FILE_MAGIC + b"s" + nonce + sealed
    sealed = AESGCM(_derive(b"yanzhen aes files", 32)).encrypt(nonce, data, associated)
    return FILE_MAGIC + b"a" + nonce + sealed


def decrypt_bytes(blob: bytes, *, associated: bytes) -> bytes:
    """The bytes :func:`encrypt_bytes` sealed; ``cryptography.exceptions.InvalidTag`` when
    they were changed, or ``associated`` differs, and ``ValueError`` for anything else."""
    if not blob.startswith(FILE_MAGIC) or len(blob) < len(FILE_MAGIC) + 1 + NONCE + TAG:
        raise ValueError("not an encrypted file")
    tag = blob[len(FILE_MAGIC) : len(FILE_MAGIC) + 1]
    nonce = blob[len(FILE_MAGIC) + 1 : len(FILE_MAGIC) + 1 + NONCE]
    sealed = blob[len(FILE_MAGIC) + 1 + NONCE :]
    if tag == b"s":
        decryptor = Cipher(
            algorithms.SM4(_derive(b"yanzhen sm4 files", 16)), modes.GCM(nonce, sealed[-TAG:])
        ).decryptor()
        decryptor.authenticate_additional_data(associated)
        return decryptor.update(sealed[:-TAG]) + decryptor.finalize()
    return AESGCM(_derive(b"yanzhen aes files", 32)).decrypt(nonce, sealed, associated)


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The keyed hash of the field ``source`` of the same row, kept up to date on every save
    and bulk create (``pre_save``): the column that exact search and uniqueness use instead of
    the encrypted value."""

    description = "密文检索索引"

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("blank", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key) == default:
                del kwargs[key]
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = keyed_hash(str(getattr(model_instance, self.source, "") or ""))
        setattr(model_instance, self.attname, value)
        return value
