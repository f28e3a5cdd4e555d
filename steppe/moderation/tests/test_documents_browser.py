"""Browser test: an editor reviews a submitted library document on a phone and refuses it.

Screenshots go to test-output/screenshots/moderation-document-*.png."""

import os
from pathlib import Path

from django.conf import settings

import pytest

from steppe.core.models import PublicationStatus
from steppe.moderation.models import AuditEvent, RefusalReason
from steppe.moderation.tests.test_browser import _page, chromium  # noqa: F401  (fixture)
from steppe.moderation.tests.test_documents import _submitted

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_reviews_and_refuses_a_document_on_a_phone(
    reference_data,
    live_server,
    smtp_server,
    chromium,  # noqa: F811  (the fixture imported above)
    contributor,
    editor,
):
    output = (
        Path(os.environ.get("STEPPE_TEST_OUTPUT", Path(settings.BASE_DIR) / "test-output"))
        / "screenshots"
    )
    output.mkdir(parents=True, exist_ok=True)
    reason = RefusalReason.objects.create(title="Source", text="La source du document manque.")
    document = _submitted(contributor, days_ago=3, chapters=["Introduction", "Conclusions"])
    page = _page(chromium, live_server, editor)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/moderation/?kind=document")
    page.screenshot(path=str(output / "moderation-document-queue.png"), full_page=True)
    page.click(f'[data-document="{document.pk}"] a')
    page.wait_for_selector("[data-document-review]")
    assert page.locator("text=Introduction").count() >= 1
    page.screenshot(path=str(output / "moderation-document-review.png"), full_page=True)
    page.check(f'input[name="reasons"][value="{reason.pk}"]')
    page.fill('textarea[name="text"]', "Merci d'indiquer l'organisation émettrice.")
    page.click('button:has-text("Refuser")')
    page.wait_for_url(f"{live_server.url}/moderation/**")
    document.refresh_from_db()
    assert document.status == PublicationStatus.REFUSED
    assert AuditEvent.objects.for_object(document).get(action="refused").actor == editor
    assert smtp_server.to(contributor.email)
