"""OAI-PMH throughput: ListRecords (oai_dc) over 20,000 documents, in records per second.

    .venv/bin/python bench/library/oai.py                  # SQLite file var/bench/library-oai.sqlite3
    .venv/bin/python bench/library/oai.py --database-url postgres://postgres@127.0.0.1:5432/steppe_bench_oai
    .venv/bin/python bench/library/oai.py --http           # also harvest over HTTP with sickle

The corpus (published documents with a presentation, 1-3 countries, 1-2 themes, and 2 % withdrawn)
goes to the benchmark's own database, once; it is reused while it holds --documents rows. The
harvest follows resumption tokens from the first page to the last, through Django's whole request
stack (middleware, view, XML writing) in process; with --http, a real harvester (sickle) also
reads every page from a local server (Django's threaded runserver), parsing the XML as it goes.
Target (issue 5): at least 500 records/s.
"""

import argparse
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

TARGET = 500.0
SEED = 20251125


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite file var/bench/library-oai.sqlite3")
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=100, help="records per response")
    parser.add_argument("--http", action="store_true", help="also harvest with sickle over HTTP")
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "oai_bench_settings"
    if database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def ensure_corpus(size: int) -> float:
    """Bulk-insert the documents (no signals); return the seconds it took (0 when reused)."""
    from datetime import date, timedelta

    from django.db import transaction
    from django.utils import timezone

    from steppe.accounts.models import User
    from steppe.core.models import PublicationStatus
    from steppe.core.text import render_markdown
    from steppe.library.models import Document
    from steppe.taxonomy.models import Country, Theme

    if Document.objects.filter(import_key__startswith="bench-oai:").count() >= size:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(SEED)
    countries = list(Country.objects.all())
    themes = list(Theme.objects.all())
    words = [
        "énergie",
        "eau",
        "sécurité",
        "climat",
        "minerais",
        "critiques",
        "dialogue",
        "coopération",
        "régionale",
        "steppe",
        "Astana",
        "Oulan-Bator",
        "Samarcande",
        "Bichkek",
        "Douchanbé",
        "corridor",
        "transcaspien",
        "frontière",
        "investissements",
        "hydrocarbures",
        "uranium",
        "irrigation",
        "glaciers",
        "élections",
        "réforme",
    ]
    now = timezone.now()
    with transaction.atomic():
        Document.objects.filter(import_key__startswith="bench-oai:").delete()
        contributor, _created = User.objects.get_or_create(
            username="bench-oai",
            defaults={"display_name": "Banc d’essai OAI", "email": "b@x.invalid"},
        )
        batch = []
        for index in range(size):
            presentation = " ".join(rng.choice(words) for _ in range(80)).capitalize() + "."
            published_at = now - timedelta(minutes=size - index)
            batch.append(
                Document(
                    contributor=contributor,
                    title=f"Rapport {index} : " + " ".join(rng.choice(words) for _ in range(6)),
                    slug=f"bench-oai-{index}",
                    subtitle=" ".join(rng.choice(words) for _ in range(15)).capitalize() + ".",
                    published_on=date(2000, 1, 1) + timedelta(days=rng.randrange(9000)),
                    organisation=f"Institut {rng.randrange(200)}",
                    authors="; ".join(
                        f"Autrice {rng.randrange(500)}" for _ in range(rng.randint(0, 3))
                    ),
                    presentation_source=presentation,
                    presentation_html=render_markdown(presentation),
                    language=rng.choice(["fr"] * 8 + ["en", "ru"]),
                    status=(
                        PublicationStatus.WITHDRAWN
                        if rng.random() < 0.02
                        else PublicationStatus.PUBLISHED
                    ),
                    published_at=published_at,
                    import_key=f"bench-oai:{index}",
                )
            )
        documents = Document.objects.bulk_create(batch, batch_size=2000)
        country_links, theme_links = [], []
        for document in documents:
            for country in rng.sample(countries, rng.randint(1, 3)):
                country_links.append(
                    Document.countries.through(document_id=document.pk, country_id=country.pk)
                )
            for theme in rng.sample(themes, rng.randint(1, 2)):
                theme_links.append(
                    Document.themes.through(document_id=document.pk, theme_id=theme.pk)
                )
        Document.countries.through.objects.bulk_create(country_links, batch_size=5000)
        Document.themes.through.objects.bulk_create(theme_links, batch_size=5000)
    return time.perf_counter() - started


def harvest_in_process() -> tuple[int, int, float, int]:
    """(records, pages, seconds, bytes) of a whole ListRecords harvest through the Django stack."""
    from django.test import Client

    from lxml import etree

    client = Client()
    ns = {"o": "http://www.openarchives.org/OAI/2.0/"}
    records = pages = size = 0
    params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    started = time.perf_counter()
    while True:
        response = client.get("/oai", params)
        body = response.content
        size += len(body)
        pages += 1
        root = etree.fromstring(body)
        records += len(root.findall("o:ListRecords/o:record", ns))
        token = root.find("o:ListRecords/o:resumptionToken", ns)
        if token is None or not token.text:
            break
        params = {"verb": "ListRecords", "resumptionToken": token.text}
    return records, pages, time.perf_counter() - started, size


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def harvest_over_http(database_url: str, page_size: int) -> tuple[int, float]:
    """(records, seconds) of a sickle harvest from a local runserver."""
    from sickle import Sickle

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "oai_bench_settings",
        "PYTHONPATH": f"{HERE}:{ROOT}",
        "STEPPE_OAI_BENCH_PAGE_SIZE": str(page_size),
    }
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        harvester = Sickle(f"http://127.0.0.1:{port}/oai")
        started = time.perf_counter()
        count = sum(1 for _record in harvester.ListRecords(metadataPrefix="oai_dc"))
        return count, time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    args = parse_args()
    database_url = (
        args.database_url or f"sqlite:///{ROOT / 'var' / 'bench' / 'library-oai.sqlite3'}"
    )
    if database_url.startswith("sqlite"):
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ["STEPPE_OAI_BENCH_PAGE_SIZE"] = str(args.page_size)
    setup_django(database_url)
    from django.conf import settings
    from django.db import connection

    loaded = ensure_corpus(args.documents)
    print(
        f"engine: {connection.vendor}; documents: {args.documents}; page size: {settings.STEPPE_OAI_PAGE_SIZE}"
    )
    if loaded:
        print(f"corpus loaded in {loaded:.1f} s")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    harvest_in_process()  # warm-up: caches, connections, the database's pages
    records, pages, seconds, size = harvest_in_process()
    rate = records / seconds
    verdict = "OK" if rate >= TARGET else "BELOW TARGET"
    print(
        f"ListRecords in process: {records} records, {pages} pages, {size / 1e6:.1f} MB "
        f"in {seconds:.2f} s = {rate:,.0f} records/s (target ≥ {TARGET:.0f}: {verdict})"
    )
    if args.http:
        count, seconds = harvest_over_http(database_url, args.page_size)
        rate = count / seconds
        verdict = "OK" if rate >= TARGET else "BELOW TARGET"
        print(
            f"ListRecords over HTTP with sickle: {count} records in {seconds:.2f} s = "
            f"{rate:,.0f} records/s (target ≥ {TARGET:.0f}: {verdict})"
        )


if __name__ == "__main__":
    main()
