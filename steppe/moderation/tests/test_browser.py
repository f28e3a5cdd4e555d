"""End to end, in Chromium: a reader reports an article, an editor hides it, the author appeals, a
second editor reinstates it. Screenshots go to test-output/screenshots/moderation-*.png."""

import os
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.test import Client

import pytest

from steppe.core.models import PublicationStatus
from steppe.moderation.models import Appeal, ReportCase
from steppe.publishing.tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def _page(browser, live_server, user=None):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return context.new_page()


def test_report_hide_appeal_reinstate(
    reference_data, live_server, smtp_server, settings, chromium, contributor, editor, second_editor
):
    settings.STEPPE_SITE_URL = live_server.url
    output = (
        Path(os.environ.get("STEPPE_TEST_OUTPUT", Path(settings.BASE_DIR) / "test-output"))
        / "screenshots"
    )
    output.mkdir(parents=True, exist_ok=True)
    article = ArticleFactory(published=True, author=contributor, title="Le barrage de Rogun")

    def shot(page, name):
        page.screenshot(path=str(output / f"moderation-{name}.png"), full_page=True)

    # A reader reports the article.
    reader = _page(chromium, live_server)
    reader.goto(live_server.url + article.get_absolute_url())
    reader.click(".report-link a")
    reader.check("input[name=category][value=disinformation]")
    reader.fill("#id_explanation", "Les chiffres de production sont inventés.")
    reader.fill("#id_reporter_email", "lectrice@example.org")
    shot(reader, "1-report-form")
    reader.click("form.report-form button[type=submit]")
    reader.wait_for_selector("[data-report-received]")
    shot(reader, "2-report-received")
    case = ReportCase.objects.get()

    # An editor hides it pending review.
    first = _page(chromium, live_server, editor)
    first.goto(live_server.url + "/moderation/signalements/")
    first.click(f"[data-case='{case.pk}'] a")
    first.check("input[name=decision][value=hide]")
    first.select_option("#id_ground", "disinformation")
    first.fill("#id_statement", "Chiffres à vérifier auprès des sources citées.")
    shot(first, "3-editor-decides")
    first.click(".decision button[type=submit]")
    first.wait_for_url(re.compile(r"/moderation/signalements/$"))
    article.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    assert reader.goto(live_server.url + article.get_absolute_url()).status == 404

    # The author appeals from the link in the statement of reasons.
    mail = smtp_server.to(contributor.email)[-1].get_body(preferencelist=("plain",)).get_content()
    assert "Chiffres à vérifier" in mail
    link = re.search(r"https?://\S+/moderation/contester/\S+/", mail)[0]
    author = _page(chromium, live_server)
    author.goto(link)
    author.fill("#id_explanation", "Les chiffres viennent du rapport annuel de l'exploitant.")
    shot(author, "4-appeal-form")
    author.click("form.appeal-form button[type=submit]")
    author.wait_for_selector("[data-appeal-received]")
    appeal = Appeal.objects.get()

    # The first editor may not decide it; a second editor reinstates the article.
    first.goto(live_server.url + f"/moderation/recours/{appeal.pk}/")
    assert first.locator("[data-own-decision]").count() == 1
    second = _page(chromium, live_server, second_editor)
    second.goto(live_server.url + "/moderation/recours/")
    second.click(f"[data-appeal='{appeal.pk}'] a")
    second.check("input[name=outcome][value=granted]")
    second.fill("#id_statement", "Les chiffres sont sourcés : l'article est rétabli.")
    shot(second, "5-second-editor-reinstates")
    second.click(".decision button[type=submit]")
    second.wait_for_url(re.compile(r"/moderation/recours/$"))
    article.refresh_from_db()
    assert article.status == PublicationStatus.PUBLISHED
    assert reader.goto(live_server.url + article.get_absolute_url()).status == 200
    shot(reader, "6-article-back-online")
    outcome = (
        smtp_server.to(contributor.email)[-1].get_body(preferencelist=("plain",)).get_content()
    )
    assert "rétabli" in outcome
