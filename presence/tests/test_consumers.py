"""The WebSocket /ws/events through the real ASGI application: auth, Origin, caps, the hello
snapshot, every event and scope, keepalive and bad client frames."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from accounts.services import user_logout_everywhere
from distokoloshe.asgi import application
from moderation.models import Punishment, Vote
from moderation.selectors import active_punishments_snapshot, active_votes_snapshot
from presence import runtime
from presence.models import Connection, Presence
from presence.services.connections import presence_connect, presence_sweep
from presence.tests.conftest import (
    bearer,
    closed_with,
    drain,
    open_ws,
    receive,
    receive_event,
    session_cookie,
    ws,
)
from realtime import events, payloads
from realtime import publish as door
from rooms.models import Room
from rooms.services.membership import membership_enter

pytestmark = [
    pytest.mark.django_db(transaction=True),
]

db = database_sync_to_async
# What a browser closes a page's sockets with as it unloads (a reload too).
GOING_AWAY = 1001


def ref(user) -> payloads.UserRef:
    return {"id": user.pk, "username": user.username, "display_name": user.display_name}


@db
def make_room(name, creator, **kwargs):
    return Room.objects.create(name=name, created_by=creator, **kwargs)


@db
def enter(user, room):
    membership_enter(user=user, room=room)


@db
def publish(event, to):
    door.publish(event, to=to)


@db
def connection_ids(user):
    return list(Connection.objects.filter(user=user).values_list("pk", flat=True))


@db
def connection_count(user):
    return Connection.objects.filter(user=user).count()


# --- Authentication and Origin -------------------------------------------------------------------


async def test_session_cookie_opens_and_hello_names_me(alice):
    communicator, hello = await open_ws(alice)

    assert hello["me"] == ref(alice)
    assert ref(alice) in hello["online"]
    await communicator.disconnect()


async def test_bearer_token_without_origin_opens(alice):
    communicator = await ws(token=await bearer(alice), origin=None)
    connected, _ = await communicator.connect()

    assert connected
    assert (await receive(communicator))["data"]["me"] == ref(alice)
    await communicator.disconnect()


async def test_no_credentials_close_with_4401(alice):
    communicator = await ws()
    connected, _ = await communicator.connect()

    assert connected
    assert await closed_with(communicator) == 4401
    assert await connection_count(alice) == 0


async def test_invalid_bearer_closes_with_4401_even_with_a_valid_cookie(alice):
    communicator = await ws(alice, token="not-a-jwt")
    await communicator.connect()

    assert await closed_with(communicator) == 4401


async def test_deactivated_users_session_closes_with_4401(alice):
    cookie = await session_cookie(alice)
    alice.is_active = False
    await db(alice.save)()

    communicator = await ws(cookie=cookie)
    await communicator.connect()

    assert await closed_with(communicator) == 4401


async def test_cross_site_origin_with_a_valid_session_cookie_is_refused(alice):
    communicator = await ws(alice, origin="https://evil.example")
    connected, _ = await communicator.connect()

    assert not connected
    assert await connection_count(alice) == 0


async def test_other_websocket_paths_are_refused(alice):
    communicator = WebsocketCommunicator(
        application, "/ws/other", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect()

    assert not connected


async def test_session_cookie_without_origin_is_refused(alice):
    communicator = await ws(alice, origin=None)
    connected, _ = await communicator.connect()

    assert not connected


# --- Caps ----------------------------------------------------------------------------------------


@override_settings(PRESENCE_MAX_PER_USER=3)
async def test_fourth_connection_of_a_user_closes_with_4429(alice, bob):
    # One of the three is a 1.x stream held by another process: caps span both.
    await db(presence_connect)(user=alice, transport="sse", process_id="elsewhere")
    first, _ = await open_ws(alice)
    second, _ = await open_ws(alice)

    fourth = await ws(alice)
    await fourth.connect()

    assert await closed_with(fourth) == 4429
    assert await connection_count(alice) == 3
    other, _ = await open_ws(bob)
    for communicator in (first, second, other):
        await communicator.disconnect()


@override_settings(PRESENCE_MAX_TOTAL=2)
async def test_connection_beyond_the_server_limit_closes_with_4503(alice, bob, carol):
    await db(presence_connect)(user=bob, transport="sse", process_id="elsewhere")
    first, _ = await open_ws(alice)

    refused = await ws(carol)
    await refused.connect()

    assert await closed_with(refused) == 4503
    await first.disconnect()


# --- The hello snapshot --------------------------------------------------------------------------


async def test_hello_snapshot_holds_online_members_votes_punishments_and_chains(
    alice, bob, carol, mallory
):
    lobby = await make_room("Lobby", alice)
    whispers = await make_room("Whispers", alice, mode=Room.Mode.WHISPERS)
    jail = await make_room("Jail: Lobby", None, is_jail=True)
    await enter(alice, lobby)
    await enter(bob, lobby)
    # Entering a whispers room appends to its chain.
    await enter(carol, whispers)
    now = timezone.now()
    await db(Vote.objects.create)(
        source_room=lobby,
        target=mallory,
        initiated_by=alice,
        duration_secs=60,
        expires_at=now + timedelta(seconds=30),
        eligible_count=2,
        yes_count=1,
    )
    await db(Punishment.objects.create)(
        target=mallory,
        source_room=lobby,
        jail_room=jail,
        duration_secs=300,
        expires_at=now + timedelta(minutes=5),
    )
    bobs, _ = await open_ws(bob)

    alices, hello = await open_ws(alice)

    assert set(hello) == {
        "me",
        "connection",
        "online",
        "members",
        "votes",
        "punishments",
        "chains",
        "soundbiteOptOut",
        "serverTime",
    }
    [alices_connection] = await connection_ids(alice)
    assert hello["connection"] == str(alices_connection)
    assert hello["online"] == [ref(alice), ref(bob)]
    assert hello["members"] == {
        str(lobby.pk): [ref(alice), ref(bob)],
        str(whispers.pk): [ref(carol)],
    }
    assert hello["chains"] == {
        str(whispers.pk): [
            {"userId": carol.pk, "username": "carol", "displayName": "Carol", "position": 0}
        ]
    }
    votes = await db(active_votes_snapshot)()
    punishments = await db(active_punishments_snapshot)()
    assert hello["votes"] == votes and [v["targetUserId"] for v in votes] == [mallory.pk]
    assert hello["punishments"] == punishments and punishments[0]["jailRoomId"] == jail.pk
    assert "jailConnection" not in punishments[0]
    assert hello["serverTime"].endswith("Z") and "T" in hello["serverTime"]
    for communicator in (alices, bobs):
        await communicator.disconnect()


async def test_events_published_while_connecting_arrive_after_hello(alice, bob):
    bobs, _ = await open_ws(bob)

    alices, _ = await open_ws(alice)

    # Alice subscribed before she was recorded online, so her own user:online follows hello.
    assert await receive_event(alices, "user:online") == {"user": ref(alice)}
    assert await drain(bobs) == [
        {"type": "user:online", "data": {"user": ref(bob)}},
        {"type": "user:online", "data": {"user": ref(alice)}},
    ]
    for communicator in (alices, bobs):
        await communicator.disconnect()


# --- Events and scopes ---------------------------------------------------------------------------


def every_event(alice, room_id):
    user: payloads.UserRef = ref(alice)
    actor: payloads.ActorRef = {"id": alice.pk, "username": "alice", "displayName": "Alice"}
    row: payloads.RoomRow = {
        "id": room_id,
        "name": "Lobby",
        "type": "voice",
        "created_by": alice.pk,
        "created_at": "2025-01-01 10:00:00",
        "mode": "normal",
        "is_jail": 0,
        "jail_source_room_id": None,
    }
    chain: list[payloads.ChainEntry] = [
        {"userId": alice.pk, "username": "alice", "displayName": "Alice", "position": 0}
    ]
    vote: payloads.VotePayload = {
        "id": 1,
        "sourceRoomId": room_id,
        "targetUserId": 9,
        "targetUsername": "mallory",
        "targetDisplayName": "Mallory",
        "initiatedBy": actor,
        "durationSecs": 60,
        "eligibleCount": 3,
        "expiresAt": "2025-01-01 10:00:30",
    }
    punishment: payloads.PunishmentPayload = {
        "id": 1,
        "targetUserId": 9,
        "targetUsername": "mallory",
        "targetDisplayName": "Mallory",
        "sourceRoomId": room_id,
        "sourceRoomName": "Lobby",
        "jailRoomId": 7,
        "jailRoomName": "Jail: Lobby",
        "durationSecs": 60,
        "expiresAt": "2025-01-01 10:01:00",
    }
    counts = {"voteId": 1, "sourceRoomId": room_id, "yesCount": 2, "noCount": 0}
    return [
        events.RoomCreated(room=row),
        events.RoomDeleted(room=row),
        events.RoomUpdated(room=row),
        events.UserRegistered(user=user),
        events.UserUpdated(user=user),
        events.UserDeleted(user=user),
        events.UserOnline(user=user),
        events.UserOffline(user=user),
        events.RoomJoined(user=user, roomId=room_id),
        events.RoomLeft(user=user, roomId=room_id),
        events.VoteStarted(vote=vote),
        events.BallotCast(**counts, eligibleCount=3),
        events.VoteResolved(
            **counts,
            passed=True,
            eligibleCount=3,
            targetUserId=9,
            targetUsername="mallory",
            targetDisplayName="Mallory",
        ),
        events.PunishmentStarted(punishment=punishment),
        events.PunishmentExpired(
            punishmentId=1, targetUserId=9, sourceRoomId=room_id, sourceRoomName="Lobby"
        ),
        events.PunishmentLifted(
            punishmentId=1,
            targetUserId=9,
            sourceRoomId=room_id,
            sourceRoomName="Lobby",
            liftedBy=actor,
        ),
        events.WhispersActivated(roomId=room_id, chain=chain),
        events.WhispersDeactivated(roomId=room_id),
        events.WhispersChainUpdated(roomId=room_id, chain=chain, reason="user_joined"),
        events.ChatMessageSent(user=user, text="hi", ts=1, id=1, roomId=room_id),
        events.ChatMessageDeleted(id=1, roomId=room_id),
        events.ChatActivity(roomId=room_id, id=1),
        events.SoundboardClipCreated(
            clip={
                "id": 1,
                "name": "Tada",
                "mime_type": "audio/ogg",
                "size": 900,
                "uploaded_by": user["id"],
                "uploaderName": user["display_name"],
                "created_at": "2025-01-01T10:00:00Z",
                "durationMs": 1000,
            }
        ),
        events.SoundboardClipDeleted(clipId=1),
        events.SoundboardPlaying(
            user=user, clipName="Tada", durationMs=1000, clipId=1, roomId=room_id
        ),
        events.SoundbiteOptOutChanged(user=user, soundbiteOptOut=True),
        events.MusicStatusChanged(
            status={
                "mode": "radio",
                "paused": False,
                "nowPlaying": None,
                "currentStation": None,
                "queue": [],
                "stations": [],
                "roomId": room_id,
                "enabled": True,
                "locked": False,
                "error": None,
            }
        ),
    ]


async def test_every_event_reaches_a_socket_as_type_and_1x_payload(alice):
    lobby = await make_room("Lobby", alice)
    catalogue = every_event(alice, lobby.pk)
    defined = {cls for cls in vars(events).values() if isinstance(cls, type)}
    defined = {c for c in defined if issubclass(c, events.Event) and c is not events.Event}
    assert {type(e) for e in catalogue} == defined
    communicator, _ = await open_ws(alice)
    await receive_event(communicator, "user:online")

    for event in catalogue:
        await publish(event, door.Everyone())
        assert await receive(communicator) == {"type": event.name, "data": event.payload()}
    await communicator.disconnect()


async def test_an_audience_of_users_reaches_only_them(alice, bob, carol):
    lobby = await make_room("Lobby", alice)
    other = await make_room("Other", alice)
    await enter(alice, lobby)
    await enter(bob, lobby)
    await enter(carol, other)
    sockets = {u.username: (await open_ws(u))[0] for u in (alice, bob, carol)}
    for communicator in sockets.values():
        await drain(communicator)

    await publish(events.WhispersDeactivated(roomId=lobby.pk), door.Users((alice.pk, bob.pk)))

    for name in ("alice", "bob"):
        assert await receive_event(sockets[name], "whispers:deactivated") == {"roomId": lobby.pk}
    assert await sockets["carol"].receive_nothing(timeout=0.2)
    for communicator in sockets.values():
        await communicator.disconnect()


async def test_user_scope_reaches_every_connection_of_that_user_only(alice, bob):
    first, _ = await open_ws(alice)
    second, _ = await open_ws(alice)
    bobs, _ = await open_ws(bob)
    for communicator in (first, second, bobs):
        await drain(communicator)
    room_event = events.WhispersDeactivated(roomId=1)

    await publish(room_event, door.Users.one(alice.pk))

    for communicator in (first, second):
        assert await receive_event(communicator, "whispers:deactivated") == {"roomId": 1}
    assert await bobs.receive_nothing(timeout=0.2)
    for communicator in (first, second, bobs):
        await communicator.disconnect()


async def test_excluded_user_gets_only_their_own_copy_of_punishment_started(alice, mallory):
    alices, _ = await open_ws(alice)
    mallorys, _ = await open_ws(mallory)
    await drain(alices)
    await drain(mallorys)
    started = [e for e in every_event(alice, 1) if isinstance(e, events.PunishmentStarted)]
    punishment = started[0].punishment
    jail: payloads.JailConnection = {
        "token": "t",
        "e2eeKey": "k",
        "room": {"id": 7, "name": "Jail: Lobby", "type": "voice"},
        "wsUrl": "/livekit/",
    }

    await publish(
        events.PunishmentStarted(punishment=punishment), door.Everyone(exclude_user_id=mallory.pk)
    )
    await publish(
        events.PunishmentStarted(punishment=punishment, jailConnection=jail),
        door.Users.one(mallory.pk),
    )

    assert await receive_event(alices, "punishment:started") == {"punishment": punishment}
    assert await receive_event(mallorys, "punishment:started") == {
        "punishment": punishment,
        "jailConnection": jail,
    }
    assert await alices.receive_nothing(timeout=0.2)
    assert await mallorys.receive_nothing(timeout=0.2)
    for communicator in (alices, mallorys):
        await communicator.disconnect()


# --- Presence over the socket --------------------------------------------------------------------


async def test_second_connection_of_an_online_user_announces_nothing(alice, bob):
    bobs, _ = await open_ws(bob)
    first, _ = await open_ws(alice)
    assert (await drain(bobs))[-1] == {"type": "user:online", "data": {"user": ref(alice)}}

    second, _ = await open_ws(alice)

    assert await bobs.receive_nothing(timeout=0.2)
    for communicator in (first, second, bobs):
        await communicator.disconnect()


@override_settings(PRESENCE_GRACE_SECONDS=5)
async def test_reconnect_within_grace_is_silent_and_leaving_for_good_is_not(alice, bob):
    lobby = await make_room("Lobby", alice)
    await enter(alice, lobby)
    bobs, _ = await open_ws(bob)
    alices, _ = await open_ws(alice)
    await drain(bobs)

    await alices.disconnect(code=GOING_AWAY)
    alices, hello = await open_ws(alice)
    await db(presence_sweep)(now=timezone.now() + timedelta(seconds=6))

    assert hello["members"] == {str(lobby.pk): [ref(alice)]}
    assert await bobs.receive_nothing(timeout=0.2)

    await alices.disconnect(code=GOING_AWAY)
    await db(presence_sweep)(now=timezone.now() + timedelta(seconds=4))
    assert await bobs.receive_nothing(timeout=0.2)
    await db(presence_sweep)(now=timezone.now() + timedelta(seconds=6))

    assert await receive_event(bobs, "user:room_leave") == {"user": ref(alice), "roomId": lobby.pk}
    assert await receive_event(bobs, "user:offline") == {"user": ref(alice)}
    await bobs.disconnect()


@override_settings(PRESENCE_GRACE_SECONDS=15)
async def test_a_clean_close_of_the_last_socket_is_leaving_at_once(alice, bob):
    lobby = await make_room("Lobby", alice)
    await enter(alice, lobby)
    bobs, _ = await open_ws(bob)
    alices, _ = await open_ws(alice)
    await drain(bobs)

    await alices.disconnect(code=1000)

    assert await receive_event(bobs, "user:room_leave") == {"user": ref(alice), "roomId": lobby.pk}
    assert await receive_event(bobs, "user:offline") == {"user": ref(alice)}
    await bobs.disconnect()


async def test_a_clean_close_while_another_socket_is_open_changes_nothing(alice, bob):
    lobby = await make_room("Lobby", alice)
    await enter(alice, lobby)
    bobs, _ = await open_ws(bob)
    closing, _ = await open_ws(alice)
    staying, _ = await open_ws(alice)
    await drain(bobs)

    await closing.disconnect(code=1000)
    await db(presence_sweep)(now=timezone.now() + timedelta(minutes=1))

    assert await bobs.receive_nothing(timeout=0.2)
    for communicator in (staying, bobs):
        await communicator.disconnect()


@db
def offline_due_in(user):
    due = Presence.objects.get(user=user).offline_due_at
    assert due is not None
    return (due - timezone.now()).total_seconds()


@override_settings(PRESENCE_GRACE_SECONDS=15, PRESENCE_SHORT_GRACE_SECONDS=2)
async def test_a_page_going_away_gets_the_long_grace(alice):
    communicator, _ = await open_ws(alice)

    await communicator.disconnect(code=GOING_AWAY)

    assert 14 < await offline_due_in(alice) <= 15


@override_settings(PRESENCE_GRACE_SECONDS=15, PRESENCE_SHORT_GRACE_SECONDS=2)
async def test_a_line_that_dies_silently_gets_the_short_grace(alice):
    communicator, _ = await open_ws(alice)

    await communicator.disconnect(code=1006)

    assert 1 < await offline_due_in(alice) <= 2


@override_settings(PRESENCE_GRACE_SECONDS=15, PRESENCE_SHORT_GRACE_SECONDS=2)
async def test_a_line_that_dies_soon_after_a_client_ping_gets_the_long_grace(alice):
    communicator, _ = await open_ws(alice)
    await communicator.send_to(text_data='{"type":"ping"}')
    assert (await drain(communicator))[-1] == {"type": "pong"}

    await communicator.disconnect(code=1005)

    assert 14 < await offline_due_in(alice) <= 15


async def test_a_reaped_connection_is_closed_so_the_client_reconnects(alice):
    communicator, _ = await open_ws(alice)
    await drain(communicator)
    connection_id = next(iter(runtime.held()))
    await db(Connection.objects.filter(pk=connection_id).delete)()

    await runtime.beat_once()

    assert await closed_with(communicator) == 1012
    assert runtime.held() == set()


# --- Revoked credentials -------------------------------------------------------------------------


async def test_logging_out_everywhere_closes_every_stream_so_the_page_signs_in_again(alice, bob):
    by_token, _ = await open_ws(alice, cookie="", token=await bearer(alice))
    by_session, _ = await open_ws(alice)
    bobs, _ = await open_ws(bob, cookie="", token=await bearer(bob))
    for communicator in (by_token, by_session):
        await drain(communicator)

    await db(user_logout_everywhere)(user=alice)

    assert await closed_with(by_token) == 4401
    assert await closed_with(by_session) == 4401
    await drain(bobs)
    await bobs.send_to(text_data='{"type":"ping"}')
    assert await receive(bobs) == {"type": "pong"}  # someone else's stays open
    await bobs.disconnect()


async def test_ending_one_session_closes_only_its_streams(alice):
    cookie = await session_cookie(alice)
    ended, _ = await open_ws(alice, cookie=cookie)
    other, _ = await open_ws(alice)  # another browser, another session
    await drain(ended)

    response = await db(_logout)(cookie)

    assert response.status_code == 200
    assert await closed_with(ended) == 4401
    await drain(other)
    await other.send_to(text_data='{"type":"ping"}')
    assert await receive(other) == {"type": "pong"}
    await other.disconnect()


async def test_a_deactivated_account_is_closed_by_the_next_heartbeat(alice):
    communicator, _ = await open_ws(alice, cookie="", token=await bearer(alice))
    await drain(communicator)
    await db(User.objects.filter(pk=alice.pk).update)(is_active=False)  # no announcement

    await runtime.beat_once()

    assert await closed_with(communicator) == 4401


def _change_password(user_id: int) -> None:
    # As changepassword, the admin's form and a shell do it.
    user = User.objects.get(pk=user_id)
    user.set_password("a brand new passphrase")
    user.save()


async def test_a_password_change_closes_every_stream_at_once(alice, bob):
    by_token, _ = await open_ws(alice, cookie="", token=await bearer(alice))
    by_session, _ = await open_ws(alice)
    bobs, _ = await open_ws(bob, cookie="", token=await bearer(bob))
    for communicator in (by_token, by_session, bobs):
        await drain(communicator)

    await db(_change_password)(alice.pk)  # no heartbeat runs here

    assert await closed_with(by_token) == 4401
    assert await closed_with(by_session) == 4401
    await bobs.send_to(text_data='{"type":"ping"}')
    assert await receive(bobs) == {"type": "pong"}
    await bobs.disconnect()


async def test_deleting_the_user_closes_their_streams_at_once(alice):
    communicator, _ = await open_ws(alice, cookie="", token=await bearer(alice))
    await drain(communicator)

    await db(lambda: User.objects.get(pk=alice.pk).delete())()

    assert await closed_with(communicator) == 4401


async def test_a_deleted_user_deleted_in_bulk_is_closed_by_the_next_heartbeat(alice):
    communicator, _ = await open_ws(alice, cookie="", token=await bearer(alice))
    await drain(communicator)
    await db(User.objects.filter(pk=alice.pk).delete)()  # a queryset delete announces nothing

    await runtime.beat_once()

    assert await closed_with(communicator) == 4401


def _logout(cookie: str):
    client = Client(enforce_csrf_checks=False)
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    return client.post("/api/session/logout")


async def test_a_server_shutting_down_records_the_disconnect(alice):
    communicator, _ = await open_ws(alice)

    # What the server does to a connection still open when its shutdown grace ends.
    communicator.future.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await communicator.future

    assert await connection_count(alice) == 0
    presence = await db(Presence.objects.get)(user=alice)
    assert presence.online and presence.offline_due_at is not None
    assert runtime.held() == set()


# --- Keepalive and client frames -----------------------------------------------------------------


@override_settings(WS_PING_SECONDS=0.05)
async def test_server_pings_idle_sockets(alice):
    communicator, _ = await open_ws(alice)
    await receive_event(communicator, "user:online")

    assert await receive(communicator) == {"type": "ping"}
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ("not json", "Invalid JSON"),
        ("[" * 3000, "Invalid JSON"),
        ('"ping"', "Unknown message type"),
        ('{"type": "subscribe"}', "Unknown message type"),
        ('{"type": "ping", "pad": "' + "x" * 5000 + '"}', "Message too large"),
    ],
)
async def test_bad_client_frames_get_an_error_and_the_socket_lives_on(alice, frame, error):
    communicator, _ = await open_ws(alice)
    await receive_event(communicator, "user:online")

    await communicator.send_to(text_data=frame)
    assert await receive(communicator) == {"type": "error", "data": {"error": error}}
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert await receive(communicator) == {
        "type": "error",
        "data": {"error": "Binary frames are not supported"},
    }
    await communicator.send_to(text_data='{"type":"ping"}')
    assert await receive(communicator) == {"type": "pong"}
    await communicator.disconnect()


async def test_closing_the_socket_forgets_the_connection(alice):
    communicator, _ = await open_ws(alice)
    assert await connection_count(alice) == 1

    await communicator.disconnect()
    await asyncio.sleep(0)

    assert await connection_count(alice) == 0
    assert runtime.held() == set()
