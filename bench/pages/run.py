"""Page benchmark: requests/s, p50, p99 and worker memory of the public pages, uncached and cached.

    .venv/bin/python bench/pages/run.py            # ~5 minutes once the corpus is loaded

1. Loads a reproducible corpus (corpus.py: 100,000 articles, 10,000 documents, 5,000 authors) into the
   PostgreSQL database `steppe_bench_pages` on 127.0.0.1, once (`--reload` to load it again).
2. Runs gunicorn (deploy/gunicorn.conf.py, sync workers) on 127.0.0.1:8201 with the production
   profile (STEPPE_ENV=production, Redis cache, persistent connections; SSL redirect off since there
   is no TLS on loopback), and nginx on 127.0.0.1:8202: a saved copy of the article page as a static
   file, and a 5-second microcache in front of gunicorn.
3. wrk -t2 -c32 -d10s on each page: uncached (page and feed caches off; fragment caches on, as in
   production, then off for the pages that have fragments), cached by the app (anonymous page
   cache in Redis), cached by nginx's microcache; then nginx serving the static copy.
4. Prints requests/s, p50, p99, errors, the workers' resident memory and the load average, checks the
   targets of issue 9 and, if a page misses its target, profiles it in-process (cProfile).

Everything listens on 127.0.0.1 only and stops at the end (or on Ctrl-C).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

DATABASE = "steppe_bench_pages"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
APP_PORT = 8201
NGINX_PORT = 8202
SEED = 20261206
SIZES = {"articles": 100_000, "documents": 10_000, "authors": 5_000}
PAGES = {
    "home": "/",
    "article": "/articles/bench-article-4242/",
    "country": "/pays/kazakhstan/",
    "document": "/bibliotheque/bench-document-777/",
    "search": "/recherche/?q=irrigation",
    "feed": "/flux/",
    "api_list": "/api/v1/articles",
}
LISTINGS = {"home", "country"}
FRAGMENT_PAGES = ("home", "article", "country", "document")
TARGET_ARTICLE = 170.0
TARGET_LISTING = 150.0
TARGET_CACHED_SHARE = 0.25
TARGET_WORKER_MB = 150.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reload", action="store_true", help="load the corpus again")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--profile-only", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--cpu-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def server_env(*, cached: bool, fragments: bool = True) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": f"{HERE}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "pages_bench_settings",
        "STEPPE_ENV": "production",
        "SECRET_KEY": "bench-pages-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": DATABASE_URL,
        "DATABASE_CONN_MAX_AGE": "600",
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        "CACHE_KEY_PREFIX": f"bench-pages-{os.getpid()}",
        "STEPPE_STATIC_ROOT": str(ROOT / "var" / "bench" / "pages-static"),
        "STEPPE_VAR_DIR": str(ROOT / "var" / "bench" / "pages-var"),
        "STEPPE_PAGE_CACHE_SECONDS": "300" if cached else "0",
        "STEPPE_FEED_CACHE_SECONDS": "300" if cached else "0",
        "STEPPE_SITEMAP_CACHE_SECONDS": "300" if cached else "0",
        # Fragments (related items, knowledge panels, menus, <head> metadata; kept until content
        # changes) are part of the production profile, cached or not; `fragments=False` measures
        # the pages as after every publication (each fragment rendered again).
        **({} if fragments else {"STEPPE_FRAGMENT_CACHE_SECONDS": "0"}),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    return env


def ensure_corpus(reload: bool) -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            c.execute(f'CREATE DATABASE "{DATABASE}"')
    os.environ.update(
        {k: v for k, v in server_env(cached=False).items() if k not in ("PYTHONPATH",)}
    )
    import django

    django.setup()
    from django.core.management import call_command

    from steppe.library.models import Document
    from steppe.publishing.models import Article

    call_command("migrate", verbosity=0)
    if (
        reload
        or Article.objects.count() != SIZES["articles"]
        or Document.objects.count() != SIZES["documents"]
    ):
        import corpus

        print("loading the corpus (once)…", flush=True)
        corpus.load(seed=SEED, **SIZES)
    # Related items, as the worker and the nightly `search_related` keep them in production
    # (~20 minutes for 110,000 items on this 2-core machine, once; only the missing ones after).
    from steppe.search.models import RelatedItems, SearchEntry

    missing = SearchEntry.objects.count() - RelatedItems.objects.count()
    if missing > 0:
        print(f"storing related items of {missing:,} items (once)…", flush=True)
        call_command("search_related", workers=2, no_progress=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()


def start_gunicorn(*, cached: bool, workers: int, fragments: bool = True) -> subprocess.Popen:
    env = server_env(cached=cached, fragments=fragments)
    env.update({"GUNICORN_BIND": f"127.0.0.1:{APP_PORT}", "GUNICORN_WORKERS": str(workers)})
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{APP_PORT}/", process)
    except SystemExit:
        stop(process)
        raise
    return process


def wait_http(url: str, process: subprocess.Popen | None = None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"server exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                response.read()
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
    proxy_cache_path {tmp}/cache levels=1:2 keys_zone=pages:10m max_size=200m inactive=60s
                     use_temp_path=off;
    upstream app {{ server 127.0.0.1:{app}; keepalive 32; }}
    # A reader with a session (signed in) or a pending message is never served from the cache.
    map $http_cookie $steppe_personal {{
        default 0;
        "~(^|;\\s*)(__Host-steppe-session|sessionid|messages)=" 1;
    }}
    server {{
        listen 127.0.0.1:{port};
        location = /saved/article.html {{ root {tmp}/www; default_type "text/html; charset=utf-8"; }}
        location = /saved/feed.xml {{ root {tmp}/www; default_type "application/rss+xml; charset=utf-8"; }}
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            # Microcache: the app says what may be kept (Cache-Control: public, s-maxage=5);
            # private pages, responses that set a cookie and signed-in readers are never cached.
            proxy_cache pages;
            proxy_cache_lock on;
            proxy_cache_use_stale updating;
            proxy_cache_bypass $steppe_personal;
            proxy_no_cache $steppe_personal;
            add_header X-Microcache $upstream_cache_status;
        }}
    }}
}}
"""


