"""Rate limits per client IP: a fixed-window counter in Django's cache.

`cache.add` + `cache.incr` are atomic in Redis (production) and in the local-memory cache
(development), so concurrent requests never lose a hit; every app server shares the Redis counters.
A fixed window lets a client send up to twice the limit across a window boundary: acceptable for
protecting the database, and it costs one round trip to the cache per request.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.http import HttpRequest

from . import conf

logger = logging.getLogger("steppe.api")

KEY_PREFIX = "steppe:api:rate"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window ends


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For as set by our trusted proxies."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(conf.get("STEPPE_API_NUM_PROXIES") or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies > 0 and forwarded:
        # Each trusted proxy appends the address it received from: read from the right, so that a
        # client cannot choose its identity by sending its own X-Forwarded-For.
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-min(proxies, len(hops))]
    return address


def client_key(address: str) -> str:
    """IPv4 addresses count alone; IPv6 ones by /64, the block one subscriber usually holds."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return f"{ipaddress.ip_network(f'{ip}/64', strict=False).network_address}/64"
    return str(ip)


def rate_limit_hit(
    request: HttpRequest,
    *,
    scope: str = "read",
    rate: conf.Rate | object | None = conf.FROM_SETTINGS,
    identity: str | None = None,
) -> RateDecision | None:
    """Count one request of this client; None when no limit is configured.

    By default the client is its IP address and the rate `STEPPE_API_RATE_LIMIT`; writes pass their
    own scope, rate and identity (the token's account).
    """
    if rate is conf.FROM_SETTINGS:
        rate = conf.rate_limit()
    if not isinstance(rate, conf.Rate):
        return None
    now = time.time()
    window = int(now // rate.seconds)
    reset = max(1, math.ceil((window + 1) * rate.seconds - now))
    who = identity if identity is not None else client_key(client_ip(request))
    key = f"{KEY_PREFIX}:{scope}:{who}:{window}"
    cache = caches[conf.get("STEPPE_API_CACHE_ALIAS")]
    try:
        cache.add(key, 0, timeout=rate.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add() and incr()
            cache.set(key, 1, timeout=rate.seconds + 1)
            count = 1
    except Exception:
        # An unreachable cache must not take the API down with it: let the request through.
        logger.warning("Rate limit cache unavailable; request not counted.", exc_info=True)
        return None
    return RateDecision(
        allowed=count <= rate.requests,
        limit=rate.requests,
        remaining=max(0, rate.requests - count),
        reset=reset,
    )
