"""A reproducible corpus for the page benchmark: 100,000 articles, 10,000 documents, 5,000 authors.

Text comes from a pool of paragraphs built from the word lists below (written for this benchmark), so
that generating 110,000 items takes seconds; the same seed gives the same rows. Rows go in with
`bulk_create` (no signals), then the search index is rebuilt with `search_reindex` (what
`manage.py reindex` runs) so that the search page has something to find.
"""

import random
import sys
import time

SUBJECTS = [
    "Le gouvernement",
    "La banque centrale",
    "Le ministère de l'Énergie",
    "Une coalition d'associations",
    "Le parlement",
    "La mairie de la capitale",
    "Un groupe d'agriculteurs",
    "L'agence de l'eau",
    "Le syndicat des enseignants",
    "Une délégation européenne",
]
VERBS = [
    "a présenté",
    "prépare",
    "conteste",
    "finance",
    "met à l'étude",
    "relance",
    "suspend",
    "soutient",
]
OBJECTS = [
    "un plan de modernisation des réseaux d'irrigation",
    "une réforme du code foncier",
    "un corridor ferroviaire vers la Caspienne",
    "la hausse des tarifs de l'électricité",
    "un programme de bourses pour les étudiants des régions",
    "la construction d'une centrale solaire",
    "un accord sur le partage des eaux transfrontalières",
    "la numérisation des services publics",
    "un fonds pour les éleveurs touchés par le dzud",
    "la protection des journalistes indépendants",
]
PLACES = [
    "Astana",
    "Almaty",
    "Tachkent",
    "Samarcande",
    "Bichkek",
    "Och",
    "Douchanbé",
    "Achgabat",
    "Oulan-Bator",
    "Khovd",
    "Noukous",
    "Karaganda",
]
TAILS = [
    "selon des sources proches du dossier",
    "malgré les critiques de l'opposition",
    "avant la fin de l'année",
    "après plusieurs mois de négociations",
    "sous la pression des bailleurs internationaux",
    "dans un contexte d'inflation persistante",
]
COUNTRIES = ["kz", "uz", "kg", "tj", "tm", "mn"]
KINDS = ["news", "analysis", "opinion", "interview"]


def paragraphs(rng: random.Random, count: int) -> list[str]:
    pool = []
    for _ in range(count):
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} à "
            f"{rng.choice(PLACES)}, {rng.choice(TAILS)}."
            for _ in range(rng.randint(4, 7))
        ]
        pool.append(" ".join(sentences))
    return pool


