"""2.x's chat limit, per user and across processes: one message a second, five in ten seconds.

2.x kept a list of each user's accepted sends in one process's memory: a send within a second
of the last accepted one, or a sixth within ten seconds, was refused, and refused sends did not
count. Here the list lives in the shared cache, so every app process sees the same one: in
Redis (when REDIS_URL is set) a Lua script checks and records in one step, timed by Redis's own
clock; on a single process without Redis, a lock does the same in the local-memory cache.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache

GAP_MS = 1_000
WINDOW_MS = 10_000
COUNT = 5

# KEYS[1]: the user's sorted set of accepted sends (score: ms). ARGV: gap, window, count, a
# unique member. Returns 0 when accepted, else how many ms until a send would be.
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gap, window, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] and now - tonumber(last[2]) < gap then
  return gap - (now - tonumber(last[2]))
end
if redis.call('ZCARD', KEYS[1]) >= count then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(first[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 0
"""

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a send may go, and if not, in how many milliseconds one would."""

    allowed: bool
    retry_after_ms: int = 0


def chat_send_allowance(*, user_id: int, store: BaseCache | None = None) -> Verdict:
    """Counts a send of `user_id`'s if the limit allows it (refusals are not counted)."""
    # The backend itself: `django.core.cache.cache` is a proxy, never a RedisCache.
    store = caches["default"] if store is None else store
    key = store.make_key(f"chat:sends:{user_id}")
    if isinstance(store, RedisCache):
        # Django keeps its redis-py client behind `_cache`; the script needs the client itself.
        client = store._cache.get_client(key, write=True)  # type: ignore[attr-defined]
        wait = int(client.eval(_SCRIPT, 1, key, GAP_MS, WINDOW_MS, COUNT, uuid.uuid4().hex))
        return Verdict(allowed=wait == 0, retry_after_ms=wait)
    with _lock:
        now = int(time.time() * 1000)
        sends = [t for t in store.get(key, []) if t > now - WINDOW_MS]
        wait = decide(sends, now)
        if wait == 0:
            sends.append(now)
        store.set(key, sends, timeout=WINDOW_MS / 1000)
    return Verdict(allowed=wait == 0, retry_after_ms=wait)


def decide(sends: list[int], now: int) -> int:
    """0 if a send at `now` is allowed after the accepted `sends` of the last window (ms, oldest
    first), else the ms until one would be: the same rule as the Lua script."""
    if sends and now - sends[-1] < GAP_MS:
        return GAP_MS - (now - sends[-1])
    if len(sends) >= COUNT:
        return max(1, sends[0] + WINDOW_MS - now)
    return 0