def start_nginx(tmp: Path) -> subprocess.Popen:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is missing: apt-get install -y nginx-light")
    (tmp / "www" / "saved").mkdir(parents=True, exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, app=APP_PORT, port=NGINX_PORT))
    tmp.chmod(0o755)  # nginx's workers run as nobody
    process = subprocess.Popen(  # noqa: S603
        [nginx, "-c", str(conf), "-p", str(tmp)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{NGINX_PORT}/saved/article.html", process)
    except SystemExit:
        stop(process)
        raise
    return process


WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_SOCKET = re.compile(r"Socket errors:.*")


# wrk script: every request asks for another article, drawn at random among the corpus's (each
# connection its own reproducible sequence): the long tail of real traffic, where an article's
# fragments are rarely in the cache yet.
RANDOM_ARTICLES_LUA = """
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  math.randomseed(%(seed)d + seed)
end
function request()
  return wrk.format("GET", "/articles/bench-article-" .. math.random(1, %(articles)d) .. "/")
end
"""


def wrk(url: str, duration: int, script: Path | None = None) -> dict:
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    extra = ["-s", str(script)] if script is not None else []
    out = subprocess.run(  # noqa: S603
        [binary, "-t2", "-c32", f"-d{duration}s", "--latency", "--timeout", "10s", *extra, url],
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=True,
    ).stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    percentiles = {p: float(v) * scale[u] for p, v, u in WRK_PERCENTILE.findall(out)}
    errors = WRK_ERRORS.search(out)
    socket_errors = WRK_SOCKET.search(out)
    return {
        "rps": float(WRK_RATE.search(out).group(1)),
        "p50": percentiles.get("50", float("nan")),
        "p99": percentiles.get("99", float("nan")),
        "errors": int(errors.group(1)) if errors else 0,
        "socket": socket_errors.group(0) if socket_errors else "",
    }


def worker_memory(master: subprocess.Popen) -> list[tuple[float, float, float]]:
    """(RSS now, peak RSS, PSS) in MB of each gunicorn worker.

    RSS counts in full the pages a worker shares with the master (preload_app: code and data loaded
    before the fork); PSS divides them among the processes sharing them.
    """
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    result = []
    for pid in children.read_text().split():
        status = Path(f"/proc/{pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.MULTILINE).group(1)) / 1024
        result.append((rss, hwm, pss))
    return result


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return response.status, dict(response.headers), response.read()


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def row(name: str, figures: dict) -> str:
    errors = f"  errors {figures['errors']}" if figures["errors"] else ""
    return (
        f"  {name:<10}{figures['rps']:>10,.0f}{figures['p50']:>10.1f}{figures['p99']:>10.1f}{errors}"
        f" {figures['socket'] if 'timeout' in figures['socket'] else ''}"
    )


def profile(path: str) -> None:
    """Profile one page in this process (production settings, caches off): top functions."""
    import cProfile
    import pstats

    os.environ.update({k: v for k, v in server_env(cached=False).items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(5):
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(50):
        response = client.get(path)
    profiler.disable()
    print(f"profile of {path} (50 requests, status {response.status_code}):")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


def cpu_per_request() -> None:
    """CPU time of the app process per request, in-process and sequential (caches off).

    Less sensitive than requests/s to other load on a shared machine: the figure a quiet machine
    would turn into throughput (2 cores / CPU per request, less PostgreSQL's own share).
    """
    os.environ.update({k: v for k, v in server_env(cached=False).items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    print("app CPU per request, in-process, caches off (30 requests after 5 warm-ups):")
    print(f"  {'page':<10}{'CPU ms':>8}{'wall ms':>9}{'queries':>9}")
    for name, path in PAGES.items():
        for _ in range(5):
            client.get(path)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(30):
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
        cpu = (time.process_time() - cpu) / 30 * 1000
        wall = (time.perf_counter() - wall) / 30 * 1000
        print(f"  {name:<10}{cpu:>8.1f}{wall:>9.1f}{len(queries):>9}")


def main() -> None:
    args = parse_args()
    if args.profile_only:
        profile(args.profile_only)
        return
    if args.cpu_only:
        cpu_per_request()
        return
    started = time.monotonic()
    print(f"load average before: {load_average()} (2 cores shared)")
    ensure_corpus(args.reload)
    tmp = Path(tempfile.mkdtemp(prefix="steppe-bench-pages-"))
    results: dict[str, dict] = {}
    memory: dict[str, list] = {}
    app = nginx = None
    try:
        # 1. Uncached.
        app = start_gunicorn(cached=False, workers=args.workers)
        for name, path in PAGES.items():
            status, headers, body = fetch(f"http://127.0.0.1:{APP_PORT}{path}")
            print(
                f"  {name}: {status}, {len(body) / 1024:.0f} KB, X-Cache {headers.get('X-Cache')}"
            )
            if name in ("article", "feed"):
                (tmp / "www" / "saved").mkdir(parents=True, exist_ok=True)
                saved = "article.html" if name == "article" else "feed.xml"
                (tmp / "www" / "saved" / saved).write_bytes(body)
        # Each worker imports the URLconf (and so every view) on its first request: warm them all.
        wrk(f"http://127.0.0.1:{APP_PORT}/", 3)
        print(f"uncached (gunicorn, {args.workers} sync workers, -t2 -c32 -d{args.duration}s)")
        print(f"  {'page':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
        for name, path in PAGES.items():
            results[f"uncached:{name}"] = wrk(f"http://127.0.0.1:{APP_PORT}{path}", args.duration)
            print(row(name, results[f"uncached:{name}"]), flush=True)
        # 1a. The same, but every request for another article (fragments mostly not cached yet).
        script = tmp / "random-articles.lua"
        script.write_text(RANDOM_ARTICLES_LUA % {"seed": SEED, "articles": SIZES["articles"]})
        results["uncached:article_any"] = wrk(
            f"http://127.0.0.1:{APP_PORT}", args.duration, script=script
        )
        print(row("article*", results["uncached:article_any"]), flush=True)
        print("  (* any of the 100,000 articles, drawn at random for each request)")
        memory["uncached"] = worker_memory(app)
        stop(app)

        # 1b. Uncached, fragment caches off: every fragment rendered on every request.
        app = start_gunicorn(cached=False, workers=args.workers, fragments=False)
        wrk(f"http://127.0.0.1:{APP_PORT}/", 3)
        print("uncached, fragment caches off (as right after a publication)")
        print(f"  {'page':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
        for name in FRAGMENT_PAGES:
            results[f"cold:{name}"] = wrk(
                f"http://127.0.0.1:{APP_PORT}{PAGES[name]}", args.duration
            )
            print(row(name, results[f"cold:{name}"]), flush=True)
        memory["cold"] = worker_memory(app)
        stop(app)

        # 2. Cached: the app's page cache (Redis), then nginx's microcache in front of it.
        app = start_gunicorn(cached=True, workers=args.workers)
        nginx = start_nginx(tmp)
        for path in PAGES.values():
            fetch(f"http://127.0.0.1:{APP_PORT}{path}")
        wrk(f"http://127.0.0.1:{APP_PORT}/", 3)  # warm every worker
        _, headers, _ = fetch(f"http://127.0.0.1:{APP_PORT}{PAGES['article']}")
        print(f"cached by the app (Redis page cache; X-Cache {headers.get('X-Cache')})")
        print(f"  {'page':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
        for name, path in PAGES.items():
            results[f"app:{name}"] = wrk(f"http://127.0.0.1:{APP_PORT}{path}", args.duration)
            print(row(name, results[f"app:{name}"]), flush=True)
        for path in PAGES.values():
            fetch(f"http://127.0.0.1:{NGINX_PORT}{path}")
        states = []
        for name, path in PAGES.items():
            _, headers, _ = fetch(f"http://127.0.0.1:{NGINX_PORT}{path}")
            states.append(f"{name} {headers.get('X-Microcache')}")
        print(f"cached by nginx's microcache in front of gunicorn ({', '.join(states)})")
        _, headers, _ = fetch(
            f"http://127.0.0.1:{NGINX_PORT}/", {"Cookie": "__Host-steppe-session=someone"}
        )
        print(
            f"  with a session cookie: nginx {headers.get('X-Microcache')}, "
            f"app {headers.get('X-Cache')}, Cache-Control {headers.get('Cache-Control')}"
        )
        print(f"  {'page':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
        for name, path in PAGES.items():
            results[f"nginx:{name}"] = wrk(f"http://127.0.0.1:{NGINX_PORT}{path}", args.duration)
            print(row(name, results[f"nginx:{name}"]), flush=True)
        results["static"] = wrk(f"http://127.0.0.1:{NGINX_PORT}/saved/article.html", args.duration)
        size = (tmp / "www" / "saved" / "article.html").stat().st_size
        print(f"nginx serving the saved article page ({size / 1024:.0f} KB) as a static file")
        print(row("static", results["static"]))
        # The feed is ~12 times the article's size: nginx's own rate for a file that size says how
        # much of the gap is the copying of bytes, not the cache.
        results["static_feed"] = wrk(f"http://127.0.0.1:{NGINX_PORT}/saved/feed.xml", args.duration)
        size = (tmp / "www" / "saved" / "feed.xml").stat().st_size
        print(f"nginx serving the saved feed ({size / 1024:.0f} KB) as a static file")
        print(row("static feed", results["static_feed"]))
        memory["cached"] = worker_memory(app)
    finally:
        stop(nginx)
        stop(app)
        shutil.rmtree(tmp, ignore_errors=True)

    print("web worker memory (MB, RSS now / peak RSS / PSS):")
    for phase, values in memory.items():
        print(f"  {phase:<9}" + "  ".join(f"{r:.0f}/{h:.0f}/{p:.0f}" for r, h, p in values))
    peak = max(hwm for values in memory.values() for _, hwm, _ in values)
    peak_pss = max(pss for values in memory.values() for _, _, pss in values)
    static = results["static"]["rps"]
    checks = [
        ("uncached article", results["uncached:article"]["rps"], TARGET_ARTICLE, "req/s"),
        (
            "uncached article* (any article)",
            results["uncached:article_any"]["rps"],
            TARGET_ARTICLE,
            "req/s",
        ),
        *[
            (
                f"uncached {name} (listing)",
                results[f"uncached:{name}"]["rps"],
                TARGET_LISTING,
                "req/s",
            )
            for name in sorted(LISTINGS)
        ],
        *[
            (
                f"cached {name} / nginx static",
                results[f"nginx:{name}"]["rps"] / static,
                TARGET_CACHED_SHARE,
                "",
            )
            for name in PAGES
        ],
    ]
    same_size_feed = results["nginx:feed"]["rps"] / results["static_feed"]["rps"]
    print("targets (issue 9):")
    missed = []
    for label, value, target, unit in checks:
        ok = value >= target
        shown = f"{value:,.0f} {unit}" if unit else f"{value:.0%}"
        wanted = f"{target:,.0f} {unit}" if unit else f"{target:.0%}"
        print(f"  {label:<36}{shown:>12}  (>= {wanted}: {'ok' if ok else 'MISSED'})")
        if not ok and label.startswith("uncached") and "*" not in label:
            missed.append(label.split()[1])
    print(
        f"  {'cached feed / nginx static feed':<36}{same_size_feed:>12.0%}  "
        f"(the same comparison for a static file of the feed's size: "
        f"{'ok' if same_size_feed >= TARGET_CACHED_SHARE else 'MISSED'})"
    )
    ok = peak <= TARGET_WORKER_MB
    print(
        f"  {'web worker peak RSS':<36}{peak:>9.0f} MB  (<= {TARGET_WORKER_MB:.0f} MB: "
        f"{'ok' if ok else 'MISSED'}; PSS {peak_pss:.0f} MB)"
    )
    print(f"load average after: {load_average()}; run took {time.monotonic() - started:.0f} s")
    subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--cpu-only"],
        env={**os.environ, "PYTHONPATH": f"{HERE}:{ROOT}"},
        check=False,
        timeout=600,
    )
    if missed and not args.no_profile:
        slowest = min(missed, key=lambda name: results[f"uncached:{name}"]["rps"])
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--profile-only", PAGES[slowest]],
            env={**os.environ, "PYTHONPATH": f"{HERE}:{ROOT}"},
            check=False,
            timeout=600,
        )


if __name__ == "__main__":
    main()
