"""The export path of plain values and openpyxl's write-only mode writes the same file, cell for
cell, as the path before it (model instances, a workbook filled cell by cell: kept as the peer
in ``bench/export_peer.py``): the ledger (with texts a spreadsheet would take for a formula or
an error), the people list masked and with full values, and an import template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.export_peer import describe, old_ledger_rows, old_write_xlsx
from tests.conftest import Demo
from tests.pii_grants import grant_pii
from yanzhen.cooperation import excel as ledger_excel
from yanzhen.cooperation.models import Cooperation
from yanzhen.cooperation.selectors import CooperationFilters, cooperation_list
from yanzhen.core import excel
from yanzhen.core.models import Person

pytestmark = pytest.mark.usefixtures("demo_db")

WHEN = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)


def export(demo_db: Demo, login: str, url: str, params: dict[str, str]) -> bytes:
    with time_machine.travel(WHEN, tick=False):
        response = demo_db.client(login).get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return bytes(response.content)


def old_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next exports take the path before: the workbook filled cell by cell, the ledger's
    rows from model instances."""
    monkeypatch.setattr(excel, "write_xlsx", old_write_xlsx)
    monkeypatch.setattr(ledger_excel, "export_values", lambda user: None)


def cells(content: bytes, sheet: str) -> dict[str, Any]:
    found = dict(describe(content)["sheets"])[sheet]["cells"]
    assert isinstance(found, dict)
    return found


def test_the_ledger_export_is_the_same_file_cell_for_cell(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = Cooperation.objects.order_by("-intention_date", "-id")[:2]
    Cooperation.objects.filter(pk=first.pk).update(
        title='=HYPERLINK("http://x")', drop_reason="#N/A", description="-5"
    )
    Cooperation.objects.filter(pk=second.pk).update(title="+合作", drop_reason="@某人")
    url = reverse("cooperation:cooperation_list")
    new = export(demo_db, "office", url, {"export": "xlsx"})
    old_path(monkeypatch)
    old = export(demo_db, "office", url, {"export": "xlsx"})
    assert new != old  # two writers
    assert describe(new) == describe(old)
    sheet = cells(new, "合作台账")
    rows = {cell[0] for key, cell in sheet.items() if key.startswith("B")}
    assert {'=HYPERLINK("http://x")', "+合作"} <= rows
    title = next(cell for cell in sheet.values() if cell[0] == '=HYPERLINK("http://x")')
    assert (title[1], title[3]) == ("s", True)  # a text, marked as typed after '
    reason = next(cell for cell in sheet.values() if cell[0] == "#N/A")
    assert (reason[1], reason[3]) == ("s", False)  # a text, not an error
    dated = [cell for key, cell in sheet.items() if key[0] == "L" and key != "L1"]
    assert dated
    assert all(cell[2] == "yyyy-mm-dd" for cell in dated)
    assert (
        sum(1 for key in sheet if key[0] == "A") - 1
        == Cooperation.objects.filter(
            pk__in=cooperation_list(
                user=demo_db.users["office"], filters=CooperationFilters(), today=WHEN.date()
            ).values("pk")
        ).count()
    )


def test_the_ledgers_rows_are_those_of_the_model_instances(demo_db: Demo) -> None:
    user = demo_db.users["office"]
    query = cooperation_list(user=user, filters=CooperationFilters(), today=WHEN.date())
    old = [list(row) for row in old_ledger_rows(user, query)]
    new = [list(row) for row in ledger_excel.export_values(user)(query)]
    assert len(old) > 50
    assert new == old
    assert any(row[3] and len(row[3]) > 1 for row in new)  # several parties
    assert any(isinstance(row[16], Decimal) for row in new)


def test_the_ledgers_rows_take_three_queries_per_chunk_however_many_rows(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = demo_db.users["office"]
    query = cooperation_list(user=user, filters=CooperationFilters(), today=WHEN.date())
    rows = ledger_excel.export_values(user)
    with CaptureQueriesContext(connection) as many:
        assert len(list(rows(query))) > 50
    first = query.first()
    assert first is not None
    with CaptureQueriesContext(connection) as one:
        assert len(list(rows(query.filter(pk=first.pk)))) == 1
    assert len(many.captured_queries) == len(one.captured_queries) == 3
    monkeypatch.setattr(ledger_excel, "CHUNK", 20)
    with CaptureQueriesContext(connection) as chunked:
        count = len(list(rows(query)))
    assert len(chunked.captured_queries) == 1 + 2 * -(-count // 20)


def test_masked_and_full_value_exports_are_the_same_file_cell_for_cell(
    demo_db: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = Person.objects.filter(unit__name="永济市工业和信息化局").order_by("pk").first()
    assert person is not None
    url = reverse("core:person_list")
    grant_pii(demo_db.users["office"], "export", list_title="人员")
    masked = export(demo_db, "office", url, {"export": "xlsx"})
    full = export(demo_db, "office", url, {"export": "xlsx", "unmasked": "1"})
    old_path(monkeypatch)
    assert describe(masked) == describe(export(demo_db, "office", url, {"export": "xlsx"}))
    old_full = export(demo_db, "office", url, {"export": "xlsx", "unmasked": "1"})
    assert describe(full) == describe(old_full)
    values = {cell[0] for cell in cells(full, "人员").values()}
    assert {person.id_number, person.mobile} <= values
    masked_values = {cell[0] for cell in cells(masked, "人员").values()}
    assert person.id_number not in masked_values
    assert f"{person.id_number[:4]}**********{person.id_number[-4:]}" in masked_values


def test_an_import_template_is_the_same_file_cell_for_cell() -> None:
    columns, notes = ledger_excel.columns(), ledger_excel.NOTES
    new = excel.write_xlsx("合作台账", columns, [], notes=notes, mark_required=True)
    old = old_write_xlsx("合作台账", columns, [], notes=notes, mark_required=True)
    described = describe(new)
    assert described == describe(old)
    assert [name for name, _sheet in described["sheets"]] == ["合作台账", "选项", "填写说明"]
    assert dict(described["sheets"])["选项"]["state"] == "hidden"
