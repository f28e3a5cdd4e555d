"""Settings of the API, read when used (never at import), with their defaults.

| setting | default | meaning |
| --- | --- | --- |
| `STEPPE_API_RATE_LIMIT` | `"300/minute"` | requests per client IP and window (`N/second`, `N/minute`, `N/hour`, `N/day`); `None` turns the limit off |
| `STEPPE_API_WRITE_RATE_LIMIT` | `"60/minute"` | writes (POST, PATCH) per account, on top of the per-IP limit; `None` turns it off |
| `STEPPE_API_NUM_PROXIES` | `0` | trusted reverse proxies in front of the app: the client IP is read that many hops from the right of `X-Forwarded-For`; 0 uses `REMOTE_ADDR` |
| `STEPPE_API_CACHE_ALIAS` | `"default"` | the Django cache that holds the rate-limit counters (local memory in development, Redis in production) |
| `STEPPE_API_MAX_AGE` | `60` | `Cache-Control: max-age` of successful public reads, in seconds |
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

DEFAULTS = {
    "STEPPE_API_RATE_LIMIT": "300/minute",
    "STEPPE_API_WRITE_RATE_LIMIT": "60/minute",
    "STEPPE_API_NUM_PROXIES": 0,
    "STEPPE_API_CACHE_ALIAS": "default",
    "STEPPE_API_MAX_AGE": 60,
}

FROM_SETTINGS = object()  # "the rate of STEPPE_API_RATE_LIMIT", for rate_limit_hit

_PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def get(name: str) -> Any:
    """The value of an API setting, or its default."""
    return getattr(settings, name, DEFAULTS[name])


def parse_rate(value: str | None, setting: str = "STEPPE_API_RATE_LIMIT") -> Rate | None:
    """Parse "120/minute" (or "/min", "/m", "/hour", "/day", "/second"); None means no limit."""
    if value is None:
        return None
    count, _, period = str(value).partition("/")
    seconds = _PERIODS.get(period.strip().lower())
    if seconds is None or not count.strip().isdigit() or int(count) < 1:
        raise ValueError(f"Invalid {setting}: {value!r}")
    return Rate(requests=int(count), seconds=seconds)


def rate_limit() -> Rate | None:
    return parse_rate(get("STEPPE_API_RATE_LIMIT"))


def write_rate_limit() -> Rate | None:
    return parse_rate(get("STEPPE_API_WRITE_RATE_LIMIT"), "STEPPE_API_WRITE_RATE_LIMIT")
