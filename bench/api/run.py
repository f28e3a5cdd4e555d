"""API benchmark: requests/s and latency percentiles of /api/v1/articles?country=kz and of a feed.

    .venv/bin/python bench/api/run.py                       # SQLite, 100,000 articles
    .venv/bin/python bench/api/run.py --database-url postgres://postgres@127.0.0.1:5432/steppe_bench_api

The corpus goes to its own database (var/bench/api.sqlite3 by default; a PostgreSQL database is
created if missing) and is reused while it holds --items articles. A server (gunicorn, rate limits
off) listens on 127.0.0.1:8101 only; client threads send a bounded number of requests to it, then
everything stops. Feeds are measured as served (from the feed cache, as in production) and rendered
(a distinct query string per request misses the cache, so each request builds the feed).
"""

import argparse
import http.client
import importlib.util
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

TARGET_P99_MS = 50.0
SEED = 20250618
URL = "/api/v1/articles?country=kz"
FEED_KZ = "/flux/pays/kazakhstan/"
FEED_ALL = "/flux/"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite file var/bench/api.sqlite3")
    parser.add_argument("--items", type=int, default=100_000, help="published articles")
    parser.add_argument("--port", type=int, default=8101, help="on 127.0.0.1")
    parser.add_argument("--requests", type=int, default=1000, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per scenario, at most"
    )
    parser.add_argument(
        "--server",
        choices=["gunicorn", "runserver"],
        default="gunicorn" if importlib.util.find_spec("gunicorn") else "runserver",
        help="gunicorn: 2 sync workers, persistent database connections (as in production)",
    )
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "api_bench_settings"
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


