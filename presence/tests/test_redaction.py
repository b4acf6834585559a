"""Bearer tokens in `?token=` never reach the access log."""

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
        ("/api/events?notatoken=1", "/api/events?notatoken=1"),
        ("/api/rooms", "/api/rooms"),
        ("< authorization: Bearer eyJ.abc.def", "< authorization: [redacted]"),
        ("< Cookie: sessionid=abc; csrftoken=def", "< Cookie: [redacted]"),
        ("> set-cookie: sessionid=abc; HttpOnly", "> set-cookie: [redacted]"),
        ("< host: example.org", "< host: example.org"),
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
    [line] = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert "secret.jwt.value" not in line
    assert "/api/events?token=[redacted]" in line
