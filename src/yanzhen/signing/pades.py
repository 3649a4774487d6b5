"""PAdES signing and validation with pyHanko, apart from the database.

- :func:`with_signature_page` appends the page where the parties' seals go (A4, blank: the
  text of the agreement ends with the list of the parties and refers to it).
- :func:`sign` adds one party's signature as an incremental update: PAdES baseline B-LT (a
  CAdES-detached signature, the signature timestamp of an RFC 3161 TSA, and the certificates
  and CRL that validate it in the document security store), with a visible signature: the
  seal image and the time.
- :func:`verify` checks every signature against a root certificate, using only what the PDF
  carries (its DSS): no network.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from PIL import Image
from pyhanko import stamp
from pyhanko.pdf_utils import generic, images
from pyhanko.pdf_utils import writer as pdf_writer
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from yanzhen.signing.pki import asn1_key

A4 = (0.0, 0.0, 595.28, 841.89)
BOX_W, BOX_H = 160.0, 160.0
COLUMNS = 3


class NotSignedError(Exception):
    """The file is not a PDF, or a PDF without signatures."""


def with_signature_page(pdf: bytes) -> bytes:
    """The PDF with a blank A4 page appended for the signatures."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
    except (PdfReadError, ValueError) as error:
        raise NotSignedError(str(error)) from error
    writer = pdf_writer.copy_into_new_writer(reader)
    contents = writer.add_object(generic.StreamObject(stream_data=b""))
    writer.insert_page(pdf_writer.PageObject(contents=contents, media_box=A4))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def box(position: int) -> tuple[int, int, int, int]:
    """Where the ``position``-th party's seal sits on the signature page (3 a row, from the
    top)."""
    row, column = divmod(position, COLUMNS)
    x = 50 + column * (BOX_W + 12)
    y = 600 - row * (BOX_H + 30)
    return (round(x), round(y), round(x + BOX_W), round(y + BOX_H))


@dataclass(frozen=True)
class Signing:
    """What one signature needs."""

    field_name: str
    position: int
    certificate: asn1_x509.Certificate
    key_pem: bytes
    root: asn1_x509.Certificate
    signer_name: str  # the person, recorded as the signature's /Name
    reason: str
    seal_png: bytes


def sign(
    pdf: bytes, signing: Signing, *, timestamper: TimeStamper, context: ValidationContext
) -> bytes:
    """The PDF with one more signature (B-LT), visible with the seal."""
    signer = signers.SimpleSigner(
        signing_cert=signing.certificate,
        signing_key=asn1_key(signing.key_pem),
        cert_registry=SimpleCertificateStore.from_certs([signing.root]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(signing.field_name, on_page=-1, box=box(signing.position)),
    )
    seal = Image.open(io.BytesIO(signing.seal_png)).convert("RGBA")
    style = stamp.TextStampStyle(
        stamp_text="%(ts)s",
        timestamp_format="%Y-%m-%d %H:%M:%S %Z",
        background=images.PdfImage(seal),
        background_opacity=1.0,
        border_width=0,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=signing.field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        validation_context=context,
        use_pades_lta=False,
        name=signing.signer_name,
        reason=signing.reason,
        location="雁阵平台",
    )
    out = io.BytesIO()
    try:
        signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style).sign_pdf(
            writer, output=out
        )
    except SigningError as error:
        raise SigningFailedError(str(error)) from error
    return out.getvalue()


class SigningFailedError(Exception):
    """pyHanko refused to sign (e.g. a revoked certificate under hard-fail revocation)."""


@dataclass(frozen=True)
class SignatureResult:
    field: str
    organisation: str
    signer: str
    signed_at: str  # ISO 8601, from the timestamp token when there is one
    valid: bool
    intact: bool
    trusted: bool
    level: str  # PAdES-B-B, PAdES-B-T, PAdES-B-LT, PAdES-B-LTA


@dataclass(frozen=True)
class Report:
    signatures: tuple[SignatureResult, ...]

    @property
    def valid(self) -> bool:
        return bool(self.signatures) and all(s.valid for s in self.signatures)

    @property
    def intact(self) -> bool:
        return bool(self.signatures) and all(s.intact for s in self.signatures)

    def as_json(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "intact": self.intact,
            "signatures": [
                {
                    "organisation": s.organisation,
                    "signer": s.signer,
                    "signed_at": s.signed_at,
                    "valid": s.valid,
                    "intact": s.intact,
                    "trusted": s.trusted,
                    "level": s.level,
                }
                for s in self.signatures
            ],
        }


def _organisation(cert: asn1_x509.Certificate) -> str:
    native = cert.subject.native
    return str(native.get("organization_name") or native.get("common_name") or "")


def verify(pdf: bytes, *, roots: list[asn1_x509.Certificate]) -> Report:
    """Validate every signature of the PDF against ``roots`` with only what it embeds."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise NotSignedError(str(error)) from error
    if not embedded:
        raise NotSignedError("没有电子签名")
    dss: DocumentSecurityStore | None
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        dss = None  # signed without revocation data (B-B or B-T): validated without it
    has_dss = dss is not None and bool(dss.crls or dss.ocsps)
    context_kwargs: dict[str, object] = {
        "trust_roots": roots,
        "allow_fetching": False,
        "revocation_mode": "hard-fail",
    }
    results = []
    for sig in embedded:
        context = (
            dss.as_validation_context(context_kwargs)
            if dss is not None
            else ValidationContext(
                trust_roots=roots,
                allow_fetching=False,
                revocation_mode="hard-fail",
                crls=[],
                ocsps=[],
            )
        )
        try:
            status = validate_pdf_signature(sig, context)
        except (SignatureValidationError, ValueError, KeyError):
            results.append(
                SignatureResult(
                    sig.field_name, "", "", "", valid=False, intact=False, trusted=False, level=""
                )
            )
            continue
        stamped = status.timestamp_validity
        when = stamped.timestamp if stamped is not None else status.signer_reported_dt
        level = "PAdES-B-B"
        if stamped is not None:
            level = "PAdES-B-LT" if has_dss else "PAdES-B-T"
        name = sig.sig_object.get("/Name")
        results.append(
            SignatureResult(
                field=sig.field_name,
                organisation=_organisation(status.signing_cert),
                signer=str(name) if name is not None else "",
                signed_at=when.isoformat() if when is not None else "",
                valid=bool(status.bottom_line),
                intact=bool(status.intact),
                trusted=bool(status.trusted),
                level=level,
            )
        )
    return Report(tuple(results))
