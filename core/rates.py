"""Per-key rate limits on the shared cache, for services: fixed windows, one round trip a hit.

The per-address sign-in limits of 1.x go through django-ratelimit (accounts.ratelimits), which
takes up to three round trips a hit on Django's Redis cache (add, exists, incr); these guard
hot requests (every join), so they count with one pipelined INCR + EXPIRE instead. A limit that
counts only successes (accounts created) holds a hit per attempt and gives it back on failure.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .cache import cache_count
from .errors import TooManyRequests
from .timefmt import duration_words

Rate = tuple[int, int]
"""At most `count` hits per `seconds`: (count, seconds). A count of 0 means no limit."""


def too_many(
    message: str, retry_after: int, headers: dict[str, str] | None = None
) -> TooManyRequests:
    """A 429 that says when to try again: Retry-After in seconds, and the wait in words after
    the message, which keeps 1.x's text first so 1.x clients still show it whole ("Too many
    registrations, please try again later (in 42 minutes)")."""
    return TooManyRequests(
        f"{message} (in {duration_words(retry_after)})",
        headers={**(headers or {}), "Retry-After": str(retry_after)},
    )


def rate_hit(*, group: str, key: str | int, rate: Rate, message: str) -> None:
    """Counts one hit of `key` in `group`; past `rate` raises TooManyRequests(`message`) with
    Retry-After (seconds to the window's end). Off when RATELIMIT_ENABLE is."""
    count, seconds = rate
    if count <= 0 or not settings.RATELIMIT_ENABLE:
        return
    now = time.time()
    window = int(now // seconds)
    # The window is part of the key, so each key lives one window and needs no reset.
    hits = cache_count(f"rate:{group}:{key}:{window}", timeout=seconds)
    if hits > count:
        retry_after = max(1, math.ceil((window + 1) * seconds - now))
        raise TooManyRequests(message, headers={"Retry-After": str(retry_after)})


@dataclass(frozen=True, slots=True)
class Slot:
    """One hit held against a limit until the thing it counts is known to have happened."""

    key: str
    hits: int
    retry_after: int

    def release(self) -> None:
        """Gives the hit back: the attempt it was held for failed."""
        # ValueError: the window ended meanwhile, and there is nothing left to give back.
        with contextlib.suppress(ValueError):
            cache.decr(self.key)


def rate_reserve(*, group: str, key: str | int, rate: Rate, message: str) -> Slot | None:
    """Holds one of `key`'s hits in `group` for an attempt whose success alone should count
    (release() it on failure). Past `rate` gives the hit back and raises TooManyRequests with
    Retry-After and the wait in words. Holding before trying keeps attempts at once within the
    rate. None when the rate or RATELIMIT_ENABLE is off."""
    count, seconds = rate
    if count <= 0 or not settings.RATELIMIT_ENABLE:
        return None
    now = time.time()
    window = int(now // seconds)
    slot = Slot(
        key=f"rate:{group}:{key}:{window}",
        hits=0,
        retry_after=max(1, math.ceil((window + 1) * seconds - now)),
    )
    hits = cache_count(slot.key, timeout=seconds)
    if hits > count:
        slot.release()
        raise too_many(message, slot.retry_after)
    return Slot(key=slot.key, hits=hits, retry_after=slot.retry_after)
