"""The docs page in a real browser (Debian's chromium through Playwright): it renders every endpoint
from the schema while every request to another site is refused."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

import pytest

from steppe.api.v1.api import api

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test's thread; the test's own ORM calls are
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
            ],
        )
        yield browser
        browser.close()


def test_docs_page_renders_offline(reference_data, live_server, chromium):
    # Database first: ORM calls made while Playwright's event loop runs would open a second
    # connection (asgiref keys connections by context) that outlives the test.
    own = urlsplit(live_server.url).netloc
    foreign: list[str] = []
    page = chromium.new_page(viewport={"width": 1280, "height": 900})

    def only_local(route):
        if urlsplit(route.request.url).netloc in {own, ""}:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response.status == 200
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/articles" in paths
    assert "/api/v1/authors/{username}/items" in paths
    assert "/api/v1/me/articles/{article_id}/submit" in paths
    operations = api.get_openapi_schema(path_prefix="/api/v1/")["paths"].values()
    assert len(paths) == sum(len(methods) for methods in operations)
    # The bearer scheme gives the page its "Authorize" button, to try the write endpoints.
    assert page.locator(".btn.authorize").count() == 1
    assert page.locator(".title").first.inner_text().startswith("Steppe API")
    output = Path(os.environ.get("STEPPE_TEST_OUTPUT", Path(settings.BASE_DIR) / "test-output"))
    (output / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output / "screenshots" / "api-docs.png"), full_page=False)
    page.close()
    assert foreign == []
    assert errors == []
