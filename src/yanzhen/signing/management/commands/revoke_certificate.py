"""``yanzhen revoke_certificate SERIAL --reason TEXT``: revoke an organisation's signing
certificate (its key is compromised, the organisation is gone) and publish the new CRL at
once. The organisation gets a new certificate at its next signature."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yanzhen.core.errors import DomainError
from yanzhen.signing import authority
from yanzhen.signing.models import OrganisationCertificate


class Command(BaseCommand):
    help = "吊销单位签名证书并发布新的证书吊销列表"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("serial", help="证书序列号（十六进制）")
        parser.add_argument("--reason", required=True, help="吊销原因")

    def handle(self, *args: Any, **options: Any) -> None:
        serial = options["serial"].strip().lower().removeprefix("0x")
        certificate = OrganisationCertificate.objects.filter(serial=serial).first()
        if certificate is None:
            raise CommandError(f"没有序列号为 {serial} 的证书")
        try:
            authority.certificate_revoke(
                actor=None, certificate=certificate, reason=options["reason"]
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"已吊销 {certificate.unit.name} 的证书 {serial}，并发布新的吊销列表")
