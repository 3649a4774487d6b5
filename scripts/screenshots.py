"""`make screenshots`: the operator's manual's screenshots (docs/manual/img/), taken from the
platform with the Yongji demo in a temporary data directory (the same demo site the browser
tests start, ``tests/dbcache.demo_site``), signed in as each role, by Debian's Chromium driven
headless by Playwright (never a downloaded browser): desktop at 1280 × 800, phones at 390 × 844,
JPEG (quality 72) so that each image stays small.

    .venv/bin/python scripts/screenshots.py [--only NAME …] [--serve]

``--serve`` only starts the demo platform and prints its address (for writing the manual).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "manual" / "img"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PASSWORD = "Goose-Formation-2021"  # noqa: S105 (the demo's, yanzhen.demo.yongji)
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Shot:
    name: str  # docs/manual/img/<name>.jpg
    user: str
    path: str
    phone: bool = False
    click: str = ""  # a selector clicked before the picture (e.g. the menu button)
    select: tuple[str, int] | None = None  # (selector, option index) chosen before it


SHOTS: tuple[Shot, ...] = (
    Shot("login", "", "/login/"),
    Shot("office-dashboard", "office", "/"),
    Shot("office-cooperations", "office", "/cooperation/"),
    Shot("office-cooperation-new", "office", "/cooperation/new/"),
    Shot("office-bases", "office", "/cooperation/bases/"),
    Shot("office-reviews", "office", "/reviews/"),
    Shot("office-import", "office", "/imports/cooperation/"),
    Shot("office-demand-map", "office", "/demand/"),
    Shot("office-demand-map-industry", "office", "/demand/", select=("#graph-industry", 1)),
    Shot("office-talents", "office", "/talent/"),
    Shot("supervision-board", "office", "/supervision/"),
    Shot("office-problems", "office", "/supervision/problems/"),
    Shot("office-assessment", "office", "/assessment/"),
    Shot("office-search", "office", "/search/?q=xajtdx"),
    Shot("leader-overview", "leader", "/overview/"),
    Shot("leader-workbench", "leader", "/supervision/leader/"),
    Shot("base-milestones", "base", "/supervision/milestones/"),
    Shot("town-dashboard-phone", "town", "/", phone=True),
    Shot("town-menu-phone", "town", "/cooperation/", phone=True, click="#menu-toggle"),
    Shot("enterprise-dashboard", "enterprise", "/"),
    Shot("demand-map-phone", "enterprise", "/demand/", phone=True),
    Shot("university-hall", "university", "/portal/needs/"),
    Shot("sysadmin-users", "sysadmin", "/accounts/users/"),
    Shot("secadmin-roles", "secadmin", "/accounts/roles/"),
    Shot("auditor-events", "auditor", "/audit/events/"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(data: Path) -> dict[str, str]:
    """Django (test settings) in this process for tests/dbcache; the site's own environment."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yanzhen.test_settings")
    os.environ.pop("DATABASE_URL", None)  # the demo site runs on SQLite
    sys.path.insert(0, str(ROOT))
    import django  # here: the settings are chosen just above

    django.setup()
    from tests import dbcache  # here: it needs Django set up

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(YANZHEN_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="yanzhen.settings")
    env.update(dbcache.site_keys())
    dbcache.demo_site(data, env)
    return env


def _otp_secrets(env: dict[str, str]) -> dict[str, str]:
    """The demo accounts' TOTP secrets (the leader and the administrators need a code)."""
    code = (
        "import json, django; django.setup(); "
        "from yanzhen.demo.loader import demo_otp_secrets; "
        "print(json.dumps(dict(demo_otp_secrets())))"
    )
    out = subprocess.run(  # noqa: S603 (this interpreter, a fixed program)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@contextmanager
def demo_platform() -> Iterator[tuple[str, dict[str, str]]]:
    """The platform with the demo loaded, on a free port: (its address, the OTP secrets)."""
    with tempfile.TemporaryDirectory(prefix="yanzhen-screenshots-") as folder:
        env = _environment(Path(folder))
        secrets = _otp_secrets(env)
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 (this interpreter, a fixed command)
            [sys.executable, "-m", "yanzhen", "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/health/", timeout=5) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("演示平台未能启动") from None
                    time.sleep(0.2)
            yield url, secrets
        finally:
            process.terminate()
            process.wait(timeout=10)


def _totp(secret: str) -> str:
    # Here: Django is set up by the time a code is needed.
    import base64

    from django_otp.oath import totp

    return f"{totp(base64.b32decode(secret)):06d}"


def _sign_in(page: Page, url: str, user: str, secrets: dict[str, str]) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/otp/" in page.url:
        page.fill("#id_token", _totp(secrets[user]))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    if "/login/" in page.url or "/otp/" in page.url:
        raise SystemExit(f"{user} 未能登录")
    page.close()


def take(url: str, secrets: dict[str, str], only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright  # here: a development tool

    if not Path(CHROMIUM).exists():
        raise SystemExit("需要 Debian 的 chromium：apt-get install chromium")
    IMG.mkdir(parents=True, exist_ok=True)
    written = []
    shots = [s for s in SHOTS if not only or s.name in only]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        # One signed-in context per account and width: a TOTP code is accepted once per step.
        contexts: dict[tuple[str, bool], BrowserContext] = {}
        try:
            for shot in shots:
                key = (shot.user, shot.phone)
                if key not in contexts:
                    contexts[key] = browser.new_context(
                        viewport=PHONE if shot.phone else DESKTOP, locale="zh-CN"
                    )
                    if shot.user:
                        _sign_in(contexts[key].new_page(), url, shot.user, secrets)
                page = contexts[key].new_page()
                page.goto(f"{url}{shot.path}")
                page.wait_for_load_state("networkidle")
                if shot.select:
                    page.select_option(shot.select[0], index=shot.select[1])
                if shot.click:
                    page.click(shot.click)
                page.wait_for_timeout(400)  # the charts' first drawing
                target = IMG / f"{shot.name}.jpg"
                page.screenshot(path=str(target), type="jpeg", quality=72)
                written.append(target)
                size = target.stat().st_size // 1024
                sys.stdout.write(f"{target.relative_to(ROOT)}（{size} KB）\n")
                page.close()
        finally:
            for context in contexts.values():
                context.close()
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="操作手册截图（docs/manual/img/）")
    parser.add_argument("--only", nargs="*", default=[], help="只截这几张（名称）")
    parser.add_argument("--serve", action="store_true", help="只启动演示平台，不截图")
    args = parser.parse_args()
    with demo_platform() as (url, secrets):
        if args.serve:
            # Ended by Ctrl-C or by `kill`: either way the server is stopped with it.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            sys.stdout.write(f"演示平台：{url}（Ctrl-C 结束）\n")
            sys.stdout.flush()
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return
        take(url, secrets, set(args.only))


if __name__ == "__main__":
    main()
