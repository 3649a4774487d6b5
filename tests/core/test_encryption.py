"""ID numbers and mobiles encrypted at rest (AES-256-GCM, or SM4-GCM by setting), found by
their keyed hashes (blind indexes); the data migration encrypts plain mobiles in place."""

from __future__ import annotations

import base64
import importlib
import io
from types import SimpleNamespace

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Demo
from tests.pii import personal_data_in
from yanzhen.core import crypto
from yanzhen.core.models import Person, Unit, User
from yanzhen.core.selectors import PersonFilters, person_list
from yanzhen.core.services import person_create, person_update

pytestmark = pytest.mark.usefixtures("demo_db")
NUMBER = "140881198803124015"
MOBILE = "13812345678"


def dump() -> str:
    """Every value of every table, as a database dump would hold them."""
    out: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(out)


def people(user: User, q: str) -> list[Person]:
    """The people ``user`` finds searching ``q``."""
    return list(person_list(user=user, filters=PersonFilters(q=q)))


def test_a_database_dump_holds_no_plain_id_number_or_mobile(demo_db: Demo) -> None:
    person = person_create(
        actor=None, name="甲", unit=Unit.objects.get(name="开张镇"), id_number=NUMBER,
        mobile=MOBILE,
    )  # fmt: skip
    person_update(actor=None, person=person, mobile="13912345678")  # a history row too
    assert Person.objects.exclude(id_number="").count() >= 46
    assert Person.objects.exclude(mobile="").count() >= 46
    text = dump()
    assert (NUMBER in text, MOBILE in text, "13912345678" in text) == (False, False, False)
    assert personal_data_in(text) == []  # no 18-digit ID, no 11-digit mobile
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM core_person WHERE name = %s", ["甲"])
        stored = cursor.fetchone()
        cursor.execute("SELECT mobile FROM core_historicalperson WHERE name = %s", ["甲"])
        history = [row[0] for row in cursor.fetchall()]
    assert (stored[0][:7], stored[1][:7]) == ("enc1:a:", "enc1:a:")
    assert [h[:7] for h in history] == ["enc1:a:", "enc1:a:"]
    assert Person.objects.get(pk=person.pk).mobile == "13912345678"


def test_search_by_mobile_goes_through_the_blind_index(demo_db: Demo) -> None:
    unit = Unit.objects.get(name="开张镇")
    person = person_create(actor=None, name="乙", unit=unit, mobile=MOBILE)
    assert person.mobile_hash == crypto.keyed_hash(MOBILE)
    assert people(demo_db.users["town"], f" {MOBILE} ") == [person]
    assert people(demo_db.users["enterprise"], MOBILE) == []  # out of scope
    with CaptureQueriesContext(connection) as queries:
        found = people(demo_db.users["office"], MOBILE)
    assert found == [person]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "mobile_hash" in sql
    assert MOBILE not in sql  # the value itself is never sent to the database
    page = demo_db.client("town").get(reverse("core:person_list"), {"q": MOBILE})
    assert "乙" in page.content.decode()
    by_id = person_create(actor=None, name="丙", unit=unit, id_number=NUMBER)
    assert people(demo_db.users["office"], NUMBER.lower()) == [by_id]


def test_a_bulk_create_fills_the_blind_indexes(demo_db: Demo) -> None:
    unit = Unit.objects.get(name="开张镇")
    (_person,) = Person.objects.bulk_create([Person(name="丁", unit=unit, mobile=MOBILE)])
    stored = Person.objects.get(name="丁")
    assert (stored.mobile, stored.mobile_hash) == (MOBILE, crypto.keyed_hash(MOBILE))


def test_the_migration_encrypts_plain_mobiles_in_place(demo_db: Demo) -> None:
    """Rows written before the migration (plain mobile, no hash) — and one already encrypted —
    on whichever database runs the suite (SQLite here, PostgreSQL in CI)."""
    person = person_create(actor=None, name="戊", unit=Unit.objects.get(name="开张镇"))
    already = person_create(
        actor=None, name="己", unit=Unit.objects.get(name="开张镇"), mobile="13912345678"
    )
    sealed = Person.objects.filter(pk=already.pk).values_list("mobile_hash", flat=True)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_person SET mobile = %s, mobile_hash = '' WHERE id = %s",
            [MOBILE, person.pk],
        )
        cursor.execute(
            "UPDATE core_historicalperson SET mobile = %s WHERE id = %s", [MOBILE, person.pk]
        )
    migration = importlib.import_module("yanzhen.core.migrations.0009_mobile_encrypted")
    migration.encrypt_mobiles(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, mobile_hash FROM core_person WHERE id = %s", [person.pk])
        mobile, digest = cursor.fetchone()
        cursor.execute("SELECT mobile FROM core_historicalperson WHERE id = %s", [person.pk])
        history = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT mobile_hash FROM core_person WHERE id = %s", [already.pk])
        (again,) = cursor.fetchone()
    assert (mobile[:7], crypto.decrypt(mobile), digest) == (
        "enc1:a:", MOBILE, crypto.keyed_hash(MOBILE),
    )  # fmt: skip
    assert [h[:7] for h in history] == ["enc1:a:"]
    assert crypto.decrypt(history[0]) == MOBILE
    assert again == sealed  # an encrypted value is left as it is
    assert Person.objects.get(pk=already.pk).mobile == "13912345678"
    assert personal_data_in(dump()) == []


def test_exact_search_and_uniqueness_go_through_the_keyed_hash(demo_db: Demo) -> None:
    unit = Unit.objects.get(name="开张镇")
    person = person_create(actor=None, name="甲", unit=unit, id_number=NUMBER)
    assert Person.objects.get(pk=person.pk).id_number == NUMBER
    assert people(demo_db.users["office"], NUMBER.lower()) == [person]
    assert people(demo_db.users["enterprise"], NUMBER) == []  # out of scope
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


def test_the_daily_check_finds_a_plain_value(demo_db: Demo) -> None:
    out = io.StringIO()
    call_command("verify_encryption", stdout=out)
    assert out.getvalue() == "个人信息加密检查通过：所有身份证号和手机号均已加密\n"
    person = Person.objects.exclude(mobile="").order_by("pk")[0]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_person SET mobile = %s WHERE id = %s", [MOBILE, person.pk])
    with pytest.raises(CommandError) as caught:
        call_command("verify_encryption")
    assert str(caught.value) == (
        "发现未加密的个人信息：\ncore_person.mobile：1 行未加密或缺少检索索引\n请运行 yanzhen migrate"
    )
