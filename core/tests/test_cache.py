"""The shared cache: a counter in one round trip, and counting in memory while Redis is down."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

from core import cache as shared
from core.cache import cache_count
from harness.servers import redis_server


def test_a_counter_counts_up_from_one_and_expires_with_its_timeout():
    assert [cache_count("hits", timeout=1) for _ in range(3)] == [1, 2, 3]
    assert cache.get("hits") == 3
    time.sleep(1.2)
    assert cache_count("hits", timeout=1) == 1


def test_while_redis_is_down_the_cache_counts_in_memory_and_says_so_once(settings, caplog):
    with redis_server() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.FallbackRedisCache",
                "LOCATION": server.url,
                "OPTIONS": settings.REDIS_CACHE_OPTIONS,
            }
        }
        assert cache_count("k", timeout=60) == 1
        server.process.terminate()
        server.process.wait(timeout=10)
        with caplog.at_level(logging.WARNING, logger="core.cache"):
            counts = [cache_count("k", timeout=60) for _ in range(3)]
            cache.set("plain", "value")
            assert cache.get("plain") == "value"

    # The in-memory count starts afresh: what Redis held is out of reach.
    assert counts == [1, 2, 3]
    [warning] = caplog.records
    assert warning.getMessage().startswith(f"Redis cache at {server.url} unreachable")


def test_redis_is_tried_again_once_the_retry_interval_has_passed(settings, monkeypatch):
    with redis_server() as server:
        settings.CACHES = {
            "default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": server.url}
        }
        monkeypatch.setattr(shared, "RETRY_SECONDS", 0.2)
        outage = shared._outages.setdefault(server.url, shared._Outage())
        outage.began(server.url, ConnectionError("simulated"))
        assert cache_count("k", timeout=60) == 1  # in memory: Redis is not asked
        time.sleep(0.3)
        assert cache_count("k", timeout=60) == 1  # Redis again, which had nothing yet
        assert cache_count("k", timeout=60) == 2
        assert not outage.active() and outage.until == 0.0
