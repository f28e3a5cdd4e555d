"""Review-queue benchmark for library documents: 10,000 submitted documents with their text.

    .venv/bin/python bench/moderation/documents.py
    .venv/bin/python bench/moderation/documents.py --database-url postgres://postgres@127.0.0.1:5432/steppe_bench_docmod

Fills its own database (SQLite file var/bench/moderation-documents.sqlite3 by default; bench rows
are replaced on every run) in two steps, a tenth then the rest. Each submitted document carries
--text-kb kilobytes of extracted text, which the queue must never read. After each step the queue
(all kinds, documents only, filtered) and one document's review page are loaded in-process by a
signed-in editor; the number of SQL queries must be the same at both sizes and the median under
200 ms. Bounded: it stops after the second measurement.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from run import analyze, setup_django  # noqa: E402  (the moderation benchmark's own helpers)

TARGET_MS = 200.0
PREFIX = "bench-docmod-"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: var/bench/moderation-documents.sqlite3")
    parser.add_argument("--documents", type=int, default=10_000, help="submitted documents")
    parser.add_argument("--text-kb", type=int, default=20, help="extracted text per document")
    parser.add_argument("--runs", type=int, default=15, help="loads per page")
    return parser.parse_args()


def clear() -> None:
    from steppe.accounts.models import User
    from steppe.library.models import Document, DocumentVersion

    Document.objects.filter(slug__startswith=PREFIX).update(current_version=None)
    DocumentVersion.objects.filter(document__slug__startswith=PREFIX).delete()
    Document.objects.filter(slug__startswith=PREFIX).delete()
    User.objects.filter(username__startswith=PREFIX).exclude(username__contains="editor").delete()


def fill(*, step: int, count: int, text_kb: int, rng: random.Random) -> dict:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from steppe.accounts.models import User
    from steppe.accounts.roles import roles_ensure
    from steppe.library.models import Document, DocumentVersion
    from steppe.taxonomy.models import Country

    now = timezone.now()
    countries = list(Country.objects.all())
    kinds = list(User.Kind.values)
    text = ("Le texte extrait d'un rapport sur les steppes et leurs pâturages. " * 16 * text_kb)[
        : text_kb * 1024
    ]
    with transaction.atomic():
        roles_ensure()
        editor, created = User.objects.get_or_create(
            username=f"{PREFIX}editor", defaults={"display_name": "Éditrice", "is_staff": True}
        )
        if created:
            editor.groups.add(Group.objects.get(name="editors"))
        contributors = User.objects.bulk_create(
            User(
                username=f"{PREFIX}{step}-c{n}",
                display_name=f"Contributrice {step}-{n}",
                kind=kinds[n % len(kinds)],
                organisation="" if kinds[n % len(kinds)] == "individual" else f"Organisation {n}",
            )
            for n in range(max(10, count // 20))
        )
        documents = Document.objects.bulk_create(
            Document(
                slug=f"{PREFIX}{step}-{n}",
                title=f"Rapport soumis {step}-{n}",
                subtitle="Un sous-titre.",
                contributor=contributors[n % len(contributors)],
                status="submitted",
                submitted_at=now - timedelta(minutes=rng.randint(1, 60 * 24 * 60)),
                text_content=text,
            )
            for n in range(count)
        )
        versions = DocumentVersion.objects.bulk_create(
            DocumentVersion(
                document=document,
                number=1,
                file=f"library/pdf/00/{PREFIX}{document.pk}.pdf",
                checksum=f"{document.pk:064d}",
                size=1_000_000,
                pages=40,
                intake_status="ready",
            )
            for document in documents
        )
        for document, version in zip(documents, versions, strict=True):
            document.current_version = version
        Document.objects.bulk_update(documents, ["current_version"], batch_size=1000)
        through = Document.countries.through
        through.objects.bulk_create(
            through(document_id=document.pk, country_id=rng.choice(countries).pk)
            for document in documents
        )
    return {"editor": editor, "document": documents[0]}


def measure(ctx: dict, runs: int) -> dict[str, tuple[float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(ctx["editor"])
    queue = reverse("moderation:queue")
    pages = {
        "queue": queue,
        "queue ?kind=document": queue + "?kind=document",
        "queue ?kind=document&KZ&age": queue + "?kind=document&country=KZ&age=1",
        "document review": reverse("moderation:document_review", args=[ctx["document"].pk]),
    }
    results = {}
    for name, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code}")
        timings, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
            if any('"text_content"' in q["sql"] for q in captured if name.startswith("queue")):
                raise SystemExit(f"{name}: the queue read the extracted text")
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results[name] = (statistics.median(timings), p95, queries)
    return results


def main() -> None:
    args = parse_args()
    url = (
        args.database_url or f"sqlite:///{ROOT / 'var' / 'bench' / 'moderation-documents.sqlite3'}"
    )
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    setup_django(url)
    from django.db import connection

    rng = random.Random(20261206)
    started = time.perf_counter()
    clear()
    small_count = args.documents // 10
    ctx = fill(step=1, count=small_count, text_kb=args.text_kb, rng=rng)
    analyze(connection)
    small = measure(ctx, max(3, args.runs // 3))
    fill(step=2, count=args.documents - small_count, text_kb=args.text_kb, rng=rng)
    analyze(connection)
    loaded = time.perf_counter() - started
    full = measure(ctx, args.runs)
    print(
        f"document review queue — {connection.vendor}, {args.documents:,} submitted documents "
        f"with {args.text_kb} KB of text each (built in {loaded:.0f} s); "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"{'page':30} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'at 1/10':>8}")
    failures = []
    for name, (median, p95, queries) in full.items():
        print(f"{name:30} {median:10.1f} {p95:8.1f} {queries:8d} {small[name][2]:8d}")
        if queries != small[name][2]:
            failures.append(f"{name}: {small[name][2]} queries at 1/10, {queries} at full size")
        if median > TARGET_MS:
            failures.append(f"{name}: median {median:.0f} ms > {TARGET_MS:.0f} ms")
    print("OK: every page under the target, query counts constant" if not failures else "")
    for failure in failures:
        print("FAIL:", failure)
    connection.close()


if __name__ == "__main__":
    main()
