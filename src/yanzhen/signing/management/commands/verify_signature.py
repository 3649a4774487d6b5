"""``yanzhen verify_signature FILE.pdf [--json] [--ca FILE.pem]``: check every signature of a
PDF against the platform's root (or the PEM given), offline, with only what the PDF embeds.

``--json`` prints ``{"valid", "intact", "signatures": [{"organisation", "signer", "signed_at",
"valid", "intact", "trusted", "level"}]}``. Exit code 0 when every signature is valid, 1 when
one is not, 2 for a file that is not a signed PDF."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yanzhen.signing import authority, pades, pki

EXIT_INVALID = 1
EXIT_NOT_SIGNED = 2


class Command(BaseCommand):
    help = "验证 PDF 中的电子签名（离线，仅用文件内嵌的证书和吊销信息）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="PDF 文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--ca", help="信任的根证书（PEM；缺省：本平台根证书）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            self._out(options, None, f"无法读取文件：{error.strerror}")
            sys.exit(EXIT_NOT_SIGNED)
        root = (
            pki.asn1_certificate(Path(options["ca"]).read_bytes())
            if options["ca"]
            else authority.root_asn1()
        )
        try:
            report = pades.verify(data, roots=[root])
        except pades.NotSignedError:
            self._out(options, None, "不是已签名的 PDF 文件")
            sys.exit(EXIT_NOT_SIGNED)
        self._out(options, report, "")
        if not report.valid:
            sys.exit(EXIT_INVALID)

    def _out(self, options: dict[str, Any], report: pades.Report | None, message: str) -> None:
        if options["json"]:
            body: dict[str, object] = (
                report.as_json()
                if report is not None
                else {"valid": False, "intact": False, "signatures": [], "error": message}
            )
            self.stdout.write(json.dumps(body, ensure_ascii=False))
            return
        if report is None:
            self.stderr.write(message)
            return
        for s in report.signatures:
            verdict = "有效" if s.valid else "无效"
            self.stdout.write(
                f"{s.organisation}（{s.signer}） {s.signed_at} {s.level} {verdict}"
                f"（完整：{'是' if s.intact else '否'}，可信：{'是' if s.trusted else '否'}）"
            )
        self.stdout.write("全部签名有效" if report.valid else "存在无效签名")
