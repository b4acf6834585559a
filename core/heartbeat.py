"""A liveness signal for the scheduler process, read by the container's health check."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings


def scheduler_heartbeat(*, now: datetime.datetime) -> None:
    """Touches SCHEDULER_HEARTBEAT_FILE; as a scheduler job, a stale file means a stuck loop."""
    Path(settings.SCHEDULER_HEARTBEAT_FILE).touch()
