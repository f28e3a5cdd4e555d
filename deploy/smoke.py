# ruff: noqa: T201 (a command-line script: it reports on stdout and stderr)
"""CI smoke test of the production profile (`.venv/bin/python deploy/smoke.py`).

Starts, on 127.0.0.1 only: moto's S3 server (media bucket), gunicorn with STEPPE_ENV=production
(deploy/gunicorn.conf.py) against PostgreSQL database `steppe_smoke` and the local Redis, and a
`db_worker`. Then, as a reader's browser behind nginx would (X-Forwarded-Proto: https): checks
/healthz and /readyz, signs in as a trusted contributor, writes an article with an image through the
editor pages, publishes it, and finds it on the home page, in search and in the RSS feed; the image
must be in the bucket. Everything started here is stopped on the way out, failure or not (also on
Ctrl-C / SIGTERM). Exit status 0 on success.

Options come from the environment: SMOKE_PORT (8302), SMOKE_DATABASE (steppe_smoke),
SMOKE_PG (postgres://postgres@127.0.0.1:5432), SMOKE_REDIS (redis://127.0.0.1:6379/0),
SMOKE_TIMEOUT (seconds for each wait, 60).
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("SMOKE_PORT", "8302"))
DATABASE = os.environ.get("SMOKE_DATABASE", "steppe_smoke")
PG = os.environ.get("SMOKE_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("SMOKE_REDIS", "redis://127.0.0.1:6379/0")
TIMEOUT = float(os.environ.get("SMOKE_TIMEOUT", "60"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = secrets.token_urlsafe(16)


class SmokeError(Exception):
    pass


def step(message: str) -> None:
    print(f"[smoke] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(what: str, check, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except Exception as exc:  # noqa: BLE001 (keep waiting; the last error is reported)
            last = exc
            result = None
        if result:
            return result
        time.sleep(0.5)
    raise SmokeError(f"timed out waiting for {what} (last error: {last!r})")


class Browser:
    """A cookie-keeping HTTP client that also returns `Secure` (`__Host-`) cookies over plain HTTP:
    on 127.0.0.1 this script plays nginx's part (TLS ends there in production). requests' own jar
    would drop them (it rebuilds a default-policy jar for every request), hence the plain dict."""

    def __init__(self) -> None:
        import requests

        self.http = requests.Session()
        # Behind nginx: HTTPS as far as Django knows (SECURE_PROXY_SSL_HEADER).
        self.headers = {"X-Forwarded-Proto": "https", "Accept-Language": "fr"}
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        response = self.http.request(
            method, url, headers=headers, cookies=dict(self.cookies), **kwargs
        )
        self.http.cookies.clear()
        for hop in [*response.history, response]:
            for cookie in hop.cookies:
                self.cookies[cookie.name] = cookie.value
        return response

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)


class Smoke:
    def __init__(self) -> None:
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="steppe-smoke-"))
        self.moto = None
        self.prefix = f"steppe-smoke-{os.getpid()}"
        self.env: dict[str, str] = {}

    # --- services ---------------------------------------------------------------------------------

    def start_s3(self) -> None:
        from moto.server import ThreadedMotoServer

        port = free_port()
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.moto.start()
        self.s3_endpoint = f"http://127.0.0.1:{port}"
        self.bucket = "steppe-smoke-media"
        self.s3().create_bucket(Bucket=self.bucket)
        # As in production (docs/OPERATIONS.md): anyone may read the media prefix, nobody may list.
        self.s3().put_bucket_policy(
            Bucket=self.bucket,
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "s3:GetObject",
                            "Resource": f"arn:aws:s3:::{self.bucket}/media/*",
                        }
                    ],
                }
            ),
        )
        step(f"S3 (moto) on {self.s3_endpoint}, bucket {self.bucket}")

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint,
            aws_access_key_id="smoke",
            aws_secret_access_key="smoke-secret",  # noqa: S106 (moto accepts anything)
            region_name="us-east-1",
        )

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        step(f"database {DATABASE} created")

    def drop_database(self) -> None:
        import psycopg

        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(f"{PG}/postgres", autocommit=True) as conn,
        ):
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')

    def clear_redis_keys(self) -> None:
        import redis

        with contextlib.suppress(redis.RedisError):
            client = redis.Redis.from_url(REDIS, socket_timeout=2)
            for key in client.scan_iter(f"{self.prefix}:*", count=500):
                client.delete(key)

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 (fixed arguments)
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise SmokeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def spawn(self, name: str, args: list[str], extra_env: dict | None = None) -> None:
        log = (self.tmp / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            args,
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )
        self.processes.append((name, process))
        step(f"{name} started (pid {process.pid}, log {log.name})")

    def stop_all(self) -> None:
        for name, process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
                step(f"{name} stopped")
        if self.moto is not None:
            self.moto.stop()
            step("S3 (moto) stopped")
        self.drop_database()
        self.clear_redis_keys()

    def dump_logs(self) -> None:
        for name, _process in self.processes:
            path = self.tmp / f"{name}.log"
            if path.exists():
                print(f"----- {name} log (last lines) -----", file=sys.stderr)
                print(
                    "\n".join(path.read_text(errors="replace").splitlines()[-40:]), file=sys.stderr
                )

    # --- the run ----------------------------------------------------------------------------------

    def configure(self) -> None:
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DATABASE_", "STEPPE_", "DJANGO_ALLOW_ASYNC_UNSAFE"))
            },
            "STEPPE_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{PORT}",
            "DATABASE_URL": f"{PG}/{DATABASE}",
            "REDIS_URL": REDIS,
            "CACHE_KEY_PREFIX": self.prefix,
            "STEPPE_VAR_DIR": str(self.tmp / "var"),
            "STEPPE_STATIC_ROOT": str(self.tmp / "static"),
            "STEPPE_MEDIA_ROOT": str(self.tmp / "media"),
            "STEPPE_S3_BUCKET": self.bucket,
            "STEPPE_S3_ENDPOINT_URL": self.s3_endpoint,
            "STEPPE_S3_ACCESS_KEY_ID": "smoke",
            "STEPPE_S3_SECRET_ACCESS_KEY": "smoke-secret",
            "STEPPE_SITE_URL": f"https://127.0.0.1:{PORT}",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }

    def prepare(self) -> None:
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        self.manage("check", "--deploy", "--fail-level", "WARNING")
        self.manage(
            "shell",
            "-c",
            "import datetime;"
            "from django.utils import timezone;"
            "from allauth.account.models import EmailAddress;"
            "from steppe.accounts.models import User;"
            "u = User.objects.create_user(username='smoke-autrice', email='smoke@example.org',"
            f" password='{PASSWORD}', display_name='Autrice du test de fumée', is_trusted=True,"
            " date_joined=timezone.now() - datetime.timedelta(days=60));"
            "EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)",
        )
        step("migrated, static files collected, check --deploy clean, trusted contributor created")

    def start_servers(self) -> None:
        self.spawn(
            "gunicorn",
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
            ],
            {"GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "2"},
        )
        self.spawn(
            "worker",
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--interval",
                "0.5",
            ],
        )

    def run(self) -> None:
        import requests

        self.start_s3()
        self.configure()
        self.create_database()
        self.prepare()
        self.start_servers()

        wait_until("/healthz", lambda: requests.get(f"{BASE}/healthz", timeout=5).ok)
        ready = requests.get(f"{BASE}/readyz", timeout=10)
        if ready.status_code != 200:
            raise SmokeError(f"/readyz answered {ready.status_code}: {ready.text}")
        step(f"/readyz: {ready.json()['checks']}")

        browser = Browser()
        home = browser.get(f"{BASE}/", timeout=30)
        if home.status_code != 200:
            raise SmokeError(f"home page: {home.status_code}")
        for header in ("Content-Security-Policy", "Strict-Transport-Security", "X-Request-ID"):
            if header not in home.headers:
                raise SmokeError(f"home page lacks {header}")
        # A plain-HTTP request (no proxy header) is sent to HTTPS.
        plain = requests.get(f"{BASE}/", allow_redirects=False, timeout=30)
        if plain.status_code != 301 or not plain.headers["Location"].startswith("https://"):
            raise SmokeError(f"plain HTTP not redirected: {plain.status_code}")

        # Sign in.
        login_url = f"{BASE}/compte/login/"
        page = browser.get(login_url, timeout=30)
        response = browser.post(
            login_url,
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "login": "smoke@example.org",
                "password": PASSWORD,
            },
            headers={"Referer": secure(login_url)},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302:
            raise SmokeError(f"sign-in refused ({response.status_code}): {response.text[:1000]}")
        if not any(name.startswith("__Host-") for name in browser.cookies):
            raise SmokeError("no __Host- session cookie")
        step("signed in as a trusted contributor")

        # Write a draft, add an image (to the object store), publish.
        # Letters only: one word for every analyser (digits would split it into several tokens).
        word = "fumee" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))
        title = f"Essai de publication {word}"
        new_url = f"{BASE}/contribuer/articles/nouveau/"
        page = browser.get(new_url, timeout=30)
        article = {
            "kind": "news",
            "title": title,
            "lead": f"Un article écrit par le test de fumée ({word}).",
            "body_source": f"Le corps de l’article mentionne **{word}** et la steppe.",
            "language": "fr",
            "tags": "",
            "sources": "",
        }
        response = browser.post(
            new_url,
            data={"csrfmiddlewaretoken": csrf_token(page.text), "save": "1", **article},
            headers={"Referer": secure(new_url)},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302:
            raise SmokeError(f"draft not saved ({response.status_code}): {response.text[:2000]}")
        edit_url = BASE + response.headers["Location"]
        page = browser.get(edit_url, timeout=30)
        response = browser.post(
            f"{edit_url.rstrip('/')}/images/",
            data={"csrfmiddlewaretoken": csrf_token(page.text), "caption": "Une image de test"},
            files={"image": ("steppe.png", png_bytes(), "image/png")},
            headers={"Referer": secure(edit_url)},
            allow_redirects=False,
            timeout=60,
        )
        if response.status_code != 302:
            raise SmokeError(f"image refused ({response.status_code}): {response.text[:2000]}")
        page = browser.get(edit_url, timeout=30)
        image_code = re.search(r"!\[[^\]]*\]\([^)]+\)", page.text)
        if image_code:
            article["body_source"] += "\n\n" + image_code.group(0).replace("&quot;", '"')
        response = browser.post(
            edit_url,
            data={"csrfmiddlewaretoken": csrf_token(page.text), "submit": "1", **article},
            headers={"Referer": secure(edit_url)},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302:
            raise SmokeError(f"not published ({response.status_code}): {response.text[:2000]}")
        step(f"article published: {title!r}")

        objects = self.s3().list_objects_v2(Bucket=self.bucket).get("Contents", [])
        if not objects:
            raise SmokeError("the image did not reach the object store")
        step(f"object store holds {len(objects)} file(s), e.g. {objects[0]['Key']}")

        reader = Browser()
        wait_until(
            "the article on the home page",
            lambda: title in reader.get(f"{BASE}/", timeout=30).text,
        )
        step("on the home page")
        last = {}

        def found_in_search() -> bool:
            last["page"] = reader.get(f"{BASE}/recherche/", params={"q": word}, timeout=30)
            return title in text_of(last["page"].text)  # the words are highlighted (<mark>)

        try:
            wait_until("the article in search", found_in_search)
        except SmokeError:
            (self.tmp / "search.html").write_text(last["page"].text)
            step(f"search page saved to {self.tmp / 'search.html'} ({last['page'].headers})")
            raise
        step("in search")
        wait_until(
            "the article in the feed", lambda: title in reader.get(f"{BASE}/flux/", timeout=30).text
        )
        step("in the RSS feed")
        article_page = wait_until(
            "the article page",
            lambda: (
                (page := reader.get(f"{BASE}/", timeout=30))
                and re.search(r'href="(/articles/[^"]+)"[^>]*>\s*' + re.escape(title), page.text)
            ),
        )
        page = reader.get(BASE + article_page.group(1), timeout=30)
        image_src = re.search(r'<img[^>]+src="([^"]+)"', page.text)
        if image_code and image_src and image_src.group(1).startswith(self.s3_endpoint):
            image = requests.get(image_src.group(1), timeout=30)
            if image.status_code != 200 or not image.headers["Content-Type"].startswith("image/"):
                raise SmokeError(
                    f"image not served from the object store: {image_src.group(1)} "
                    f"({image.status_code}: {image.text[:300]})"
                )
            step("image served from the object store")
        step("OK")


def text_of(page: str) -> str:
    """The text of an HTML page, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def secure(url: str) -> str:
    """The address the browser shows behind nginx (Django checks the Referer of HTTPS POSTs)."""
    return url.replace("http://", "https://", 1)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise SmokeError("no CSRF token in the page")
    return match.group(1)


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (180, 140, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def main() -> int:
    # One run at a time per port: a second one would drop the first one's database.
    lock = open(Path(tempfile.gettempdir()) / f"steppe-smoke-{PORT}.lock", "w")  # noqa: SIM115
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"[smoke] another smoke test is running on port {PORT}", file=sys.stderr)
        return 2
    smoke = Smoke()

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    started = time.monotonic()
    try:
        smoke.run()
    except (SmokeError, KeyboardInterrupt, Exception) as exc:  # noqa: BLE001 (report, clean up)
        print(f"[smoke] FAILED: {exc!r}", file=sys.stderr)
        smoke.dump_logs()
        return 1
    finally:
        smoke.stop_all()
        step(f"finished in {time.monotonic() - started:.1f} s")
    shutil.rmtree(smoke.tmp, ignore_errors=True)  # kept, with the logs, when the run failed
    return 0


if __name__ == "__main__":
    sys.exit(main())
