from django.urls import reverse
from django.utils import translation

import pytest

from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library.models import Chapter
from steppe.library.tests.factories import DocumentFactory
from steppe.taxonomy.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazakhstan():
    return Country.objects.get(code="KZ")


def test_document_page_shows_breadcrumb_details_chapters_and_presentation(client, kazakhstan):
    document = DocumentFactory(
        published=True,
        title="Dialogue régional",
        subtitle="Analyse des thèmes du dialogue.",
        countries=[kazakhstan],
        chapters=["Premier chapitre", "Deuxième chapitre", "Troisième chapitre"],
    )
    html = client.get(document.get_absolute_url()).content.decode()
    crumb = html[
        html.index('class="breadcrumb"') : html.index("</nav>", html.index('class="breadcrumb"'))
    ]
    assert ">Files</a>" in crumb
    assert ">Le Kazakhstan</a>" in crumb
    assert '<h1 class="article__title">Dialogue régional</h1>' in html
    assert "Analyse des thèmes du dialogue." in html
    assert '<time datetime="2025-12-23">23 décembre 2025</time>' in html
    chapters = html[
        html.index('<ol class="chapters">') : html.index(
            "</ol>", html.index('<ol class="chapters">')
        )
    ]
    assert (
        chapters.index("Premier chapitre")
        < chapters.index("Deuxième chapitre")
        < chapters.index("Troisième chapitre")
    )
    assert "Présentation du document" in html


def test_document_breadcrumb_in_english(client, kazakhstan):
    document = DocumentFactory(published=True, countries=[kazakhstan])
    with translation.override("en"):
        url = document.get_absolute_url()
    html = client.get(url).content.decode()
    assert ">Kazakhstan</a>" in html
    assert "Dec. 23, 2025" in html


def test_breadcrumb_prefers_a_covered_country(client):
    document = DocumentFactory(
        published=True, countries=list(Country.objects.filter(code__in=["JP", "MN"]))
    )
    html = client.get(document.get_absolute_url()).content.decode()
    assert ">La Mongolie</a>" in html


def test_unpublished_document_is_not_found(client):
    document = DocumentFactory()
    assert client.get(document.get_absolute_url()).status_code == 404


def test_library_index_lists_published_documents(client):
    shown = DocumentFactory(published=True, title="Rapport publié")
    DocumentFactory(title="Rapport en attente")
    html = client.get(reverse("library:document_list")).content.decode()
    assert shown.title in html
    assert "Rapport en attente" not in html


def test_library_index_queries_do_not_grow(client, kazakhstan):
    assert_queries_do_not_grow(
        client,
        reverse("library:document_list"),
        lambda count: DocumentFactory.create_batch(count, published=True, countries=[kazakhstan]),
    )


def test_document_page_queries_do_not_grow_with_chapters(client, kazakhstan):
    document = DocumentFactory(published=True, countries=[kazakhstan])

    def add(count):
        start = document.chapters.count()
        Chapter.objects.bulk_create(
            Chapter(document=document, position=start + i + 1, title=f"Chapitre {start + i + 1}")
            for i in range(count)
        )

    assert_queries_do_not_grow(client, document.get_absolute_url(), add)
