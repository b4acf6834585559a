"""Per-key rate limits on the shared cache, for services: fixed windows, one round trip a hit.

The per-address sign-in limits of 1.x go through django-ratelimit (accounts.ratelimits), which
takes up to three round trips a hit on Django's Redis cache (add, exists, incr); these guard
hot requests (every join), so they count with one pipelined INCR + EXPIRE instead.
"""

from __future__ import annotations

import math
import time

from django.conf import settings

from .cache import cache_count
from .errors import TooManyRequests

Rate = tuple[int, int]
"""At most `count` hits per `seconds`: (count, seconds). A count of 0 means no limit."""


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
