"""Tasks of the ops app (run by `manage.py db_worker` in production)."""

import os
import time
from pathlib import Path

from django_tasks import task


@task(queue_name="email")
def email_deliver(email_id: int) -> str:
    """Send one stored e-mail (see services.email_attempt); safe to run twice."""
    from .services import email_attempt

    return email_attempt(email_id=email_id)


@task()
def ops_probe(
    *, key: str, log_path: str, pause_before: float = 0.0, pause_after: float = 0.0
) -> bool:
    """A task for checking the worker: logs each run, queues one e-mail once, may pause.

    Used by the tests that kill a worker in the middle of a task; `manage.py ops_sweep` and the
    documentation refer to it too. The pauses apply to the first run only (the log is empty then).
    """
    from django.core.mail import EmailMessage

    from .idempotency import run_once
    from .services import email_enqueue

    log = Path(log_path)
    first_run = not log.exists() or not log.read_text().strip()
    with log.open("a") as out:
        out.write(f"start {os.getpid()}\n")

    def effect():
        if first_run:
            time.sleep(pause_before)  # killed here: nothing of the effect is committed
        return email_enqueue(
            message=EmailMessage(
                subject=f"Probe {key}", body="Probe.", to=["ops-probe@example.org"]
            ),
            idempotency_key=f"probe-mail:{key}",
        ).pk

    ran, _ = run_once(f"probe:{key}", effect)
    if first_run:
        time.sleep(pause_after)  # killed here: the effect is committed, the task is not finished
    with log.open("a") as out:
        out.write(f"done {os.getpid()} {'effect' if ran else 'skipped'}\n")
    return ran
