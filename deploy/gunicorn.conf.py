"""gunicorn configuration for Steppe (`gunicorn -c deploy/gunicorn.conf.py steppe.wsgi`).

Every value can be overridden from the environment (systemd's EnvironmentFile), so the same file
serves production, the CI smoke test and benchmarks.
"""

import multiprocessing
import os

wsgi_app = "steppe.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers: pages are CPU-bound (template rendering) and short; nginx buffers slow clients.
# Two per core plus one, capped, unless set.
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# A request that takes longer is killed (the worker is replaced); nginx waits a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Recycle workers now and then so that a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Load the application once in the master: workers fork with the code (and the language models,
# if imported at start) already in shared pages, and a broken deploy fails before serving.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"

# gunicorn 24+ opens a control socket under $HOME by default: not needed (systemd manages the
# process), and two instances on one host would fight over the same path.
control_socket_disable = True

# Only nginx on this host talks to gunicorn; trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_protocol = False

# Logs on stderr for journald. The application logs JSON itself (settings.LOGGING); the access log
# is one JSON object per request too, with the request id the app sends back.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = (
    '{"time": "%(t)s", "level": "INFO", "logger": "gunicorn.access", "remote": "%(h)s", '
    '"method": "%(m)s", "path": "%(U)s", "query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_ms": %(M)s, "user_agent": "%(a)s", "request_id": "%({x-request-id}o)s"}'
)

# Worker heartbeat files: the systemd unit points this at /dev/shm (memory; avoids stalls on slow
# disks); gunicorn's default otherwise.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None


def when_ready(server):
    # Import the URL configuration (and every view module) once in the master, so that no worker
    # pays for it on its first request (seconds on a cold machine).
    if preload_app:
        from django.urls import get_resolver

        _ = get_resolver().url_patterns


def post_fork(server, worker):
    # Connections opened by the master while preloading must not be shared with the workers.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
