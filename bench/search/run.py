"""Search benchmark: indexing throughput and query latency on 100,000 synthetic French items.

    .venv/bin/python bench/search/run.py --engine sqlite
    .venv/bin/python bench/search/run.py --engine postgresql

Each engine gets its own database (var/bench/search.sqlite3; PostgreSQL database steppe_bench_search on
127.0.0.1, or --database-url). The corpus file (var/bench/) and the loaded rows are reused between runs;
`--reindex` rebuilds the index even if it is already complete. See bench/README.md.
"""

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ORGS, PEOPLE, PLACES, RARE_STEMS, TOPICS, ensure_corpus, read_corpus  # noqa: E402

DEFAULT_SEED = 20250604
CORPUS_COUNTRIES = [
    "KZ", "KG", "TJ", "TM", "UZ", "MN", "AF", "CN", "JP", "KR", "KP", "IN", "PK", "AZ", "GE", "AM",
    "TR", "IR", "SA", "AE", "SI", "ES", "SE",
]  # fmt: skip
CORPUS_THEMES = [
    "energie", "securite", "climat", "mineraux-critiques", "diplomatie", "economie", "eau",
    "numerique", "culture", "societe",
]  # fmt: skip
TARGET_P95_MS = 50.0
TARGET_RATE = 1000.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", help="overrides the engine's default database")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reindex", action="store_true", help="rebuild the index even if complete")
    parser.add_argument("--reload", action="store_true", help="load the corpus again")
    parser.add_argument("--explain", action="store_true", help="print the plans of sample queries")
    parser.add_argument(
        "--related", type=int, default=100, help="items whose related items are timed (0: none)"
    )
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    var_dir = ROOT / "var"
    (var_dir / "bench").mkdir(parents=True, exist_ok=True)
    url = args.database_url or (
        f"sqlite:///{var_dir / 'bench' / 'search.sqlite3'}"
        if args.engine == "sqlite"
        else "postgres://postgres@127.0.0.1:5432/steppe_bench_search"
    )
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steppe.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if url.startswith("postgres"):
        _create_postgres_database(url)
    import django

    django.setup()


