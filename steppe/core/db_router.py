"""Read replicas: reads go to a replica, writes (and reads inside a write transaction) to the primary.

Enabled by `DATABASE_REPLICA_URLS` (see settings). Replication lags: a page read right after a write
may miss it for a moment, so views that read what they just wrote (redirect after POST) should read
from the primary with `.using("default")`; the rest of the site tolerates a lag of a few seconds.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.db import connections


class PrimaryReplicaRouter:
    def _replicas(self) -> list[str]:
        return list(getattr(settings, "STEPPE_DATABASE_REPLICAS", []))

    def db_for_read(self, model, **hints):
        replicas = self._replicas()
        if not replicas or connections["default"].in_atomic_block:
            # Inside a transaction on the primary, read what this transaction wrote.
            return "default"
        return random.choice(replicas)  # noqa: S311 (load spreading, not security)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Primary and replicas hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
