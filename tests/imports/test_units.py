"""Units (towns, villages with their statistical codes, enterprises) from a GBK CSV and an
office workbook, and the command ``yanzhen import``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tests.conftest import Demo
from tests.imports.sheets import csv_bytes
from yanzhen.audit.models import SecurityEvent
from yanzhen.core.importers import kind_of_name
from yanzhen.core.models import ImportBatch, Unit, UnitClosure

pytestmark = pytest.mark.usefixtures("demo_db")

UNITS: list[list[object]] = [
    ["永济市村（社区）名录"],
    ["序号", "单位名称", "所属乡镇", "统计用区划代码", "统一社会信用代码"],
    [1, "新设镇", "永济市", "140881199000", ""],
    [2, "新设一村", "新设镇", "140881199201", ""],
    [3, "新设社区", "新设镇", "140881199001", ""],
    [4, "永济新材料有限公司", "新设镇", "", "91140881MA0000001X"],
    ["小计", "", "", "", ""],
    ["填表人：王五", "", "", "", ""],
]


def command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    err = io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as done:
        return int(done.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_kinds_follow_the_names_when_the_sheet_has_no_type() -> None:
    assert [kind_of_name(n) for n in ("东开张村", "城北社区", "开张镇", "城西街道",
                                      "某某有限公司", "永济市农业农村局", "某某")] == [
        "village", "village", "town", "street", "enterprise", "department", "",
    ]  # fmt: skip


def test_a_gbk_csv_of_units_dry_run_as_json(demo_db: Demo, tmp_path: Path) -> None:
    count = Unit.objects.count()
    path = write(tmp_path, "单位.csv", csv_bytes(UNITS, "gbk"))
    code, out = command("units", path, "--json")
    assert code == 0
    assert json.loads(out) == {
        "rows": 4,
        "valid": 4,
        "errors": [],
        "skipped": [{"row": 7, "reason": "合计行"}, {"row": 8, "reason": "填表人、审核人等落款"}],
        "mapping": {"单位名称": "name", "所属乡镇": "parent", "统计用区划代码": "code"},
    }
    assert Unit.objects.count() == count


def test_the_command_commits_units_under_parents_of_the_same_file(
    demo_db: Demo, tmp_path: Path
) -> None:
    count = Unit.objects.count()
    path = write(tmp_path, "单位.csv", csv_bytes(UNITS, "gb18030"))
    code, out = command("units", path, "--commit", "--as", "office")
    assert code == 0, out
    assert "已导入：新增 4 项，更新 0 项，未变 0 项" in out
    assert Unit.objects.count() == count + 4
    town = Unit.objects.get(name="新设镇")
    village = Unit.objects.get(name="新设一村")
    assert (town.kind, town.parent.name if town.parent else "", town.code) == (
        "town",
        "永济市",
        "140881199000",
    )
    assert (village.kind, village.parent_id, village.code) == ("village", town.pk, "140881199201")
    assert UnitClosure.objects.filter(ancestor=town, descendant=village, depth=1).exists()
    code, out = command("units", path, "--commit", "--json")
    assert code == 0
    assert json.loads(out)["valid"] == 4
    assert Unit.objects.count() == count + 4
    batches = ImportBatch.objects.order_by("pk")
    assert [(b.created, b.unchanged) for b in batches] == [(4, 0), (0, 4)]
    events = SecurityEvent.objects.filter(kind="import").order_by("pk")
    assert [(e.username, e.detail["result"], e.detail["created"]) for e in events] == [
        ("office", "committed", 4),
        ("office", "committed", 0),
    ]


def test_errors_exit_1_and_write_nothing_unless_skip_invalid(demo_db: Demo, tmp_path: Path) -> None:
    count = Unit.objects.count()
    rows = [*UNITS[:6], [5, "某某", "新设镇", "", ""], [6, "孤村", "不存在镇", "", ""]]
    path = write(tmp_path, "单位.csv", csv_bytes(rows, "utf-8"))
    code, out = command("units", path, "--json")
    assert code == 1
    assert json.loads(out)["errors"] == [
        {"row": 7, "column": "", "message": "无法从名称“某某”判断单位类型，请填写类型"},
        {"row": 8, "column": "C", "message": "找不到单位“不存在镇”（或不在您的数据范围内）"},
    ]
    code, _ = command("units", path, "--commit")
    assert code == 1
    assert Unit.objects.count() == count
    code, out = command("units", path, "--commit", "--skip-invalid", "--json")
    assert code == 0
    assert json.loads(out)["valid"] == 4
    assert Unit.objects.count() == count + 4


def test_unusable_input_exits_2(demo_db: Demo, tmp_path: Path, settings: object) -> None:
    assert command("nothing", "x.csv")[0] == 2
    assert command("units", str(tmp_path / "missing.csv"))[0] == 2
    assert command("units", write(tmp_path, "a.txt", b"x"))[0] == 2
    assert command("units", write(tmp_path, "a.csv", b"a,b\n1,2\n"))[0] == 2  # no header
    assert command("units", write(tmp_path, "b.csv", csv_bytes(UNITS)), "--skip-invalid")[0] == 2
    assert command("units", write(tmp_path, "c.csv", csv_bytes(UNITS)), "--as", "nobody")[0] == 2
    settings.YANZHEN_UPLOAD_MAX_BYTES = 10  # type: ignore[attr-defined]
    code, out = command("units", write(tmp_path, "d.csv", csv_bytes(UNITS)), "--json")
    assert (code, json.loads(out.splitlines()[0])) == (
        2,
        {"error": "文件过大：上限 9.53674e-06 MB"},
    )
    assert SecurityEvent.objects.filter(kind="import").latest("pk").detail["result"] == "refused"


def test_a_workbook_sheet_is_chosen_by_name(demo_db: Demo, tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["说明"])
    other = book.create_sheet("名录")
    for row in UNITS:
        other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path = write(tmp_path, "单位.xlsx", buffer.getvalue())
    assert command("units", path)[0] == 2
    code, out = command("units", path, "--sheet", "名录", "--json")
    assert (code, json.loads(out)["rows"]) == (0, 4)
    assert command("units", path, "--sheet", "无此表")[0] == 2


def test_undoing_a_units_batch_deletes_the_units_it_made(demo_db: Demo, tmp_path: Path) -> None:
    from yanzhen.core.importing import batch_undo

    count = Unit.objects.count()
    path = write(tmp_path, "单位.csv", csv_bytes(UNITS))
    assert command("units", path, "--commit")[0] == 0
    batch = ImportBatch.objects.get()
    batch_undo(actor=demo_db.users["office"], batch=batch)
    assert Unit.objects.count() == count
    assert not Unit.objects.filter(name="新设镇").exists()
