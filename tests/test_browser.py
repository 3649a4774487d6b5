"""End to end in a real browser: the platform served by its own process (a fresh SQLite
database with the Yongji demo), Debian's Chromium driven headless by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests import dbcache

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("browser-data")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(YANZHEN_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="yanzhen.settings")
    env.update(dbcache.site_keys())  # the template database was migrated with these keys
    # The demo's 12 bases count as a long list here, so that the base picker searches.
    env.update(YANZHEN_LONG_LIST="10")
    command = [sys.executable, "-m", "yanzhen"]
    dbcache.demo_site(data, env)  # the demo loaded once for the suite's sites
    port = _free_port()
    process = subprocess.Popen(
        [*command, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded CI machine runs the system checks slowly
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the server did not start (exit code {process.poll()})")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def page(server: str) -> Iterator[Page]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        yield context.new_page()
        context.close()
        browser.close()


def csp_violations(page: Page) -> list[str]:
    """The messages of the Content Security Policy's refusals on this page, as they come."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def log_in(page: Page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", "Goose-Formation-2021")
    page.click("button[type=submit]")


def test_the_office_logs_in_and_reads_the_funnel(server: str, page: Page) -> None:
    violations = csp_violations(page)
    page.goto(f"{server}/")
    assert page.url.startswith(f"{server}/login/")
    log_in(page, "office")
    page.wait_for_url(f"{server}/")
    values = {
        label: page.locator(f'[data-figure="{label}"] .value').inner_text()
        for label in ("合作意向", "签约协议", "落地项目", "合作高校（院所）")
    }
    assert values == {
        "合作意向": "120",
        "签约协议": "81",
        "落地项目": "63",
        "合作高校（院所）": "38",
    }
    # The charts are drawn from our own static ECharts (no network), one canvas per chart.
    page.wait_for_selector("[data-chart='funnel'] canvas")
    assert page.locator("[data-chart] canvas").count() == 6
    # Phone width: nothing wider than the screen but the tables' own scrolling boxes.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The year selector works without inline script (the policy forbids it).
    page.select_option("select[name=year]", "2021")
    page.wait_for_url(f"{server}/?year=2021")
    assert page.locator('[data-figure="合作意向"] .value').inner_text() == "120"
    assert violations == []
    # A figure opens the records behind it.
    page.click('[data-figure="落地项目"]')
    page.wait_for_url("**/cooperation/?*reached=landed*")
    assert "共 63 条" in page.inner_text("#rows")


def test_chart_tooltips_show_under_the_policy(server: str, page: Page) -> None:
    """Hovering the charts shows their tooltips with no refusal of the Content Security
    Policy (ECharts' HTML tooltips set inline styles, which the policy forbids)."""
    violations = csp_violations(page)
    page.goto(f"{server}/login/")
    log_in(page, "office")
    page.wait_for_url(f"{server}/")
    page.wait_for_selector("[data-chart='funnel'] canvas")
    page.wait_for_selector("[data-chart='bar'] canvas")
    # Count the items the pointer passes over (ECharts' own event: the tooltip follows it).
    page.evaluate(
        """() => { window.hovered = 0; document.querySelectorAll('[data-chart]').forEach(
             (el) => echarts.getInstanceByDom(el).on('mouseover', () => { window.hovered++; })); }"""
    )
    for selector in ("[data-chart='funnel']", "[data-chart='bar']"):
        chart = page.locator(selector).first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box is not None
        for step in range(1, 20):
            for row in (0.3, 0.5, 0.7):
                page.mouse.move(box["x"] + box["width"] * step / 20, box["y"] + box["height"] * row)
                page.wait_for_timeout(20)
    page.wait_for_timeout(300)
    assert page.evaluate("window.hovered") > 0
    assert violations == []


def test_the_api_documentation_works_under_the_policy(server: str, page: Page) -> None:
    """Swagger UI (served from our static files) runs under the same policy as every page."""
    violations = csp_violations(page)
    page.goto(f"{server}/login/?next=/api/v1/docs")
    log_in(page, "office")
    page.wait_for_selector(".opblock")
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body")
    assert page.locator(".opblock").count() > 40
    assert violations == []


def test_a_wrong_password_is_refused_in_chinese(server: str, page: Page) -> None:
    page.goto(f"{server}/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text("main")


def test_the_base_picker_searches_as_the_clerk_types(server: str, page: Page) -> None:
    violations = csp_violations(page)
    page.goto(f"{server}/login/?next=/cooperation/")
    log_in(page, "office")
    page.wait_for_url(f"{server}/cooperation/")
    assert "共 121 条" in page.inner_text("#rows")  # the case's 120 and one waiting for review
    assert page.locator("#id_base option").all_inner_texts() == ["全部", "不属于基地"]
    page.fill("input[data-search-only]", "农业")
    page.wait_for_selector("#id_base optgroup option", state="attached")
    assert page.locator("#id_base optgroup option").all_inner_texts() == [
        "现代农业科技示范基地（永济市）"
    ]
    page.select_option("#id_base", label="现代农业科技示范基地（永济市）")
    page.wait_for_url("**/cooperation/?*base=*")
    expect(page.locator("#rows")).to_contain_text("共 13 条")
    assert "search=" not in page.url
    # Searching again keeps the chosen base chosen (and the list as it is).
    page.fill("input[data-search-only]", "教育")
    expect(page.locator("#id_base optgroup option")).to_have_count(2)
    assert page.locator("#id_base optgroup option").all_inner_texts() == [
        "现代农业科技示范基地（永济市）",
        "基础教育合作基地（永济市）",
    ]
    assert (
        page.eval_on_selector("#id_base", "s => s.options[s.selectedIndex].text")
        == "现代农业科技示范基地（永济市）"
    )
    assert "共 13 条" in page.inner_text("#rows")
    # Searching leaves the address alone: it is still the filtered list's.
    assert page.url.startswith(f"{server}/cooperation/?")
    assert "base=" in page.url
    assert "search=" not in page.url
    assert page.get_attribute("input[data-search-only]", "aria-label") == "搜索所属基地"
    assert violations == []