def load(*, seed: int, articles: int, documents: int, authors: int, reindex: bool = True) -> None:
    """Replace the content of the current database by the corpus (the taxonomy stays)."""
    from django.db import connection, transaction
    from django.db.models.signals import post_delete
    from django.utils import timezone
    from django.utils.html import escape

    from steppe.accounts.models import User
    from steppe.library.models import Chapter, Document
    from steppe.publishing.models import Article
    from steppe.search.backends import get_search_backend
    from steppe.search.services import search_reindex
    from steppe.taxonomy.models import Country, Theme

    rng = random.Random(seed)
    started = time.perf_counter()
    pool = paragraphs(rng, 3000)
    countries = list(Country.objects.filter(code__in=[c.upper() for c in COUNTRIES]))
    countries += list(Country.objects.filter(code__in=COUNTRIES))
    themes = list(Theme.objects.all())
    if not countries or not themes:
        raise SystemExit("the taxonomy (migration 0002) is missing")
    for signal, uid, sender in [
        (post_delete, "search.article_deleted", Article),
        (post_delete, "search.document_deleted", Document),
    ]:
        signal.disconnect(sender=sender, dispatch_uid=uid)
    with transaction.atomic():
        get_search_backend().clear()
        Chapter.objects.all().delete()
        Article.objects.all().delete()
        Document.objects.all().delete()
        User.objects.filter(username__startswith="bench-").delete()
        kinds = list(User.Kind.values)
        users = User.objects.bulk_create(
            (
                User(
                    username=f"bench-{n}",
                    display_name=f"Autrice {n}" if n % 2 else f"Auteur {n}",
                    kind=kinds[n % len(kinds)],
                    organisation="" if n % len(kinds) == 0 else f"Organisation {n % 97}",
                    email=f"bench-{n}@example.org",
                    bio=pool[n % len(pool)][:400],
                )
                for n in range(authors)
            ),
            batch_size=2000,
        )
    now = timezone.now().replace(microsecond=0)

    def text(count: int) -> tuple[str, str]:
        chosen = [pool[rng.randrange(len(pool))] for _ in range(count)]
        source = "\n\n".join(chosen)
        return source, "".join(f"<p>{escape(p)}</p>" for p in chosen)

    def when() -> object:
        return now - timezone.timedelta(seconds=rng.randint(60, 10 * 365 * 86_400))

    batch = 5000
    for start in range(0, articles, batch):
        rows, links_c, links_t = [], [], []
        for n in range(start, min(start + batch, articles)):
            source, html = text(rng.randint(6, 10))
            rows.append(
                Article(
                    kind=rng.choices(KINDS, [60, 20, 15, 5])[0],
                    title=f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ({n})"[
                        :255
                    ],
                    slug=f"bench-article-{n}",
                    lead=pool[rng.randrange(len(pool))][:600],
                    body_source=source,
                    body_html=html,
                    language="fr",
                    author=users[rng.randrange(authors)],
                    status="published",
                    published_at=when(),
                    # Editors feature a piece now and then (the home page shows the newest one).
                    is_featured=n % 500 == 0,
                )
            )
        with transaction.atomic():
            Article.objects.bulk_create(rows)
            for article in rows:
                for country in rng.sample(countries, rng.choice([1, 1, 2])):
                    links_c.append(
                        Article.countries.through(article_id=article.pk, country_id=country.pk)
                    )
                for theme in rng.sample(themes, rng.choice([1, 2])):
                    links_t.append(Article.themes.through(article_id=article.pk, theme_id=theme.pk))
            Article.countries.through.objects.bulk_create(links_c)
            Article.themes.through.objects.bulk_create(links_t)
        print(f"\r  articles {start + len(rows):,}/{articles:,}", end="", file=sys.stderr)
    print(file=sys.stderr)
    for start in range(0, documents, batch):
        rows, links_c, links_t, chapters = [], [], [], []
        for n in range(start, min(start + batch, documents)):
            source, html = text(rng.randint(2, 4))
            published_at = when()
            rows.append(
                Document(
                    title=f"Rapport sur {rng.choice(OBJECTS)} ({n})"[:255],
                    slug=f"bench-document-{n}",
                    subtitle=pool[rng.randrange(len(pool))][:300],
                    organisation=f"Observatoire {n % 200}",
                    presentation_source=source,
                    presentation_html=html,
                    language="fr",
                    contributor=users[rng.randrange(authors)],
                    status="published",
                    published_at=published_at,
                    published_on=published_at.date(),
                )
            )
        with transaction.atomic():
            Document.objects.bulk_create(rows)
            for document in rows:
                for country in rng.sample(countries, rng.choice([1, 2])):
                    links_c.append(
                        Document.countries.through(document_id=document.pk, country_id=country.pk)
                    )
                for theme in rng.sample(themes, 1):
                    links_t.append(
                        Document.themes.through(document_id=document.pk, theme_id=theme.pk)
                    )
                for position in range(1, rng.randint(3, 7)):
                    chapters.append(
                        Chapter(document=document, position=position, title=rng.choice(OBJECTS))
                    )
            Document.countries.through.objects.bulk_create(links_c)
            Document.themes.through.objects.bulk_create(links_t)
            Chapter.objects.bulk_create(chapters)
        print(f"\r  documents {start + len(rows):,}/{documents:,}", end="", file=sys.stderr)
    print(file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  rows written in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if reindex:
        started = time.perf_counter()
        done = search_reindex()
        print(
            f"  search index: {done:,} items in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
