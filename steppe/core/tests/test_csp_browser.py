"""The Content Security Policy in a real browser: no page the site serves is broken by it.

Chromium reports every refused script, style or image as a `securitypolicyviolation` event and a
console error; the pages below (public, forms, the contributor's editor with htmx, the API docs with
Swagger UI) must produce none while still working.
"""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.test import Client

import pytest

from steppe.publishing.tests.factories import ArticleFactory

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"

VIOLATION_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def pages_data(reference_data, contributor):
    """Rows and the signed-in cookie, made before Playwright's event loop starts (ORM calls made
    while it runs would open a second database connection that outlives the test)."""
    article = ArticleFactory(published=True, title="Steppe et sécurité")
    client = Client()
    client.force_login(contributor)
    return article, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_no_page_breaks_the_content_security_policy(pages_data, live_server, chromium):
    article, session_cookie = pages_data

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(VIOLATION_LISTENER)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": live_server.url}]
    )
    anonymous = chromium.new_context(viewport={"width": 390, "height": 844})
    anonymous.add_init_script(VIOLATION_LISTENER)
    console: list[str] = []

    def visit(ctx, url: str, ready: str) -> None:
        page = ctx.new_page()
        page.on(
            "console",
            lambda message: (
                console.append(f"{url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, (url, response.status)
        page.wait_for_selector(ready, timeout=15_000)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__csp")
        assert violations == [], (url, violations)
        if url == "/contribuer/articles/nouveau/":
            # htmx (a static script) works: the preview comes back into the page.
            page.fill("textarea[name=body_source]", "Un **aperçu** rendu par le serveur.")
            page.locator("button[name=preview]").click()
            page.wait_for_selector("#preview strong", timeout=10_000)
            assert page.evaluate("window.__csp") == []
        page.close()

    visit(anonymous, "/", "main")
    visit(anonymous, article.get_absolute_url(), "article, main")
    visit(anonymous, "/recherche/?q=steppe", "main")
    visit(anonymous, "/compte/login/", "form")
    visit(anonymous, "/compte/signup/", "form")
    visit(anonymous, "/api/v1/docs", ".opblock-summary-path")
    visit(context, "/contribuer/articles/nouveau/", "form")
    context.close()
    anonymous.close()
    assert console == []
