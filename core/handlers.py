"""Django's HTTP handling under ASGI in one thread hop per request, on long-lived threads.

Django's own ASGI handler runs the async parts of a request on the event loop and hops to a
thread for every synchronous part (the request_started signal, the sync middleware and view,
closing the response): three or more hops, each a hand-over of the GIL, and each request on a
thread made for it, with a new database connection (for SQLite, a file open and its PRAGMAs).
Every view and middleware here is synchronous, so this handler does what a WSGI server does, on
a thread: the whole of Django's request handling runs there in one go, and only reading the
body and writing the response stay on the event loop.

A request borrows one of REQUEST_THREADS threads and gives it back; each thread keeps its
database connection between requests (CONN_MAX_AGE), and the usual start- and end-of-request
checks close it only when broken or too old. A request waits when every thread is busy.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from django.core import signals
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import HttpResponseBase, HttpResponseServerError
from django.urls import set_script_prefix

logger = logging.getLogger(__name__)


class ThreadedASGIHandler(ASGIHandler):
    """An ASGI handler that runs Django's synchronous request handling on pooled threads."""

    def __init__(self, *, threads: int) -> None:
        # ASGIHandler.__init__ would load the middleware for async use; here the chain is
        # synchronous all the way down, and runs on one thread in one go.
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self._idle = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"request-{index}")
            for index in range(threads)
        ]
        self._waiting: deque[asyncio.Future[None]] = deque()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        try:
            body_file = await self.read_body(receive)
        except Exception:  # RequestAborted: the client went before its body arrived.
            return
        executor = await self._lease()
        try:
            loop = asyncio.get_running_loop()
            response = await loop.run_in_executor(executor, self._respond, scope, body_file)
            await self.send_response(response, send)
            if response.streaming:
                await sync_to_async(response.close)()
        finally:
            self._release(executor)

    def _respond(self, scope: dict[str, Any], body_file: Any) -> HttpResponseBase:
        """Django's request handling, as a WSGI server would run it (on a pooled thread)."""
        response: HttpResponseBase | None
        try:
            set_script_prefix(get_script_prefix(scope))
            signals.request_started.send(sender=self.__class__, scope=scope)
            request, response = self.create_request(scope, body_file)
            if request is not None:
                response = self.get_response(request)
            else:
                body_file.close()
        except Exception:
            logger.exception("Request handling failed before any view ran")
            response = None
        if response is None:
            response = HttpResponseServerError(b"Internal Server Error", content_type="text/plain")
        if not response.streaming:
            # The body is already rendered: end the request here, on this thread, which is
            # where its database connection lives (request_finished closes broken ones).
            response.close()
        return response

    async def _lease(self) -> ThreadPoolExecutor:
        while not self._idle:
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                await waiter
            finally:
                if waiter in self._waiting:
                    self._waiting.remove(waiter)
        # The thread used last is the warmest (its connection and caches in use).
        return self._idle.pop()

    def _release(self, executor: ThreadPoolExecutor) -> None:
        self._idle.append(executor)
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return


def get_asgi_application() -> ThreadedASGIHandler:
    """django.core.asgi.get_asgi_application, with this handler (REQUEST_THREADS threads)."""
    import django
    from django.conf import settings

    django.setup(set_prefix=False)
    return ThreadedASGIHandler(threads=settings.REQUEST_THREADS)
