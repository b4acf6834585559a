"""The shared cache: Django's Redis cache that counts in this process's memory while Redis is
down, and a fixed-window counter that costs one round trip.

Every user of the cache counts something (rate limits, sign-in failures). If Redis stops, an
error here would fail every sign-in and every join (500s); counting in memory instead keeps the
limits, only per process rather than shared, until Redis answers again. After a failure Redis
is left alone for RETRY_SECONDS, so an outage costs one refused connection per process per
interval, not one per request; socket timeouts in settings bound a Redis that hangs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# INCR and EXPIRE as one atomic command: one round trip, and no counter without an expiry.
_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
T = TypeVar("T")


class _Outage:
    """Whether this process's Redis at one location is presumed down, and until when."""

    def __init__(self) -> None:
        self.until = 0.0
        self.lock = threading.Lock()

    def active(self) -> bool:
        return time.monotonic() < self.until

    def began(self, location: str, exc: BaseException) -> None:
        with self.lock:
            first = self.until == 0.0
            self.until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning("Redis cache at %s unreachable, counting in memory: %s", location, exc)

    def ended(self, location: str) -> None:
        with self.lock:
            was_down, self.until = self.until != 0.0, 0.0
        if was_down:
            logger.warning("Redis cache at %s reachable again", location)


_outages: dict[str, _Outage] = {}


class FallbackRedisCache(RedisCache):
    """Django's RedisCache, answered from process memory while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._location = server
        self._outage = _outages.setdefault(server, _Outage())
        # One store per location and process, shared by every thread's cache object.
        self._local = LocMemCache(
            f"fallback:{server}",
            {"KEY_PREFIX": self.key_prefix, "VERSION": self.version, "TIMEOUT": None},
        )
        self._counter: Any = None

    def _call(self, name: str, *args: Any) -> Any:
        """Django's Redis method `name`, or the in-memory one while Redis is unreachable."""
        return self._either(
            lambda: getattr(super(FallbackRedisCache, self), name)(*args),
            lambda: getattr(self._local, name)(*args),
        )

    def _either(self, remote: Callable[[], T], local: Callable[[], T]) -> T:
        if self._outage.active():
            return local()
        try:
            result = remote()
        except _UNREACHABLE as exc:
            self._outage.began(self._location, exc)
            return local()
        if self._outage.until:
            self._outage.ended(self._location)
        return result

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("add", key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call("get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("set", key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("touch", key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._call("delete", key, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._call("get_many", keys, version)

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._call("has_key", key, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self._call("incr", key, delta, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys: Any, version: Any = None) -> Any:
        return self._call("delete_many", keys, version)

    def clear(self) -> Any:
        return self._call("clear")

    def count(self, key: str, timeout: int) -> int:
        """Adds one to `key` (created at 1, expiring after `timeout` seconds) in one round trip."""
        return self._either(
            lambda: self._count_remote(key, timeout), lambda: _count_in(self._local, key, timeout)
        )

    def _count_remote(self, key: str, timeout: int) -> int:
        if self._counter is None:
            # Django builds a new client (and its table of 160 reply parsers) per call, which
            # cost three times the round trip itself; this one is kept (it is thread-safe).
            client = self._cache.get_client(write=True)  # type: ignore[attr-defined]
            self._counter = client.register_script(_COUNT)
        return int(self._counter(keys=[self.make_and_validate_key(key)], args=[timeout]))


def _count_in(store: BaseCache, key: str, timeout: int) -> int:
    store.add(key, 0, timeout)
    try:
        return int(store.incr(key))
    except ValueError:  # expired between the two calls: this hit starts a new count
        store.set(key, 1, timeout)
        return 1


def cache_count(key: str, *, timeout: int) -> int:
    """Adds one to the shared counter `key`, kept `timeout` seconds; returns its new value. One
    Redis round trip (an in-memory cache takes two local calls)."""
    store = caches["default"]
    if isinstance(store, FallbackRedisCache):
        return store.count(key, timeout)
    return _count_in(store, key, timeout)
