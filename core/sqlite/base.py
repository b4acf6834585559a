"""Django's SQLite backend, with each process's writers queued in Python rather than in
SQLite's busy handler."""

from __future__ import annotations

import threading

from django.db.backends.sqlite3 import base

# One per process: every connection of every thread takes it for its write transaction.
_writer = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite allows one writer; a transaction that finds the database locked waits in SQLite's
    busy handler, which sleeps 1, 2, 5 ... up to 100 ms between tries. Under ASGI every request
    runs on a thread of its own, so eight concurrent requests meant seven threads sleeping past
    the moment the lock came free: hundreds of milliseconds of tail latency on a mostly idle
    database. Transactions (BEGIN IMMEDIATE, see settings) now queue on a lock in this process
    and start the moment the previous one ends; other processes still meet at SQLite's lock.
    In-memory databases (the test suite's) are left alone."""

    # The overridden hooks are Django's own, private ones; django-stubs does not declare them.
    _holds_writer = False

    def _start_transaction_under_autocommit(self) -> None:
        if self.is_in_memory_db():
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
            return
        _writer.acquire()
        self._holds_writer = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _release_writer(self) -> None:
        if self._holds_writer:
            self._holds_writer = False
            _writer.release()
