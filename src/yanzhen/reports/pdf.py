"""PDF from a .docx, by LibreOffice headless (Debian: ``libreoffice-writer-nogui``).

Each conversion runs ``soffice --headless --convert-to pdf`` in a temporary directory with a
user profile of its own (so conversions may run side by side and never touch a desktop
LibreOffice's profile), under a time limit, with ``FONTCONFIG_FILE`` pointing at the package's
``fonts/fonts.conf``: the fonts the .docx names (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体)
are not installable on Debian and are drawn with Noto CJK (``fonts-noto-cjk``). The Debian
packages are listed by ``scripts/debian-packages``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
TIMEOUT = 120.0


class PdfError(Exception):
    """The PDF could not be made (message in Chinese)."""


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: float = TIMEOUT) -> bytes:
    """The PDF of a .docx (PdfError if LibreOffice is missing, fails or takes too long)."""
    program = soffice()
    if program is None:
        raise PdfError(
            "未安装 LibreOffice，无法生成 PDF：请安装 Debian 软件包 libreoffice-writer-nogui "
            "和 fonts-noto-cjk（scripts/debian-packages --install）"
        )
    with tempfile.TemporaryDirectory(prefix="yanzhen-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(data)
        env = {
            **os.environ,
            "FONTCONFIG_FILE": str(FONTS_CONF),
            "HOME": str(work),
        }
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        # The program is LibreOffice found on PATH; the arguments are our own paths.
        process = subprocess.Popen(  # noqa: S603
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=work,
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfError(f"LibreOffice 生成 PDF 超时（{timeout:g} 秒），已中止") from None
        finally:
            _kill_group(process.pid)
        result = work / "out" / "document.pdf"
        if process.returncode != 0 or not result.exists():
            detail = stderr.decode("utf-8", "replace").strip()[-500:]
            raise PdfError(
                f"LibreOffice 未能生成 PDF（退出码 {process.returncode}）"
                + (f"：{detail}" if detail else "")
            )
        return result.read_bytes()


def _kill_group(pgid: int) -> None:
    """End whatever the conversion left running (LibreOffice may leave a helper behind)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
