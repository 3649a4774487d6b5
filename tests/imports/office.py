"""An office's own sheet of any register (a title row, a 序号 column, a 合计 row, a 填表人
line), and ``yanzhen import`` run as the command line runs it."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management import call_command
from openpyxl import Workbook

from yanzhen.engines.idcard import check_digit


def office_sheet(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "Sheet1",
) -> bytes:
    """``title`` above the header, each row numbered in a 序号 column, then a blank line, a
    合计 row and a 填表人 line (rows ``len(rows) + 3`` … ``+ 5``)."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append([title])
    ws.append(["序号", *header])
    for number, row in enumerate(rows, start=1):
        ws.append([number, *row])
    ws.append([])
    ws.append(["合计", f"{len(rows)}条"])
    ws.append(["填表人：王芳", None, "审核人：李强"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def id_number(body: str) -> str:
    """A valid ID number from its first 17 digits."""
    return body + check_digit(body)


def command(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    err = io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as done:
        return int(done.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def run_json(register: str, path: str, *options: str) -> tuple[int, dict[str, Any]]:
    code, out = command(register, path, "--json", *options)
    return code, json.loads(out.splitlines()[0])


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def skipped(count: int) -> list[dict[str, object]]:
    """The skipped rows of :func:`office_sheet` with ``count`` rows."""
    return [
        {"row": count + 3, "reason": "空行"},
        {"row": count + 4, "reason": "合计行"},
        {"row": count + 5, "reason": "填表人、审核人等落款"},
    ]
