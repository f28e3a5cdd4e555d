"""The Redis cache keeps one client per connection pool, and that client survives a Redis restart."""

import time

from django.core.cache.backends.redis import RedisCacheClient

from steppe.core.cache import ResilientRedisCache


def make_cache(url: str) -> ResilientRedisCache:
    return ResilientRedisCache(
        url,
        {
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "retry_after": 0.2,
            }
        },
    )


def test_one_client_per_pool(redis_server, monkeypatch):
    cache = make_cache(redis_server.url)
    built = []
    real_client = cache._cache._client

    def counting_client(**kwargs):
        built.append(kwargs)
        return real_client(**kwargs)

    monkeypatch.setattr(cache._cache, "_client", counting_client)
    cache.set("pays", {"code": "KZ"}, 30)
    assert cache.get("pays") == {"code": "KZ"}
    assert cache.get_many(["pays", "absent"]) == {"pays": {"code": "KZ"}}
    assert cache.add("pays", "autre") is False
    cache.delete("pays")
    assert cache.get("pays", "manquant") == "manquant"
    assert len(built) == 1  # Django's own client builds one per call: six here
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)


def test_django_client_still_builds_one_per_call(redis_server):
    """The reason for the subclass: if Django starts reusing its client, the subclass can go."""
    client = RedisCacheClient([redis_server.url])
    assert client.get_client(write=True) is not client.get_client(write=True)


def test_reused_client_reconnects_after_restart(redis_server):
    cache = make_cache(redis_server.url)
    cache.set("titre", "Avant", 30)
    assert cache.get("titre") == "Avant"
    redis_server.stop()
    assert cache.get("titre", "absent") == "absent"
    redis_server.start()
    time.sleep(0.25)  # the breaker's retry_after
    assert cache.get("titre", "absent") == "absent"  # Redis keeps nothing on disk
    cache.set("titre", "Après", 30)
    assert cache.get("titre") == "Après"
