"""Presence services: connects, disconnects, grace periods, caps and reaping dead processes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from presence.models import Connection, Presence, ServerProcess
from presence.selectors import online_user_ids
from presence.services.connections import (
    ConnectionRefused,
    presence_connect,
    presence_disconnect,
    presence_sweep,
    process_heartbeat,
)
from realtime.events import RoomJoined, RoomLeft, UserOffline, UserOnline
from realtime.publish import Everyone
from rooms.models import Room
from rooms.services.membership import membership_enter

pytestmark = pytest.mark.django_db(transaction=True)

GRACE = timedelta(seconds=10)


@pytest.fixture
def general(alice):
    # Transactional tests flush the data migration's General room; make our own.
    return Room.objects.create(name="General", created_by=alice)


def test_first_connection_publishes_online_once(published, alice):
    presence_connect(user=alice, transport="ws", process_id="p1")
    presence_connect(user=alice, transport="sse", process_id="p1")

    online = published.of(UserOnline)
    assert [(e.user["id"], s) for e, s in online] == [(alice.pk, Everyone())]
    assert online_user_ids() == {alice.pk}
    alice.refresh_from_db()
    assert alice.last_seen is not None


@override_settings(PRESENCE_GRACE_SECONDS=10)
def test_reconnect_within_grace_publishes_nothing(published, alice, general):
    first = presence_connect(user=alice, transport="ws", process_id="p1")
    membership_enter(user=alice, room=general)
    start = timezone.now()
    # The client's own close: it was there until now, as on a reload.
    presence_disconnect(connection_id=first, now=start, heard_at=start)
    published.clear()

    presence_sweep(now=start + timedelta(seconds=5))
    presence_connect(user=alice, transport="ws", process_id="p1", now=start + timedelta(seconds=6))
    presence_sweep(now=start + GRACE + timedelta(seconds=60))

    assert published.names() == []
    assert online_user_ids() == {alice.pk}
    alice.refresh_from_db()
    assert alice.membership.room_id == general.pk


@override_settings(PRESENCE_GRACE_SECONDS=10)
def test_disconnect_beyond_grace_publishes_leave_then_offline_once(published, alice, general):
    connection = presence_connect(user=alice, transport="ws", process_id="p1")
    membership_enter(user=alice, room=general)
    start = timezone.now()
    presence_disconnect(connection_id=connection, now=start, heard_at=start)
    published.clear()

    presence_sweep(now=start + GRACE - timedelta(seconds=1))
    assert published.names() == []
    presence_sweep(now=start + GRACE)
    presence_sweep(now=start + GRACE + timedelta(seconds=1))

    assert published.names() == ["user:room_leave", "user:offline"]
    leave, _ = published.of(RoomLeft)[0]
    assert (leave.user["id"], leave.roomId) == (alice.pk, general.pk)
    offline, scope = published.of(UserOffline)[0]
    assert offline.user["id"] == alice.pk and scope == Everyone()
    assert online_user_ids() == set()
    assert not Room.objects.get(pk=general.pk).memberships.exists()


@override_settings(PRESENCE_MAX_PER_USER=3, PRESENCE_MAX_TOTAL=500)
def test_fourth_connection_of_a_user_is_refused(alice, bob):
    for transport in ("ws", "sse", "ws"):
        presence_connect(user=alice, transport=transport, process_id="p1")

    with pytest.raises(ConnectionRefused) as refused:
        presence_connect(user=alice, transport="sse", process_id="p2")

    assert refused.value.reason == "user_full"
    assert Connection.objects.filter(user=alice).count() == 3
    presence_connect(user=bob, transport="ws", process_id="p1")


@override_settings(PRESENCE_MAX_PER_USER=3)
def test_a_restarted_process_frees_the_connections_of_the_one_it_replaced(published, alice):
    # Three tabs on a process that crashed; the new process on the same address and port.
    for _ in range(3):
        presence_connect(user=alice, transport="ws", process_id="crashed", seat="box/0.0.0.0:8000")

    presence_connect(user=alice, transport="ws", process_id="restarted", seat="box/0.0.0.0:8000")

    assert not ServerProcess.objects.filter(pk="crashed").exists()
    assert list(Connection.objects.values_list("process_id", flat=True)) == ["restarted"]
    # Another process elsewhere is left alone.
    presence_connect(user=alice, transport="ws", process_id="other", seat="box/0.0.0.0:8001")
    assert ServerProcess.objects.filter(pk="restarted").exists()


@override_settings(PRESENCE_MAX_PER_USER=3, PRESENCE_HEARTBEAT_SECONDS=30)
def test_connections_of_a_process_gone_silent_do_not_count_against_the_cap(alice):
    for _ in range(3):
        presence_connect(user=alice, transport="ws", process_id="frozen")
    ServerProcess.objects.filter(pk="frozen").update(
        heartbeat_at=timezone.now() - timedelta(seconds=61)
    )

    presence_connect(user=alice, transport="ws", process_id="alive")

    assert Connection.objects.filter(process_id="alive").count() == 1


@override_settings(PRESENCE_MAX_PER_USER=3, PRESENCE_MAX_TOTAL=2)
def test_server_cap_counts_every_user_and_process(alice, bob, carol):
    presence_connect(user=alice, transport="ws", process_id="p1")
    presence_connect(user=bob, transport="sse", process_id="p2")

    with pytest.raises(ConnectionRefused) as refused:
        presence_connect(user=carol, transport="ws", process_id="p1")

    assert refused.value.reason == "server_full"
    assert carol.pk not in online_user_ids()


@override_settings(PRESENCE_GRACE_SECONDS=10, PRESENCE_REAP_AFTER_SECONDS=60)
def test_connections_of_a_silent_process_are_reaped(published, alice, bob, general):
    start = timezone.now()
    presence_connect(user=alice, transport="ws", process_id="dead", now=start)
    presence_connect(user=bob, transport="ws", process_id="dead", now=start)
    presence_connect(user=bob, transport="ws", process_id="alive", now=start)
    membership_enter(user=alice, room=general)
    published.clear()

    process_heartbeat(process_id="alive", now=start + timedelta(seconds=70))
    presence_sweep(now=start + timedelta(seconds=59))
    assert published.names() == []
    presence_sweep(now=start + timedelta(seconds=71))
    presence_sweep(now=start + timedelta(seconds=72))

    assert published.names() == ["user:room_leave", "user:offline"]
    assert published.of(UserOffline)[0][0].user["id"] == alice.pk
    assert not ServerProcess.objects.filter(pk="dead").exists()
    assert online_user_ids() == {bob.pk}
    assert Presence.objects.get(user=bob).offline_due_at is None


def test_disconnect_of_a_reaped_connection_changes_nothing(published, alice):
    connection = presence_connect(user=alice, transport="ws", process_id="p1")
    Connection.objects.filter(pk=connection).delete()
    published.clear()

    presence_disconnect(connection_id=connection)

    assert Presence.objects.get(user=alice).offline_due_at is None


def test_join_then_switch_is_not_disturbed_by_connections(published, alice, general):
    other = Room.objects.create(name="Other")
    presence_connect(user=alice, transport="ws", process_id="p1")
    membership_enter(user=alice, room=general)
    presence_connect(user=alice, transport="sse", process_id="p1")
    membership_enter(user=alice, room=other)

    joins = [e.roomId for e, _ in published.of(RoomJoined)]
    assert joins == [general.pk, other.pk]
    alice.refresh_from_db()
    assert alice.membership.room_id == other.pk
