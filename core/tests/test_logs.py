"""Every log record is one line, whatever user data it carries: a room name with a line feed
cannot forge a record (issue: seen through the LiveKit outbox's warnings)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from sfu import outbox
from sfu.models import LiveKitAction

FORGED = "Lounge\n2026-01-01 00:00:00,000 ERROR accounts Admin password is hunter2"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured handlers (settings.LOGGING) write, from every logger."""
    stream = io.StringIO()
    handlers = logging.getLogger().handlers
    # dictConfig names each handler after its key in settings.LOGGING.
    ours = [h for h in handlers if isinstance(h, logging.StreamHandler) and h.name == "console"]
    assert ours, "settings.LOGGING gives the root logger its console handler"
    previous = [h.setStream(stream) for h in ours]
    yield stream
    for handler, old in zip(ours, previous, strict=True):
        handler.setStream(old)


@pytest.mark.django_db(transaction=True)
def test_a_room_name_with_a_line_feed_stays_inside_the_outbox_warning(fake_livekit, log_output):
    fake_livekit.fail(status=503, code="unavailable", times=1)
    outbox.remove_participant(room_name=FORGED, identity="mallory")

    lines = log_output.getvalue().splitlines()
    assert LiveKitAction.objects.get().attempts == 1
    assert len(lines) == 1, lines
    assert "LiveKit remove_participant mallory in Lounge\\n2026-01-01" in lines[0]


@pytest.mark.parametrize(
    "name", ["django.request", "django.server", "uvicorn.error", "uvicorn.access", "anything.else"]
)
def test_every_logger_writes_through_the_escaping_formatter(name, log_output):
    logging.getLogger(name).error("user said %s", "hi\r\nERROR forged\x1b[2J\u2028!")
    assert log_output.getvalue().endswith("user said hi\\r\\nERROR forged\\x1b[2J\\u2028!\n")
    assert log_output.getvalue().count("\n") == 1


def test_a_traceback_is_indented_under_its_record_even_its_message(log_output):
    try:
        raise ValueError(f"bad name {FORGED}")
    except ValueError:
        logging.getLogger("sfu.outbox").exception("Failed for %s", FORGED)

    first, *rest = log_output.getvalue().splitlines()
    assert first.endswith("Failed for " + FORGED.replace("\n", "\\n"))
    assert rest and all(line.startswith("    ") for line in rest)
    assert rest[-1].endswith("Admin password is hunter2")


def test_tabs_and_printable_text_are_left_alone(log_output):
    logging.getLogger("x").warning("a\tb é ✓ 😀 \x00\x85\u2029")
    assert log_output.getvalue().endswith("a\tb é ✓ 😀 \\x00\\x85\\u2029\n")
