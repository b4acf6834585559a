"""Keeps credentials out of the app server's logs.

1.x clients put their bearer token in the SSE URL (`?token=`), LiveKit's SDK puts its join token
in `/livekit/rtc?access_token=` (which reaches the app when no proxy routes /livekit/), and the
access log records every request line with its query string; at DEBUG the WebSocket handshake
is logged header by header (Authorization, Cookie). RedactTokens, a logging filter on the
server's loggers (settings LOGGING), replaces those values before any handler formats the line.
"""

from __future__ import annotations

import logging
import re

# A parameter whose name contains any of these words holds a credential, whatever its prefix or
# suffix (token, access_token, api_key, client_secret, X-Amz-Signature, password...): naming
# a harmless one so is cheaper than logging one real secret.
_SECRET_NAME = r"(?:token|secret|passw|pwd|key|sig|auth|credential|session)"
_SECRET = re.compile(rf"([?&;][^=&;#\s]*{_SECRET_NAME}[^=&;#\s]*=)[^&;#\s]*", re.IGNORECASE)
_HEADER = re.compile(r"^([<>]?\s*(?:authorization|cookie|set-cookie):\s*).+$", re.I | re.M)
REDACTED = "[redacted]"


def redact_token(text: str) -> str:
    """`text` with the value of every query parameter named like a credential, and of every
    Authorization, Cookie and Set-Cookie header line, replaced."""
    return _HEADER.sub(rf"\g<1>{REDACTED}", _SECRET.sub(rf"\g<1>{REDACTED}", text))


class RedactTokens(logging.Filter):
    """Redacts credentials in a log record. The message is formatted here, since the secret may
    be split over its arguments (a header's name in one, its value in the next)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_token(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
