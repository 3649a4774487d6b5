"""Fixtures of the signing tests: a blank one-page PDF (no LibreOffice needed) and two
organisations with a signer each."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils import writer as pdf_writer

from yanzhen.signing import pades


def blank_pdf() -> bytes:
    writer = pdf_writer.PdfFileWriter()
    contents = writer.add_object(generic.StreamObject(stream_data=b""))
    writer.insert_page(pdf_writer.PageObject(contents=contents, media_box=pades.A4))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def plain_pdf() -> bytes:
    return blank_pdf()
