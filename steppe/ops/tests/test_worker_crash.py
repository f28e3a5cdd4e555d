"""A worker killed (SIGKILL) in the middle of a task: the task runs again, its effect happens once.

Real `manage.py db_worker` processes on the test database. django-tasks-db leaves the task of a dead
worker RUNNING for ever (it has no heartbeat); `ops_sweep` (services.stale_release) makes it READY
again, and `run_once` keeps the effect single.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest

from steppe.ops.models import IdempotencyKey, OutgoingEmail
from steppe.ops.services import stale_release
from steppe.ops.tasks import ops_probe

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{params.get('HOST') or '127.0.0.1'}:"
        f"{params.get('PORT') or 5432}/{params['NAME']}"
    )


def _start_worker(tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "STEPPE_TASKS_BACKEND": "database",
        "STEPPE_VAR_DIR": str(tmp_path / "var"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("STEPPE_TEST_DB_PER_PROCESS", None)
    return subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "db_worker",
            "--queue-name=default",
            "--interval=0.1",
            "--no-startup-delay",
            "--no-reload",
            "--verbosity=0",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)


@pytest.mark.parametrize("killed", ["before_commit", "after_commit"])
def test_killed_worker_task_runs_again_and_its_effect_happens_once(
    database_tasks, tmp_path, killed
):
    from django_tasks_db.models import DBTaskResult

    log = tmp_path / "probe.log"
    pause = {"pause_before": 60.0} if killed == "before_commit" else {"pause_after": 60.0}
    result = ops_probe.enqueue(key=killed, log_path=str(log), **pause)
    first = _start_worker(tmp_path)
    second = None
    try:
        _wait(lambda: log.exists() and "start" in log.read_text())
        if killed == "after_commit":
            _wait(lambda: IdempotencyKey.objects.filter(key=f"probe:{killed}").exists())
        else:
            time.sleep(0.5)
            assert not IdempotencyKey.objects.exists()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == "RUNNING"

        second = _start_worker(tmp_path)
        time.sleep(3)  # the new worker is up and polling, but does not take a RUNNING task
        assert log.read_text().count("start") == 1
        assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"

        assert stale_release(stale_seconds=0)["tasks"] == 1
        _wait(lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL")
    finally:
        for worker in (first, second):
            if worker is not None:
                _stop(worker)
    lines = log.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["start", "start", "done"]
    assert lines[-1].endswith("effect" if killed == "before_commit" else "skipped")
    assert IdempotencyKey.objects.filter(key=f"probe:{killed}").count() == 1
    assert OutgoingEmail.objects.filter(subject=f"Probe {killed}").count() == 1


def test_sweep_leaves_recent_running_tasks_alone(database_tasks, tmp_path):
    from django_tasks_db.models import DBTaskResult

    result = ops_probe.enqueue(key="recent", log_path=str(tmp_path / "log"))
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", started_at=time_now())
    assert stale_release(stale_seconds=600)["tasks"] == 0
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"


def time_now():
    from django.utils import timezone

    return timezone.now()
