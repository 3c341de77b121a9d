"""Browser tests: Playwright driving Debian's Chromium (never `playwright install`)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import requires_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# our fixtures make from that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        requires_service("Chromium", "install it with `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page) -> None:
    """axe-core at WCAG 2.2 AA, with the target-size rule switched on."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error

    def run():
        return Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "rules": {"target-size": {"enabled": True}},
                "resultTypes": ["violations"],
            },
        )

    page.wait_for_load_state()
    try:
        results = run()
    except Error as error:
        # Called straight after a click on a link, axe can start while the
        # old document is being replaced (it then finds no document): check
        # the new page once it has loaded.
        if "documentElement" not in str(error):
            raise
        page.wait_for_load_state()
        results = run()
    assert results.violations_count == 0, (
        f"axe violations on {page.url}:\n{results.generate_report()}"
    )
