"""In-process CPU cost of the public pages: CPU ms per request, template rendering, reverse() calls,
queries and their time. Sequential requests through Django's test client, caches off.

    .venv/bin/python bench/perf/render.py                 # pages corpus (PostgreSQL steppe_bench_pages)
    .venv/bin/python bench/perf/render.py --sqlite        # API corpus (var/bench/api.sqlite3)
    .venv/bin/python bench/perf/render.py --profile article

CPU time (time.process_time) rather than wall time: the machine is shared, and the CPU a request
costs is what a quiet machine turns into throughput. Reads only; nothing listens on a port.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "pages"))

PAGES = {
    "home": "/",
    "article": "/articles/bench-article-4242/",
    "country": "/pays/kazakhstan/",
    "document": "/bibliotheque/bench-document-777/",
    "feed": "/flux/",
    "feed_kz": "/flux/pays/kazakhstan/",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="the API benchmark's SQLite corpus")
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--profile", metavar="PAGE", help="cProfile this page instead")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument(
        "--fragments",
        choices=["warm", "cold", "off"],
        default="warm",
        help="fragment caches (STEPPE_FRAGMENT_CACHE_SECONDS): warm (production), cold (a new "
        "content generation before every request, as after a publication), off",
    )
    parser.add_argument(
        "--database", metavar="NAME", help="another PostgreSQL database holding the pages corpus"
    )
    parser.add_argument(
        "--memo-reverse",
        action="store_true",
        help="what-if: memoise django.urls.reverse per (view, arguments, language, script prefix)",
    )
    return parser.parse_args()


def configure(sqlite: bool, database: str | None = None) -> None:
    if sqlite:
        database_url = f"sqlite:///{ROOT / 'var' / 'bench' / 'api.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steppe.settings")
        os.environ["DATABASE_URL"] = database_url
        os.environ.setdefault("STEPPE_ENV", "development")
        os.environ["STEPPE_FEED_CACHE_SECONDS"] = "0"
        os.environ["STEPPE_PAGE_CACHE_SECONDS"] = "0"
        return
    import run as pages_bench  # bench/pages/run.py: the page benchmark's production profile

    if database:
        pages_bench.DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{database}"
    env = pages_bench.server_env(cached=False)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})


def memoise_reverse() -> None:
    """Patch reverse() before the models import it: what a memoised reverse would save."""
    from functools import lru_cache

    import django.urls
    import django.urls.base
    from django.urls import get_script_prefix, get_urlconf
    from django.utils.translation import get_language

    original = django.urls.base.reverse

    @lru_cache(maxsize=65536)
    def cached(viewname, args, kwargs, language, prefix, urlconf):
        return original(viewname, args=args, kwargs=dict(kwargs) if kwargs else None)

    def reverse(viewname, urlconf=None, args=None, kwargs=None, current_app=None, **extra):
        if urlconf is not None or current_app is not None or extra or not isinstance(viewname, str):
            return original(viewname, urlconf, args, kwargs, current_app, **extra)
        return cached(
            viewname,
            tuple(args) if args else None,
            tuple(sorted(kwargs.items())) if kwargs else None,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
        )

    django.urls.reverse = django.urls.base.reverse = reverse


def main() -> None:
    args = parse_args()
    configure(args.sqlite, args.database)
    if args.fragments == "off":
        os.environ["STEPPE_FRAGMENT_CACHE_SECONDS"] = "0"
    if args.memo_reverse:
        memoise_reverse()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls.resolvers import URLResolver

    if args.sqlite:
        settings.STEPPE_FEED_CACHE_SECONDS = 0
        settings.STEPPE_PAGE_CACHE_SECONDS = 0
    counters = {"reverse": 0, "render": 0.0, "depth": 0}
    original_reverse = URLResolver._reverse_with_prefix
    original_render = Template.render

    def counting_reverse(self, *a, **kw):
        counters["reverse"] += 1
        return original_reverse(self, *a, **kw)

    def timed_render(self, *a, **kw):
        counters["depth"] += 1
        started = time.process_time()
        try:
            return original_render(self, *a, **kw)
        finally:
            counters["depth"] -= 1
            if counters["depth"] == 0:
                counters["render"] += time.process_time() - started

    URLResolver._reverse_with_prefix = counting_reverse
    Template.render = timed_render
    client = Client(HTTP_HOST="127.0.0.1")
    if args.fragments == "off":
        settings.STEPPE_FRAGMENT_CACHE_SECONDS = 0
    elif args.sqlite:
        settings.STEPPE_FRAGMENT_CACHE_SECONDS = 300
    from steppe.ops.pagecache import content_generation_bump

    def get(path: str):
        """One request, CPU-timed; with cold fragments, after a new generation (not timed)."""
        if args.fragments == "cold":
            content_generation_bump()
        started = time.process_time()
        response = client.get(path)
        return response, time.process_time() - started

    if args.profile:
        import cProfile
        import pstats

        path = PAGES.get(args.profile, args.profile)
        for _ in range(5):
            client.get(path)
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
        profiler.enable()
        for _ in range(args.iterations):
            if args.fragments == "cold":
                content_generation_bump()
            response = client.get(path)
        profiler.disable()
        print(f"profile of {path} ({args.iterations} requests, status {response.status_code})")
        stats = pstats.Stats(profiler)
        stats.sort_stats(args.sort).print_stats(40)
        return

    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"{connection.vendor}, {args.iterations} requests per page after 5 warm-ups, "
        f"fragment caches {args.fragments}; load {load}"
    )
    print(
        f"  {'page':<9}{'CPU ms':>8}{'min10':>8}{'tmpl ms':>9}{'wall ms':>9}{'SQL ms':>8}"
        f"{'queries':>8}{'reverse':>8}{'KB':>6}"
    )
    for name in args.pages:
        path = PAGES.get(name, name)
        for _ in range(5):
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        size = len(response.content)
        counters.update(reverse=0, render=0.0)
        sql = 0.0
        batches = []  # CPU per request of each batch of 10: the quietest batch is reported too
        cpu = batch = wall = 0.0
        for i in range(args.iterations):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                _response, spent = get(path)
            wall += time.perf_counter() - started
            cpu += spent
            batch += spent
            sql += sum(float(q["time"]) for q in queries.captured_queries)
            if i % 10 == 9:
                batches.append(batch / 10 * 1000)
                batch = 0.0
        n = args.iterations
        cpu = cpu / n * 1000
        wall = wall / n * 1000
        print(
            f"  {name:<9}{cpu:>8.2f}{min(batches, default=cpu):>8.2f}"
            f"{counters['render'] / n * 1000:>9.2f}{wall:>9.2f}"
            f"{sql / n * 1000:>8.2f}{len(queries):>8}{counters['reverse'] / n:>8.0f}"
            f"{size / 1024:>6.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
