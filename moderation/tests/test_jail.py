"""A passed vote jails its target: room, punishment, move, events, guard, lift and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from livekit.api import TokenVerifier

from core.errors import Forbidden, NotFound
from core.scheduler import run_jobs
from moderation.models import Punishment
from moderation.selectors import active_punishments_snapshot, active_votes_snapshot
from moderation.services.punishments import punishment_expire, punishment_lift
from moderation.services.votes import ballot_cast, vote_start
from realtime.events import (
    PunishmentExpired,
    PunishmentLifted,
    PunishmentStarted,
    RoomCreated,
    RoomJoined,
    RoomLeft,
)
from realtime.publish import Everyone, Users, encode
from rooms.models import Room
from rooms.selectors import user_room_id
from rooms.services.membership import membership_enter, room_join
from sfu.livekit import e2ee_key

pytestmark = pytest.mark.django_db(transaction=True)


def _jail(target, *, voters, duration=300) -> Punishment:
    initiator, *others = voters
    vote = vote_start(user=initiator, target_user_id=target.pk, duration_secs=duration)
    for voter in others:
        vote.refresh_from_db()
        if not vote.resolved:
            ballot_cast(vote_id=vote.pk, user=voter, vote_yes=True)
    return Punishment.objects.select_related("jail_room").get(vote=vote)


def test_passed_vote_jails_the_target_with_1x_events_in_order(
    published, seated, alice, bob, carol, mallory
):
    mallory.last_room = seated
    mallory.save()
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=300)
    ballot_cast(vote_id=vote.pk, user=bob, vote_yes=True)
    published.clear()

    ballot_cast(vote_id=vote.pk, user=carol, vote_yes=True)

    jail = Room.objects.get(name="Jail: Lounge")
    assert (jail.is_jail, jail.type, jail.jail_source, jail.created_by) == (
        True,
        "voice",
        seated,
        None,
    )
    punishment = Punishment.objects.get()
    assert (punishment.target, punishment.source_room, punishment.jail_room) == (
        mallory,
        seated,
        jail,
    )
    assert punishment.active and punishment.duration_secs == 300
    assert punishment.expires_at == punishment.started_at + timedelta(seconds=300)
    assert user_room_id(mallory.pk) == jail.pk
    mallory.refresh_from_db()
    assert mallory.last_room == seated  # released users go back where they were
    assert published.names() == [
        "vote:ballot_cast",
        "vote:resolved",
        "room:created",
        "user:room_leave",
        "user:room_join",
        "punishment:started",
        "punishment:started",
    ]
    [(created, created_scope)] = published.of(RoomCreated)
    assert (created.room["name"], created.room["is_jail"], created_scope) == (
        "Jail: Lounge",
        1,
        Everyone(),
    )
    [(left, _)] = published.of(RoomLeft)
    [(joined, _)] = published.of(RoomJoined)
    assert (left.user["id"], left.roomId) == (mallory.pk, seated.pk)
    assert (joined.user["id"], joined.roomId) == (mallory.pk, jail.pk)


def test_punishment_started_carries_jail_credentials_only_to_the_target(
    published, seated, alice, bob, carol, mallory
):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    ballot_cast(vote_id=vote.pk, user=bob, vote_yes=True)
    ballot_cast(vote_id=vote.pk, user=carol, vote_yes=True)

    (public, public_scope), (private, private_scope) = published.of(PunishmentStarted)
    punishment = Punishment.objects.get()
    expected = {
        "id": punishment.pk,
        "targetUserId": mallory.pk,
        "targetUsername": "mallory",
        "targetDisplayName": "Mallory",
        "sourceRoomId": seated.pk,
        "sourceRoomName": "Lounge",
        "jailRoomId": punishment.jail_room_id,
        "jailRoomName": "Jail: Lounge",
        "durationSecs": 60,
        "expiresAt": punishment.expires_at.strftime("%Y-%m-%d %H:%M:%S"),
    }
    assert public_scope == Everyone(exclude_user_id=mallory.pk)
    assert public.payload() == {"punishment": expected}
    assert private_scope == Users.one(mallory.pk)
    connection = private.payload()["jailConnection"]
    assert private.payload()["punishment"] == expected
    assert connection["room"] == {
        "id": punishment.jail_room_id,
        "name": "Jail: Lounge",
        "type": "voice",
    }
    assert connection["e2eeKey"] == e2ee_key("Jail: Lounge")
    assert connection["wsUrl"] == "/livekit/"
    claims = TokenVerifier(
        "moderation-test-key", "moderation-test-livekit-secret-0123456789abcdef"
    ).verify(connection["token"])
    assert claims.video is not None
    assert (claims.identity, claims.video.room, claims.video.room_join) == (
        "mallory",
        "Jail: Lounge",
        True,
    )
    # Nothing else that went out, to anyone, holds the token or the key.
    for event, scope in published.sent:
        if scope == Users.one(mallory.pk):
            continue
        wire = encode(event)
        assert connection["token"] not in wire
        assert connection["e2eeKey"] not in wire
        assert "jailConnection" not in wire


def test_a_second_jailing_reuses_the_jail_without_announcing_it(
    published, seated, alice, bob, carol, dave, mallory
):
    first = _jail(mallory, voters=[alice, bob, carol])
    published.clear()
    second = _jail(dave, voters=[alice, bob, carol])
    assert second.jail_room_id == first.jail_room_id
    assert published.of(RoomCreated) == []
    assert Room.objects.filter(is_jail=True).count() == 1


def test_a_video_room_gets_a_video_jail(lounge, alice, bob, carol, mallory):
    Room.objects.filter(pk=lounge.pk).update(type="video")
    lounge.refresh_from_db()
    for user in (alice, bob, carol, mallory):
        membership_enter(user=user, room=lounge)
    assert _jail(mallory, voters=[alice, bob, carol]).jail.type == "video"


def test_a_jailed_user_may_join_only_their_jail(seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, voters=[alice, bob, carol])
    elsewhere = Room.objects.create(name="Elsewhere")

    for room in (seated, elsewhere):
        with pytest.raises(Forbidden) as refused:
            room_join(room_id=room.pk, user=mallory)
        assert refused.value.body() == {
            "error": "You are currently punished from this room",
            "punishment": {
                "expiresAt": punishment.expires_at.strftime("%Y-%m-%d %H:%M:%S"),
                "jailRoomId": punishment.jail_room_id,
            },
        }
    assert room_join(room_id=punishment.jail_pk, user=mallory)["room"]["name"] == "Jail: Lounge"
    assert user_room_id(mallory.pk) == punishment.jail_room_id


def test_join_refusal_reaches_1x_clients_over_http(client_for, seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, voters=[alice, bob, carol])
    response = client_for(mallory).post(f"/api/rooms/{seated.pk}/join")
    assert response.status_code == 403
    assert response.json() == {
        "error": "You are currently punished from this room",
        "punishment": {
            "expiresAt": punishment.expires_at.strftime("%Y-%m-%d %H:%M:%S"),
            "jailRoomId": punishment.jail_room_id,
        },
    }
    jail = client_for(mallory).post(f"/api/rooms/{punishment.jail_room_id}/join")
    assert (jail.status_code, jail.json()["room"]["is_jail"]) == (200, 1)


def test_a_jailed_user_cannot_sync_back_into_the_room(
    published, client_for, seated, alice, bob, carol, mallory
):
    punishment = _jail(mallory, voters=[alice, bob, carol])
    published.clear()

    response = client_for(mallory).post(f"/api/rooms/{seated.pk}/sync")

    # 2.x's sync answers with the message alone.
    assert (response.status_code, response.json()) == (
        403,
        {"error": "You are currently punished from this room"},
    )
    assert user_room_id(mallory.pk) == punishment.jail_room_id
    assert published.names() == []


def test_the_guard_leaves_everyone_else_alone(seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, voters=[alice, bob, carol])
    room_join(room_id=punishment.jail_pk, user=bob)  # anyone may visit a jail, as in 1.x
    room_join(room_id=seated.pk, user=bob)
    assert user_room_id(bob.pk) == seated.pk


def test_lift_by_the_room_creator_frees_the_target(
    published, client_for, seated, alice, bob, carol, mallory
):
    punishment = _jail(mallory, voters=[alice, bob, carol])
    published.clear()

    response = client_for(alice).post(f"/api/punishments/{punishment.pk}/lift")

    assert (response.status_code, response.json()) == (200, {"lifted": True})
    punishment.refresh_from_db()
    assert (punishment.active, punishment.lifted_by, punishment.lifted_at is not None) == (
        False,
        alice,
        True,
    )
    [(event, scope)] = published.of(PunishmentLifted)
    assert scope == Everyone()
    assert event.payload() == {
        "punishmentId": punishment.pk,
        "targetUserId": mallory.pk,
        "sourceRoomId": seated.pk,
        "sourceRoomName": "Lounge",
        "liftedBy": {"id": alice.pk, "username": "alice", "displayName": "Alice"},
    }
    assert published.names() == ["punishment:lifted"]
    room_join(room_id=seated.pk, user=mallory)
    assert user_room_id(mallory.pk) == seated.pk


def test_lift_refusals(client_for, seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, voters=[alice, bob, carol])

    def lift(user, raw_id):
        response = client_for(user).post(f"/api/punishments/{raw_id}/lift/")
        return response.status_code, response.json()["error"]

    assert lift(bob, "x1") == (400, "Invalid punishment ID")
    assert lift(bob, 999_999) == (404, "Active punishment not found")
    assert lift(bob, "99999999999999999999999") == (404, "Active punishment not found")
    assert lift(bob, punishment.pk) == (403, "Only the room creator can lift punishments")
    assert lift(mallory, punishment.pk) == (403, "Only the room creator can lift punishments")
    punishment_lift(punishment_id=punishment.pk, actor=alice)
    assert lift(alice, punishment.pk) == (404, "Active punishment not found")


def test_staff_may_lift_where_nobody_created_the_room(alice, bob, carol, mallory, make_user):
    general = Room.objects.create(name="General")
    for user in (alice, bob, carol, mallory):
        membership_enter(user=user, room=general)
    punishment = _jail(mallory, voters=[alice, bob, carol])
    with pytest.raises(Forbidden, match="Only the room creator can lift punishments"):
        punishment_lift(punishment_id=punishment.pk, actor=alice)
    staff = make_user("steward")
    staff.is_staff = True
    staff.save()
    punishment_lift(punishment_id=punishment.pk, actor=staff)
    assert not Punishment.objects.get().active


def test_a_creator_may_lift_their_own_punishment(seated, alice, bob, carol, dave):
    punishment = _jail(alice, voters=[bob, carol, dave])
    punishment_lift(punishment_id=punishment.pk, actor=alice)
    assert not Punishment.objects.get().active


def test_expiry_fires_once_and_frees_the_target(published, seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, voters=[alice, bob, carol], duration=60)
    published.clear()

    run_jobs(now=punishment.expires_at - timedelta(milliseconds=1))
    assert published.of(PunishmentExpired) == []
    run_jobs(now=punishment.expires_at)
    run_jobs(now=punishment.expires_at + timedelta(seconds=5))
    assert punishment_expire(punishment_id=punishment.pk) is False

    [(event, scope)] = published.of(PunishmentExpired)
    assert scope == Everyone()
    assert event.payload() == {
        "punishmentId": punishment.pk,
        "targetUserId": mallory.pk,
        "sourceRoomId": seated.pk,
        "sourceRoomName": "Lounge",
    }
    punishment.refresh_from_db()
    assert (punishment.active, punishment.lifted_by) == (False, None)
    room_join(room_id=seated.pk, user=mallory)


def test_an_expired_but_unswept_punishment_no_longer_blocks_joining(
    seated, alice, bob, carol, mallory
):
    punishment = _jail(mallory, voters=[alice, bob, carol])
    Punishment.objects.filter(pk=punishment.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    room_join(room_id=seated.pk, user=mallory)


def test_lifting_after_expiry_was_claimed_is_not_found(seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, voters=[alice, bob, carol])
    assert punishment_expire(punishment_id=punishment.pk)
    with pytest.raises(NotFound, match="Active punishment not found"):
        punishment_lift(punishment_id=punishment.pk, actor=alice)


def test_active_punishment_lists(client_for, seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, voters=[alice, bob, carol])
    expires = punishment.expires_at.strftime("%Y-%m-%d %H:%M:%S")

    mine = client_for(mallory).get("/api/punishments/active").json()
    assert mine == {
        "punishments": [
            {
                "id": punishment.pk,
                "sourceRoomId": seated.pk,
                "sourceRoomName": "Lounge",
                "jailRoomId": punishment.jail_room_id,
                "jailRoomName": "Jail: Lounge",
                "durationSecs": 300,
                "expiresAt": expires,
            }
        ]
    }
    assert client_for(bob).get("/api/punishments/active/").json() == {"punishments": []}
    room = client_for(bob).get(f"/api/rooms/{seated.pk}abc/punishments").json()
    assert room == {
        "punishments": [
            {
                "id": punishment.pk,
                "targetUserId": mallory.pk,
                "targetUsername": "mallory",
                "targetDisplayName": "Mallory",
                "durationSecs": 300,
                "expiresAt": expires,
            }
        ]
    }
    assert client_for(bob).get("/api/rooms/999999/punishments").json() == {"punishments": []}
    response = client_for(bob).get("/api/rooms/x/punishments")
    assert (response.status_code, response.json()) == (400, {"error": "Invalid room ID"})
    assert client_for(bob).get("/api/rooms/0/punishments").json() == {"punishments": []}


def test_moderation_routes_need_a_token(client):
    for method, path in [
        ("post", "/api/votes"),
        ("post", "/api/votes/1/ballot"),
        ("get", "/api/punishments/active"),
        ("post", "/api/punishments/1/lift"),
        ("get", "/api/rooms/1/punishments"),
    ]:
        response = getattr(client, method)(path)
        assert (response.status_code, response.json()) == (
            401,
            {"error": "Missing authorization token"},
        )


def test_snapshots_for_the_hello_message(seated, alice, bob, carol, dave, mallory):
    vote = vote_start(user=alice, target_user_id=dave.pk, duration_secs=900)
    ballot_cast(vote_id=vote.pk, user=bob, vote_yes=False)
    [snapshot] = active_votes_snapshot()
    assert snapshot["id"] == vote.pk
    assert (snapshot["yesCount"], snapshot["noCount"], snapshot["eligibleCount"]) == (1, 1, 4)
    assert snapshot["initiatedBy"] == {"id": alice.pk, "username": "alice", "displayName": "Alice"}
    ballot_cast(vote_id=vote.pk, user=carol, vote_yes=False)  # fails it
    assert active_votes_snapshot() == []

    punishment = _jail(mallory, voters=[alice, bob, carol])
    [row] = active_punishments_snapshot()
    assert row["id"] == punishment.pk
    assert row["jailRoomName"] == "Jail: Lounge"
    assert "jailConnection" not in row and "token" not in row
    punishment_lift(punishment_id=punishment.pk, actor=alice)
    assert active_punishments_snapshot() == []
