"""Operator commands: create_room, mint_token."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from livekit.api import TokenVerifier

from rooms.models import Membership, Room


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_create_room_uses_the_api_rules(alice):
    output = run("create_room", " Board Games ", "--type", "video", "--creator", "ALICE")

    room = Room.objects.get(name="Board Games")
    assert (room.type, room.created_by_id) == ("video", alice.pk)
    assert output == f"Created video room 'Board Games' (id {room.pk})."


@pytest.mark.django_db
def test_create_room_without_a_creator_belongs_to_nobody():
    run("create_room", "Lobby")
    assert Room.objects.get(name="Lobby").created_by is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["General"], "A room with that name already exists"),
        (["Bad: name"], "Room name contains invalid characters"),
        (["Fine", "--creator", "ghost"], "No user named 'ghost'."),
    ],
)
def test_create_room_refusals(args, message):
    with pytest.raises(CommandError, match=message):
        run("create_room", *args)


@pytest.mark.django_db
def test_mint_token_prints_a_livekit_token_and_changes_nothing(bob, settings):
    general = Room.objects.get(name="General")

    for room_arg in ("General", str(general.pk)):
        token = run("mint_token", "BOB", room_arg)
        claims = TokenVerifier(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET).verify(token)
        assert claims.video is not None
        assert (claims.identity, claims.name, claims.video.room) == ("bob", "Bob", "General")

    bob.refresh_from_db()
    assert bob.last_room_id is None
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_mint_token_refusals(bob):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("mint_token", "nobody", "General")
    with pytest.raises(CommandError, match="No room named 'Nowhere'"):
        run("mint_token", "bob", "Nowhere")
