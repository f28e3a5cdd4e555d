"""What the public pages do to cost less: fragments kept until content changes, the article's terms
in one query, listing rows read from dicts. Each must show what the plain way showed."""

import datetime

from django.template import Context, Template
from django.utils import timezone, translation

import pytest

from steppe.core.models import PublicationStatus
from steppe.publishing import selectors
from steppe.publishing.models import Article
from steppe.publishing.services import article_publish, article_withdraw
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country, Tag, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    """A published article, indexed as after a real commit (no content signal: no new generation)."""

    def make(**fields) -> Article:
        with django_capture_on_commit_callbacks(execute=True):
            return ArticleFactory(published=True, **fields)

    return make


def test_related_fragment_follows_publication_and_withdrawal(
    client, fragments, published, editor, django_capture_on_commit_callbacks
):
    source = published(title="Les glaciers du Pamir reculent")
    assert "related-heading" not in client.get(source.get_absolute_url()).content.decode()

    newcomer = ArticleFactory(
        title="Pamir : des glaciers sous surveillance", status=PublicationStatus.SUBMITTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=newcomer, by=editor)
    html = client.get(source.get_absolute_url()).content.decode()
    assert f'href="{newcomer.get_absolute_url()}"' in html

    # Written without a signal (as a factory does): the kept fragment does not know it yet...
    quiet = published(title="Glaciers du Pamir : le bilan de l'été", author=source.author)
    html = client.get(source.get_absolute_url()).content.decode()
    assert f'href="{quiet.get_absolute_url()}"' not in html
    # ...and the next withdrawal renews every fragment.
    with django_capture_on_commit_callbacks(execute=True):
        article_withdraw(article=newcomer, by=editor)
    html = client.get(source.get_absolute_url()).content.decode()
    assert f'href="{newcomer.get_absolute_url()}"' not in html
    assert f'href="{quiet.get_absolute_url()}"' in html


def test_menus_follow_a_renamed_country(client, fragments, published):
    article = published()
    kazakhstan = Country.objects.get(code="KZ")
    assert kazakhstan.get_absolute_url() in client.get(article.get_absolute_url()).content.decode()
    kazakhstan.slug = "qazaqstan"
    kazakhstan.save()  # a taxonomy change starts a new generation
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/pays/qazaqstan/"' in html
    assert 'href="/pays/kazakhstan/"' not in html


def test_article_page_links_follow_a_new_slug(client, published):
    article = published(title="Premier titre")
    assert client.get("/articles/premier-titre/").status_code == 200
    article.slug = "titre-corrige"
    article.save()
    assert article.get_absolute_url() == "/articles/titre-corrige/"
    assert client.get("/articles/premier-titre/").status_code == 404
    assert client.get("/articles/titre-corrige/").status_code == 200


def test_article_terms_are_what_their_prefetch_gives(django_assert_num_queries):
    countries = list(Country.objects.filter(code__in=["KZ", "UZ", "KG"]))
    themes = list(Theme.objects.all()[:3])
    tags = [Tag.objects.create(name=name, slug=name) for name in ("zèbre", "eau", "Aral")]
    article = ArticleFactory(published=True, countries=countries, themes=themes)
    article.tags.set(tags)
    other = ArticleFactory(published=True, countries=countries[:1])
    other.tags.set(tags[:1])  # another article's
    expected = Article.objects.prefetch_related("countries", "themes", "tags").get(pk=article.pk)
    with django_assert_num_queries(2):
        loaded = selectors.article_get_published(slug=article.slug)
        for name in ("countries", "themes", "tags"):
            got = list(getattr(loaded, name).all())
            assert got == list(getattr(expected, name).all())
            assert got  # three of each
        assert loaded.author.username
    for name in ("countries", "themes", "tags"):
        for got, want in zip(
            getattr(loaded, name).all(), getattr(expected, name).all(), strict=True
        ):
            fields = [field.attname for field in type(want)._meta.concrete_fields]
            assert [getattr(got, f) for f in fields] == [getattr(want, f) for f in fields]
    # Still the article's own relations: filtering them goes to the database, for this article.
    assert list(loaded.countries.filter(code="KZ")) == [Country.objects.get(code="KZ")]


def test_article_without_terms_has_empty_relations(django_assert_num_queries):
    article = ArticleFactory(published=True)
    with django_assert_num_queries(2):
        loaded = selectors.article_get_published(slug=article.slug)
        assert not loaded.countries.all()
        assert not loaded.themes.all()
        assert not loaded.tags.all()


