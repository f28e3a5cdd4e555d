"""Playwright driving Debian's chromium against Django's live server."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test's thread; the ORM calls made by the test itself
# (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def output_dir() -> Path:
    path = (
        Path(os.environ.get("STEPPE_TEST_OUTPUT", Path(settings.BASE_DIR) / "test-output"))
        / "screenshots"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, live_server):
    """Open a page at a viewport; record every request that leaves the live server."""
    contexts = []
    foreign: list[str] = []
    own_host = urlsplit(live_server.url).netloc

    def make(viewport: str = "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.on(
            "request",
            lambda request: (
                foreign.append(request.url)
                if urlsplit(request.url).netloc not in {own_host, ""}
                else None
            ),
        )
        return page

    make.foreign_requests = foreign
    yield make
    for context in contexts:
        context.close()
