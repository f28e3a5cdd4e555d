"""Moderation benchmark: the review queue and the transparency page with a full queue.

    .venv/bin/python bench/moderation/run.py                 # SQLite, var/bench/moderation.sqlite3
    .venv/bin/python bench/moderation/run.py --database-url postgres://postgres@127.0.0.1:5432/steppe_bench_moderation

Fills its own database (created if missing; the bench rows are replaced on every run) in two steps:
first a tenth of the corpus, then the rest (10,000 pending items: submissions and proposed edits of
published articles; 50,000 readers' reports grouped in 5,000 cases; audit events, appeals, near-
duplicate flags). After each step every page is loaded in-process through the whole middleware
stack by a signed-in editor (Django's test client, no network), and the number of SQL queries is
counted: it must be the same at both sizes. Timings are the median and 95th percentile of
--runs loads after one warm-up; the transparency report is measured cold (its cache emptied
before each load) and warm. Bounded: it stops after the second measurement.
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

TARGET_MS = 200.0
SEED = 20261206
PREFIX = "bench-mod-"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite file var/bench/moderation.sqlite3")
    parser.add_argument("--items", type=int, default=10_000, help="pending items in the queue")
    parser.add_argument("--reports", type=int, default=50_000, help="readers' reports")
    parser.add_argument("--runs", type=int, default=15, help="loads per page")
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            if not connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def clear() -> None:
    """Remove the rows of an earlier run (everything the bench made carries its prefix)."""
    from django.db import transaction

    from steppe.accounts.models import User
    from steppe.moderation.models import (
        Appeal,
        AuditEvent,
        Fingerprint,
        RefusalReason,
        Report,
        ReportCase,
    )
    from steppe.publishing.models import Article, ArticleRevision

    with transaction.atomic():
        # The audit log refuses deletes through the ORM: the bench empties it with raw SQL.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table}")  # noqa: S608 (fixed name)
        Appeal.objects.all().delete()
        Report.objects.all().delete()
        ReportCase.objects.all().delete()
        Fingerprint.objects.all().delete()
        ArticleRevision.objects.filter(article__slug__startswith=PREFIX).delete()
        Article.countries.through.objects.filter(article__slug__startswith=PREFIX).delete()
        Article.objects.filter(slug__startswith=PREFIX).delete()
        RefusalReason.objects.filter(title__startswith=PREFIX).delete()
        User.objects.filter(username__startswith=PREFIX).delete()


def fill(*, step: int, items: int, reports: int, rng: random.Random) -> dict:
    """Add `items` pending items and `reports` reports (in `reports // 10` cases)."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from steppe.accounts.models import User
    from steppe.accounts.roles import roles_ensure
    from steppe.moderation.models import (
        Appeal,
        AuditEvent,
        Fingerprint,
        NearDuplicate,
        RefusalReason,
        Report,
        ReportCase,
        ReportCategory,
    )
    from steppe.publishing.models import Article, ArticleRevision
    from steppe.taxonomy.models import Country

    now = timezone.now()
    countries = list(Country.objects.all())
    kinds = list(Article.Kind.values)
    user_kinds = list(User.Kind.values)
    categories = list(ReportCategory.values)
    article_type = ContentType.objects.get_for_model(Article)
    submissions = items * 7 // 10
    edits = items - submissions
    case_count = max(1, reports // 10)
    with transaction.atomic():
        roles_ensure()
        editors_group = Group.objects.get(name="editors")
        editors = User.objects.filter(username__startswith=f"{PREFIX}editor")
        if not editors.exists():
            editors = User.objects.bulk_create(
                User(username=f"{PREFIX}editor-{n}", display_name=f"Éditrice {n}", is_staff=True)
                for n in range(2)
            )
            for editor in editors:
                editor.groups.add(editors_group)
            RefusalReason.objects.bulk_create(
                RefusalReason(title=f"{PREFIX}motif {n}", text=f"Motif type numéro {n}.")
                for n in range(8)
            )
        editors = list(editors)
        authors = User.objects.bulk_create(
            User(
                username=f"{PREFIX}{step}-author-{n}",
                display_name=f"Autrice {step}-{n}",
                kind=user_kinds[n % len(user_kinds)],
                organisation="" if n % len(user_kinds) == 0 else f"Organisation {n}",
            )
            for n in range(max(10, items // 20))
        )

        def article(n: int, status: str, **extra) -> Article:
            return Article(
                slug=f"{PREFIX}{step}-{status}-{n}",
                title=f"Article en attente numéro {step}-{n}",
                lead="Un chapeau d'une phrase.",
                body_source="Un corps de texte.",
                body_html="<p>Un corps de texte.</p>",
                kind=kinds[n % len(kinds)],
                author=authors[n % len(authors)],
                status=status,
                **extra,
            )

        pending = Article.objects.bulk_create(
            article(
                n, "submitted", submitted_at=now - timedelta(minutes=rng.randint(1, 60 * 24 * 60))
            )
            for n in range(submissions)
        )
        published = Article.objects.bulk_create(
            article(n, "published", published_at=now - timedelta(days=rng.randint(1, 700)))
            for n in range(max(edits, case_count))
        )
        kz = next(c for c in countries if c.code == "KZ")
        Article.countries.through.objects.bulk_create(
            Article.countries.through(
                article_id=a.pk, country_id=kz.pk if n % 4 == 0 else rng.choice(countries).pk
            )
            for n, a in enumerate(pending + published)
        )
        ArticleRevision.objects.bulk_create(
            ArticleRevision(
                article=a,
                number=1,
                state="pending",
                created_by=a.author,
                data={"title": a.title + " (corrigé)"},
            )
            for a in published[:edits]
        )
        # Near-duplicate flags on one submission in twenty, matching a published article.
        signature = bytes(128 * 8)
        flagged = pending[::20]
        prints = Fingerprint.objects.bulk_create(
            Fingerprint(
                content_type=article_type,
                object_id=a.pk,
                object_repr=a.title,
                object_url=f"/articles/{a.slug}/",
                author=a.author,
                is_published=a.status == "published",
                signature=signature,
            )
            for a in flagged + published[: len(flagged)]
        )
        half = len(flagged)
        NearDuplicate.objects.bulk_create(
            NearDuplicate(fingerprint=prints[i], match=prints[half + i], similarity=0.8)
            for i in range(half)
        )
        statuses = ["open"] * 6 + ["hidden"] + ["dismissed", "withdrawn", "reinstated"]
        cases = ReportCase.objects.bulk_create(
            ReportCase(
                content_type=article_type,
                object_id=a.pk,
                object_repr=a.title,
                object_url=f"/articles/{a.slug}/",
                status=statuses[n % len(statuses)],
                report_count=0,
                ground=rng.choice(categories) if statuses[n % len(statuses)] != "open" else "",
                statement="Décision motivée." if statuses[n % len(statuses)] != "open" else "",
                decided_by=editors[0] if statuses[n % len(statuses)] != "open" else None,
                decided_at=now - timedelta(days=rng.randint(0, 700))
                if statuses[n % len(statuses)] != "open"
                else None,
            )
            for n, a in enumerate(published[:case_count])
        )
        report_rows = []
        for n in range(reports):
            case = cases[n % len(cases)]
            case.report_count += 1
            sent = now - timedelta(days=rng.randint(0, 700))
            report_rows.append(
                Report(
                    case=case,
                    category=rng.choice(categories),
                    explanation="Ce passage pose problème pour les raisons suivantes.",
                    month=sent.date().replace(day=1),
                )
            )
        Report.objects.bulk_create(report_rows, batch_size=5000)
        ReportCase.objects.bulk_update(cases, ["report_count"], batch_size=2000)
        events = []
        for n, a in enumerate(published[: items // 2]):
            events.append(
                AuditEvent(
                    action=rng.choice(["published", "refused", "report_dismissed", "hidden"]),
                    actor=editors[n % 2],
                    actor_name=editors[n % 2].display_name,
                    reason="Motif type numéro 1.",
                    content_type=article_type,
                    object_id=a.pk,
                    object_repr=a.title,
                    status_before="submitted",
                    status_after="published",
                    details={"waited_seconds": rng.randint(60, 86400 * 5), "reasons": []},
                )
            )
        AuditEvent.objects.bulk_create(events, batch_size=5000)
        decided = [c for c in cases if c.status != "open"]
        Appeal.objects.bulk_create(
            Appeal(
                case=c,
                role="author",
                email=f"appel-{step}-{n}@example.org",
                explanation="Je conteste.",
                contested_status=c.status,
                contested_by=editors[0],
            )
            for n, c in enumerate(decided[: max(1, len(decided) // 10)])
        )
    return {"editor": editors[1], "case": cases[0], "author": authors[0]}


def measure(ctx: dict, runs: int) -> dict[str, tuple[float, float, int]]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from steppe.moderation import transparency

    client = Client()
    client.force_login(ctx["editor"])
    pages = {
        "queue": (reverse("moderation:queue"), None),
        "queue ?country&age": (
            reverse("moderation:queue") + "?country=KZ&age=1",
            None,
        ),
        "queue page 2": (reverse("moderation:queue") + "?page=2", None),
        "report cases": (reverse("moderation:case_list"), None),
        "report case (10 reports)": (
            reverse("moderation:case_detail", args=[ctx["case"].pk]),
            None,
        ),
        "audit log": (reverse("moderation:audit_log"), None),
        "appeals": (reverse("moderation:appeal_list"), None),
        "account page": (reverse("moderation:account_detail", args=[ctx["author"].pk]), None),
        "transparency (cold)": (reverse("moderation:transparency"), transparency.CACHE_KEY),
        "transparency (warm)": (reverse("moderation:transparency"), None),
        "transparency.csv (cold)": (
            reverse("moderation:transparency_csv"),
            transparency.CACHE_KEY,
        ),
    }
    results = {}
    for name, (url, cold_key) in pages.items():
        if cold_key:
            cache.delete(cold_key)
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code}")
        timings = []
        queries = 0
        for _ in range(runs):
            if cold_key:
                cache.delete(cold_key)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results[name] = (statistics.median(timings), p95, queries)
    return results


def main() -> None:
    args = parse_args()
    database_url = args.database_url or f"sqlite:///{ROOT / 'var' / 'bench' / 'moderation.sqlite3'}"
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    setup_django(database_url)
    from django.db import connection

    rng = random.Random(SEED)
    started = time.perf_counter()
    clear()
    small_items, small_reports = args.items // 10, args.reports // 10
    ctx = fill(step=1, items=small_items, reports=small_reports, rng=rng)
    analyze(connection)
    small = measure(ctx, max(3, args.runs // 3))
    fill(step=2, items=args.items - small_items, reports=args.reports - small_reports, rng=rng)
    analyze(connection)
    loaded = time.perf_counter() - started
    full = measure(ctx, args.runs)
    print(
        f"moderation benchmark — {connection.vendor}, {args.items:,} pending items, "
        f"{args.reports:,} reports (corpus built in {loaded:.0f} s); "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'at 1/10':>8}")
    failures = []
    for name, (median, p95, queries) in full.items():
        small_queries = small[name][2]
        print(f"{name:28} {median:10.1f} {p95:8.1f} {queries:8d} {small_queries:8d}")
        if queries != small_queries:
            failures.append(f"{name}: {small_queries} queries at 1/10, {queries} at full size")
        if median > TARGET_MS:
            failures.append(f"{name}: median {median:.0f} ms > {TARGET_MS:.0f} ms")
    print("OK: every page under the target, query counts constant" if not failures else "")
    for failure in failures:
        print("FAIL:", failure)
    connection.close()


def analyze(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
