"""``yanzhen verify_encryption``: no ID number or mobile is stored in plain text.

Checks every encrypted column of every table (the people and their history): a value without
the cipher prefix is plain text (a row written around the application, or restored from a
backup made before the column was encrypted — ``yanzhen migrate`` encrypts those in place),
and a value without its keyed hash cannot be searched. Exits non-zero when it finds any."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from yanzhen.core.crypto import PREFIX, BlindIndexField, EncryptedCharField


def plain_values() -> list[tuple[str, str, int]]:
    """(table, column, rows) of every encrypted column holding plain values or values
    without their keyed hash."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = quote(model._meta.db_table)
            hashes = {
                f.source: f.attname for f in model._meta.fields if isinstance(f, BlindIndexField)
            }
            for field in model._meta.fields:
                if not isinstance(field, EncryptedCharField):
                    continue
                name = field.attname
                column = quote(name)
                condition = f"({column} NOT LIKE %s)"
                if field.name in hashes and not model._meta.db_table.startswith("core_historical"):
                    condition += f" OR {quote(hashes[field.name])} = ''"
                # Names from the models (quoted), values as parameters.
                sql = f"SELECT COUNT(*) FROM {table} WHERE {column} <> '' AND ({condition})"  # noqa: S608  # nosec B608
                cursor.execute(sql, [f"{PREFIX}:%"])
                (count,) = cursor.fetchone()
                if count:
                    found.append((model._meta.db_table, name, int(count)))
    return found


class Command(BaseCommand):
    help = "检查身份证号、手机号没有以明文保存（每个加密字段及其检索索引）"

    def handle(self, *args: Any, **options: Any) -> None:
        found = plain_values()
        if found:
            lines = [
                f"{table}.{column}：{rows} 行未加密或缺少检索索引" for table, column, rows in found
            ]
            raise CommandError(
                "发现未加密的个人信息：\n" + "\n".join(lines) + "\n请运行 yanzhen migrate"
            )
        self.stdout.write("个人信息加密检查通过：所有身份证号和手机号均已加密")
