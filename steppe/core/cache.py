"""A Redis cache that degrades instead of failing when Redis is unreachable.

Django's `RedisCache` raises `redis.ConnectionError` (or waits for the OS timeout) when Redis is down,
which would turn every page into a 500. This subclass:

- bounds every call with short socket timeouts and no client-side retries (redis-py 6+ retries three
  times with back-off by default, which multiplies the wait);
- turns failures into the answer of an empty cache: reads are misses, writes and deletions are skipped,
  `incr` raises `ValueError` like a missing key, and `add` returns False (nothing can be reserved: a
  caller that uses `add` as a lock, like allauth's rate limits, refuses the action — fail closed);
- after a failure, stops asking Redis for `retry_after` seconds (a small circuit breaker), so a degraded
  request pays at most one timeout, not one per cache call.

`ping()` is the one method that raises, for `/readyz`. Hand-written because django-redis's
`IGNORE_EXCEPTIONS` would bring a second Redis backend and still fail open on `add`.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("steppe.cache")

DEFAULT_SOCKET_TIMEOUT = 0.25
DEFAULT_RETRY_AFTER = 5.0


class CacheUnavailableError(Exception):
    """Raised by `ping()` when Redis cannot be reached."""


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` object on every cache call (~90 µs of CPU for its callbacks
    table, about nine calls on an article page whose fragments are not cached). The object only
    wraps the pool, and redis-py's clients are thread-safe, so one per pool is enough.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", DEFAULT_RETRY_AFTER))
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        if "retry" not in options:
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            options["retry"] = Retry(NoBackoff(), 0)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._lock = threading.Lock()

    # --- circuit breaker ------------------------------------------------------------------------

    @property
    def is_degraded(self) -> bool:
        """True while the breaker is open (Redis failed less than `retry_after` seconds ago)."""
        return time.monotonic() < self._down_until

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            first = not self.is_degraded
            self._down_until = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "Redis unreachable during %s (%s); cache degraded for %.1f s.",
                operation,
                exc.__class__.__name__,
                self.retry_after,
            )

    def _call(self, operation: str, fallback: Any, *args, **kwargs):
        if self.is_degraded:
            return fallback
        import redis

        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (redis.RedisError, OSError) as exc:
            self._failed(operation, exc)
            return fallback

    def ping(self) -> None:
        """Reach Redis now (ignoring the breaker); raise CacheUnavailableError if it does not answer."""
        import redis

        try:
            self._cache.get_client(write=True).ping()
        except (redis.RedisError, OSError) as exc:
            self._failed("ping", exc)
            raise CacheUnavailableError(exc.__class__.__name__) from exc
        with self._lock:
            self._down_until = 0.0

    # --- the cache API --------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        sentinel = object()
        result = self._call("incr", sentinel, key, delta, version)
        if result is sentinel:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)


def cache_is_degraded(alias: str = "default") -> bool:
    """Whether the cache `alias` is a ResilientRedisCache that cannot reach Redis right now."""
    from django.core.cache import caches

    backend = caches[alias]
    if not isinstance(backend, ResilientRedisCache):
        return False
    if backend.is_degraded:
        return True
    try:
        backend.ping()
    except CacheUnavailableError:
        return True
    return False
