"""The nginx site of deploy/nginx, run for real in front of the test server.

The shipped files are copied with only the machine-specific paths and ports rewritten (certificate,
cache and log directories, listen ports, the upstream address): the maps, the microcache rules and
the headers under test are the deployed ones. nginx comes from Debian's `nginx-light` (.ci/run
installs it).
"""

import http.client
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings as django_settings

import pytest

DEPLOY = Path(django_settings.BASE_DIR) / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
HOST = "steppe.example.org"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx-light)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _site(tmp: Path, *, upstream: str, http_port: int, https_port: int, static: Path) -> str:
    text = (DEPLOY / "steppe.conf").read_text()
    replacements = [
        (r"server 127\.0\.0\.1:8000", f"server {upstream}"),
        (r"listen \[::\]:\d+[^;]*;\n", ""),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl;"),
        (r"/etc/letsencrypt/live/steppe\.example\.org/fullchain\.pem", str(tmp / "cert.pem")),
        (r"/etc/letsencrypt/live/steppe\.example\.org/privkey\.pem", str(tmp / "key.pem")),
        (r"ssl_stapling(_verify)? on;", ""),  # a self-signed certificate has no OCSP responder
        (r"/var/cache/nginx/steppe", str(tmp / "cache")),
        (r"/var/log/nginx/", f"{tmp}/"),
        (r"/srv/steppe/static/", f"{static}/"),
        (r"/srv/steppe/media/", f"{tmp}/media/"),
        (r"include snippets/", f"include {tmp}/snippets/"),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count, f"deploy/nginx/steppe.conf no longer contains {pattern!r}"
    return text


@pytest.fixture
def nginx(live_server, settings):
    settings.ALLOWED_HOSTS = [HOST]
    settings.STEPPE_PAGE_CACHE_SECONDS = 0  # nginx's own microcache is under test
    # Not pytest's tmp_path: nginx's workers run as another user, who must be able to reach the
    # static directory through every parent directory.
    tmp_path = Path(tempfile.mkdtemp(prefix="steppe-nginx-"))
    tmp_path.chmod(0o755)
    (tmp_path / "snippets").mkdir()
    (tmp_path / "cache").mkdir()
    (tmp_path / "media").mkdir()
    static = tmp_path / "static"
    static.mkdir()
    (static / "probe.css").write_text("body{}")
    shutil.copy(DEPLOY / "steppe-proxy.conf", tmp_path / "snippets" / "steppe-proxy.conf")
    shutil.copy(
        DEPLOY / "security-headers.conf",
        tmp_path / "snippets" / "steppe-security-headers.conf",
    )
    subprocess.run(  # noqa: S603 (fixed arguments)
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={HOST}", "-keyout", str(tmp_path / "key.pem"),
         "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = _free_port(), _free_port()
    upstream = live_server.url.removeprefix("http://").replace("localhost", "127.0.0.1")
    (tmp_path / "site.conf").write_text(
        _site(
            tmp_path, upstream=upstream, http_port=http_port, https_port=https_port, static=static
        )
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/site.conf; }}\n"
    )
    check = subprocess.run(  # noqa: S603
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    yield {"http": http_port, "https": https_port}
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(tmp_path, ignore_errors=True)


def _get(port: int, path: str, *, tls: bool = True, cookie: str | None = None):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": HOST}
    if cookie:
        headers["Cookie"] = cookie
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@pytest.mark.django_db(transaction=True)
def test_plain_http_is_redirected_to_https(nginx):
    response = _get(nginx["http"], "/articles/?x=1", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/articles/?x=1"


@pytest.mark.django_db(transaction=True)
def test_static_files_carry_the_security_headers(nginx):
    response = _get(nginx["https"], "/static/probe.css")
    assert response.status == 200
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "max-age=31536000" in response.getheader("Cache-Control")
    assert "max-age" in (response.getheader("Strict-Transport-Security") or "")


@pytest.mark.django_db(transaction=True)
def test_anonymous_pages_come_from_the_microcache_but_not_for_cookies_that_matter(nginx):
    # robots.txt: an anonymous page that sets no cookie, so nginx may keep it.
    first = _get(nginx["https"], "/robots.txt")
    assert first.status == 200
    assert first.getheader("X-Cache-Status") == "MISS"
    second = _get(nginx["https"], "/robots.txt")
    assert second.getheader("X-Cache-Status") == "HIT"
    # A signed-in reader and a reader with a flash message waiting get the application's answer.
    for cookie in ("__Host-steppe-session=abc", "csrftoken=x; messages=abc"):
        response = _get(nginx["https"], "/robots.txt", cookie=cookie)
        assert response.status == 200
        assert response.getheader("X-Cache-Status") == "BYPASS", cookie
    # A cookie whose name merely ends in "messages" is not one of them.
    response = _get(nginx["https"], "/robots.txt", cookie="oldmessages=1")
    assert response.getheader("X-Cache-Status") == "HIT"
