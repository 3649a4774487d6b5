"""Copy the front-end packages installed by npm into our static files (no CDN, ever).

Run by ``make setup``: ``python -m yanzhen.assets [node_modules]``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

STATIC_VENDOR = Path(__file__).resolve().parent / "static" / "vendor"

# (file inside node_modules, name under static/vendor/)
FILES: tuple[tuple[str, str], ...] = (
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts.min.js"),
    ("@picocss/pico/css/pico.min.css", "pico.min.css"),
)


def copy_assets(node_modules: Path, target: Path = STATIC_VENDOR) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source, name in FILES:
        path = node_modules / source
        if not path.is_file():
            raise SystemExit(f"缺少前端包文件 {path}：请先运行 npm ci")
        shutil.copyfile(path, target / name)
        copied.append(target / name)
    return copied


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd() / "node_modules"
    for path in copy_assets(root):
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
