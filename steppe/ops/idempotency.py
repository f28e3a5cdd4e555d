"""Make a task's effect happen once, however many times the task runs.

A worker can die at any point of a task (SIGKILL, out of memory, a restart): the task is then run again
(`stale_release` in services.py, run by `manage.py ops_sweep`), so a task must be safe to repeat. `run_once(key, effect)` runs
`effect` and writes `key` in one transaction: if the worker dies before the commit, neither exists and
the next run does it; if it dies after, the next run finds the key and skips the effect. Effects that
leave the database (an e-mail) are written as rows here (an `OutgoingEmail`) and delivered by their own
task, which claims each message before sending it.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction

from .models import IdempotencyKey

T = TypeVar("T")


def run_once(key: str, effect: Callable[[], T]) -> tuple[bool, T | None]:
    """Run `effect()` unless `key` was already recorded; return (ran now, its result)."""
    if IdempotencyKey.objects.filter(key=key).exists():
        return False, None
    try:
        with transaction.atomic():
            # A second run at the same moment waits on this row (unique key) and then fails here.
            IdempotencyKey.objects.create(key=key)
            return True, effect()
    except IntegrityError:
        if IdempotencyKey.objects.filter(key=key).exists():
            return False, None
        raise
