"""Small files built to hurt a spreadsheet reader: huge grids, zip bombs, XML entities, a BIFF
workbook with far-away cells. Each is built here, in the test, never shipped."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_xml(cells: Iterable[tuple[str, str]], *, dimension: str = "", prolog: str = "") -> str:
    """A worksheet of inline-string cells ``(reference, text)``, one row element each."""
    rows = "".join(
        f'<row r="{"".join(ch for ch in ref if ch.isdigit())}"><c r="{ref}" t="inlineStr">'
        f"<is><t>{text}</t></is></c></row>"
        for ref, text in cells
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">{dim}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def xlsx(sheet: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal workbook with ``sheet`` as its only worksheet (and ``extra`` members)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buffer.getvalue()


def zeros_member(name: str, megabytes: int) -> bytes:
    """A workbook with a member of ``megabytes`` MB of zeros (written in chunks)."""
    buffer = io.BytesIO(xlsx(sheet_xml([("A1", "x")])))
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open(name, "w", force_zip64=True) as out,
    ):
        for _ in range(megabytes):
            out.write(chunk)
    return buffer.getvalue()


def lying_member(megabytes: int, claimed: int) -> bytes:
    """A workbook whose last member inflates to ``megabytes`` MB but claims ``claimed`` bytes
    in both its local header and the central directory."""
    data = bytearray(zeros_member("xl/media/image1.bin", megabytes))
    real = megabytes * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/media/image1.bin")
    # Local header: uncompressed size at offset 22 (zip64 keeps it in the extra field).
    local = info.header_offset
    extra_len = struct.unpack_from("<H", data, local + 28)[0]
    name_len = struct.unpack_from("<H", data, local + 26)[0]
    extra = local + 30 + name_len
    _patch_size(data, extra, extra_len, real, claimed)
    if struct.unpack_from("<I", data, local + 22)[0] == real:
        struct.pack_into("<I", data, local + 22, claimed)
    central = bytes(data).rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, claimed)
    c_name = struct.unpack_from("<H", data, central + 28)[0]
    c_extra = struct.unpack_from("<H", data, central + 30)[0]
    _patch_size(data, central + 46 + c_name, c_extra, real, claimed)
    return bytes(data)


def _patch_size(data: bytearray, start: int, length: int, real: int, claimed: int) -> None:
    position = start
    while position + 4 <= start + length:
        tag, size = struct.unpack_from("<HH", data, position)
        if tag == 0x0001:  # zip64: uncompressed size first
            for offset in range(position + 4, position + 4 + size, 8):
                if struct.unpack_from("<Q", data, offset)[0] == real:
                    struct.pack_into("<Q", data, offset, claimed)
        position += 4 + size


# .xls: BIFF8 records in an OLE2 compound file ----------------------------------------------------

END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff(cells: Iterable[tuple[int, int]]) -> bytes:
    """A BIFF8 workbook stream with one worksheet holding a number at each ``(row, col)``."""
    bof_globals = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    name = b"S"
    eof = _record(0x000A, b"")
    position = len(bof_globals) + 4 + 8 + len(name) + len(eof)
    sheet = _record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(name), 0) + name)
    out = bof_globals + sheet + eof
    out += _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
    for row, col in cells:
        out += _record(0x0203, struct.pack("<HHHd", row, col, 0, 1.0))
    return out + eof


def xls(stream: bytes) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``stream`` as Workbook."""
    stream = stream + b"\0" * (-len(stream) % 512)
    stream += b"\0" * max(0, 4096 - len(stream))  # past the mini-stream cutoff
    sectors = len(stream) // 512
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
    header += struct.pack("<I", 0) + struct.pack("<108I", *([FREE] * 108))
    fat = [FATSECT, END] + [3 + i for i in range(sectors - 1)] + [END]
    fat += [FREE] * (128 - len(fat))

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = label.encode("utf-16-le") + b"\0\0" if label else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1 if label else 0)
            + struct.pack("<III", NOSTREAM, NOSTREAM, child)
            + b"\0" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, END, 0) + entry("Workbook", 2, NOSTREAM, 2, len(stream))
    directory += entry("", 0, NOSTREAM, 0, 0) * 2
    return header + struct.pack("<128I", *fat) + directory + stream
