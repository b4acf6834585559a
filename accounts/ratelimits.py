"""Who the client is (behind a trusted reverse proxy) and 1.x's per-address rate limits.

1.x keyed its limits on the proxy's address, so every user shared one bucket. Here the key is
the real client: the first untrusted hop of X-Forwarded-For, read from the right, when the
peer is a proxy listed in TRUSTED_PROXIES; otherwise the peer itself, whatever it claims.
Counting uses django-ratelimit on the shared cache (Redis when REDIS_URL is set).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from core.errors import TooManyRequests

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Limit:
    """One 1.x limiter: its counting group, its rate, and its 429 message."""

    group: str
    count: int
    window_seconds: int
    message: str

    @property
    def rate(self) -> tuple[int, int]:
        return self.count, self.window_seconds


LOGIN = Limit("accounts.login", 20, 15 * 60, "Too many attempts, please try again later")
REGISTER = Limit("accounts.register", 5, 60 * 60, "Too many registrations, please try again later")


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


def rate_limit_count(request: HttpRequest, limit: Limit) -> dict[str, str]:
    """Counts this request against `limit` for its client address (every request counts, as in
    1.x). Returns the draft-6 RateLimit headers; raises TooManyRequests with Retry-After."""
    usage = get_usage(
        request, group=limit.group, key=_bucket, rate=limit.rate, method="POST", increment=True
    )
    if usage is None:  # RATELIMIT_ENABLE is off
        return {}
    reset = max(1, int(usage["time_left"]))
    headers = {
        "RateLimit-Policy": f"{limit.count};w={limit.window_seconds}",
        "RateLimit-Limit": str(limit.count),
        "RateLimit-Remaining": str(max(0, limit.count - int(usage["count"]))),
        "RateLimit-Reset": str(reset),
    }
    if usage["should_limit"]:
        raise TooManyRequests(limit.message, headers={**headers, "Retry-After": str(reset)})
    return headers
