"""Times as clients read them: the 1.x timestamp shape (SQLite's `datetime('now')`, UTC
without zone or fraction), ISO-8601, and spans in words."""

from __future__ import annotations

import math
from datetime import UTC, datetime


def sql_ts(value: datetime | None) -> str | None:
    """`YYYY-MM-DD HH:MM:SS` in UTC; 1.x clients append `Z` themselves."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def iso(value: datetime | None) -> str | None:
    """Full ISO-8601 with offset, for fields that 1.x did not have."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def duration_words(seconds: float) -> str:
    """A span in words, in its two largest units ("45 seconds", "5 minutes", "1 hour 5
    minutes"), rounded up so that a wait is never understated."""
    total = max(0, math.ceil(seconds))
    if total >= 120:
        # Past two minutes, seconds are noise.
        total = math.ceil(total / 60) * 60
    first = next((i for i, (_, size) in enumerate(_UNITS) if total >= size), len(_UNITS) - 1)
    units = _UNITS[first : first + 2]
    smallest = units[-1][1]
    total = math.ceil(total / smallest) * smallest
    parts = []
    for unit, size in units:
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    return " ".join(parts) or "0 seconds"
