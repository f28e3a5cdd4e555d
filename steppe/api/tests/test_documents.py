import datetime

import pytest

from steppe.core.tests.utils import assert_queries_do_not_grow
from steppe.library.models import Chapter, Document
from steppe.library.tests.factories import DocumentFactory
from steppe.taxonomy.models import Country, Theme

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents"


def slugs(client, query: str = "") -> list[str]:
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


@pytest.fixture
def library(corpus, mongolia):
    older = DocumentFactory(
        published=True,
        slug="dossier-dzud-2024",
        title="Le dzud de 2024",
        organisation="Agence mongole des situations d'urgence",
        published_on=datetime.date(2024, 3, 1),
        language="en",
        countries=[mongolia],
        published_at=corpus["declaration"].published_at - datetime.timedelta(days=2),
    )
    older.themes.set([Theme.objects.get(slug="climat")])
    DocumentFactory(slug="rapport-en-attente", countries=[mongolia])  # a draft
    return {"declaration": corpus["declaration"], "dzud": older}


def test_lists_published_documents_newest_first(client, library):
    assert slugs(client) == ["declaration-samarcande-ue-asie-centrale", "dossier-dzud-2024"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?country=uz", ["declaration-samarcande-ue-asie-centrale"]),
        ("?country=MN", ["dossier-dzud-2024"]),
        ("?region=asie-centrale", ["declaration-samarcande-ue-asie-centrale"]),
        ("?theme=climat", ["dossier-dzud-2024"]),
        ("?organisation=union", ["declaration-samarcande-ue-asie-centrale"]),
        ("?organisation=AGENCE%20MONGOLE", ["dossier-dzud-2024"]),
        ("?year=2024", ["dossier-dzud-2024"]),
        ("?year=2025", ["declaration-samarcande-ue-asie-centrale"]),
        ("?year=1999", []),
        ("?language=en", ["dossier-dzud-2024"]),
        ("?contributor=observatoire-steppes", ["declaration-samarcande-ue-asie-centrale"]),
    ],
)
def test_filters(client, library, query, expected):
    assert slugs(client, query) == expected


def test_control_characters_in_free_text_filters_are_ignored(client, library):
    # PostgreSQL refuses NUL in a query: the filter must not turn it into a 500.
    assert slugs(client, "?organisation=union%00") == ["declaration-samarcande-ue-asie-centrale"]


def test_detail_has_ordered_chapters_and_presentation(client, library):
    document = library["declaration"]
    # Stored out of order: the API answers by position.
    Chapter.objects.filter(document=document).delete()
    Chapter.objects.bulk_create(
        [
            Chapter(document=document, position=3, title="Troisième", page=30),
            Chapter(document=document, position=1, title="Premier", page=None),
            Chapter(document=document, position=2, title="Deuxième", page=12),
        ]
    )
    data = client.get(f"{URL}/declaration-samarcande-ue-asie-centrale").json()
    assert data["chapters"] == [
        {"position": 1, "title": "Premier", "page": None},
        {"position": 2, "title": "Deuxième", "page": 12},
        {"position": 3, "title": "Troisième", "page": 30},
    ]
    assert data["published_on"] == "2025-04-04"
    assert data["presentation_html"].startswith("<p>")
    assert data["contributor"]["username"] == "observatoire-steppes"
    assert data["countries"] == ["KZ", "UZ"]


def test_detail_presentation_is_sanitised(client, library):
    Document.objects.filter(pk=library["dzud"].pk).update(
        presentation_html='<img src="x" onerror="alert(1)"><script>alert(2)</script>'
    )
    html = client.get(f"{URL}/dossier-dzud-2024").json()["presentation_html"]
    assert "onerror" not in html
    assert "<script" not in html


@pytest.mark.parametrize("slug", ["rapport-en-attente", "inexistant"])
def test_unpublished_or_unknown_document_is_404(client, library, slug):
    response = client.get(f"{URL}/{slug}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_list_queries_do_not_grow(client, kazakhstan):
    def add(n):
        for _ in range(n):
            document = DocumentFactory(published=True, countries=[kazakhstan])
            document.themes.set(Theme.objects.all()[:2])

    assert_queries_do_not_grow(client, f"{URL}?country=kz&limit=100", add)


def test_detail_queries_do_not_grow(client):
    document = DocumentFactory(published=True, chapters=["Un"])
    countries = iter(Country.objects.all())

    def add(n):
        start = document.chapters.count() + 1
        Chapter.objects.bulk_create(
            Chapter(document=document, position=start + i, title=f"Chapitre {start + i}")
            for i in range(n)
        )
        document.countries.add(*(next(countries) for _ in range(n)))

    assert_queries_do_not_grow(client, f"{URL}/{document.slug}", add)
