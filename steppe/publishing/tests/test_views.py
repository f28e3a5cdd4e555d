import re
from datetime import timedelta

from django.urls import reverse
from django.utils import translation

import pytest

from steppe.accounts.tests.factories import OrganisationFactory, UserFactory
from steppe.core.models import PublicationStatus
from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.models import Article
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country, Region, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazakhstan():
    return Country.objects.get(code="KZ")


@pytest.fixture
def energy():
    return Theme.objects.get(slug="energie")


def test_home_shows_featured_item_then_headlines_and_leads(client):
    older = ArticleFactory(published=True, title="Plus ancien", lead="Chapeau de l'ancien.")
    featured = ArticleFactory(published=True, title="Article à la une", is_featured=True)
    ArticleFactory(title="Brouillon secret")
    response = client.get(reverse("publishing:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Article à la une") < html.index("Plus ancien")
    assert "Chapeau de l&#x27;ancien." in html
    assert "Brouillon secret" not in html
    assert response.context["featured"] == featured
    assert older in response.context["items"]


def test_article_page_shows_title_lead_author_date_terms_and_body(client, kazakhstan, energy):
    author = UserFactory(display_name="Saule Amanova")
    article = ArticleFactory(
        published=True,
        title="Le nucléaire en débat",
        lead="Un chapeau.",
        author=author,
        countries=[kazakhstan],
        themes=[energy],
        body_source="Le **corps** du texte.",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h1 class="article__title">Le nucléaire en débat</h1>' in html
    assert "Un chapeau." in html
    assert f'href="{author.get_absolute_url()}"' in html
    assert f'href="{kazakhstan.get_absolute_url()}"' in html
    assert f'href="{energy.get_absolute_url()}"' in html
    assert "<strong>corps</strong>" in html
    assert re.search(r'<time datetime="[^"]+">\d{1,2} \w+ \d{4}</time>', html)


def test_opinion_piece_carries_signature_and_disclaimer(client):
    author = UserFactory(display_name="Timur K.")
    article = ArticleFactory(published=True, kind=Article.Kind.OPINION, author=author)
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("Article d’opinion écrit par") == 2
    assert "Il n’engage que son auteur" in html
    assert f'<a href="{author.get_absolute_url()}">Timur K.</a>' in html


def test_news_piece_has_no_opinion_notice(client):
    article = ArticleFactory(published=True, kind=Article.Kind.NEWS)
    assert "Article d’opinion" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "status",
    [
        PublicationStatus.DRAFT,
        PublicationStatus.SUBMITTED,
        PublicationStatus.REFUSED,
        PublicationStatus.WITHDRAWN,
    ],
)
def test_unpublished_article_is_not_found(client, status):
    article = ArticleFactory(status=status)
    response = client.get(reverse("publishing:article_detail", kwargs={"slug": article.slug}))
    assert response.status_code == 404


def test_not_found_page_is_french(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_english_interface_under_en(client, kazakhstan):
    article = ArticleFactory(published=True, countries=[kazakhstan])
    french_url = article.get_absolute_url()
    with translation.override("en"):
        url = article.get_absolute_url()
    assert url.startswith("/en/")
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert ">Kazakhstan</a>" in html
    assert "Skip to content" in html
    french = client.get(french_url).content.decode()
    assert '<html lang="fr">' in french
    assert "Aller au contenu" in french


def test_article_page_is_light_and_self_contained(client):
    article = ArticleFactory(published=True, body_source="Un paragraphe assez long. " * 400)
    html = client.get(article.get_absolute_url()).content.decode()
    assert len(html.encode()) < 60_000
    absolute = re.findall(r'(?:src|href)="((?:https?:)?//[^"/]+)', html)
    assert [url for url in absolute if url.split("//", 1)[1] != "testserver"] == []


def test_listing_by_country_region_theme_kind_author(client, kazakhstan, energy):
    author = OrganisationFactory()
    inside = ArticleFactory(
        published=True,
        title="Dans le pays",
        countries=[kazakhstan],
        themes=[energy],
        author=author,
        kind=Article.Kind.ANALYSIS,
    )
    outside = ArticleFactory(
        published=True, title="Ailleurs", countries=[Country.objects.get(code="FR")]
    )
    urls = [
        kazakhstan.get_absolute_url(),
        Region.objects.get(slug="asie-centrale").get_absolute_url(),
        energy.get_absolute_url(),
        inside.get_kind_url(),
        author.get_absolute_url(),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert inside.title in html, url
        assert outside.title not in html, url


def test_region_listing_shows_an_article_once_even_with_two_countries(client):
    article = ArticleFactory(
        published=True, countries=list(Country.objects.filter(code__in=["KZ", "UZ"]))
    )
    response = client.get(Region.objects.get(slug="asie-centrale").get_absolute_url())
    assert [item.pk for item in response.context["page"].items] == [article.pk]


def test_listing_is_paginated_newest_first(client, settings, kazakhstan):
    settings.STEPPE_PAGE_SIZE = 5
    articles = ArticleFactory.create_batch(7, published=True, countries=[kazakhstan])
    for offset, article in enumerate(articles):
        Article.objects.filter(pk=article.pk).update(
            published_at=article.published_at - timedelta(days=offset)
        )
    first = client.get(kazakhstan.get_absolute_url())
    second = client.get(kazakhstan.get_absolute_url() + "?page=2")
    assert [a.pk for a in first.context["page"].items] == [a.pk for a in articles[:5]]
    assert [a.pk for a in second.context["page"].items] == [a.pk for a in articles[5:]]
    assert first.context["page"].has_next
    assert not second.context["page"].has_next
    assert client.get(kazakhstan.get_absolute_url() + "?page=3").status_code == 404
    assert client.get(kazakhstan.get_absolute_url() + "?page=abc").status_code == 404


def test_unknown_kind_is_not_found(client):
    assert client.get("/types/inconnu/").status_code == 404


def test_inactive_author_page_is_not_found(client):
    author = UserFactory(is_active=False)
    assert client.get(author.get_absolute_url()).status_code == 404


# --- Query budgets: the number of queries must not grow with the number of items shown. ---


def _articles(**kwargs):
    def add(count: int) -> None:
        author = OrganisationFactory()
        for _ in range(count):
            ArticleFactory(published=True, author=author, **kwargs)

    return add


def test_home_queries_do_not_grow(client, kazakhstan):
    def add(count):
        _articles(countries=[kazakhstan])(count)
        DocumentFactory.create_batch(count, published=True, countries=[kazakhstan])

    assert_queries_do_not_grow(client, reverse("publishing:home"), add)


def test_country_page_queries_do_not_grow(client, kazakhstan):
    def add(count):
        _articles(countries=[kazakhstan])(count)
        DocumentFactory.create_batch(count, published=True, countries=[kazakhstan])

    assert_queries_do_not_grow(client, kazakhstan.get_absolute_url(), add)


def test_region_page_queries_do_not_grow(client, kazakhstan):
    assert_queries_do_not_grow(
        client,
        Region.objects.get(slug="asie-centrale").get_absolute_url(),
        _articles(countries=[kazakhstan]),
    )


def test_theme_page_queries_do_not_grow(client, energy):
    assert_queries_do_not_grow(client, energy.get_absolute_url(), _articles(themes=[energy]))


def test_kind_page_queries_do_not_grow(client):
    assert_queries_do_not_grow(client, "/types/analyses/", _articles(kind=Article.Kind.ANALYSIS))


def test_author_page_queries_do_not_grow(client, kazakhstan):
    author = UserFactory()
    assert_queries_do_not_grow(
        client,
        author.get_absolute_url(),
        lambda count: ArticleFactory.create_batch(
            count, published=True, author=author, countries=[kazakhstan]
        ),
    )


def test_article_page_queries_do_not_grow_with_terms(client):
    article = ArticleFactory(published=True)
    countries = list(Country.objects.order_by("code"))

    def add(count):
        article.countries.add(*countries[: count * 2])
        article.themes.add(*Theme.objects.all()[:count])

    assert_queries_do_not_grow(client, article.get_absolute_url(), add)


def test_author_page_shows_the_avatar_or_logo(client, tmp_path):
    import io

    from PIL import Image

    from steppe.accounts.services import profile_update
    from steppe.core.images import image_process

    author = OrganisationFactory(bio="Une ONG de l'Aral.", website="https://ong.example.org")
    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), (200, 150, 50)).save(buffer, format="PNG")
    buffer.seek(0)
    data = {
        name: getattr(author, name)
        for name in ("display_name", "kind", "organisation", "website", "country", "bio")
    }
    profile_update(user=author, data=data, avatar=image_process(buffer))
    html = client.get(author.get_absolute_url()).content.decode()
    assert f'src="{author.avatar.url}"' in html
    assert f'alt="Logo de {author.public_name}"' in html
    assert "Une ONG de l&#x27;Aral." in html
