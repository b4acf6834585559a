"""Upgrading a database whose owed LiveKit calls were written before the outbox moved to sfu."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("moderation", "0002_livekit_kinds_room_moderation"), ("sfu", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_owed_calls_carry_over_with_what_they_need():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    try:
        user = old.get_model("accounts", "User").objects.create(username="mallory")
        room = old.get_model("rooms", "Room")
        lounge = room.objects.create(name="Lounge", mode="whispers")
        jail = room.objects.create(name="Jail: Lounge", is_jail=True, jail_source=lounge)
        ends = timezone.now() + timedelta(minutes=5)
        old.get_model("moderation", "Punishment").objects.create(
            target=user, source_room=lounge, jail_room=jail, duration_secs=300, expires_at=ends
        )
        bob = old.get_model("accounts", "User").objects.create(username="bob")
        link = old.get_model("rooms", "WhisperLink")
        link.objects.create(room=lounge, user=bob, position=0)
        link.objects.create(room=lounge, user=user, position=1)
        action = old.get_model("moderation", "LiveKitAction")
        action.objects.create(kind="remove_jailed", room_name="Lounge", identity="mallory")
        action.objects.create(kind="remove_jailed", room_name="Lounge", identity="bob")
        action.objects.create(kind="sync_subscriptions", room_name="Lounge")
        action.objects.create(kind="sync_subscriptions", room_name="Lounge", attempts=3)
    finally:
        new = _migrate(latest)

    rows = new.get_model("sfu", "LiveKitAction").objects.order_by("pk")
    kick, stale, older_sync, sync = rows
    assert (kick.kind, kick.until, kick.done) == ("remove_participant", ends, False)
    assert (stale.kind, stale.done) == ("remove_participant", True)  # bob is not jailed
    assert older_sync.done  # one owed sync per room
    assert (sync.done, sync.chain) == (False, ["bob", "mallory"])
