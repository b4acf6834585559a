"""The ASGI handler: Django's request handling on a fixed set of reused threads, each keeping its
database connection, one thread hop per request."""

from __future__ import annotations

import asyncio
import threading

import pytest
from channels.testing import ApplicationCommunicator
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path

from core.handlers import ThreadedASGIHandler

seen: list[tuple[str, int]] = []
gate = threading.Event()


def where(request):
    connection.ensure_connection()
    seen.append((threading.current_thread().name, id(connection.connection)))
    return HttpResponse("ok")


def blocked(request):
    gate.wait(5)
    return HttpResponse("done")


def streamed(request):
    return StreamingHttpResponse(iter([b"a", b"b"]))


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("where", where),
    path("blocked", blocked),
    path("streamed", streamed),
    path("broken", broken),
]


def _scope(route: str) -> dict[str, object]:
    return {
        "type": "http",
        "method": "GET",
        "path": f"/{route}",
        "raw_path": f"/{route}".encode(),
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 1234),
        "server": ("localhost", 80),
    }


async def _get(handler: ThreadedASGIHandler, route: str) -> tuple[int, bytes]:
    app = ApplicationCommunicator(handler, _scope(route))
    await app.send_input({"type": "http.request", "body": b""})
    start = await app.receive_output(10)
    body = b""
    while True:
        message = await app.receive_output(10)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await app.wait(10)
    return start["status"], body


@pytest.fixture
def handler(settings) -> ThreadedASGIHandler:
    settings.ROOT_URLCONF = __name__
    settings.MIDDLEWARE = []
    seen.clear()
    gate.clear()
    return ThreadedASGIHandler(threads=2)


@pytest.mark.django_db(transaction=True)
async def test_requests_reuse_a_thread_and_its_database_connection(handler):
    for _ in range(5):
        assert await _get(handler, "where") == (200, b"ok")

    threads = {name for name, _ in seen}
    connections = {conn for _, conn in seen}
    # One request at a time: the warmest thread is taken again, with the connection it kept.
    assert len(threads) == 1 and threads.pop().startswith("request-")
    assert len(connections) == 1


@pytest.mark.django_db(transaction=True)
async def test_a_request_waits_for_a_free_thread(handler):
    busy = [asyncio.ensure_future(_get(handler, "blocked")) for _ in range(2)]
    waiting = asyncio.ensure_future(_get(handler, "where"))
    await asyncio.sleep(0.3)
    assert seen == []  # both threads are held; the third request has not started

    gate.set()
    assert [await request for request in busy] == [(200, b"done")] * 2
    assert await waiting == (200, b"ok")


@pytest.mark.django_db(transaction=True)
async def test_streamed_and_failing_views_are_answered(handler):
    assert await _get(handler, "streamed") == (200, b"ab")
    status, _ = await _get(handler, "broken")
    assert status == 500
