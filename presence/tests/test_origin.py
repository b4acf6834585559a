"""The WebSocket's Origin check: scheme, host and port must be the site's own origin as the
handshake reached it, or one of CSRF_TRUSTED_ORIGINS; a bearer handshake without Origin passes."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from distokoloshe.asgi import application
from presence.tests.conftest import bearer, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def opens(
    user,
    origin: str | None,
    *,
    host: str = "localhost",
    secure: bool = False,
    extra: list[tuple[bytes, bytes]] | None = None,
    token: bool = False,
) -> bool:
    headers = [(b"host", host.encode()), *(extra or [])]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if token:
        headers.append((b"authorization", f"Bearer {await bearer(user)}".encode()))
    else:
        headers.append((b"cookie", (await session_cookie(user)).encode()))
    communicator = WebsocketCommunicator(application, "/ws/events", headers=headers)
    communicator.scope["scheme"] = "wss" if secure else "ws"
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return bool(connected)


@pytest.mark.parametrize(
    ("origin", "host", "secure", "expected"),
    [
        ("http://localhost", "localhost", False, True),
        ("http://localhost:8000", "localhost:8000", False, True),
        ("https://localhost", "localhost", True, True),
        # Same host name, another port or scheme: another site as far as the browser is concerned.
        ("http://localhost:8001", "localhost", False, False),
        ("http://localhost:8001", "localhost:8000", False, False),
        ("http://localhost", "localhost:8000", False, False),
        ("https://localhost", "localhost", False, False),
        ("http://localhost", "localhost", True, False),
        ("http://127.0.0.1", "localhost", False, False),
        ("null", "localhost", False, False),
        ("http://localhost", "evil.example", False, False),  # a Host we do not serve
    ],
)
async def test_only_the_sites_own_scheme_host_and_port_may_use_the_cookie(
    alice, origin, host, secure, expected
):
    assert await opens(alice, origin, host=host, secure=secure) is expected


async def test_behind_the_proxy_the_forwarded_scheme_counts(settings, alice):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = [(b"x-forwarded-proto", b"https")]

    assert await opens(alice, "https://localhost", extra=forwarded)
    assert not await opens(alice, "http://localhost", extra=forwarded)


async def test_csrf_trusted_origins_are_matched_whole(settings, alice):
    settings.CSRF_TRUSTED_ORIGINS = ["https://chat.example.com", "https://*.example.org"]

    assert await opens(alice, "https://chat.example.com")
    assert await opens(alice, "https://a.example.org")
    assert not await opens(alice, "http://chat.example.com")
    assert not await opens(alice, "https://chat.example.com:8443")
    assert not await opens(alice, "https://example.com")


async def test_a_bearer_handshake_passes_without_origin_but_not_with_a_foreign_one(alice):
    assert await opens(alice, None, token=True)
    assert await opens(alice, "http://localhost", token=True)
    assert not await opens(alice, "http://localhost:8001", token=True)
