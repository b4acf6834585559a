"""Keeps `?token=` out of daphne's access log and its runserver request log.

1.x clients put their bearer token in the SSE URL, and daphne logs every request line with its
query string, through its own writer rather than Python logging, so a logging filter cannot
catch it. Both of daphne's loggers are fed by `Server.log_action`; wrapping it redacts the path
before either sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TOKEN = re.compile(r"([?&;]token=)[^&;#\s]*", re.IGNORECASE)
REDACTED = "[redacted]"


def redact_token(path: str) -> str:
    """`path` with the value of every `token` query parameter replaced."""
    return _TOKEN.sub(rf"\g<1>{REDACTED}", path)


def install() -> None:
    """Wraps daphne's Server.log_action once per process (a no-op without daphne)."""
    try:
        from daphne.server import Server
    except ImportError:
        return
    original: Callable[..., Any] = Server.log_action
    if getattr(original, "redacts_tokens", False):
        return

    def log_action(self: Any, protocol: str, action: str, details: dict[str, Any]) -> Any:
        path = details.get("path")
        if isinstance(path, str):
            details = {**details, "path": redact_token(path)}
        return original(self, protocol, action, details)

    log_action.redacts_tokens = True  # type: ignore[attr-defined]
    Server.log_action = log_action
