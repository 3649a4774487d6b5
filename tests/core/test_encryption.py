"""ID numbers encrypted at rest (AES-256-GCM, or SM4-GCM by setting), found by keyed hash."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection

from tests.conftest import Demo
from tests.pii import personal_data_in
from yanzhen.core import crypto
from yanzhen.core.models import Person, Unit
from yanzhen.core.selectors import person_by_id_number
from yanzhen.core.services import person_create

pytestmark = pytest.mark.usefixtures("demo_db")
NUMBER = "140881198803124015"


def dump() -> str:
    """Every value of every table, as a database dump would hold them."""
    out: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(out)


def test_a_database_dump_holds_no_plain_id_number(demo_db: Demo) -> None:
    person_create(actor=None, name="甲", unit=Unit.objects.get(name="开张镇"), id_number=NUMBER)
    assert Person.objects.filter(id_number__isnull=False).exclude(id_number="").count() >= 46
    text = dump()
    assert NUMBER not in text
    assert [v for v in personal_data_in(text) if len(v) == 18] == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM core_person WHERE name = %s", ["甲"])
        (stored,) = cursor.fetchone()
    assert stored.startswith("enc1:a:")


def test_exact_search_and_uniqueness_go_through_the_keyed_hash(demo_db: Demo) -> None:
    unit = Unit.objects.get(name="开张镇")
    person = person_create(actor=None, name="甲", unit=unit, id_number=NUMBER)
    assert Person.objects.get(pk=person.pk).id_number == NUMBER
    assert person_by_id_number(demo_db.users["office"], NUMBER.lower()) == person
    assert person_by_id_number(demo_db.users["enterprise"], NUMBER) is None  # out of scope
    assert person.id_number_hash == crypto.keyed_hash(NUMBER)
    assert len(person.id_number_hash) == 64


@pytest.fixture
def sm4(settings: object) -> None:
    settings.YANZHEN_FIELD_CIPHER = "SM4-GCM"  # type: ignore[attr-defined]


def test_sm4_gcm_by_setting(sm4: None) -> None:
    sealed = crypto.encrypt(NUMBER)
    assert sealed.startswith("enc1:s:")
    assert crypto.decrypt(sealed) == NUMBER
    assert crypto.encrypt(NUMBER) != sealed  # a fresh nonce every time


def test_the_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    monkeypatch.setenv("YANZHEN_FIELD_KEY", key)
    crypto.master_key.cache_clear()
    try:
        sealed = crypto.encrypt(NUMBER)
        assert crypto.decrypt(sealed) == NUMBER
        monkeypatch.setenv("YANZHEN_FIELD_KEY", base64.b64encode(bytes(32)).decode())
        crypto.master_key.cache_clear()
        with pytest.raises(InvalidTag):
            crypto.decrypt(sealed)
    finally:
        monkeypatch.delenv("YANZHEN_FIELD_KEY")
        crypto.master_key.cache_clear()
