"""Fixtures of the API tests: a small published corpus, with the slugs docs/API.md uses."""

import datetime

from django.utils import timezone

import pytest

from steppe.accounts.tests.factories import OrganisationFactory, UserFactory
from steppe.library.tests.factories import DocumentFactory
from steppe.publishing.models import Article
from steppe.publishing.tests.factories import ArticleFactory
from steppe.taxonomy.models import Country, Theme


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    # Tests about rate limits set their own; the others must never hit one.
    settings.STEPPE_API_RATE_LIMIT = "100000/minute"
    settings.STEPPE_API_WRITE_RATE_LIMIT = "100000/minute"


@pytest.fixture(autouse=True)
def library_temp_dir(settings, tmp_path):
    """The library's temporary folder (uploads being checked) inside the test's own folder."""
    settings.STEPPE_LIBRARY_TEMP_DIR = str(tmp_path / "library-tmp")
    return tmp_path / "library-tmp"


@pytest.fixture
def kazakhstan(db):
    return Country.objects.get(code="KZ")


@pytest.fixture
def mongolia(db):
    return Country.objects.get(code="MN")


@pytest.fixture
def energy(db):
    return Theme.objects.get(slug="energie")


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def corpus(db):
    """What docs/API.md's examples read: two authors, three articles, a document, a draft."""
    kz = Country.objects.get(code="KZ")
    mn = Country.objects.get(code="MN")
    uz = Country.objects.get(code="UZ")
    energy = Theme.objects.get(slug="energie")
    diplomacy = Theme.objects.get(slug="diplomatie")
    water = Theme.objects.get(slug="eau")
    aigerim = UserFactory(
        username="aigerim-seitkali",
        display_name="Aïgerim Seitkali",
        email="aigerim@example.org",
        country=kz,
        bio="Doctorante en science politique.",
    )
    observatory = OrganisationFactory(
        username="observatoire-steppes",
        display_name="Observatoire des steppes",
        organisation="Observatoire des steppes",
        email="contact@observatoire.example.org",
    )
    summit = ArticleFactory(
        published=True,
        slug="sommet-chine-asie-centrale-astana",
        title="À Astana, un sommet Chine–Asie centrale",
        kind=Article.Kind.NEWS,
        author=aigerim,
        countries=[kz, uz],
        themes=[diplomacy],
        published_at=hours_ago(30),
        body_source="Un paragraphe.\n\n## Un intertitre\n\nUn second paragraphe.",
    )
    rogun = ArticleFactory(
        published=True,
        slug="rogun-financement-analyse",
        title="Rogun : qui paiera le barrage ?",
        kind=Article.Kind.ANALYSIS,
        author=observatory,
        countries=[kz],
        themes=[energy, water],
        published_at=hours_ago(20),
    )
    election = ArticleFactory(
        published=True,
        slug="legislatives-mongolie-2024",
        title="Législatives en Mongolie",
        kind=Article.Kind.NEWS,
        language="en",
        author=aigerim,
        countries=[mn],
        themes=[diplomacy],
        published_at=hours_ago(10),
    )
    draft = ArticleFactory(
        slug="brouillon-secret", title="Brouillon secret", author=aigerim, countries=[kz]
    )
    scheduled = ArticleFactory(
        slug="article-programme",
        status="published",
        published_at=timezone.now() + datetime.timedelta(days=1),
        author=aigerim,
        countries=[kz],
    )
    declaration = DocumentFactory(
        published=True,
        slug="declaration-samarcande-ue-asie-centrale",
        title="Déclaration conjointe de Samarcande",
        organisation="Union européenne ; Kazakhstan, Ouzbékistan",
        published_on=datetime.date(2025, 4, 4),
        contributor=observatory,
        countries=[uz, kz],
        chapters=["Un partenariat stratégique", "Paix et sécurité", "Commerce"],
        published_at=hours_ago(25),
    )
    declaration.themes.set([diplomacy])
    return {
        "aigerim": aigerim,
        "observatory": observatory,
        "summit": summit,
        "rogun": rogun,
        "election": election,
        "draft": draft,
        "scheduled": scheduled,
        "declaration": declaration,
    }


@pytest.fixture
def make_token(db):
    """make_token(user, **fields) -> the plain text of a new personal API token of `user`."""
    from steppe.accounts.tokens import api_token_create

    def make(user, name: str = "Script", **fields) -> str:
        new = api_token_create(user=user, name=name)
        if fields:
            type(new.token).objects.filter(pk=new.token.pk).update(**fields)
        return new.plaintext

    return make


@pytest.fixture
def aigerim_token(corpus, make_token) -> str:
    """The token docs/API.md's write examples use: Aïgerim Seitkali's."""
    return make_token(corpus["aigerim"], name="Exemples de la documentation")
