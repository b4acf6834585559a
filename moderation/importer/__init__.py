"""Moving a community from 1.x: its SQLite database read, checked and written through our models
(`manage.py import_1x`; the steps around it are in docs/moving-from-1x.md)."""

from .source import OneXDatabase, SourceError, read_1x
from .summary import Summary
from .writer import ImportRefused, import_1x

__all__ = ["ImportRefused", "OneXDatabase", "SourceError", "Summary", "import_1x", "read_1x"]
