"""The Debian packages CI installs: one installed counts as installed, whatever the length of
what its check reads."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _missing(tmp_path: Path, fonts: str) -> list[str]:
    """``scripts/debian-packages --missing`` with an ``fc-list`` that prints ``fonts`` (those
    of the family asked for, as fc-list does with a pattern ``:family=…``)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    listing = tmp_path / "fonts.txt"
    listing.write_text(fonts, encoding="utf-8")
    fc_list = bin_dir / "fc-list"
    fc_list.write_text(
        "#!/bin/sh\n"
        f'case "$1" in :family=*) grep -F -- ": ${{1#:family=}}" "{listing}" ;;'
        f' *) cat "{listing}" ;; esac\n',
        encoding="utf-8",
    )
    fc_list.chmod(0o755)
    result = subprocess.run(
        [str(ROOT / "scripts" / "debian-packages"), "--missing"],
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_the_fonts_installed_among_many_are_not_installed_again(tmp_path: Path) -> None:
    """``fc-list | grep -q`` under pipefail: grep ended at the first match, fc-list died of
    SIGPIPE writing the rest of a long list, and CI ran apt-get for installed fonts."""
    many = "".join(
        f"/usr/share/fonts/x/Other{n}.ttf: Other {n}:style=Regular\n" for n in range(9000)
    )
    fonts = f"/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc: Noto Serif CJK SC\n{many}"
    assert "fonts-noto-cjk" not in _missing(tmp_path, fonts)


def test_fonts_not_installed_are_listed(tmp_path: Path) -> None:
    assert "fonts-noto-cjk" in _missing(tmp_path, "")


def test_other_fonts_alone_are_not_the_chinese_fonts(tmp_path: Path) -> None:
    fonts = "/usr/share/fonts/x/DejaVuSans.ttf: DejaVu Sans:style=Book\n"
    assert "fonts-noto-cjk" in _missing(tmp_path, fonts)
