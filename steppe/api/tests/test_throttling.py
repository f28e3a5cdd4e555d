"""Rate limits per IP, counted in Django's cache: local memory in development, Redis in production."""

import shutil
import socket
import subprocess
import threading
import time

from django.core.cache import caches
from django.test import RequestFactory

import pytest

from steppe.api import conf
from steppe.api.throttling import client_ip, client_key, rate_limit_hit

pytestmark = pytest.mark.django_db

URL = "/api/v1/themes"


@pytest.fixture
def limit(settings):
    def set_limit(value):
        settings.STEPPE_API_RATE_LIMIT = value

    return set_limit


def test_requests_over_the_limit_get_429_with_retry_after(client, limit):
    limit("3/minute")
    remaining = [client.get(URL)["RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    response = client.get(URL, headers={"Origin": "https://reader.example"})
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60
    assert response["RateLimit-Limit"] == "3"
    assert response["RateLimit-Remaining"] == "0"
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["details"] == {"retry_after": retry_after}
    # Browsers must be able to read the 429 and its Retry-After from another origin.
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    assert "no-store" in response["Cache-Control"]


def test_every_endpoint_shares_one_budget_per_ip(client, limit):
    limit("2/minute")
    assert client.get("/api/v1/themes").status_code == 200
    assert client.get("/api/v1/nothing-here").status_code == 404
    assert client.get("/api/v1/countries").status_code == 429
    assert client.get("/api/v1/openapi.json").status_code == 429


def test_preflights_are_not_counted(client, limit):
    limit("1/minute")
    for _ in range(5):
        assert client.options(URL).status_code == 204
    assert client.get(URL).status_code == 200


def test_limit_is_per_client_ip(client, limit):
    limit("1/minute")
    assert client.get(URL, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert client.get(URL, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.get(URL, REMOTE_ADDR="198.51.100.8").status_code == 200


def test_a_client_cannot_pick_its_ip_with_x_forwarded_for(client, limit):
    limit("1/minute")
    assert client.get(URL, REMOTE_ADDR="198.51.100.7").status_code == 200
    spoofed = client.get(URL, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429


def test_behind_trusted_proxies_the_forwarded_address_counts(settings, client, limit):
    limit("1/minute")
    settings.STEPPE_API_NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The proxy appends the address it saw; what the client wrote before it is not trusted.
    first = client.get(URL, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", **proxy)
    again = client.get(URL, HTTP_X_FORWARDED_FOR="7.7.7.7, 198.51.100.7", **proxy)
    other = client.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert [first.status_code, again.status_code, other.status_code] == [200, 429, 200]


def test_counting_restarts_with_the_next_window(client, limit):
    limit("2/second")
    # Start at the beginning of a second, so that the three requests fall in one window.
    time.sleep(1 - time.time() % 1)
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    time.sleep(1 - time.time() % 1 + 0.01)
    assert client.get(URL).status_code == 200


def test_no_limit_when_set_to_none(client, limit):
    limit(None)
    responses = [client.get(URL) for _ in range(30)]
    assert {response.status_code for response in responses} == {200}
    assert "RateLimit-Limit" not in responses[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120/minute", (120, 60)), ("5/s", (5, 1)), ("1000/day", (1000, 86400)), ("10/h", (10, 3600))],
)
def test_parse_rate(value, expected):
    rate = conf.parse_rate(value)
    assert (rate.requests, rate.seconds) == expected


@pytest.mark.parametrize("value", ["", "ten/minute", "10/fortnight", "0/minute", "10"])
def test_invalid_rates_are_refused(value):
    with pytest.raises(ValueError, match="STEPPE_API_RATE_LIMIT"):
        conf.parse_rate(value)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("not an address", "not an address"),
        ("", "unknown"),
    ],
)
def test_client_key_groups_ipv6_by_64(address, key):
    assert client_key(address) == key


def test_client_ip_defaults_to_remote_addr():
    request = RequestFactory().get(URL, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "192.0.2.1"


def _hammer(threads: int, per_thread: int) -> int:
    """Count the requests allowed when many threads hit the limiter at once."""
    allowed = []
    barrier = threading.Barrier(threads)

    def run():
        barrier.wait()
        for _ in range(per_thread):
            decision = rate_limit_hit(RequestFactory().get(URL, REMOTE_ADDR="192.0.2.50"))
            allowed.append(decision.allowed)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(allowed)


def test_concurrent_requests_never_exceed_the_limit_in_local_memory(limit):
    limit("25/minute")
    # Far from a window's end, so that every hit counts in the same window.
    if time.time() % 60 > 55:
        time.sleep(6)
    assert _hammer(threads=8, per_thread=10) == 25


@pytest.fixture
def redis_cache(settings):
    """A real Redis server on a free loopback port, as the throttle's cache."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    pytest.importorskip("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        settings.CACHES = {
            **settings.CACHES,
            "api": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            },
        }
        settings.STEPPE_API_CACHE_ALIAS = "api"
        yield caches["api"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_concurrent_requests_never_exceed_the_limit_in_redis(redis_cache, limit):
    limit("25/minute")
    if time.time() % 60 > 55:
        time.sleep(6)
    assert _hammer(threads=8, per_thread=10) == 25
    assert any(
        key.startswith(b":1:steppe:api:rate:")
        for key in redis_cache._cache.get_client().scan_iter()
    )


def test_429_through_redis(redis_cache, client, limit):
    limit("2/minute")
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]


def test_an_unreachable_cache_lets_requests_through(settings, client, limit):
    limit("1/minute")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    pytest.importorskip("redis")
    settings.CACHES = {
        **settings.CACHES,
        "api": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        },
    }
    settings.STEPPE_API_CACHE_ALIAS = "api"
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 200]
