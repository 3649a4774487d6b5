"""``yanzhen ca_certificate -o FILE.pem``: the platform CA's root certificate (PEM), to trust in
any PDF validator (pyHanko, Acrobat) so that it verifies the signed agreements on its own.
``--crl FILE.crl`` also writes the current certificate revocation list (DER)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yanzhen.signing import authority


class Command(BaseCommand):
    help = "导出平台电子签章根证书（PEM），供任何 PDF 验证工具独立验证已签署的协议"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="写入的文件（缺省：标准输出）")
        parser.add_argument("--crl", help="同时写出当前证书吊销列表（DER）到该文件")

    def handle(self, *args: Any, **options: Any) -> None:
        pem = authority.root_pem()
        if options["output"]:
            Path(options["output"]).write_bytes(pem)
        else:
            sys.stdout.write(pem.decode("ascii"))
        if options["crl"]:
            Path(options["crl"]).write_bytes(authority.crl_der())
