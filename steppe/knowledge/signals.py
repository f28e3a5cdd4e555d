"""Signals the knowledge app sends."""

from django.db import connection, transaction
from django.dispatch import Signal

# After commit, once per transaction that changed what public pages show of the knowledge layer
# (an extraction stored, an entity or event edited, merged, confirmed or rejected): the panels,
# actor pages and timelines cached with the page cache's generation are stale.
knowledge_changed = Signal()  # provides: nothing


class _Send:
    """The after-commit callback; `sent` once run (a test's captured callbacks stay in the list)."""

    def __init__(self) -> None:
        self.sent = False

    def __call__(self) -> None:
        self.sent = True
        knowledge_changed.send(sender=None)


def knowledge_changed_schedule() -> None:
    """Send `knowledge_changed` once the current transaction commits (at once outside one), once
    per transaction however many rows it changes; a rolled-back transaction sends nothing."""
    if connection.in_atomic_block and any(
        isinstance(callback, _Send) and not callback.sent
        for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_Send())
