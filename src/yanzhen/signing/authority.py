"""The platform's CA and TSA as stored: created once per deployment, private keys sealed with
the platform's field key (``core.crypto``), one signing certificate per organisation issued
on demand, revocation with a CRL the platform publishes (``/signing/ca.crl``), and the
timestamper (our own in process, or an external RFC 3161 TSA by ``YANZHEN_TSA_URL``)."""

from __future__ import annotations

import os

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator import ValidationContext

from yanzhen.core import crypto
from yanzhen.core.errors import DomainError
from yanzhen.core.models import Unit, User
from yanzhen.signing import pki
from yanzhen.signing.models import Authority, OrganisationCertificate

ROOT_NAME = "雁阵平台电子签章根证书"
TSA_NAME = "雁阵平台时间戳服务"
# The platform's TSA policy: an OID under the UUID arc (ITU-T X.667), which needs no registry.
DEFAULT_TSA_POLICY = "2.25.223463858612155384437446089419125327117"


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "") or default)


def crl_url() -> str:
    """Where the CRL is published (named in every certificate the CA issues)."""
    base = _setting("YANZHEN_SIGNING_BASE_URL", "http://localhost:8000").rstrip("/")
    return f"{base}/signing/ca.crl"


def _seal(pem: bytes) -> str:
    return crypto.encrypt(pem.decode("ascii"))


def _open(stored: str) -> bytes:
    return crypto.decrypt(stored).encode("ascii")


@transaction.atomic
def authority() -> Authority:
    """The deployment's CA and TSA (created on first use: one root key, one TSA key)."""
    found = Authority.objects.select_for_update().first()
    if found is not None:
        return found
    now = timezone.now()
    root = pki.create_root(name=ROOT_NAME, now=now)
    tsa = pki.issue(
        root_certificate=root.certificate,
        root_key=root.key,
        common_name=TSA_NAME,
        organisation=ROOT_NAME,
        crl_url=crl_url(),
        now=now,
        timestamping=True,
    )
    crl = pki.make_crl(
        root_certificate=root.certificate, root_key=root.key, number=1, revoked=[], now=now
    )
    return Authority.objects.create(
        name=ROOT_NAME,
        certificate=root.certificate.decode("ascii"),
        key=_seal(root.key),
        tsa_certificate=tsa.certificate.decode("ascii"),
        tsa_key=_seal(tsa.key),
        crl=crl,
        crl_number=1,
        crl_updated_at=now,
        created_at=now,
    )


def root_pem() -> bytes:
    return authority().certificate.encode("ascii")


def root_asn1() -> asn1_x509.Certificate:
    return pki.asn1_certificate(root_pem())


def crl_der() -> bytes:
    """The current CRL, re-signed when past half its life (the platform keeps it fresh)."""
    found = authority()
    age = timezone.now() - found.crl_updated_at
    if age.days * 2 >= pki.CRL_DAYS:
        return publish_crl()
    return bytes(found.crl)


@transaction.atomic
def publish_crl() -> bytes:
    """Sign a new CRL listing every revoked certificate."""
    found = authority()
    now = timezone.now()
    revoked = [
        pki.Revoked(int(c.serial, 16), c.revoked_at)
        for c in OrganisationCertificate.objects.filter(revoked_at__isnull=False).order_by("pk")
        if c.revoked_at is not None
    ]
    number = found.crl_number + 1
    found.crl = pki.make_crl(
        root_certificate=found.certificate.encode("ascii"),
        root_key=_open(found.key),
        number=number,
        revoked=revoked,
        now=now,
    )
    found.crl_number = number
    found.crl_updated_at = now
    found.save(update_fields=["crl", "crl_number", "crl_updated_at"])
    return bytes(found.crl)


def current_certificate(unit: Unit) -> OrganisationCertificate | None:
    now = timezone.now()
    return (
        OrganisationCertificate.objects.filter(
            unit=unit, revoked_at__isnull=True, not_after__gt=now
        )
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def certificate_for(unit: Unit, *, actor: User | None) -> OrganisationCertificate:
    """The unit's valid signing certificate, issued now if it has none."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    found = current_certificate(unit)
    if found is not None:
        return found
    ca = authority()
    issued = pki.issue(
        root_certificate=ca.certificate.encode("ascii"),
        root_key=_open(ca.key),
        common_name=unit.name,
        organisation=unit.name,
        crl_url=crl_url(),
        now=timezone.now(),
    )
    return OrganisationCertificate.objects.create(
        unit=unit,
        serial=format(issued.serial, "x"),
        certificate=issued.certificate.decode("ascii"),
        key=_seal(issued.key),
        not_before=issued.not_before,
        not_after=issued.not_after,
        created_by=actor,
        updated_by=actor,
    )


@transaction.atomic
def certificate_revoke(
    *, actor: User | None, certificate: OrganisationCertificate, reason: str
) -> OrganisationCertificate:
    """Revoke a certificate and publish the new CRL at once."""
    if certificate.revoked_at is not None:
        message = "该证书已吊销"
        raise DomainError("revoked", message, {"reason": message})
    if not reason.strip():
        message = "请填写吊销原因"
        raise DomainError("invalid", message, {"reason": message})
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason.strip()[:200]
    certificate.updated_by = actor
    certificate.save(update_fields=["revoked_at", "revocation_reason", "updated_by", "updated_at"])
    publish_crl()
    return certificate


def certificate_key(certificate: OrganisationCertificate) -> bytes:
    return _open(certificate.key)


def timestamper() -> TimeStamper:
    """An external TSA when ``YANZHEN_TSA_URL`` names one, else the platform's own."""
    url = _setting("YANZHEN_TSA_URL")
    if url:
        return HTTPTimeStamper(url)
    ca = authority()
    return pki.PlatformTimeStamper(
        tsa_certificate=ca.tsa_certificate.encode("ascii"),
        tsa_key=_open(ca.tsa_key),
        root_certificate=ca.certificate.encode("ascii"),
        policy=_setting("YANZHEN_TSA_POLICY", DEFAULT_TSA_POLICY),
    )


def signing_context() -> ValidationContext:
    """What a signature embeds for B-LT: the root as trust anchor and the current CRL, no
    fetching (the intranet has no network; everything is ours)."""
    return ValidationContext(
        trust_roots=[root_asn1()],
        crls=[asn1_crl.CertificateList.load(crl_der())],
        allow_fetching=False,
        revocation_mode="hard-fail",
    )
