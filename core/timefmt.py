"""The 1.x timestamp shape: SQLite's `datetime('now')`, UTC without zone or fraction."""

from __future__ import annotations

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
