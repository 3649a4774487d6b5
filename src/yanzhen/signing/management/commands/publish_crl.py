"""``yanzhen publish_crl``: sign a fresh certificate revocation list now (it is valid for 7
days; the platform also renews it when half of that has passed). Run daily by cron or the
worker so that a CRL embedded in a signature is never stale."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yanzhen.signing import authority


class Command(BaseCommand):
    help = "签发新的证书吊销列表（CRL）"

    def handle(self, *args: Any, **options: Any) -> None:
        authority.publish_crl()
        found = authority.authority()
        self.stdout.write(f"已签发第 {found.crl_number} 号证书吊销列表")
