"""`check_livekit`: can the app reach LIVEKIT_URL with its keys? One line either way."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from harness.fake_livekit import FakeLiveKit, unreachable_url


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_check_livekit_lists_the_open_rooms(fake_livekit: FakeLiveKit):
    fake_livekit.add_room("General")
    fake_livekit.add_participant("Games", "alice")

    output = run("check_livekit")

    assert output == f"LiveKit at {fake_livekit.http_url} answered; rooms: Games, General"


def test_check_livekit_with_no_rooms(fake_livekit: FakeLiveKit):
    assert run("check_livekit").endswith("rooms: none open")


def test_check_livekit_unreachable_is_one_clear_line(settings):
    settings.LIVEKIT_URL = unreachable_url()
    with pytest.raises(CommandError) as failed:
        run("check_livekit")
    message = str(failed.value)
    assert "unreachable" in message and "\n" not in message


def test_check_livekit_with_wrong_keys_says_so(fake_livekit: FakeLiveKit, settings):
    settings.LIVEKIT_API_SECRET = "wrong-secret-0123456789abcdef0123456789abcdef"
    with pytest.raises(CommandError, match=r"refused our credentials.*LIVEKIT_API_KEY"):
        run("check_livekit")
