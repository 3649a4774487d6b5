"""PAdES B-LT signatures by the platform CA and TSA, verified offline; a changed byte makes
a signature invalid; ``yanzhen verify_signature`` with its JSON and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.management import call_command
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tests.signing.conftest import blank_pdf
from yanzhen.core.models import UnitKind
from yanzhen.core.services import unit_create
from yanzhen.signing import authority, pades, pki
from yanzhen.signing.seal import draw_seal

pytestmark = pytest.mark.django_db


def _sign(pdf: bytes, position: int, name: str) -> bytes:
    unit = unit_create(actor=None, parent=None, name=name, kind=UnitKind.ENTERPRISE)
    cert = authority.certificate_for(unit, actor=None)
    return pades.sign(
        pdf,
        pades.Signing(
            field_name=f"party{position + 1}",
            position=position,
            certificate=pki.asn1_certificate(cert.certificate.encode()),
            key_pem=authority.certificate_key(cert),
            root=authority.root_asn1(),
            signer_name=f"签署人{position + 1}",
            reason="签署",
            seal_png=draw_seal(name),
        ),
        timestamper=authority.timestamper(),
        context=authority.signing_context(),
    )


@pytest.fixture
def signed() -> bytes:
    return _sign(_sign(blank_pdf(), 0, "永济市甲单位"), 1, "西安乙大学")


def test_two_signatures_are_valid_b_lt_offline(signed: bytes) -> None:
    report = pades.verify(signed, roots=[authority.root_asn1()])
    assert report.valid is True
    assert report.intact is True
    assert [(s.field, s.organisation, s.signer, s.level, s.valid, s.trusted) for s in
            report.signatures] == [
        ("party1", "永济市甲单位", "签署人1", "PAdES-B-LT", True, True),
        ("party2", "西安乙大学", "签署人2", "PAdES-B-LT", True, True),
    ]  # fmt: skip


def test_pyhanko_alone_verifies_with_the_exported_ca(signed: bytes, tmp_path: Path) -> None:
    """What any validator does: the exported root, the PDF's own DSS, no fetching."""
    pem = tmp_path / "ca.pem"
    call_command("ca_certificate", "-o", str(pem))
    root = asn1_x509.Certificate.load(
        pki.load_certificate(pem.read_bytes()).public_bytes(Encoding.DER)
    )
    reader = PdfFileReader(io.BytesIO(signed))
    dss = DocumentSecurityStore.read_dss(reader)
    assert len(dss.crls) == 1
    for sig in reader.embedded_signatures:
        context = dss.as_validation_context(
            {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "hard-fail"}
        )
        status = validate_pdf_signature(sig, context)
        assert (status.intact, status.valid, status.trusted) == (True, True, True)
        assert status.timestamp_validity is not None
        assert status.timestamp_validity.trusted is True


def test_another_root_does_not_trust_the_signatures(signed: bytes) -> None:
    other = pki.create_root(name="别的根证书", now=timezone.now())
    report = pades.verify(signed, roots=[pki.asn1_certificate(other.certificate)])
    assert report.valid is False
    assert [s.trusted for s in report.signatures] == [False, False]
    assert [s.intact for s in report.signatures] == [True, True]


def _flip_in_content(pdf: bytes) -> bytes:
    """Change one byte of the first revision's page content, inside the signed range."""
    at = pdf.index(b"/MediaBox")
    changed = bytearray(pdf)
    changed[at + 1] = ord("N")  # /MediaBox -> /NediaBox
    return bytes(changed)


def test_a_changed_byte_makes_the_signatures_invalid(signed: bytes) -> None:
    report = pades.verify(_flip_in_content(signed), roots=[authority.root_asn1()])
    assert report.valid is False
    assert report.intact is False
    assert [s.intact for s in report.signatures] == [False, False]


def test_a_revoked_certificate_cannot_sign() -> None:
    unit = unit_create(actor=None, parent=None, name="已吊销单位", kind=UnitKind.ENTERPRISE)
    cert = authority.certificate_for(unit, actor=None)
    authority.certificate_revoke(actor=None, certificate=cert, reason="测试")
    with pytest.raises(pades.SigningFailedError):
        pades.sign(
            blank_pdf(),
            pades.Signing(
                field_name="party1",
                position=0,
                certificate=pki.asn1_certificate(cert.certificate.encode()),
                key_pem=authority.certificate_key(cert),
                root=authority.root_asn1(),
                signer_name="某人",
                reason="签署",
                seal_png=draw_seal("已吊销单位"),
            ),
            timestamper=authority.timestamper(),
            context=authority.signing_context(),
        )


def _run(path: Path) -> tuple[int, dict[str, object]]:
    out = io.StringIO()
    try:
        call_command("verify_signature", str(path), "--json", stdout=out)
    except SystemExit as exited:
        return int(exited.code or 0), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


def test_verify_signature_command(signed: bytes, tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    code, body = _run(good)
    assert code == 0
    assert body["valid"] is True
    assert body["intact"] is True
    signatures = body["signatures"]
    assert isinstance(signatures, list)
    assert [{k: v for k, v in s.items() if k != "signed_at"} for s in signatures] == [
        {"organisation": "永济市甲单位", "signer": "签署人1", "valid": True, "intact": True,
         "trusted": True, "level": "PAdES-B-LT"},
        {"organisation": "西安乙大学", "signer": "签署人2", "valid": True, "intact": True,
         "trusted": True, "level": "PAdES-B-LT"},
    ]  # fmt: skip
    assert all(str(s["signed_at"]).startswith("20") for s in signatures)

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_flip_in_content(signed))
    code, body = _run(bad)
    assert code == 1
    assert body["valid"] is False

    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(blank_pdf())
    assert _run(unsigned)[0] == 2
    text = tmp_path / "note.pdf"
    text.write_bytes(b"not a pdf at all")
    code, body = _run(text)
    assert code == 2
    assert body == {
        "valid": False,
        "intact": False,
        "signatures": [],
        "error": "不是已签名的 PDF 文件",
    }


def test_a_signature_without_revocation_data_is_a_signed_pdf_of_level_b_t(tmp_path: Path) -> None:
    """Signed elsewhere without embedding the CRL: still a signed PDF (exit 1, not 2), valid
    only if the revocation can be checked — offline and hard-fail, it cannot."""
    unit = unit_create(actor=None, parent=None, name="无吊销信息单位", kind=UnitKind.ENTERPRISE)
    cert = authority.certificate_for(unit, actor=None)
    signer = signers.SimpleSigner(
        signing_cert=pki.asn1_certificate(cert.certificate.encode()),
        signing_key=pki.asn1_key(authority.certificate_key(cert)),
        cert_registry=SimpleCertificateStore.from_certs([authority.root_asn1()]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(blank_pdf()))
    out = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name="s1", md_algorithm="sha256"),
        signer=signer,
        timestamper=authority.timestamper(),
    ).sign_pdf(writer, output=out)
    report = pades.verify(out.getvalue(), roots=[authority.root_asn1()])
    [only] = report.signatures
    assert (only.organisation, only.intact, only.level) == ("无吊销信息单位", True, "PAdES-B-T")
    assert (only.trusted, only.valid) == (False, False)
    path = tmp_path / "bt.pdf"
    path.write_bytes(out.getvalue())
    assert _run(path)[0] == 1
