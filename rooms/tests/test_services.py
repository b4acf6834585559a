"""Room services: join (guards, credentials, last room, atomicity), leave, create, delete."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from livekit.api import TokenVerifier

from accounts.models import User
from accounts.selectors import actor_ref
from core.errors import BadRequest, Conflict, Forbidden, InternalError, NotFound
from realtime.events import RoomCreated, RoomDeleted, RoomJoined, RoomLeft
from realtime.payloads import UserRef
from realtime.publish import Everyone
from rooms.models import Membership, Room, WhisperLink
from rooms.selectors import room_row
from rooms.services.membership import membership_enter, room_join, room_leave
from rooms.services.rooms import room_create, room_delete


@pytest.fixture
def general(db) -> Room:
    # Transactional tests flush the data migration's General; recreate it there.
    return Room.objects.get_or_create(name="General")[0]


@pytest.fixture
def games(alice) -> Room:
    return Room.objects.create(name="Games", type="video", created_by=alice)


def _expected_key(secret: str, room_name: str) -> str:
    digest = hmac.new(secret.encode(), room_name.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


# --- join --------------------------------------------------------------------------------------

GUARDED: list[tuple[User, Room]] = []


def refuse_everyone(*, user: User, room: Room) -> None:
    raise Forbidden("You are currently punished from this room", extra={"punishment": {}})


def note_and_allow(*, user: User, room: Room) -> None:
    GUARDED.append((user, room))


def test_join_returns_the_1x_body_with_a_token_for_that_room_and_its_key(bob, games, settings):
    settings.LIVEKIT_PUBLIC_URL = "/livekit/"

    grant = room_join(room_id=games.pk, user=bob)

    assert list(grant) == ["token", "e2eeKey", "room", "wsUrl"]
    assert grant["room"] == {
        "id": games.pk,
        "name": "Games",
        "type": "video",
        "mode": "normal",
        "is_jail": 0,
        "created_by": games.created_by_id,
    }
    assert grant["wsUrl"] == "/livekit/"
    assert grant["e2eeKey"] == _expected_key(settings.E2EE_SECRET, "Games")
    claims = TokenVerifier(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET).verify(
        grant["token"]
    )
    assert (claims.identity, claims.name) == ("bob", "Bob")
    assert claims.video is not None and claims.video.room == "Games"


def test_join_remembers_the_room_and_moves_membership(bob, general, games):
    room_join(room_id=general.pk, user=bob)
    room_join(room_id=games.pk, user=bob)

    bob.refresh_from_db()
    assert bob.last_room_id == games.pk
    assert Membership.objects.get(user=bob).room_id == games.pk


def test_join_publishes_leave_for_the_old_room_then_join_for_the_new(published, general):
    bob = User.objects.create(username="bob", display_name="Bob")
    games = Room.objects.create(name="Games")
    room_join(room_id=general.pk, user=bob)
    published.clear()

    room_join(room_id=games.pk, user=bob)

    ref: UserRef = {"id": bob.pk, "username": "bob", "display_name": "Bob"}
    assert published.sent == [
        (RoomLeft(user=ref, roomId=general.pk), Everyone()),
        (RoomJoined(user=ref, roomId=games.pk), Everyone()),
    ]


def test_a_guard_that_refuses_leaves_nothing_changed(published, general, settings):
    bob = User.objects.create(username="bob", display_name="Bob")
    jail = Room.objects.create(name="Jail: General", is_jail=True, jail_source=general)
    room_join(room_id=jail.pk, user=bob)
    published.clear()

    settings.ROOM_JOIN_GUARDS = [f"{__name__}.refuse_everyone"]

    with pytest.raises(Forbidden) as refused:
        room_join(room_id=general.pk, user=bob)

    assert refused.value.body() == {
        "error": "You are currently punished from this room",
        "punishment": {},
    }
    bob.refresh_from_db()
    assert bob.last_room_id == jail.pk
    assert Membership.objects.get(user=bob).room_id == jail.pk
    assert published.sent == []


def test_guards_see_the_user_and_room_and_may_allow(bob, games, settings):
    GUARDED.clear()
    settings.ROOM_JOIN_GUARDS = [f"{__name__}.note_and_allow"]

    room_join(room_id=games.pk, user=bob)

    assert [(bob, games)] == GUARDED


def test_the_jail_guard_is_configured():
    from django.conf import settings

    assert settings.ROOM_JOIN_GUARDS == ["moderation.services.punishments.punishment_join_guard"]


def test_a_token_that_cannot_be_minted_fails_the_join_and_changes_nothing(published, settings):
    bob = User.objects.create(username="bob", display_name="Bob")
    games = Room.objects.create(name="Games")
    settings.LIVEKIT_API_SECRET = ""

    with pytest.raises(InternalError, match="Failed to join room"):
        room_join(room_id=games.pk, user=bob)

    bob.refresh_from_db()
    assert bob.last_room_id is None
    assert not Membership.objects.filter(user=bob).exists()
    assert published.sent == []


def test_joining_a_room_deleted_meanwhile_is_not_found(bob, games):
    stale = Room.objects.get(pk=games.pk)
    games.delete()
    with pytest.raises(NotFound, match="Room not found"):
        room_join(room_id=stale.pk, user=bob)


# --- leave -------------------------------------------------------------------------------------


def test_leave_ends_membership_and_publishes_leave(published, general):
    bob = User.objects.create(username="bob", display_name="Bob")
    room_join(room_id=general.pk, user=bob)
    published.clear()

    assert room_leave(user=bob, room=general) == general.pk

    assert not Membership.objects.filter(user=bob).exists()
    assert published.names() == ["user:room_leave"]
    bob.refresh_from_db()
    assert bob.last_room_id == general.pk


def test_leaving_a_room_one_is_not_in_changes_nothing(published, general):
    bob = User.objects.create(username="bob", display_name="Bob")
    games = Room.objects.create(name="Games")
    room_join(room_id=general.pk, user=bob)
    published.clear()

    assert room_leave(user=bob, room=games) is None

    assert Membership.objects.get(user=bob).room_id == general.pk
    assert published.sent == []


# --- create ------------------------------------------------------------------------------------


def test_create_trims_the_name_and_publishes_the_row(published):
    alice = User.objects.create(username="alice", display_name="Alice")

    room = room_create(user=alice, name="  Board Games (late) #1 ", type="video")

    assert (room.name, room.type, room.created_by_id, room.mode, room.is_jail) == (
        "Board Games (late) #1",
        "video",
        alice.pk,
        "normal",
        False,
    )
    assert published.sent == [(RoomCreated(room=room_row(room)), Everyone())]


@pytest.mark.parametrize("sent", [None, "voice", "Video", "VIDEO", 1, ["video"]])
def test_anything_but_exactly_video_makes_a_voice_room(alice, sent):
    assert room_create(user=alice, name="Room", type=sent).type == "voice"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        (None, "Room name is required"),
        (42, "Room name is required"),
        ("", "Room name is required"),
        (" \t\u3000\ufeff", "Room name is required"),
        ("x" * 65, "Room name must be 64 characters or less"),
        ("\U0001f600" * 33, "Room name must be 64 characters or less"),
        ("Jail: General", "Room name contains invalid characters"),
        ("a.b", "Room name contains invalid characters"),
        # Punctuation beyond ASCII is refused too: a full-width colon would pose as a jail.
        ("Jail\uff1a General", "Room name contains invalid characters"),
        ("a\u202eb", "Room name contains invalid characters"),
        ("a\x00b", "Room name contains invalid characters"),
        ("\u00ab quoted \u00bb", "Room name contains invalid characters"),
    ],
)
def test_create_refuses_bad_names_with_the_1x_message(alice, name, error):
    with pytest.raises(BadRequest) as refused:
        room_create(user=alice, name=name)
    assert refused.value.message == error
    assert not Room.objects.exclude(name="General").exists()


@pytest.mark.parametrize(
    "name",
    [
        "Caf\u00e9 Cr\u00e8me",
        "M\u00f8te i \u00c5rhus",
        "\u0418\u0433\u0440\u044b",
        "\u6e38\u620f\u4e4b\u591c",
        "\u0661\u0662\u0663",
        "Game Night \U0001f3ae",
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 family",
        "\U0001f44b\U0001f3fd hi",
        "\U0001f1ff\U0001f1e6",
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        "\u2764\ufe0f",
    ],
)
def test_create_allows_letters_of_any_script_with_accents_and_emoji(alice, name):
    assert room_create(user=alice, name=name).name == name


def test_create_allows_64_characters_and_javascript_whitespace_inside(alice):
    assert room_create(user=alice, name="x" * 64).name == "x" * 64
    assert room_create(user=alice, name="a\u00a0b\u2003c-!@#&()_9").pk


def test_create_refuses_the_101st_room_but_jails_do_not_count(alice, general):
    Room.objects.bulk_create(Room(name=f"Room {i}") for i in range(98))
    Room.objects.create(name="Jail: Room 1", is_jail=True)
    room_create(user=alice, name="The hundredth")

    with pytest.raises(BadRequest, match="Maximum number of rooms reached"):
        room_create(user=alice, name="One too many")


def test_create_refuses_an_exact_duplicate_but_not_another_case(alice, general):
    with pytest.raises(Conflict, match="A room with that name already exists"):
        room_create(user=alice, name=" General ")
    assert room_create(user=alice, name="general").name == "general"


def test_a_duplicate_of_a_jail_name_is_refused_too(alice, general):
    Room.objects.create(name="Jail General", is_jail=True)
    with pytest.raises(Conflict):
        room_create(user=alice, name="Jail General")


# --- delete ------------------------------------------------------------------------------------


def test_only_the_creator_or_staff_may_delete(alice, bob, games, general):
    with pytest.raises(Forbidden, match="Only the room creator can delete this room"):
        room_delete(room=games, user=bob)
    with pytest.raises(Forbidden):
        room_delete(room=general, user=alice)

    bob.is_staff = True
    room_delete(room=games, user=bob)
    assert not Room.objects.filter(pk=games.pk).exists()


def test_nobody_deletes_general_not_staff_nor_a_creator_staff_gave_it(alice, bob, general):
    bob.is_staff = True
    general.created_by = alice
    general.save()
    for user in (alice, bob):
        with pytest.raises(
            Forbidden, match="General cannot be deleted: it is where newcomers land"
        ):
            room_delete(room=general, user=user)
    assert Room.objects.filter(pk=general.pk).exists()


def test_delete_moves_members_out_then_announces_the_room_and_its_jail(published):
    alice = User.objects.create(username="alice", display_name="Alice")
    bob = User.objects.create(username="bob", display_name="Bob")
    mallory = User.objects.create(username="mallory", display_name="Mallory")
    games = Room.objects.create(name="Games", created_by=alice, mode="whispers")
    jail = Room.objects.create(name="Jail: Games", is_jail=True, jail_source=games)
    membership_enter(user=bob, room=games)
    membership_enter(user=mallory, room=jail)
    room_join(room_id=games.pk, user=alice)
    games.refresh_from_db()
    rows = {"games": room_row(games), "jail": room_row(jail)}
    published.clear()

    room_delete(room=games, user=alice)

    assert not Room.objects.filter(pk__in=[games.pk, jail.pk]).exists()
    assert not Membership.objects.exists()
    assert not WhisperLink.objects.exists()
    alice.refresh_from_db()
    assert alice.last_room_id is None
    leaves = [(e.user["username"], e.roomId) for e, _ in published.of(RoomLeft)]
    assert sorted(leaves) == sorted([("bob", games.pk), ("alice", games.pk), ("mallory", jail.pk)])
    assert published.of(RoomDeleted) == [
        (RoomDeleted(room=rows["jail"], deletedBy=actor_ref(alice)), Everyone()),
        (RoomDeleted(room=rows["games"], deletedBy=actor_ref(alice)), Everyone()),
    ]
    assert published.of(RoomDeleted)[0][0].payload()["deletedBy"] == {
        "id": alice.pk,
        "username": "alice",
        "displayName": "Alice",
    }
    assert published.names()[-2:] == ["room:deleted", "room:deleted"]


def test_deleting_a_room_keeps_its_moderation_history_under_its_name(alice, bob, carol, games):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.models import Punishment, Vote

    jail = Room.objects.create(name="Jail: Games", is_jail=True, jail_source=games)
    now = timezone.now()
    old = Vote.objects.create(
        source_room=games,
        target=carol,
        initiated_by=bob,
        duration_secs=60,
        eligible_count=2,
        expires_at=now,
        resolved=True,
        passed=True,
    )
    Punishment.objects.create(
        target=carol,
        source_room=games,
        jail_room=jail,
        vote=old,
        duration_secs=60,
        started_at=now,
        expires_at=now + timedelta(seconds=60),
    )
    open_vote = Vote.objects.create(
        source_room=games,
        target=bob,
        initiated_by=carol,
        duration_secs=300,
        eligible_count=2,
        expires_at=now + timedelta(seconds=30),
    )

    room_delete(room=games, user=alice)

    assert not Room.objects.filter(pk__in=[games.pk, jail.pk]).exists()
    punishment = Punishment.objects.get()
    assert (punishment.source_room_id, punishment.jail_room_id) == (None, None)
    assert (punishment.source_room_name, punishment.jail_room_name) == ("Games", "Jail: Games")
    # Ended by whoever deleted the room, so carol is free to go anywhere.
    assert (punishment.active, punishment.lifted_by) == (False, alice)
    open_vote.refresh_from_db()
    assert (open_vote.resolved, open_vote.passed, open_vote.source_room_id) == (True, False, None)
    assert sorted(Vote.objects.values_list("source_room_name", flat=True)) == ["Games", "Games"]
