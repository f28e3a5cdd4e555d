"""Fault: PostgreSQL restarted in the middle of a write.

A real gunicorn serves the site from a throwaway PostgreSQL cluster (own data folder and port; the
machine's shared server is never touched) with persistent connections, as in production. A reader's
report (four writes in one transaction: case, counter, report, audit event) is held on a table lock
until the server restarts under it. The request must answer the French 503 page with Retry-After,
leave no row behind, and the next request must succeed on a fresh connection.
"""

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core import signing

import pytest

from steppe.core.tests.conftest import free_port, wait_for_port

requests = pytest.importorskip("requests")
psycopg = pytest.importorskip("psycopg")

DATABASE = "steppe_fault"


def _run_manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def site_on_own_postgres(pg_cluster, tmp_path_factory):
    pg_cluster.createdb(DATABASE)
    var = tmp_path_factory.mktemp("fault-site")
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
        },
        "DATABASE_URL": pg_cluster.url(DATABASE),
        "DATABASE_CONN_MAX_AGE": "60",
        "SECRET_KEY": settings.SECRET_KEY,
        "STEPPE_VAR_DIR": str(var),
        "STEPPE_MEDIA_ROOT": str(var / "media"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("STEPPE_TEST_DB_PER_PROCESS", None)
    _run_manage(env, "migrate", "--no-input", "-v0")
    out = _run_manage(
        env,
        "shell",
        "-c",
        "from steppe.publishing.tests.factories import ArticleFactory;"
        "a = ArticleFactory(published=True, title='Un article signalé');"
        "print(a.pk)",
    )
    article_pk = int(out.strip().splitlines()[-1])
    port = free_port()
    log = (var / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"),
        ],
        cwd=settings.BASE_DIR,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_ACCESS_LOG": "",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, timeout=30)
        yield {
            "url": f"http://127.0.0.1:{port}",
            "article_pk": article_pk,
            "cluster": pg_cluster,
            "log": var / "gunicorn.log",
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _count(cluster, sql: str) -> int:
    with psycopg.connect(cluster.url(DATABASE), autocommit=True) as conn:
        return conn.execute(sql).fetchone()[0]


def _rows(cluster) -> dict[str, int]:
    return {
        table: _count(cluster, f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
        for table in ("moderation_reportcase", "moderation_report", "moderation_auditevent")
    }


def _post_report(site) -> requests.Response:
    session = requests.Session()
    url = f"{site['url']}/moderation/signaler/article/{site['article_pk']}/"
    form = session.get(url, timeout=30)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    from steppe.moderation.antispam import FORM_STAMP_SALT

    stamp = signing.dumps(time.time() - 60, salt=FORM_STAMP_SALT)  # shown a minute ago
    return session.post(
        url,
        data={
            "csrfmiddlewaretoken": token,
            "category": "disinformation",
            "explanation": "Le chiffre cité au deuxième paragraphe est faux.",
            "reporter_email": "",
            "website": "",
            "stamp": stamp,
        },
        headers={"Referer": url},
        allow_redirects=False,
        timeout=60,
    )


def test_postgres_restarted_mid_write(site_on_own_postgres):
    site = site_on_own_postgres
    cluster = site["cluster"]
    before = _rows(cluster)

    # Hold the audit table: the request writes its case and report, then waits on the last INSERT.
    locker = psycopg.connect(cluster.url(DATABASE))
    locker.execute("LOCK TABLE moderation_auditevent IN ACCESS EXCLUSIVE MODE")
    result: dict = {}

    def send():
        try:
            result["response"] = _post_report(site)
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            result["error"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    # A second connection: activity statistics are a snapshot for the length of a transaction.
    watcher = psycopg.connect(cluster.url(DATABASE), autocommit=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        waiting = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE 'INSERT INTO \"moderation_auditevent\"%%'"
        ).fetchone()[0]
        if waiting:
            break
        time.sleep(0.05)
    else:
        seen = watcher.execute(
            "SELECT wait_event_type, left(query, 120) FROM pg_stat_activity WHERE datname = %s",
            [DATABASE],
        ).fetchall()
        thread.join(timeout=30)
        response = result.get("response")
        pytest.fail(
            f"the report never reached its last INSERT: {seen} {result} "
            f"{response.status_code if response is not None else None} "
            f"{site['log'].read_text()[-3000:]}"
        )

    cluster.restart()  # ends every session, the locker's and the request's
    thread.join(timeout=60)
    for connection in (locker, watcher):
        with contextlib.suppress(psycopg.Error):
            connection.close()
    assert "error" not in result, result.get("error")
    response = result["response"]
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Service momentanément indisponible" in response.text
    assert "Rien n’a été enregistré à moitié" in response.text
    assert response.headers["Content-Security-Policy"]

    assert _rows(cluster) == before, "no partial rows"

    # The next request succeeds on a new connection, and the report is recorded once.
    response = _post_report(site)
    assert response.status_code == 302, response.text[:500]
    after = _rows(cluster)
    assert after["moderation_report"] == before["moderation_report"] + 1
    assert after["moderation_reportcase"] == before["moderation_reportcase"] + 1
    assert requests.get(f"{site['url']}/", timeout=30).status_code == 200
