"""Mobiles encrypted at rest like ID numbers, with a keyed hash (blind index) for search.

The data step encrypts every plain mobile in place — in the people and in their history —
and fills the keyed hashes; values already encrypted are left as they are (so it can run on a
database restored from an older backup). Plain SQL on fixed table names: SQLite and
PostgreSQL alike."""

import yanzhen.core.crypto
import yanzhen.core.models
from django.db import migrations


def encrypt_mobiles(apps, schema_editor):
    from yanzhen.core.crypto import PREFIX, decrypt, encrypt, keyed_hash

    connection = schema_editor.connection
    for table, key, hashed in (
        ("core_person", "id", True),
        ("core_historicalperson", "history_id", False),
    ):
        with connection.cursor() as cursor:
            # bandit: fixed names
            sql = f"SELECT {key}, mobile FROM {table} WHERE mobile <> ''"  # nosec B608
            cursor.execute(sql)
            rows = cursor.fetchall()
            for pk, mobile in rows:
                value = str(mobile)
                if value.startswith(f"{PREFIX}:"):
                    plain, stored = decrypt(value), value
                else:
                    plain, stored = value, encrypt(value)
                if hashed:
                    cursor.execute(
                        # bandit: fixed names
                        f"UPDATE {table} SET mobile = %s, mobile_hash = %s WHERE {key} = %s",  # nosec B608
                        [stored, keyed_hash(plain), pk],
                    )
                else:
                    cursor.execute(
                        # bandit: fixed names
                        f"UPDATE {table} SET mobile = %s WHERE {key} = %s",  # nosec B608
                        [stored, pk],
                    )


def decrypt_mobiles(apps, schema_editor):
    """Back to plain text (the column goes back to 11 characters)."""
    from yanzhen.core.crypto import decrypt

    connection = schema_editor.connection
    for table, key in (("core_person", "id"), ("core_historicalperson", "history_id")):
        with connection.cursor() as cursor:
            # bandit: fixed names
            cursor.execute(f"SELECT {key}, mobile FROM {table} WHERE mobile <> ''")  # nosec B608
            for pk, mobile in cursor.fetchall():
                cursor.execute(
                    # bandit: fixed names
                    f"UPDATE {table} SET mobile = %s WHERE {key} = %s",  # nosec B608
                    [decrypt(str(mobile)), pk],
                )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_unit_order_idx"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalperson",
            name="id_number_hash",
            field=yanzhen.core.crypto.BlindIndexField(source="id_number"),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number_hash",
            field=yanzhen.core.crypto.BlindIndexField(source="id_number"),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="mobile",
            field=yanzhen.core.crypto.EncryptedCharField(
                blank=True, validators=[yanzhen.core.models.validate_mobile], verbose_name="手机号"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="mobile",
            field=yanzhen.core.crypto.EncryptedCharField(
                blank=True, validators=[yanzhen.core.models.validate_mobile], verbose_name="手机号"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="mobile_hash",
            field=yanzhen.core.crypto.BlindIndexField(source="mobile"),
        ),
        migrations.RunPython(encrypt_mobiles, decrypt_mobiles),
    ]
