"""The deadline scheduler: runs every job in SCHEDULER_JOBS once per tick, forever.

Deadlines (vote windows, punishment ends, presence grace, stale connections) live in the
database; each job claims what is due with a conditional write, so any number of schedulers
across processes fire each deadline exactly once, and deadlines missed while everything was
down fire on the first tick after start.

The loop runs on the ASGI server's event loop (or its own, under `run_scheduler`) and calls the
synchronous jobs in a worker thread, so events they publish reach the channel layer from the
loop that owns it, which the in-memory layer of a laptop run requires.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

Job = Callable[..., object]
_started = False


def jobs() -> list[Job]:
    """The configured jobs, each called as `job(now=<aware datetime>)`."""
    return [import_string(path) for path in settings.SCHEDULER_JOBS]


def each_due(ids: Iterable[int], handle: Callable[[int], object], *, what: str) -> None:
    """Runs `handle` on each due row's id; one that fails is logged and never holds back the
    deadlines behind it (each claims its row itself, so a retry next tick is safe)."""
    for row_id in ids:
        try:
            handle(row_id)
        except Exception:
            logger.exception("%s %s failed", what, row_id)


def run_jobs(*, now: datetime, job_list: list[Job] | None = None) -> None:
    """Runs each job once as at `now` (every configured job unless given); one failing job
    never stops the others."""
    for job in jobs() if job_list is None else job_list:
        try:
            job(now=now)
        except Exception:
            logger.exception("Scheduler job %s failed", getattr(job, "__qualname__", job))


def tick(job_list: list[Job]) -> None:
    """One tick of the scheduler: every job once, on a fresh database connection."""
    close_old_connections()
    try:
        run_jobs(now=timezone.now(), job_list=job_list)
    finally:
        close_old_connections()


async def run(stop: asyncio.Event | None = None) -> None:
    """Ticks every SCHEDULER_TICK_SECONDS until `stop` is set."""
    job_list = jobs()
    interval = settings.SCHEDULER_TICK_SECONDS
    while stop is None or not stop.is_set():
        started = time.monotonic()
        await sync_to_async(tick, thread_sensitive=False)(job_list)
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))


def start_in_process() -> None:
    """Starts the scheduler on the running event loop, once per process."""
    global _started
    if _started or not settings.SCHEDULER_IN_PROCESS:
        return
    _started = True
    task = asyncio.get_running_loop().create_task(run())
    task.add_done_callback(_log_crash)


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("Scheduler stopped", exc_info=task.exception())
