"""A reader browses the demo site: home → article → library document, on a phone and a desktop."""

from pathlib import Path

from django.conf import settings

import pytest

from steppe.ingest.services import content_import

# serialized_rollback: the flush after a transactional test would otherwise erase the reference data
# (countries, themes) seeded by migrations. It needs a test database created in the same run (no --reuse-db).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_site(reference_data, live_server):
    report = content_import(paths=[Path(settings.BASE_DIR) / "demo"])
    assert report.errors == []
    return live_server


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_reader_goes_from_home_to_an_article_and_a_document(
    demo_site, page_factory, output_dir, viewport
):
    page = page_factory(viewport)
    page.goto(demo_site.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    featured = page.locator(".featured__title a")
    title = featured.inner_text()
    page.screenshot(path=str(output_dir / f"{viewport}-1-home.png"), full_page=True)

    featured.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert page.locator(".article__body p").count() > 0
    page.screenshot(path=str(output_dir / f"{viewport}-2-article.png"), full_page=True)

    page.goto(demo_site.url + "/")
    document_link = page.locator(".columns__side .item__title a").first
    document_title = document_link.inner_text()
    document_link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == document_title
    breadcrumb = page.locator("nav.breadcrumb li")
    assert breadcrumb.first.inner_text() == "Files"
    assert breadcrumb.count() == 2
    assert page.locator("ol.chapters li").count() >= 5
    page.screenshot(path=str(output_dir / f"{viewport}-3-document.png"), full_page=True)

    # Nothing is loaded from another host, and the page fits the screen without horizontal scrolling.
    assert page_factory.foreign_requests == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_menu_opens_without_javascript(demo_site, browser, output_dir):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(demo_site.url + "/")
    page.locator(".site-nav__more summary").click()
    page.get_by_role("link", name="Mongolie", exact=True).first.click()
    page.wait_for_url("**/pays/mongolie/")
    assert page.locator("h1").inner_text() == "La Mongolie"
    page.screenshot(path=str(output_dir / "phone-nojs-country.png"), full_page=True)
    context.close()
