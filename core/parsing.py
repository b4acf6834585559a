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


# The largest id a database row can have (SQLite and PostgreSQL bigint).
MAX_DB_ID = 2**63 - 1


def parse_id(raw: str, *, kind: str) -> int:
    """`parseInt(raw, 10)` as 1.x parsed path ids; no leading digits is `Invalid <kind> ID`.

    parseInt accepts any number of digits; an id no row can have comes back as 0, which is
    simply not found (as 1.x answered 0), instead of overflowing the query."""
    match = _LEADING_INT.match(raw)
    if match is None:
        raise BadRequest(f"Invalid {kind} ID")
    value = int(match.group(1))
    return value if 0 < value <= MAX_DB_ID else 0


def db_id(value: Any) -> int | None:
    """A JSON number usable as a row id (a whole number in the database's range), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value % 1 != 0 or not 0 < value <= MAX_DB_ID:
        return None
    return int(value)