def _create_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def load(path: Path, size: int) -> float:
    """Insert the corpus as published articles and documents (no signals); return seconds."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.html import escape

    from steppe.accounts.models import User
    from steppe.library.models import Chapter, Document
    from steppe.publishing.models import Article
    from steppe.taxonomy.models import Country, Theme

    started = time.perf_counter()
    # The corpus names countries and themes by their index in these lists (the taxonomy seeded
    # by migration; later additions are not used).
    by_code = Country.objects.in_bulk(CORPUS_COUNTRIES, field_name="code")
    by_slug = Theme.objects.in_bulk(CORPUS_THEMES, field_name="slug")
    countries = [by_code[code] for code in CORPUS_COUNTRIES]
    themes = [by_slug[slug] for slug in CORPUS_THEMES]
    kinds = list(User.Kind.values)
    from django.db.models.signals import post_delete

    from steppe.search.backends import get_search_backend

    with transaction.atomic():
        # The old index goes first, and at once: item by item, the receivers would take an hour.
        get_search_backend().clear()
        receivers = [
            (post_delete, "search.article_deleted", Article),
            (post_delete, "search.document_deleted", Document),
        ]
        for signal, uid, sender in receivers:
            signal.disconnect(sender=sender, dispatch_uid=uid)
        Chapter.objects.all().delete()
        Article.objects.all().delete()
        Document.objects.all().delete()
        User.objects.filter(username__startswith="bench-").delete()
        users = User.objects.bulk_create(
            User(
                username=f"bench-{n}",
                display_name=f"Auteur {n}",
                kind=kinds[n % len(kinds)],
                organisation="" if n % len(kinds) == 0 else f"Organisation {n}",
            )
            for n in range(300)
        )
    now = timezone.now().replace(microsecond=0)
    batch: list[dict] = []

    def flush(records: list[dict]) -> None:
        articles, documents = [], []
        for record in records:
            published_at = now - timezone.timedelta(
                days=record["days_ago"], seconds=record["seconds"]
            )
            body_html = "".join(f"<p>{escape(p)}</p>" for p in record["body"].split("\n\n"))
            common = {
                "title": record["title"][:255],
                "slug": f"bench-{record['number']}",
                "language": record["language"],
                "status": "published",
                "published_at": published_at,
            }
            if record["type"] == "article":
                articles.append(
                    (
                        Article(
                            **common,
                            kind=record["kind"],
                            lead=record["lead"],
                            body_source=record["body"],
                            body_html=body_html,
                            author=users[record["author"]],
                        ),
                        record,
                    )
                )
            else:
                documents.append(
                    (
                        Document(
                            **common,
                            subtitle=record["lead"][:1000],
                            presentation_source=record["body"],
                            presentation_html=body_html,
                            contributor=users[record["author"]],
                            published_on=published_at.date(),
                        ),
                        record,
                    )
                )
        with transaction.atomic():
            Article.objects.bulk_create([a for a, _ in articles])
            Document.objects.bulk_create([d for d, _ in documents])
            Article.countries.through.objects.bulk_create(
                Article.countries.through(article_id=a.pk, country_id=countries[i].pk)
                for a, r in articles
                for i in r["countries"]
            )
            Article.themes.through.objects.bulk_create(
                Article.themes.through(article_id=a.pk, theme_id=themes[i].pk)
                for a, r in articles
                for i in r["themes"]
            )
            Document.countries.through.objects.bulk_create(
                Document.countries.through(document_id=d.pk, country_id=countries[i].pk)
                for d, r in documents
                for i in r["countries"]
            )
            Document.themes.through.objects.bulk_create(
                Document.themes.through(document_id=d.pk, theme_id=themes[i].pk)
                for d, r in documents
                for i in r["themes"]
            )
            Chapter.objects.bulk_create(
                Chapter(document_id=d.pk, position=p, title=t)
                for d, r in documents
                for p, t in enumerate(r["chapters"], start=1)
            )

    for number, record in enumerate(read_corpus(path)):
        if number >= size:
            break
        batch.append(record)
        if len(batch) == 2000:
            flush(batch)
            batch = []
            print(f"\r  loaded {number + 1:,} items", end="", file=sys.stderr)
    if batch:
        flush(batch)
    print(file=sys.stderr)
    return time.perf_counter() - started


def queries(seed: int, count: int) -> list[tuple[str, str, dict, str]]:
    """(category, text, filters, sort): common terms, rare terms, phrases, faceted."""
    rng = random.Random(seed)
    common = [
        "coopération",
        "énergie",
        "sécurité",
        "sommet",
        "Astana",
        "investissement",
        "Asie",
        "centrale",
        "accord",
        "dialogue",
        "projet",
        "Tokaïev",
        "experts",
        "économique",
        "débats",
        "gaz",
        "climat",
        "frontière",
        "commerce",
        "Kazakhstan",
    ]
    rare_words = [f"{stem}{suffix}" for stem in RARE_STEMS for suffix in ("aba", "ebe", "ido")]
    phrases = [
        '"Asie centrale"',
        '"sécurité énergétique"',
        '"routes de la soie"',
        '"mer d\'Aral"',
        '"terres rares"',
        '"intelligence artificielle"',
        '"liberté de la presse"',
        '"chemin de fer"',
        '"Banque mondiale"',
        '"discours officiels"',
        '"Union économique"',
        '"minéraux critiques"',
        '"société civile"',
        '"mer Caspienne"',
    ]
    specs: list[tuple[str, str, dict, str]] = []
    per = count // 4
    for _ in range(per):  # common words, alone or two together
        words = rng.sample(common, rng.choice([1, 1, 2]))
        specs.append(("common", " ".join(words), {}, "relevance"))
    for _ in range(per):  # rare words and names, sometimes with a common word
        word = rng.choice(rare_words + [p.split()[-1] for p in PEOPLE] + PLACES)
        if rng.random() < 0.3:
            word += " " + rng.choice(common)
        specs.append(("rare", word, {}, rng.choice(["relevance", "relevance", "date"])))
    for _ in range(per):  # phrases, exclusions, OR
        text = rng.choice(phrases)
        roll = rng.random()
        if roll < 0.25:
            text += " -" + rng.choice(TOPICS).split()[0]
        elif roll < 0.5:
            text = f"{rng.choice(PLACES)} OR {rng.choice(PLACES)}"
        specs.append(("phrase", text, {}, "relevance"))
    countries = ["kz", "uz", "kg", "tj", "tm", "mn", "af", "cn"]
    themes = ["energie", "securite", "climat", "diplomatie", "economie", "eau"]
    while len(specs) < count:  # faceted: a word and one or two facets, either sort
        filters: dict[str, list[str]] = {"pays": [rng.choice(countries)]}
        if rng.random() < 0.5:
            filters["theme"] = [rng.choice(themes)]
        if rng.random() < 0.3:
            filters["annee"] = [str(rng.randint(2012, 2025))]
        text = rng.choice(common + [o.split()[-1] for o in ORGS])
        specs.append(("faceted", text, filters, rng.choice(["relevance", "date"])))
    return specs


class Params(dict):
    def getlist(self, key):
        return self.get(key, [])


def measure(specs) -> dict[str, list[float]]:
    from steppe.search.selectors import Filters, search_run

    timings: dict[str, list[float]] = {}
    for category, text, filters, sort in specs:
        started = time.perf_counter()
        results = search_run(text=text, filters=Filters.from_querydict(Params(filters)), sort=sort)
        elapsed = (time.perf_counter() - started) * 1000
        timings.setdefault(category, []).append(elapsed)
        timings.setdefault("all", []).append(elapsed)
        MATCHES.setdefault(category, []).append(results.total)
    return timings


MATCHES: dict[str, list[int]] = {}


def cpu_seconds(*, children: bool = True) -> float:
    """User + system CPU time of this process and of its finished children (the workers)."""
    usages = [resource.getrusage(resource.RUSAGE_SELF)]
    if children:
        usages.append(resource.getrusage(resource.RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def related(seed: int, count: int) -> None:
    """ "Related items" of `count` random items, computed as the worker does when an item is indexed
    (pages read the stored list with one query: search/related.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from steppe.search.models import SearchEntry
    from steppe.search.related import related_compute

    rng = random.Random(seed)
    keys = list(SearchEntry.objects.values_list("item_type", "object_id"))
    sample = rng.sample(keys, min(count + 10, len(keys)))
    for item_type, object_id in sample[:10]:  # warm-up
        related_compute(identity=(item_type, object_id))
    timings, query_counts, found = [], [], []
    load_before = os.getloadavg()[0]
    for item_type, object_id in sample[10:]:
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            hits = related_compute(identity=(item_type, object_id)) or []
            timings.append((time.perf_counter() - started) * 1000)
        query_counts.append(len(context.captured_queries))
        found.append(len(hits))
    print(
        f"related items (computed): {len(timings)} items, p50 {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 95):.1f} ms, max {max(timings):.1f} ms; "
        f"queries per call {min(query_counts)}-{max(query_counts)}; "
        f"median hits {statistics.median(found):.0f}; load average {load_before:.2f}"
    )


def clock_writer_phases() -> tuple[dict[str, float], dict[str, float]]:
    """CPU and wall seconds of the writing process in each phase of a reindex, filled as it runs.

    Wraps the backend's hooks: `clear` (the old index), `_write` (rows and tokens of each batch),
    `_after_bulk_load` (the final segment merge on SQLite), `_end_bulk_load` (once the vocabulary
    is written) and `after_reindex` (after the commit: statistics, VACUUM on PostgreSQL). CPU time
    is the calling thread's: the rest of the writer's CPU time goes to listing the items,
    receiving the workers' results (the pool's threads, at the same time as the rest), the
    vocabulary and the commit. Wall times mark where the time after the last batch goes.
    """
    from steppe.search.backends import get_search_backend

    cpu = {"clear": 0.0, "writes": 0.0, "merge": 0.0}
    wall = {"merge": 0.0, "merged at": 0.0, "vocabulary written at": 0.0, "committed at": 0.0}
    wall["finished at"] = 0.0
    backend_class = type(get_search_backend())
    hooks = (
        ("clear", "clear", None),
        ("writes", "_write", None),
        ("merge", "_after_bulk_load", "merged at"),
        (None, "_end_bulk_load", None),
        (None, "after_reindex", "finished at"),
    )
    for phase, name, mark in hooks:
        original = getattr(backend_class, name)

        def timed(*args, _original=original, _phase=phase, _name=name, _mark=mark, **kwargs):
            started, started_wall = time.thread_time(), time.perf_counter()
            if _name == "_end_bulk_load":
                wall["vocabulary written at"] = started_wall
            elif _name == "after_reindex":
                wall["committed at"] = started_wall
            try:
                return _original(*args, **kwargs)
            finally:
                if _phase is not None:  # not the pool's threads receiving results meanwhile
                    cpu[_phase] += time.thread_time() - started
                if _mark is not None:
                    wall[_mark] = time.perf_counter()
                if _name == "_after_bulk_load":
                    wall["merge"] = time.perf_counter() - started_wall

        setattr(backend_class, name, timed)
    return cpu, wall


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    args = parse_args()
    setup_django(args)
    from django.core.management import call_command
    from django.db import connection

    from steppe.library.models import Document
    from steppe.publishing.models import Article
    from steppe.search.models import SearchEntry
    from steppe.search.services import search_reindex

    print(f"engine: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    path = ensure_corpus(ROOT / "var", seed=args.seed, size=args.size)
    print(f"corpus: {path.name}")
    reload = args.reload or Article.objects.count() + Document.objects.count() != args.size
    if reload:
        seconds = load(path, args.size)
        print(f"load: {args.size:,} items in {seconds:.1f} s (not part of indexing)")
    if reload or args.reindex or SearchEntry.objects.count() != args.size:
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds()
        own_before = cpu_seconds(children=False)
        started = time.perf_counter()
        last_batch = [started]

        def progress(size: int) -> None:
            last_batch[0] = time.perf_counter()

        phases, marks = clock_writer_phases()
        done = search_reindex(progress=progress)
        seconds = time.perf_counter() - started
        tail = time.perf_counter() - last_batch[0]
        cpu = cpu_seconds() - cpu_before
        own = cpu_seconds(children=False) - own_before
        rate = done / seconds
        flag = "ok" if rate >= TARGET_RATE else "MISSED"
        print(
            f"indexing: {done:,} items in {seconds:.1f} s = {rate:,.0f} items/s "
            f"(target >= {TARGET_RATE:,.0f}: {flag}); of which {tail:.1f} s after the last "
            "batch (index merge or VACUUM, vocabulary, commit)"
        )
        print(
            f"  CPU time of this process and its workers: {cpu:.1f} s "
            f"({cpu / max(done, 1) * 1000:.2f} ms per item; this process, which writes: "
            f"{own:.1f} s; the database server's not counted); "
            f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
        )
        other = own - sum(phases.values())
        print(
            f"  CPU time: workers {cpu - own:.1f} s; writer {own:.1f} s = clear {phases['clear']:.1f}"
            f" + writes {phases['writes']:.1f} + final merge {phases['merge']:.1f} + other "
            f"{other:.1f} (listing items, receiving results, vocabulary, commit)"
        )
        if marks["finished at"]:
            print(
                f"  after the last batch (wall): final merge {marks['merge']:.1f} s, vocabulary "
                f"{marks['vocabulary written at'] - marks['merged at']:.1f} s, commit (and WAL "
                f"checkpoint) {marks['committed at'] - marks['vocabulary written at']:.1f} s, "
                f"statistics {marks['finished at'] - marks['committed at']:.1f} s"
            )
    else:
        print("indexing: index already complete (use --reindex to measure it)")
    specs = queries(args.seed, args.queries)
    measure(queries(args.seed + 1, 20))  # warm-up with other queries
    MATCHES.clear()
    load_before = os.getloadavg()[0]
    timings = measure(specs)
    print(
        f"queries: {len(specs)} through steppe.search.selectors.search_run (ms); "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    print(f"  {'category':<10}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}{'median matches':>16}")
    for category in ("common", "rare", "phrase", "faceted", "all"):
        values = timings.get(category, [])
        if values:
            matches = MATCHES.get(category) or [
                total for totals in MATCHES.values() for total in totals
            ]
            print(
                f"  {category:<10}{len(values):>5}{statistics.median(values):>9.1f}"
                f"{percentile(values, 95):>9.1f}{max(values):>9.1f}"
                f"{statistics.median(matches):>16,.0f}"
            )
    p95 = percentile(timings["all"], 95)
    print(
        f"p95 {p95:.1f} ms (target <= {TARGET_P95_MS:.0f}: {'ok' if p95 <= TARGET_P95_MS else 'MISSED'})"
    )
    if args.related:
        related(args.seed, args.related)
    if args.explain:
        explain()


def explain() -> None:
    from steppe.search.backends import get_search_backend
    from steppe.search.query import parse_query
    from steppe.search.selectors import Filters, search_criteria

    backend = get_search_backend()
    for text, filters in [
        ("coopération", {}),
        ("ksaraba", {}),
        ('"Asie centrale" -gaz', {}),
        ("énergie", {"pays": ["kz"]}),
    ]:
        criteria = search_criteria(parse_query(text), Filters.from_querydict(Params(filters)))
        print(f"\n--- {text} {filters}")
        print(backend.explain(criteria, limit=1000))


if __name__ == "__main__":
    main()
