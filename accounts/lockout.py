"""Sign-in throttling per account, whatever the address: after FREE_FAILURES wrong passwords
for one username, each further attempt must wait a delay that doubles with every failure, up to
MAX_DELAY; a successful sign-in resets it.

The delay is what keeps an attacker from holding an account's owner out: it never grows past
fifteen minutes, attempts refused while it runs do not count (nor is their password checked),
and an address that signed in to the account within KNOWN_FOR is not held back at all (it
still has its per-address limit), so the owner's usual network gets in while a spread-out
guesser waits. Unknown usernames are throttled alike, which reveals nothing about which exist.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from core.cache import cache_count
from core.rates import too_many

FREE_FAILURES = 5
FIRST_DELAY_SECONDS = 1
MAX_DELAY_SECONDS = 15 * 60
# Failures are forgotten after a day with none.
FAILURES_KEPT_SECONDS = 24 * 60 * 60
KNOWN_FOR_SECONDS = 30 * 24 * 60 * 60
MESSAGE = "Too many failed sign-ins for this account, please try again later"


def _now() -> float:
    return time.time()


def _keys(username: str, address: str | None = None) -> tuple[str, str, str]:
    # Hashed: a username as sent may be any length or character.
    account = hashlib.sha256(username.lower().encode("utf-8", "replace")).hexdigest()[:32]
    return (
        f"signin:failures:{account}",
        f"signin:held:{account}",
        f"signin:known:{account}:{address or ''}",
    )


def login_gate(*, username: str, address: str | None) -> None:
    """Raises TooManyRequests (Retry-After, the wait in words) while `username` is held back,
    unless `address` (the client's address bucket) signed in to it before. Off when
    RATELIMIT_ENABLE is."""
    if not settings.RATELIMIT_ENABLE:
        return
    _, held_key, known_key = _keys(username, address)
    found = cache.get_many([held_key, known_key])
    remaining = float(found.get(held_key) or 0) - _now()
    if remaining <= 0 or (address is not None and known_key in found):
        return
    raise too_many(MESSAGE, max(1, math.ceil(remaining)))


def login_failed(*, username: str) -> None:
    """Counts a wrong password for `username`; from the FREE_FAILURES-th on, holds it back."""
    if not settings.RATELIMIT_ENABLE:
        return
    failures_key, held_key, _ = _keys(username)
    failures = cache_count(failures_key, timeout=FAILURES_KEPT_SECONDS)
    if failures < FREE_FAILURES:
        return
    delay = min(FIRST_DELAY_SECONDS * 2 ** min(failures - FREE_FAILURES, 20), MAX_DELAY_SECONDS)
    cache.set(held_key, _now() + delay, timeout=delay + 1)


def login_succeeded(*, username: str, address: str | None) -> None:
    """Forgets `username`'s failures and remembers `address` as one its owner signs in from."""
    if not settings.RATELIMIT_ENABLE:
        return
    failures_key, held_key, known_key = _keys(username, address)
    cache.delete_many([failures_key, held_key])
    if address is not None:
        cache.set(known_key, 1, timeout=KNOWN_FOR_SECONDS)
