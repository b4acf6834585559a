"""SQLite as the app processes use it: one writer at a time per process, queued in Python (the
database backend in base.py, ENGINE "core.sqlite")."""
