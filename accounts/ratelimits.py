"""Who the client is (behind a trusted reverse proxy) and the per-address rate limits.

1.x keyed its limits on the proxy's address, so every user shared one bucket. Here the key is
the real client: the first untrusted hop of X-Forwarded-For, read from the right, when the
peer is a proxy listed in TRUSTED_PROXIES; otherwise the peer itself, whatever it claims.
Counting uses the shared cache (Redis when REDIS_URL is set): sign-ins through django-ratelimit,
every attempt counting as in 1.x; registrations through core.rates, only accounts made counting.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from core.errors import TooManyRequests
from core.rates import Slot, rate_reserve, too_many

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Limit:
    """One per-address limiter: its counting group, its 429 message (1.x's, which the refusal
    extends with the wait in words), and its rate: fixed, or read from a setting."""

    group: str
    message: str
    fixed: tuple[int, int] | None = None
    setting: str = ""

    @property
    def rate(self) -> tuple[int, int]:
        """(count, window seconds); a count of 0 means no limit."""
        if self.fixed is not None:
            return self.fixed
        count, seconds = getattr(settings, self.setting)
        return int(count), int(seconds)


LOGIN = Limit("accounts.login", "Too many attempts, please try again later", fixed=(20, 15 * 60))
# Counts accounts created, not attempts: a family behind one router signs up together, and a
# mistyped form costs nothing (REGISTER_RATE).
REGISTER = Limit(
    "accounts.register", "Too many registrations, please try again later", setting="REGISTER_RATE"
)


def _ip(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _trusted_networks() -> list[IPNetwork]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in settings.TRUSTED_PROXIES]


def _is_trusted(ip: IPAddress, networks: list[IPNetwork]) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)


def client_address(request: HttpRequest) -> str:
    """The client's IP address: X-Forwarded-For is believed only hop by hop from a trusted peer."""
    peer = request.META.get("REMOTE_ADDR") or ""
    current = _ip(peer)
    networks = _trusted_networks()
    if current is None or not _is_trusted(current, networks):
        return str(current) if current is not None else (peer or "unknown")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        ip = _ip(hop)
        if ip is None:
            # Garbage after our proxies' own entries: the last address a proxy vouched for wins.
            break
        current = ip
        if not _is_trusted(ip, networks):
            break
    return str(current)


def _bucket(group: str, request: HttpRequest) -> str:
    return client_bucket(request)


def client_bucket(request: HttpRequest) -> str:
    """The client's address as limits count it: an IPv6 client by its /64."""
    ip = _ip(client_address(request))
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        # One IPv6 host usually owns a whole /64; counting addresses would let it rotate freely.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else ip)


def _usage(request: HttpRequest, limit: Limit) -> dict[str, int] | None:
    count, seconds = limit.rate
    usage = get_usage(
        request,
        group=limit.group,
        key=_bucket,
        rate=(count, seconds),
        method="POST",
        increment=True,
    )
    if usage is None:  # RATELIMIT_ENABLE is off
        return None
    reset = max(1, int(usage["time_left"]))
    # A cache that cannot count says should_limit: refuse rather than let everything through.
    return {"count": int(usage["count"]), "limited": int(usage["should_limit"]), "reset": reset}


def _headers(limit: Limit, usage: dict[str, int]) -> dict[str, str]:
    count, seconds = limit.rate
    return {
        "RateLimit-Policy": f"{count};w={seconds}",
        "RateLimit-Limit": str(count),
        "RateLimit-Remaining": str(max(0, count - usage["count"])),
        "RateLimit-Reset": str(usage["reset"]),
    }


def rate_limit_count(request: HttpRequest, limit: Limit) -> dict[str, str]:
    """Counts this request against `limit` for its client address (every request counts, as
    1.x's sign-in limit did). Returns the draft-6 RateLimit headers; past the limit raises
    TooManyRequests with Retry-After and the wait in words."""
    usage = _usage(request, limit)
    if usage is None:
        return {}
    headers = _headers(limit, usage)
    if usage["limited"]:
        raise too_many(limit.message, usage["reset"], headers)
    return headers


def rate_limit_reserve(request: HttpRequest, limit: Limit) -> Slot | None:
    """Holds one use of `limit` for the client address while the request runs: release() it
    unless the thing counted (an account) was made. Past the limit raises TooManyRequests."""
    try:
        return rate_reserve(
            group=limit.group, key=client_bucket(request), rate=limit.rate, message=limit.message
        )
    except TooManyRequests as refused:
        used_up = {"count": limit.rate[0], "reset": int(refused.headers["Retry-After"])}
        refused.headers = {**_headers(limit, used_up), **refused.headers}
        raise


def slot_headers(limit: Limit, slot: Slot, *, kept: bool = True) -> dict[str, str]:
    """The RateLimit headers once a held use is kept, or given back."""
    return _headers(limit, {"count": slot.hits - (0 if kept else 1), "reset": slot.retry_after})
