"""Credentials never reach the server's logs: query parameters named like a credential
(`?token=`, LiveKit's `?access_token=`, anything named like a token, key or secret) and the
handshake's Authorization and Cookie headers."""

from __future__ import annotations

import logging

import pytest

from presence.redaction import redact_token


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/events?token=eyJ.abc.def", "/api/events?token=[redacted]"),
        ("/api/events?x=1&token=eyJ.abc&y=2", "/api/events?x=1&token=[redacted]&y=2"),
        ("/api/events?TOKEN=a&token=b", "/api/events?TOKEN=[redacted]&token=[redacted]"),
        ("/api/events?room=1&tokens", "/api/events?room=1&tokens"),
        ("/api/rooms", "/api/rooms"),
        ("< authorization: Bearer eyJ.abc.def", "< authorization: [redacted]"),
        ("< Cookie: sessionid=abc; csrftoken=def", "< Cookie: [redacted]"),
        ("> set-cookie: sessionid=abc; HttpOnly", "> set-cookie: [redacted]"),
        ("< host: example.org", "< host: example.org"),
        (
            "/livekit/rtc?access_token=eyJ.lk.sig&auto_subscribe=1&sdk=js",
            "/livekit/rtc?access_token=[redacted]&auto_subscribe=1&sdk=js",
        ),
        ("/x?api_key=k1&client_secret=s2", "/x?api_key=[redacted]&client_secret=[redacted]"),
        ("/x?X-Amz-Signature=abc&Password=p", "/x?X-Amz-Signature=[redacted]&Password=[redacted]"),
        ("/x?refreshToken=r;sessionid=s", "/x?refreshToken=[redacted];sessionid=[redacted]"),
        ("/x?access_token=", "/x?access_token=[redacted]"),
    ],
)
def test_token_values_are_redacted(path, expected):
    assert redact_token(path) == expected


def test_the_access_log_never_sees_the_token(caplog):
    access = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        # As uvicorn logs a request: format and arguments.
        access.info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5555",
            "GET",
            "/api/events?token=secret.jwt.value",
            "1.1",
            401,
        )
        access.info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5555",
            "GET",
            "/livekit/rtc?access_token=lk.jwt.value&sdk=js",
            "1.1",
            503,
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert not any("secret.jwt.value" in line or "lk.jwt.value" in line for line in lines)
    assert "/api/events?token=[redacted]" in lines[0]
    assert "/livekit/rtc?access_token=[redacted]&sdk=js" in lines[1]
