"""System checks of the deployment's keys (run at start-up: ``runserver``, ``migrate``,
``check``, and by the WSGI entry point in production).

The field key (``core/crypto.py``) that encrypts ID numbers and mobiles, and the audit key
(``audit/keys.py``, registered by the audit app through :func:`key_checks`) are generated into
the data directory by default — beside the SQLite database, the uploads and anything copied
with them. ``check --deploy`` says so (``yanzhen.W001``, ``yanzhen.W002``); with
``YANZHEN_PRODUCTION`` set, ``yanzhen.E001`` / ``yanzhen.E002`` refuse to start until the key
comes from outside the data directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from yanzhen.core.crypto import key_source

TAG = "yanzhen_keys"
KEY_BESIDE_DATA = (
    "字段加密密钥（身份证号、手机号的加密密钥）保存在数据目录中，与数据库放在一起："
    "拿到数据目录或其副本的人即可解密。 / The field encryption key (of ID numbers and mobiles) "
    "is kept in the data directory, beside the database: whoever gets the data directory or a "
    "copy of it can decrypt them."
)
HINT = (
    "请通过环境变量 YANZHEN_FIELD_KEY（32字节密钥的base64编码）提供密钥，或用 "
    "YANZHEN_FIELD_KEY_FILE 指向数据目录以外、仅服务账户可读的密钥文件，并单独备份。 / Set "
    "YANZHEN_FIELD_KEY (base64 of 32 bytes) or point YANZHEN_FIELD_KEY_FILE at a file outside "
    "the data directory, readable by the service account only, and back it up separately."
)


def production() -> bool:
    configured = getattr(settings, "YANZHEN_PRODUCTION", None)
    if configured is not None:
        return bool(configured)
    value = os.environ.get("YANZHEN_PRODUCTION", "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def check_field_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    source = key_source()
    if not source.in_data_dir:
        return []
    if production():
        return [
            checks.Error(
                "生产环境（YANZHEN_PRODUCTION）不能使用数据目录中的字段加密密钥，拒绝启动。"
                " / Refusing to start in production (YANZHEN_PRODUCTION) with the field key "
                "in the data directory. " + KEY_BESIDE_DATA,
                hint=HINT,
                id="yanzhen.E001",
            )
        ]
    return [checks.Warning(KEY_BESIDE_DATA, hint=HINT, id="yanzhen.W001")]


KeyCheck = Callable[..., list[checks.CheckMessage]]
KEY_CHECKS: list[KeyCheck] = [check_field_key]


def key_checks(check: KeyCheck) -> KeyCheck:
    """Register another key's check (an app's ``ready()``): refusals in production at every
    start, warnings under ``check --deploy``."""
    KEY_CHECKS.append(check)
    return check


def _refusals(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [m for check in KEY_CHECKS for m in check() if m.is_serious()]


def _warnings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [m for check in KEY_CHECKS for m in check() if not m.is_serious()]


def refuse_to_start_without_external_key() -> None:
    """For entry points that run no system checks (WSGI servers): raise if a check errs."""
    errors = _refusals()
    if errors:
        raise ImproperlyConfigured("\n".join(f"{m.id}: {m.msg} {m.hint}" for m in errors))


def check_superusers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``check --deploy --database default``: an active superuser in production is an error
    (it cannot sign in there, see ``core/backends.py``, but it should not exist at all)."""
    if not production() or not kwargs.get("databases"):
        return []
    names = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:10]
    )
    if not names:
        return []
    return [
        checks.Error(
            f"生产环境中有启用的超级用户账户（编号 {', '.join(map(str, names))}）：超级用户越过数据"
            "范围和三员分立，在生产环境中不能登录。 / Active superuser accounts in production: "
            "they bypass the data scope and the separation of duties and cannot sign in.",
            hint="请取消其超级用户标记或停用账户（yanzhen shell 或管理后台），改由三员角色分别管理。",
            id="yanzhen.E003",
        )
    ]


def register() -> None:
    checks.register(_refusals, TAG, checks.Tags.security, deploy=False)
    checks.register(_warnings, TAG, checks.Tags.security, deploy=True)
    checks.register(check_superusers, TAG, checks.Tags.security, checks.Tags.database, deploy=True)
