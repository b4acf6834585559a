"""Upgrading a database whose votes and punishments were written when a room's deletion took
them with it: every row stays, and learns its rooms' names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("moderation", "0004_moderated_room_names")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_votes_and_punishments_keep_their_rows_and_learn_their_rooms_names():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    try:
        users = old.get_model("accounts", "User").objects
        mallory, bob = users.create(username="mallory"), users.create(username="bob")
        room = old.get_model("rooms", "Room").objects
        lounge = room.create(name="Lounge")
        jail = room.create(name="Jail: Lounge", is_jail=True, jail_source=lounge)
        now = timezone.now()
        vote = old.get_model("moderation", "Vote").objects.create(
            source_room=lounge,
            target=mallory,
            initiated_by=bob,
            duration_secs=300,
            expires_at=now,
            eligible_count=3,
            resolved=True,
            passed=True,
        )
        old.get_model("moderation", "Punishment").objects.create(
            target=mallory,
            source_room=lounge,
            jail_room=jail,
            vote=vote,
            duration_secs=300,
            expires_at=now + timedelta(minutes=5),
        )
    finally:
        new = _migrate(latest)

    punishment = new.get_model("moderation", "Punishment").objects.get()
    assert (punishment.source_room_name, punishment.jail_room_name) == ("Lounge", "Jail: Lounge")
    assert (punishment.source_room_id, punishment.jail_room_id) == (lounge.pk, jail.pk)
    assert new.get_model("moderation", "Vote").objects.get().source_room_name == "Lounge"
    # And from now on, the room's deletion leaves them be.
    new.get_model("rooms", "Room").objects.filter(pk__in=[lounge.pk, jail.pk]).delete()
    assert new.get_model("moderation", "Punishment").objects.get().source_room_id is None
