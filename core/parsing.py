"""JavaScript-compatible input rules, so Python judges input exactly as the 1.x server did."""

from __future__ import annotations

import re
from typing import Any

from .errors import BadRequest

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator), spelled out: Python's differs.
JS_WHITESPACE = (
    "\t\n\x0b\x0c\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_LEADING_INT = re.compile(r"[\t\n\x0b\x0c\r \u00a0\ufeff]*([+-]?\d+)")


def js_trim(value: str) -> str:
    """`String.prototype.trim`: strips the JS whitespace set (incl. U+FEFF, not U+001C-U+001F)."""
    return value.strip(JS_WHITESPACE)


def utf16_len(value: str) -> int:
    """Length in UTF-16 code units, as JavaScript's `.length` counts."""
    return len(value.encode("utf-16-le")) // 2


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness for JSON values (0, "", null, false are falsy; [] and {} are not)."""
    if value is None or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0
    if isinstance(value, str):
        return value != ""
    return True


def parse_id(raw: str, *, kind: str) -> int:
    """`parseInt(raw, 10)` as 1.x parsed path ids; no leading digits is `Invalid <kind> ID`."""
    match = _LEADING_INT.match(raw)
    if match is None:
        raise BadRequest(f"Invalid {kind} ID")
    return int(match.group(1))


def is_json_int(value: Any) -> bool:
    """A JSON integer, not a bool (True == 1 in Python) and not a float."""
    return isinstance(value, int) and not isinstance(value, bool)
