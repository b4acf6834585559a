"""Running a transaction again when PostgreSQL breaks a deadlock or a read went stale.

Every path that changes memberships, whispers chains or rooms takes its locks in one order
(see rooms/services/membership.py), so deadlocks between them should not happen; but a path
outside that order (a ballot locks its vote and target first) can still meet one, and
PostgreSQL then aborts one of the two transactions with SQLSTATE 40P01. The other goes on;
the aborted one, run again from the start, normally succeeds. A user must see that as a
slightly slower request, never as a 500.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection

from core.db import Contended

P = ParamSpec("P")
R = TypeVar("R")

logger = logging.getLogger(__name__)

DEADLOCK = "40P01"
ATTEMPTS = 3


def _again(exc: BaseException) -> bool:
    if isinstance(exc, Contended):
        return True
    # Django wraps the driver's error; psycopg's carries the SQLSTATE.
    cause = exc.__cause__ if isinstance(exc, OperationalError) else None
    return getattr(cause, "sqlstate", None) == DEADLOCK


def retry_transaction(func: Callable[P, R]) -> Callable[P, R]:
    """Runs `func`, which opens its own transaction, up to ATTEMPTS times while it fails by a
    deadlock or Contended. Inside an outer transaction it runs once: the outer one is aborted
    too, so only its own caller can run it again."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except (OperationalError, Contended) as exc:
                if attempt == ATTEMPTS or connection.in_atomic_block or not _again(exc):
                    raise
                logger.info("Running %s again after %r", func.__qualname__, exc)
        raise AssertionError("unreachable")

    return run