ROW_TEMPLATE = Template(
    "{% load i18n %}{% for item in items %}"
    "{% if item.is_opinion %}{% translate 'Opinion by' %}{% else %}{% translate 'By' %}{% endif %}|"
    "{{ item.get_kind_display }}|{{ item.published_at|date:'c' }}|"
    '{{ item.published_at|date:"DATE_FORMAT" }}|{{ item.signature }}|'
    "{% for country in item.countries.all %}{{ country.name }},{% endfor %}\n{% endfor %}"
)
ROW_FROM_DICT = Template(
    "{% for item in items %}{% with row=item.listing %}"
    "{{ row.by }}|{{ row.kind_label }}|{{ row.published_iso }}|{{ row.published_on }}|"
    "{{ row.signature }}|{% for country in row.countries %}{{ country.name }},{% endfor %}\n"
    "{% endwith %}{% endfor %}"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_listing_rows_show_what_the_template_filters_showed(language):
    kazakhstan, uzbekistan = Country.objects.get(code="KZ"), Country.objects.get(code="UZ")
    ArticleFactory(
        published=True,
        kind=Article.Kind.OPINION,
        countries=[kazakhstan, uzbekistan],
        published_at=datetime.datetime(2025, 3, 3, 23, 30, tzinfo=datetime.UTC),  # 4 March in Paris
    )
    ArticleFactory(published=True, byline="Agence Steppe", published_at=timezone.now())
    with translation.override(language):
        rows = list(selectors.article_list_published())
        selectors.article_attach_urls(rows)
        expected = ROW_TEMPLATE.render(Context({"items": rows}))
        assert ROW_FROM_DICT.render(Context({"items": rows})) == expected
    assert ("4 mars 2025" if language == "fr" else "March 4, 2025") in expected


def test_listing_rows_come_with_their_countries_in_one_query(django_assert_num_queries):
    kazakhstan, uzbekistan = Country.objects.get(code="KZ"), Country.objects.get(code="UZ")
    first = ArticleFactory(published=True, countries=[uzbekistan, kazakhstan])
    second = ArticleFactory(published=True, countries=[kazakhstan])
    ArticleFactory(published=True)
    with django_assert_num_queries(3):  # articles, authors, countries
        rows = {row.pk: row for row in selectors.article_list_published()}
        assert list(rows[first.pk].countries.all()) == [kazakhstan, uzbekistan]  # by French name
        assert list(rows[second.pk].countries.all()) == [kazakhstan]
        assert len(rows) == 3
    # prefetch_related(None) clears these relations too, as any other prefetch.
    with django_assert_num_queries(1):
        list(selectors.article_list_published().prefetch_related(None))


def test_head_metadata_is_kept_until_the_article_changes(client, fragments, published):
    from steppe.publishing.signals import article_changed

    article = published(title="Titre d'origine")
    assert 'content="Titre d&#x27;origine"' in client.get(article.get_absolute_url()).text
    Article.objects.filter(pk=article.pk).update(title="Titre corrigé")  # no signal yet
    html = client.get(article.get_absolute_url()).text
    assert '<h1 class="article__title">Titre corrigé</h1>' in html  # the page itself is fresh
    assert 'property="og:title" content="Titre d&#x27;origine"' in html  # its <head> was kept
    article.refresh_from_db()
    article_changed.send(sender=Article, article=article)  # what the edit services send
    html = client.get(article.get_absolute_url()).text
    assert 'property="og:title" content="Titre corrigé"' in html


def test_head_metadata_follows_the_address(client, fragments, published):
    article = published()
    html = client.get(article.get_absolute_url(), HTTP_HOST="testserver").text
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
    html = client.get(article.get_absolute_url(), HTTP_HOST="localhost").text
    assert f'<link rel="canonical" href="http://localhost{article.get_absolute_url()}">' in html


def test_latest_documents_column_follows_a_publication(client, fragments):
    from steppe.library.signals import document_published
    from steppe.library.tests.factories import DocumentFactory

    first = DocumentFactory(published=True, title="Rapport sur les steppes")
    assert first.title in client.get("/").text
    second = DocumentFactory(
        published=True, title="Étude des pâturages", contributor=first.contributor
    )
    assert second.title not in client.get("/").text  # kept until a publication is announced
    document_published.send(sender=type(second), document=second)  # what the services send
    assert second.title in client.get("/").text


def test_prefetched_rows_have_the_orms_python_values(django_assert_num_queries):
    kazakhstan = Country.objects.get(code="KZ")
    article = ArticleFactory(published=True, countries=[kazakhstan])
    with django_assert_num_queries(3):
        (row,) = selectors.article_list_published()
        (country,) = row.countries.all()
        assert country.is_focus is kazakhstan.is_focus is True  # SQLite stores 1
        assert row.author.is_active is True
        assert row.author.username == article.author.username
        assert row.signature == article.signature
    # Fields a listing does not read are deferred, loaded if asked for.
    assert row.author.email == article.author.email
