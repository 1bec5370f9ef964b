"""The consumer's page in a real browser: Debian's Chromium, headless, on a phone-sized viewport.

Playwright drives the system Chromium (no browser download); the screenshots are kept in artifacts/ as test
artefacts. What is checked is what a phone user meets: the verdict and the product in Chinese, nothing wider than
the screen, the report form reachable, and the typed-code form answering with the check-digit hint.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.home import Home
from tests.conftest import REPO
from tests.query_helpers import Codes, build_ledger, running

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "artifacts"
PHONE = {"width": 390, "height": 844}  # a common phone's CSS viewport
# as the machine's own checks start Chromium headless as root, with no network beyond loopback
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def phone(seeded: tuple[Home, int, int]) -> Iterator[tuple[object, str, Codes]]:
    """A phone-sized, touch, Chinese-language page in headless Chromium, and the running query service."""
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: scripts/bootstrap.sh installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    home, eid, pid = seeded
    codes = build_ledger(home, eid, pid)
    with running(home) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        page = context.new_page()
        try:
            yield page, url, codes
        finally:
            context.close()
            browser.close()


def _fits_the_screen(page: object) -> None:
    """Nothing on the page is wider than the phone's screen (no sideways scrolling)."""
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


def _keep(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def test_genuine_code_page_on_a_phone(phone: tuple[object, str, Codes]) -> None:
    page, url, codes = phone
    response = page.goto(f"{url}/c/{codes.genuine}")  # type: ignore[attr-defined]
    assert response.status == 200
    text = page.inner_text("body")  # type: ignore[attr-defined]
    assert "正品" in text and "牟定腐乳" in text and "MD20261120" in text and "YN-QC-2026-1120" in text
    _fits_the_screen(page)
    shot = _keep(page, "query-genuine-390x844.png")
    from PIL import Image

    with Image.open(shot) as image:
        assert image.width == PHONE["width"] * 3 and image.height >= PHONE["height"] * 3 * 0.5
        colours = image.convert("RGB").resize((39, 84)).getcolors(39 * 84) or []
        assert len(colours) > 20, "the screenshot is blank"


def test_warning_pages_and_the_typed_code_form_on_a_phone(phone: tuple[object, str, Codes]) -> None:
    page, url, codes = phone
    for name, words in (("recalled", "召回"), ("voided", "作废"), ("blacklisted", "黑名单"), ("unknown", "不存在")):
        page.goto(f"{url}/c/{getattr(codes, name)}")  # type: ignore[attr-defined]
        assert words in page.inner_text("body"), name  # type: ignore[attr-defined]
        _fits_the_screen(page)
        _keep(page, f"query-{name}-390x844.png")
    page.goto(url + "/")  # type: ignore[attr-defined]
    _fits_the_screen(page)
    field = page.locator("input[name=code]")  # type: ignore[attr-defined]
    field.fill(codes.typo)
    field.press("Enter")
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert "校验位不符" in page.inner_text("body")  # type: ignore[attr-defined]
    _fits_the_screen(page)
    _keep(page, "query-typo-390x844.png")