def ensure_corpus(items: int) -> tuple[int, float]:
    """Published articles (about a quarter about Kazakhstan); return (KZ count, seconds to load)."""
    from django.db import transaction
    from django.utils import timezone

    from steppe.accounts.models import User
    from steppe.publishing.models import Article
    from steppe.taxonomy.models import Country, Theme

    kz = Country.objects.get(code="KZ")
    marker = Article.objects.filter(slug__startswith="bench-api-")
    if marker.count() == items:
        _analyze()
        return Article.countries.through.objects.filter(country=kz).count(), 0.0
    started = time.perf_counter()
    rng = random.Random(SEED)
    others = list(Country.objects.exclude(pk=kz.pk))
    themes = list(Theme.objects.all())
    kinds = list(Article.Kind.values)
    now = timezone.now().replace(microsecond=0)
    body = "".join(
        f"<p>Paragraphe {n} du corps de l'article, assez long pour peser.</p>" for n in range(12)
    )
    with transaction.atomic():
        Article.objects.all().delete()
        User.objects.filter(username__startswith="bench-api-").delete()
        authors = User.objects.bulk_create(
            User(username=f"bench-api-{n}", display_name=f"Autrice {n}") for n in range(200)
        )
        articles = Article.objects.bulk_create(
            (
                Article(
                    slug=f"bench-api-{n}",
                    title=f"Article de banc d'essai numéro {n}",
                    lead="Un chapeau d'une phrase qui résume l'article et donne envie de le lire.",
                    body_source="",
                    body_html=body,
                    kind=kinds[n % len(kinds)],
                    language="fr" if n % 5 else "en",
                    author=authors[n % len(authors)],
                    status="published",
                    # Some items share a date: the keyset's tie-breaker (id) is exercised.
                    published_at=now - timezone.timedelta(minutes=37 * (n // 2)),
                )
                for n in range(items)
            ),
            batch_size=1000,
        )
        country_links, theme_links = [], []
        kz_count = 0
        for article in articles:
            chosen = set(rng.sample(others, rng.randint(1, 3)))
            if rng.random() < 0.25:
                chosen.add(kz)
                kz_count += 1
            country_links += [
                Article.countries.through(article_id=article.pk, country_id=c.pk) for c in chosen
            ]
            theme_links += [
                Article.themes.through(article_id=article.pk, theme_id=t.pk)
                for t in rng.sample(themes, rng.randint(1, 2))
            ]
        Article.countries.through.objects.bulk_create(country_links, batch_size=5000)
        Article.themes.through.objects.bulk_create(theme_links, batch_size=5000)
    _analyze()
    return kz_count, time.perf_counter() - started


def _analyze() -> None:
    """Refresh the planner's statistics, as autovacuum would have after a real import."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def start_server(port: int, server: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "api_bench_settings",
    }
    if server == "gunicorn":
        env["DATABASE_CONN_MAX_AGE"] = "600"  # one connection per worker, kept
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "steppe.wsgi:application",
            "--workers",
            str(os.cpu_count() or 2),
            "--bind",
            f"127.0.0.1:{port}",
        ]
    else:
        command = [
            sys.executable,
            str(ROOT / "manage.py"),
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
        ]
    process = subprocess.Popen(  # noqa: S603
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(process.stderr.read().decode()) from None
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("The server did not start within 30 s.")


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def run_scenario(
    port: int,
    path: str,
    *,
    requests: int,
    concurrency: int,
    timeout: float,
    headers=None,
    expect=200,
    unique: bool = False,
) -> dict:
    """Send `requests` GETs from `concurrency` threads; bounded in count and in time.

    `unique`: add a distinct `?_=n` to each request, so that no response cache can answer it.
    """
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + timeout

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                number = next(counter, None)
                if number is None:
                    return
            target = f"{path}{'&' if '?' in path else '?'}_={number}" if unique else path
            started = time.perf_counter()
            try:
                status, _body, _headers = fetch(port, target, headers)
            except OSError as exc:
                status = repr(exc)
            elapsed = time.perf_counter() - started
            with lock:
                if status == expect:
                    latencies.append(elapsed)
                else:
                    errors.append(str(status))

    for warm in range(min(50, requests)):  # warm up: connections, caches, query plans
        fetch(port, f"{path}{'&' if '?' in path else '?'}_=w{warm}" if unique else path, headers)
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "path": path,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "seconds": elapsed,
        "rate": (len(latencies) + len(errors)) / elapsed if elapsed else 0.0,
        "p50": percentile(50) if latencies else float("nan"),
        "p90": percentile(90) if latencies else float("nan"),
        "p99": percentile(99) if latencies else float("nan"),
        "max": latencies[-1] * 1000 if latencies else float("nan"),
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }


def main() -> None:
    args = parse_args()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{ROOT / 'var' / 'bench' / 'api.sqlite3'}"
    setup_django(database_url)
    kz_count, load_seconds = ensure_corpus(args.items)
    from django.db import connection

    engine = connection.vendor
    connection.close()
    print(
        f"Steppe API benchmark: {engine}, {args.items:,} published articles, {kz_count:,} about KZ"
    )
    print("load average before (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if load_seconds:
        print(f"corpus generated in {load_seconds:.1f} s")
    port = args.port
    server = start_server(port, args.server)
    try:
        status, body, headers = fetch(port, URL)
        if status != 200:
            raise SystemExit(f"{URL}: {status} {body[:300]!r}")
        first = json.loads(body)
        deep_path = URL
        for _ in range(25):  # the 26th page, through the cursors
            deep_path = urlsplit(first["next"])._replace(scheme="", netloc="").geturl()
            first = json.loads(fetch(port, deep_path)[1])
        feed_status, _feed, feed_headers = fetch(port, FEED_KZ)
        if feed_status != 200:
            raise SystemExit(f"{FEED_KZ}: {feed_status}")
        scenarios = [
            ("first page (20 items)", URL, None, 200, False),
            ("first page, limit=100", f"{URL}&limit=100", None, 200, False),
            ("26th page, by cursor", deep_path, None, 200, False),
            ("If-None-Match -> 304", URL, {"If-None-Match": headers["ETag"]}, 304, False),
            ("feed KZ, served", FEED_KZ, None, 200, False),
            ("feed KZ, rendered", FEED_KZ, None, 200, True),
            ("feed /flux/, rendered", FEED_ALL, None, 200, True),
            ("feed KZ, 304", FEED_KZ, {"If-None-Match": feed_headers.get("ETag", "")}, 304, False),
        ]
        server_name = (
            f"gunicorn, {os.cpu_count() or 2} sync workers"
            if args.server == "gunicorn"
            else "Django runserver (threaded)"
        )
        print(
            f"server: {server_name} on 127.0.0.1:{port}; "
            f"{args.concurrency} client threads, {args.requests} requests per scenario"
        )
        print(
            f"{'scenario':<24}{'req/s':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
        )
        results = []
        for name, path, extra_headers, expect, unique in scenarios:
            result = run_scenario(
                port,
                path,
                requests=args.requests,
                concurrency=args.concurrency,
                timeout=args.timeout,
                headers=extra_headers,
                expect=expect,
                unique=unique,
            )
            results.append(result)
            print(
                f"{name:<24}{result['rate']:>8.0f}{result['p50']:>9.1f}{result['p90']:>9.1f}"
                f"{result['p99']:>9.1f}{result['max']:>9.1f}{result['errors']:>8}"
            )
        for label, result in ((URL, results[0]), (f"{FEED_KZ} (rendered)", results[5])):
            verdict = "met" if result["p99"] <= TARGET_P99_MS else "MISSED"
            print(
                f"{label}: {result['rate']:.0f} requests/s, p99 {result['p99']:.1f} ms "
                f"(target p99 <= {TARGET_P99_MS:.0f} ms: {verdict})"
            )
        print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
