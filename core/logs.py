"""Log records one line each, whatever the data in them.

Messages carry user data (room names, usernames, LiveKit identities), which may hold a line feed
that would start a forged record of its own, or terminal escapes. The formatter every handler
uses escapes control characters in the message, and indents each line of a traceback so that
no line of it (an exception's message included) can pass for a record.
"""

from __future__ import annotations

import logging

# C0 controls but tab, DEL, C1 controls (NEL among them) and the Unicode line and paragraph
# separators: everything a terminal or a log reader may take for a line break or a command.
_CONTROLS = [*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
_ESCAPES = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _CONTROLS}
_ESCAPES.update({0x0A: "\\n", 0x0D: "\\r"})


def log_escape(text: str) -> str:
    """`text` with every control character written as an escape, so it stays on one line."""
    return text.translate(_ESCAPES)


class OneLineFormatter(logging.Formatter):
    """logging.Formatter whose records each start on a line of their own and hold no other."""

    def format(self, record: logging.LogRecord) -> str:
        # logging caches a record's traceback text on the record for every handler; another
        # handler's unindented one must not be reused here, nor ours left for the others.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatMessage(self, record: logging.LogRecord) -> str:
        return log_escape(super().formatMessage(record))

    def formatException(self, ei: logging._SysExcInfoType) -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(super().formatStack(stack_info))


def _indented(text: str) -> str:
    return "\n".join(f"    {log_escape(line)}" for line in text.splitlines())
