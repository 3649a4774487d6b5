"""The audit key beside the database: a warning under ``check --deploy`` (``yanzhen.W002``),
a refusal to start in production (``yanzhen.E002``): whoever can write the database files and
read the key beside them can recompute the log chains."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from yanzhen.audit.keys import key_path
from yanzhen.core.checks import production

BESIDE_DATA = (
    "审计密钥保存在数据目录中，与数据库放在一起：能改数据库文件的人也能重算日志链。"
    " / The audit key is kept in the data directory, beside the database: whoever can change "
    "the database files can recompute the log chains."
)
HINT = (
    "请通过环境变量 YANZHEN_AUDIT_KEY（32字节密钥的base64编码）提供密钥，或用 "
    "YANZHEN_AUDIT_KEY_FILE 指向数据目录以外、仅服务账户可读的密钥文件，并单独备份。 / Set "
    "YANZHEN_AUDIT_KEY (base64 of 32 bytes) or point YANZHEN_AUDIT_KEY_FILE at a file outside "
    "the data directory, readable by the service account only, and back it up separately."
)


def check_audit_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if os.environ.get("YANZHEN_AUDIT_KEY") or getattr(settings, "YANZHEN_AUDIT_KEY", ""):
        return []
    data = Path(settings.DATA_DIR).resolve()
    path = key_path().resolve()
    if data != path and data not in path.parents:
        return []
    if production():
        return [
            checks.Error(
                "生产环境（YANZHEN_PRODUCTION）不能使用数据目录中的审计密钥，拒绝启动。"
                " / Refusing to start in production (YANZHEN_PRODUCTION) with the audit key "
                "in the data directory. " + BESIDE_DATA,
                hint=HINT,
                id="yanzhen.E002",
            )
        ]
    return [checks.Warning(BESIDE_DATA, hint=HINT, id="yanzhen.W002")]
