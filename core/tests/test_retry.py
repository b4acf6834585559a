"""core.retry: a transaction PostgreSQL aborted to break a deadlock, or whose read went stale,
runs again; anything else fails as it did."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import OperationalError, transaction

from core.db import Contended
from core.retry import ATTEMPTS, retry_transaction


class DriverError(Exception):
    """Stands in for psycopg's error, which carries the SQLSTATE Django's wrapper hides."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def failing(sqlstate: str, times: int) -> tuple[list[int], Callable[[], str]]:
    calls: list[int] = []

    @retry_transaction
    def work() -> str:
        calls.append(1)
        if len(calls) <= times:
            try:
                raise DriverError(sqlstate)
            except DriverError as exc:
                raise OperationalError("deadlock detected") from exc
        return "done"

    return calls, work


def test_a_deadlock_runs_the_transaction_again():
    calls, work = failing("40P01", times=1)
    assert work() == "done"
    assert len(calls) == 2


def test_a_deadlock_every_time_gives_up_after_the_last_attempt():
    calls, work = failing("40P01", times=ATTEMPTS)
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == ATTEMPTS


def test_any_other_database_error_fails_at_once():
    calls, work = failing("57014", times=1)  # query_canceled
    with pytest.raises(OperationalError):
        work()
    assert len(calls) == 1


def test_a_stale_read_runs_the_transaction_again():
    calls: list[int] = []

    @retry_transaction
    def work() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise Contended("moved")
        return len(calls)

    assert work() == 2


@pytest.mark.django_db
def test_inside_an_outer_transaction_it_runs_once():
    # The outer transaction is aborted too: only its own caller can run it again.
    calls, work = failing("40P01", times=1)
    with pytest.raises(OperationalError), transaction.atomic():
        work()
    assert len(calls) == 1
