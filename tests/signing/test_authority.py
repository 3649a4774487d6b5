"""The platform's CA and TSA: created once, keys sealed at rest, a certificate per
organisation on demand, revocation published in the CRL, the root exported by command."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from yanzhen.core import crypto
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, UnitKind
from yanzhen.core.services import unit_create
from yanzhen.signing import authority, pki
from yanzhen.signing.models import Authority, OrganisationCertificate

pytestmark = pytest.mark.django_db


def _unit(name: str) -> Unit:
    return unit_create(actor=None, parent=None, name=name, kind=UnitKind.ENTERPRISE)


def test_the_authority_is_created_once_with_its_keys_sealed() -> None:
    first = authority.authority()
    second = authority.authority()
    assert Authority.objects.count() == 1
    assert first.pk == second.pk
    for stored in (first.key, first.tsa_key):
        assert stored.startswith("enc1:")
        assert "PRIVATE KEY" not in stored
        assert crypto.decrypt(stored).startswith("-----BEGIN PRIVATE KEY-----")
    root = x509.load_pem_x509_certificate(first.certificate.encode())
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert root.subject.rfc4514_string() == (
        f"CN={authority.ROOT_NAME},O={authority.ROOT_NAME},C=CN"
    )
    tsa = x509.load_pem_x509_certificate(first.tsa_certificate.encode())
    usage = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical is True
    assert list(usage.value) == [x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]
    tsa.verify_directly_issued_by(root)


def test_an_organisation_gets_one_certificate_issued_on_demand() -> None:
    unit = _unit("永济示范企业")
    cert = authority.certificate_for(unit, actor=None)
    again = authority.certificate_for(unit, actor=None)
    assert cert.pk == again.pk
    assert OrganisationCertificate.objects.filter(unit=unit).count() == 1
    assert cert.key.startswith("enc1:")
    parsed = x509.load_pem_x509_certificate(cert.certificate.encode())
    assert parsed.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == (
        "永济示范企业"
    )
    assert format(parsed.serial_number, "x") == cert.serial
    root = x509.load_pem_x509_certificate(authority.root_pem())
    parsed.verify_directly_issued_by(root)
    points = parsed.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value == "http://localhost:8000/signing/ca.crl"


def test_a_revoked_certificate_is_in_the_new_crl_and_a_new_one_is_issued() -> None:
    unit = _unit("被吊销的企业")
    cert = authority.certificate_for(unit, actor=None)
    number = authority.authority().crl_number
    authority.certificate_revoke(actor=None, certificate=cert, reason="私钥泄露")
    crl = x509.load_der_x509_crl(authority.crl_der())
    assert crl.get_revoked_certificate_by_serial_number(int(cert.serial, 16)) is not None
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == number + 1
    root_key = x509.load_pem_x509_certificate(authority.root_pem()).public_key()
    assert isinstance(root_key, ec.EllipticCurvePublicKey)
    assert crl.is_signature_valid(root_key) is True
    fresh = authority.certificate_for(unit, actor=None)
    assert fresh.pk != cert.pk
    assert crl.get_revoked_certificate_by_serial_number(int(fresh.serial, 16)) is None


def test_revoking_twice_or_without_a_reason_is_refused() -> None:
    cert = authority.certificate_for(_unit("企业甲"), actor=None)
    with pytest.raises(DomainError) as error:
        authority.certificate_revoke(actor=None, certificate=cert, reason=" ")
    assert error.value.fields == {"reason": "请填写吊销原因"}
    cert.refresh_from_db()
    assert cert.revoked_at is None
    authority.certificate_revoke(actor=None, certificate=cert, reason="单位注销")
    with pytest.raises(DomainError) as error:
        authority.certificate_revoke(actor=None, certificate=cert, reason="再次")
    assert error.value.fields == {"reason": "该证书已吊销"}


def test_ca_certificate_command_exports_the_root(tmp_path: Path) -> None:
    target = tmp_path / "ca.pem"
    crl = tmp_path / "ca.crl"
    call_command("ca_certificate", "-o", str(target), "--crl", str(crl))
    assert target.read_bytes() == authority.authority().certificate.encode()
    assert (
        x509.load_der_x509_crl(crl.read_bytes()).issuer
        == x509.load_pem_x509_certificate(target.read_bytes()).subject
    )
    out = io.StringIO()
    call_command("ca_certificate", stdout=out)


def test_the_timestamp_token_is_signed_by_the_platform_tsa() -> None:
    stamper = authority.timestamper()
    assert isinstance(stamper, pki.PlatformTimeStamper)
    token = asyncio.run(stamper.async_timestamp(b"\x00" * 32, "sha256"))
    signed = token["content"]
    info = signed["encap_content_info"]["content"].parsed
    assert info["policy"].dotted == authority.DEFAULT_TSA_POLICY
    assert info["message_imprint"]["hashed_message"].native == b"\x00" * 32
    tsa = x509.load_pem_x509_certificate(authority.authority().tsa_certificate.encode())
    embedded = {c.chosen.dump() for c in signed["certificates"]}
    assert tsa.public_bytes(Encoding.DER) in embedded


def test_an_external_tsa_is_used_when_configured(settings: object) -> None:
    settings.YANZHEN_TSA_URL = "http://tsa.example.invalid/tsa"  # type: ignore[attr-defined]
    stamper = authority.timestamper()
    assert type(stamper).__name__ == "HTTPTimeStamper"
    assert stamper.url == "http://tsa.example.invalid/tsa"  # type: ignore[attr-defined]


def test_revoke_certificate_and_publish_crl_commands() -> None:
    cert = authority.certificate_for(_unit("命令吊销企业"), actor=None)
    out = io.StringIO()
    call_command("revoke_certificate", cert.serial, "--reason", "私钥泄露", stdout=out)
    assert out.getvalue() == f"已吊销 命令吊销企业 的证书 {cert.serial}，并发布新的吊销列表\n"
    cert.refresh_from_db()
    assert cert.revocation_reason == "私钥泄露"
    with pytest.raises(CommandError, match="该证书已吊销"):
        call_command("revoke_certificate", cert.serial, "--reason", "再次")
    with pytest.raises(CommandError, match="没有序列号为 abc 的证书"):
        call_command("revoke_certificate", "abc", "--reason", "x")
    number = authority.authority().crl_number
    out = io.StringIO()
    call_command("publish_crl", stdout=out)
    assert out.getvalue() == f"已签发第 {number + 1} 号证书吊销列表\n"
    crl = x509.load_der_x509_crl(authority.crl_der())
    assert crl.get_revoked_certificate_by_serial_number(int(cert.serial, 16)) is not None


def test_the_certificate_and_crl_are_published_without_login(client: Client) -> None:
    response = client.get(reverse("signing:ca_certificate"))
    assert response.status_code == 200
    assert response.content == authority.root_pem()
    assert response["Content-Type"] == "application/x-pem-file"
    response = client.get(reverse("signing:ca_crl"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    assert response.content == authority.crl_der()
    assert reverse("signing:ca_crl") == "/signing/ca.crl"  # the address in every certificate
