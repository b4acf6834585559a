"""`publish`, the one door from a service to connected clients, and who hears an event.

The caller names the audience when it makes the event, inside its transaction: `Users(...)`
resolved from the database at that moment, or `Everyone()`. The event is serialised once and
sent when the transaction commits, so a rolled-back change is never announced and an audience
cannot change between the decision and the delivery.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from . import hub
from .events import Event
from .hub import Envelope


@dataclass(frozen=True, slots=True)
class Everyone:
    """Every open realtime connection, optionally except one user's own."""

    exclude_user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Users:
    """The connections of the given users."""

    user_ids: tuple[int, ...]

    @classmethod
    def of(cls, user_ids: Iterable[int]) -> Users:
        return cls(tuple(user_ids))

    @classmethod
    def one(cls, user_id: int) -> Users:
        return cls((user_id,))


Audience = Everyone | Users

_recorders: list[Callable[[Event, Audience], None]] = []


def add_recorder(recorder: Callable[[Event, Audience], None]) -> Callable[[], None]:
    """Observes every event as it is sent (tests and benchmarks); returns an undo function."""
    _recorders.append(recorder)
    return lambda: _recorders.remove(recorder)


def encode(event: Event) -> str:
    """The payload as compact JSON, exactly once per event."""
    return json.dumps(event.payload(), separators=(",", ":"), ensure_ascii=False)


def publish(event: Event, *, to: Audience) -> None:
    """Sends `event` to `to` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(event, to), robust=True)


def credentials_changed(*, user_id: int) -> None:
    """Once the current transaction commits, every live stream of the user, in any process,
    checks its credential again and closes if it no longer holds (a logout, a password change,
    a deactivated account)."""
    envelope = Envelope("", "", to=(user_id,), recheck=True)
    transaction.on_commit(lambda: hub.dispatch(envelope), robust=True)


def _send(event: Event, audience: Audience) -> None:
    for recorder in list(_recorders):
        recorder(event, audience)
    if isinstance(audience, Users):
        if not audience.user_ids:
            return
        envelope = Envelope(event.name, encode(event), to=audience.user_ids)
    else:
        envelope = Envelope(event.name, encode(event), exclude=audience.exclude_user_id)
    hub.dispatch(envelope)
