"""The platform's certificate authority and timestamp authority, in plain Python
(``cryptography`` for keys and certificates, asn1crypto/pyHanko for the RFC 3161 tokens).

Keys are ECDSA P-256: quick to generate (a demo builds in a blink), accepted by pyHanko,
Acrobat and every PAdES validator. Everything here takes and returns bytes (PEM/DER); the
Django side (``signing.authority``) stores them, with the private keys encrypted at rest.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

ROOT_YEARS = 20
ORG_YEARS = 3
TSA_YEARS = 10
CRL_DAYS = 7


@dataclass(frozen=True)
class Issued:
    """A certificate (PEM) with its private key (PEM, PKCS#8, unencrypted: the caller seals it)."""

    certificate: bytes
    key: bytes
    serial: int
    not_before: dt.datetime
    not_after: dt.datetime


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: CertificateIssuerPrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def load_certificate(pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem)


def load_key(pem: bytes) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError("not an EC or RSA key")
    return key


def create_root(*, name: str, now: dt.datetime) -> Issued:
    """A self-signed root CA certificate (path length 0: it signs only end entities)."""
    key = _new_key()
    subject = _name(name, name)
    serial = x509.random_serial_number()
    not_after = now + dt.timedelta(days=365 * ROOT_YEARS)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(
        cert.public_bytes(serialization.Encoding.PEM),
        _key_pem(key),
        serial,
        cert.not_valid_before_utc,
        not_after,
    )


def issue(
    *,
    root_certificate: bytes,
    root_key: bytes,
    common_name: str,
    organisation: str,
    crl_url: str,
    now: dt.datetime,
    timestamping: bool = False,
) -> Issued:
    """An end-entity certificate signed by the root: a document signer (non-repudiation) or,
    with ``timestamping``, the TSA's certificate (critical extended key usage timeStamping)."""
    root = load_certificate(root_certificate)
    ca_key = load_key(root_key)
    # pyHanko's in-process TSA signs its tokens with RSA (PKCS#1 v1.5); signers use P-256.
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if timestamping
        else _new_key()
    )
    serial = x509.random_serial_number()
    years = TSA_YEARS if timestamping else ORG_YEARS
    not_after = min(now + dt.timedelta(days=365 * years), root.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not timestamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    cert = builder.sign(ca_key, hashes.SHA256())
    return Issued(
        cert.public_bytes(serialization.Encoding.PEM),
        _key_pem(key),
        serial,
        cert.not_valid_before_utc,
        not_after,
    )


@dataclass(frozen=True)
class Revoked:
    serial: int
    revoked_at: dt.datetime


def make_crl(
    *,
    root_certificate: bytes,
    root_key: bytes,
    number: int,
    revoked: list[Revoked],
    now: dt.datetime,
) -> bytes:
    """The CRL (DER) listing the revoked serials, valid for CRL_DAYS."""
    root = load_certificate(root_certificate)
    ca_key = load_key(root_key)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=CRL_DAYS))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    for item in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(item.serial)
            .revocation_date(item.revoked_at)
            .build()
        )
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def asn1_certificate(pem: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(
        load_certificate(pem).public_bytes(serialization.Encoding.DER)
    )


def asn1_key(pem: bytes) -> asn1_keys.PrivateKeyInfo:
    der = load_key(pem).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


class PlatformTimeStamper(DummyTimeStamper):
    """The platform's own RFC 3161 timestamp authority, run in process, on pyHanko's
    self-contained TSA: it answers a TimeStampReq with a TSTInfo (the message imprint, the
    request's nonce, the time) signed by the TSA certificate, the root embedded. Ours states
    the platform's policy OID and a random 63-bit serial number per token."""

    def __init__(
        self, *, tsa_certificate: bytes, tsa_key: bytes, root_certificate: bytes, policy: str
    ) -> None:
        root = asn1_certificate(root_certificate)
        self.policy = policy
        super().__init__(
            tsa_cert=asn1_certificate(tsa_certificate),
            tsa_key=asn1_key(tsa_key),
            certs_to_embed=[root],  # type: ignore[arg-type]
        )

    def _build_tst_info(
        self, message_imprint: tsp.MessageImprint, gen_time: dt.datetime, req: tsp.TimeStampReq
    ) -> tsp.TSTInfo:
        info: dict[str, object] = {
            "version": "v1",
            "policy": tsp.ObjectIdentifier(self.policy),
            "message_imprint": message_imprint,
            "serial_number": secrets.randbits(63),
            "gen_time": gen_time,
            "tsa": asn1_x509.GeneralName(name="directory_name", value=self.tsa_cert.subject),
        }
        if req["nonce"].native is not None:
            info["nonce"] = req["nonce"]
        return tsp.TSTInfo(info)
