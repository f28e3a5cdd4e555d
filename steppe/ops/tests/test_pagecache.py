"""Anonymous page cache: what is stored, who gets it, and that every change refreshes every page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from steppe.library.services import document_publish
from steppe.library.tests.factories import DocumentFactory
from steppe.moderation.models import ReportCase
from steppe.moderation.services import case_decide, report_submit
from steppe.publishing.services import article_publish, article_update, article_withdraw
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.fixture
def places(db):
    return Country.objects.get(code="KZ"), Theme.objects.order_by("pk").first()


def test_second_anonymous_request_is_served_from_the_cache_without_a_query(
    client, page_cache_on, places
):
    country, _theme = places
    ArticleFactory(published=True, title="Barrage sur le Syr-Daria", countries=[country])
    first, queries = _get(client, "/")
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"
    assert queries > 0
    second, queries = _get(client, "/")
    assert second["X-Cache"] == "HIT"
    assert queries == 0
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert "s-maxage=" in second["Cache-Control"]
    assert second["Content-Type"].startswith("text/html")
    # French and English pages are distinct entries.
    english = client.get("/en/")
    assert english["X-Cache"] == "MISS"
    assert english.content != first.content


def test_cache_off_by_default_outside_production(client, places):
    ArticleFactory(published=True, title="Première")
    assert client.get("/")["X-Cache"] == "BYPASS"
    ArticleFactory(published=True, title="Deuxième, écrite sans signal")
    assert "Deuxième, écrite sans signal" in client.get("/").content.decode()


# --- Every transition refreshes every page that shows the item ------------------------------


def _article(places, **kwargs):
    country, theme = places
    return ArticleFactory(countries=[country], themes=[theme], **kwargs)


def _publish(article, editor):
    article_publish(article=article, by=editor)


def _edit(article, editor):
    article_update(article=article, title="Titre corrigé après relecture", by=editor)


def _withdraw(article, editor):
    article_withdraw(article=article, by=article.author)


def _hide(article, editor):
    report_submit(obj=article, category="spam", explanation="Publicité déguisée.")
    case = ReportCase.objects.get(object_id=article.pk)
    case_decide(case=case, by=editor, decision="hide", ground="spam", statement="À vérifier.")


TRANSITIONS = {
    # name: (action, published before, title shown before, title shown after)
    "publish": (_publish, False, None, "Titre original de l'enquête"),
    "edit": (_edit, True, "Titre original de l'enquête", "Titre corrigé après relecture"),
    "withdraw": (_withdraw, True, "Titre original de l'enquête", None),
    "hide": (_hide, True, "Titre original de l'enquête", None),
}


def _page_url(page: str, article, places) -> str:
    country, theme = places
    return {
        "home": "/",
        "home_en": "/en/",
        "article": f"/articles/{article.slug}/",
        "country": reverse("publishing:country_detail", kwargs={"slug": country.slug}),
        "theme": reverse("publishing:theme_detail", kwargs={"slug": theme.slug}),
        "feed": "/flux/",
        "country_feed": f"/flux/pays/{country.slug}/",
    }[page]


def _shows(response, title: str) -> bool:
    from django.utils.html import escape

    text = response.content.decode()
    return response.status_code == 200 and (title in text or escape(title) in text)


@pytest.mark.parametrize("transition", list(TRANSITIONS))
@pytest.mark.parametrize(
    "page", ["home", "home_en", "article", "country", "theme", "feed", "country_feed"]
)
def test_transition_refreshes_page(
    client, page_cache_on, places, editor, transition, page, django_capture_on_commit_callbacks
):
    action, published, before, after = TRANSITIONS[transition]
    # Another item, so that listings are not empty either way.
    _article(places, published=True, title="Une autre nouvelle")
    article = _article(
        places,
        title="Titre original de l'enquête",
        slug="titre-original",
        **({"published": True} if published else {"status": "submitted"}),
    )
    url = _page_url(page, article, places)
    first = client.get(url)
    second = client.get(url)
    # The page is really cached before the change (so the test can fail).
    if first.status_code == 200:
        if page.endswith("feed"):
            assert second.content == first.content  # syndication's own cache
        else:
            assert second["X-Cache"] == "HIT"
    if before:
        assert _shows(second, before)
    with django_capture_on_commit_callbacks(execute=True):
        action(article, editor)
    third = client.get(url)
    if after:
        assert _shows(third, after), f"{page} still shows the old version after {transition}"
    if before and before != after:
        assert not _shows(third, before), f"{page} still shows the item after {transition}"
    if page == "article" and after is None:
        assert third.status_code == 404


def test_published_document_refreshes_home_and_library(
    client, page_cache_on, editor, django_capture_on_commit_callbacks
):
    document = DocumentFactory(title="Rapport sur les glaciers du Pamir", status="submitted")
    for url in ("/", "/bibliotheque/"):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        document_publish(document=document, by=editor)
    for url in ("/", "/bibliotheque/"):
        response = client.get(url)
        assert response["X-Cache"] == "MISS"
        assert "Rapport sur les glaciers du Pamir" in response.content.decode()


def test_renamed_theme_refreshes_pages(client, page_cache_on, places):
    _country, theme = places
    _article(places, published=True, title="Un article classé")
    url = reverse("publishing:theme_detail", kwargs={"slug": theme.slug})
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    theme.name_fr = "Thème renommé pour le test"
    theme.save()
    response = client.get(url)
    assert response["X-Cache"] == "MISS"
    assert "Thème renommé pour le test" in response.content.decode()


# --- Nobody gets another reader's page ---------------------------------------------------------


def test_signed_in_user_neither_reads_nor_fills_the_cache(client, page_cache_on, contributor):
    ArticleFactory(published=True, title="Visible par tous")
    anonymous = client.get("/")
    assert anonymous["X-Cache"] == "MISS"
    client.force_login(contributor)
    mine = client.get("/")
    assert mine["X-Cache"] == "BYPASS"
    assert "private" in mine["Cache-Control"]
    assert mine.content != anonymous.content  # the signed-in header (dashboard, sign out)
    assert "Visible par tous" in mine.content.decode()
    client.logout()
    # A page first asked for by a signed-in user is not stored for the others.
    from django.test import Client

    signed_in = Client()
    signed_in.force_login(contributor)
    assert signed_in.get("/en/")["X-Cache"] == "BYPASS"
    stranger = Client()
    page = stranger.get("/en/")
    assert page["X-Cache"] == "MISS"
    assert contributor.display_name not in page.content.decode()
    assert reverse("publishing:dashboard") not in page.content.decode()


def test_a_session_cookie_alone_bypasses_the_cache(client, page_cache_on):
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    client.cookies["sessionid"] = "anything"
    assert client.get("/")["X-Cache"] == "BYPASS"


def test_pages_holding_a_csrf_token_are_never_stored(client, page_cache_on):
    from django.test import Client

    url = reverse("account_login")
    first = Client().get(url)
    second = Client().get(url)
    assert first.status_code == 200
    assert first["X-Cache"] == second["X-Cache"] == "BYPASS"
    assert "private" in first["Cache-Control"]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_htmx_requests_and_errors_are_not_stored(client, page_cache_on):
    client.get("/", headers={"HX-Request": "true"})
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/articles/nulle-part/").status_code == 404
    assert client.get("/articles/nulle-part/")["X-Cache"] == "BYPASS"


def test_post_is_never_served_from_the_cache(client, page_cache_on):
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    assert client.post("/")["X-Cache"] == "BYPASS"


def test_feeds_may_be_kept_briefly_by_a_cache_in_front(client, page_cache_on):
    response = client.get("/flux/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=5"
    assert response["X-Cache"] == "BYPASS"  # the syndication app caches it itself
