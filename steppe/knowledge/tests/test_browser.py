"""In Chromium: the actor page and the regional timeline at phone width (375 px), and the editor's
suggestions in a page that includes them (with and without JavaScript). Screenshots go to
$STEPPE_TEST_OUTPUT/screenshots/knowledge-*.png (test-output/ by default)."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client

import pytest

from steppe.knowledge.models import Entity, Event, ItemCountry, Mention, ReviewStatus
from steppe.knowledge.services import entity_resolve
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country, Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 375, "height": 740}
VIOLATION_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
DRAFT = (
    "Le 12 mars 2025, Kassym-Jomart Tokaïev a inauguré une centrale solaire près d'Almaty. "
    "Le Kazakhstan veut tirer 15 % de son électricité des énergies renouvelables ; la Banque "
    "asiatique de développement finance aussi un gazoduc."
)


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
def shots():
    output = (
        Path(os.environ.get("STEPPE_TEST_OUTPUT", Path(settings.BASE_DIR) / "test-output"))
        / "screenshots"
    )
    output.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str) -> None:
        page.screenshot(path=str(output / f"knowledge-{name}.png"), full_page=True)

    return shot


def _context(browser, live_server, user=None, **options):
    context = browser.new_context(locale="fr-FR", **options)
    context.add_init_script(VIOLATION_LISTENER)
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
    return context


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px"
    assert page.evaluate("window.__csp") == []


def test_actor_page_and_timeline_at_phone_width(reference_data, live_server, chromium, shots):
    kazakhstan = Country.objects.get(code="KZ")
    tokaiev = entity_resolve(
        kind="person", name="Kassym-Jomart Tokaïev", key="kassym jomart tokaiev"
    )
    bank = entity_resolve(
        kind="organisation",
        name="Banque asiatique de développement",
        key="banque asiatique de developpement",
    )
    articles = ArticleFactory.create_batch(3, published=True)
    for day, article in enumerate(articles, start=3):
        Mention.objects.create(article=article, entity=tokaiev, start=0, end=7, surface="Tokaïev")
        Mention.objects.create(article=article, entity=bank, start=8, end=20, surface="Banque")
        ItemCountry.objects.create(article=article, country=kazakhstan, mention_count=2)
        event = Event.objects.create(
            article=article,
            date_value=f"2025-04-{day:02d}",
            precision="day",
            start_on=f"2025-04-{day:02d}",
            end_on=f"2025-04-{day:02d}",
            summary=f"Les dirigeants d'Asie centrale se réunissent à Samarcande, jour {day}",
            sentence=f"Le {day} avril 2025, les dirigeants se sont réunis.",
            sentence_start=0,
            sentence_end=40,
            fingerprint=str(day),
        )
        event.countries.add(kazakhstan)
        event.entities.add(tokaiev)

    context = _context(chromium, live_server, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()

    response = page.goto(live_server.url + "/chronologie/")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Chronologie régionale"
    assert page.get_by_text("jour 5").is_visible()
    _fits_the_screen(page)
    shots(page, "timeline-375")

    response = page.goto(live_server.url + tokaiev.get_absolute_url())
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Kassym-Jomart Tokaïev"
    _fits_the_screen(page)
    shots(page, "actor-375")
    # Usable with a finger: the co-mentioned actor is a link that leads to its page.
    page.get_by_role("link", name="Banque asiatique de développement").first.tap()
    page.wait_for_url(f"**{bank.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == bank.name
    _fits_the_screen(page)
    context.close()


@pytest.mark.urls("steppe.knowledge.tests.urls")
def test_suggestions_fill_the_editor_form(
    reference_data, live_server, chromium, contributor, shots
):
    kazakhstan = Country.objects.get(code="KZ")
    energy = Theme.objects.get(slug="energie")
    bank = entity_resolve(
        kind="organisation",
        name="Banque asiatique de développement",
        key="banque asiatique de developpement",
    )
    Entity.objects.filter(pk=bank.pk).update(status=ReviewStatus.CONFIRMED)

    context = _context(chromium, live_server, user=contributor, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/test-editeur/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Aucune suggestion pour ce texte").is_visible()
    page.fill("textarea[name=body_source]", DRAFT)
    page.get_by_role("button", name="Mettre à jour les suggestions").click()
    country = page.locator(f'button[data-field="countries"][data-value="{kazakhstan.pk}"]')
    country.wait_for(state="visible", timeout=10_000)
    shots(page, "suggestions-375")

    country.click()
    assert country.is_disabled()
    assert country.inner_text() == "Ajouté"
    selected = page.eval_on_selector(
        "select[name=countries]", "s => Array.from(s.selectedOptions).map(o => o.value)"
    )
    assert selected == [str(kazakhstan.pk)]
    page.locator(f'button[data-field="themes"][data-value="{energy.pk}"]').click()
    assert page.locator(f'input[name=themes][value="{energy.pk}"]').is_checked()
    page.fill("input[name=tags]", "steppe")
    page.locator('button[data-field="tags"]').first.click()
    assert page.input_value("input[name=tags]") == "steppe, Banque asiatique de développement"
    _fits_the_screen(page)

    # The accepted choices go with the form: a refresh marks them as already chosen.
    page.get_by_role("button", name="Mettre à jour les suggestions").click()
    page.get_by_text("déjà choisi").first.wait_for(timeout=10_000)
    assert (
        page.locator(f'button[data-field="countries"][data-value="{kazakhstan.pk}"]').count() == 0
    )
    shots(page, "suggestions-accepted-375")
    context.close()

    # Without JavaScript: the suggestions for the text the page was given, as text, no buttons.
    context = _context(
        chromium, live_server, user=contributor, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + "/test-editeur/?" + urlencode({"body": DRAFT}))
    section = page.locator("[data-knowledge-suggestions]")
    assert "Kazakhstan" in section.inner_text()
    assert "Énergie" in section.inner_text()
    assert section.locator("button:visible").count() == 0
    shots(page, "suggestions-nojs-375")
    context.close()
