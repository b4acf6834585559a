"""Bearer tokens in `?token=` never reach daphne's access or request logs."""

from __future__ import annotations

from typing import Any

import pytest
from daphne.server import Server

from presence.redaction import redact_token


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/events?token=eyJ.abc.def", "/api/events?token=[redacted]"),
        ("/api/events?x=1&token=eyJ.abc&y=2", "/api/events?x=1&token=[redacted]&y=2"),
        ("/api/events?TOKEN=a&token=b", "/api/events?TOKEN=[redacted]&token=[redacted]"),
        ("/api/events?notatoken=1", "/api/events?notatoken=1"),
        ("/api/rooms", "/api/rooms"),
    ],
)
def test_token_values_are_redacted(path, expected):
    assert redact_token(path) == expected


def test_daphne_action_logger_never_sees_the_token():
    seen: list[dict[str, Any]] = []

    class FakeServer:
        action_logger = staticmethod(lambda protocol, action, details: seen.append(details))

    details = {"path": "/api/events?token=secret.jwt.value", "status": 401, "method": "GET"}
    Server.log_action(FakeServer(), "http", "complete", details)

    assert seen == [{**details, "path": "/api/events?token=[redacted]"}]
