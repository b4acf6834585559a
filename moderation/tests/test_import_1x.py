"""`manage.py import_1x`: a 1.x community's database comes over whole, and running it again
changes nothing."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import User
from moderation.models import Punishment
from moderation.selectors import punishment_in_force_for
from rooms.models import Room
from tests.support import jsonwebtoken
from tests.support.onex_database import OneXDatabaseFile, hashed, sql_ts

ALICE_PASSWORD = "Alice's 1.x passphrase"
BOB_PASSWORD = "bob-password-1"


@dataclass
class Community:
    db: OneXDatabaseFile
    general: int
    alice: int
    bob: int
    mallory: int
    lounge: int
    quiet: int
    jail: int
    in_force: int
    expired: int
    lifted: int


@pytest.fixture(scope="module")
def real_hash() -> str:
    # One hash as 1.x wrote them (bcrypt cost 12); the others are cheap.
    return hashed(ALICE_PASSWORD, cost=12)


@pytest.fixture
def onex(tmp_path) -> Iterator[OneXDatabaseFile]:
    db = OneXDatabaseFile(tmp_path / "distokoloshe.db")
    yield db
    db.close()


@pytest.fixture
def community(onex, real_hash) -> Community:
    now = datetime.now(UTC)
    alice = onex.user(
        "Alice",
        "Alice A",
        real_hash,
        created_at="2024-03-01 09:00:00",
        last_seen="2024-06-01 20:15:00",
    )
    bob = onex.user("bob", "Bob", hashed(BOB_PASSWORD))
    mallory = onex.user("mallory", "Mallory", hashed("mallory-password-1"))
    lounge = onex.room("Lounge", type="video", created_by=alice)
    quiet = onex.room("Quiet Corner", created_by=bob, mode="whispers")
    onex.conn.execute("UPDATE users SET last_room_id = ? WHERE id = ?", (lounge, alice))
    onex.conn.execute("UPDATE users SET last_room_id = ? WHERE id = ?", (quiet, bob))
    jail = onex.jail(lounge)
    in_force = onex.punishment(
        mallory, lounge, jail, started=now - timedelta(minutes=1), duration=900
    )
    # Still active=1 though long over: 1.x's restart bug closed only later dates.
    expired = onex.punishment(mallory, lounge, jail, started=now - timedelta(days=2), duration=60)
    lifted = onex.punishment(
        bob,
        lounge,
        jail,
        started=now - timedelta(days=1),
        duration=1800,
        active=0,
        lifted_by=alice,
        lifted_at=sql_ts(now - timedelta(days=1) + timedelta(minutes=5)),
    )
    vote = onex.insert(
        "votes",
        source_room_id=lounge,
        target_user_id=mallory,
        initiated_by=alice,
        duration_secs=900,
        expires_at=sql_ts(now),
        resolved=1,
        passed=1,
        eligible_count=2,
        yes_count=2,
    )
    onex.insert("vote_ballots", vote_id=vote, user_id=alice, vote_yes=1)
    onex.insert("whisper_chains", room_id=quiet, user_id=bob, position=0)
    return Community(onex, 1, alice, bob, mallory, lounge, quiet, jail, in_force, expired, lifted)


def run_import(db: OneXDatabaseFile, *args: str) -> str:
    out = io.StringIO()
    call_command("import_1x", str(db.path), *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row the import may write, to compare runs."""
    return {
        "users": list(User.objects.order_by("pk").values_list()),
        "rooms": list(Room.objects.order_by("pk").values_list()),
        "punishments": list(Punishment.objects.order_by("pk").values_list()),
    }


@pytest.mark.django_db
def test_a_community_comes_over_with_ids_passwords_and_last_rooms(community):
    c = community

    out = run_import(c.db)

    alice = User.objects.get(pk=c.alice)
    assert (alice.username, alice.display_name, alice.last_room_id) == (
        "Alice",
        "Alice A",
        c.lounge,
    )
    assert alice.password.startswith("$2b$12$")
    assert alice.created_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    assert alice.last_seen == datetime(2024, 6, 1, 20, 15, tzinfo=UTC)
    assert User.objects.get(pk=c.bob).last_room_id == c.quiet
    assert "users: 3 imported, 0 updated, 0 already here, 0 left out" in out

    client = APIClient()
    login = client.post(
        "/api/auth/login", {"username": "alice", "password": ALICE_PASSWORD}, format="json"
    )
    assert login.status_code == 200
    assert login.json()["user"] == {
        "id": c.alice,
        "username": "Alice",
        "display_name": "Alice A",
        "last_room_id": c.lounge,
    }
    token_from_1x = jsonwebtoken.sign(
        {"sub": c.bob, "username": "bob", "display_name": "Bob"}, settings.JWT_SECRET
    )
    me = client.get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {token_from_1x}")
    assert (me.status_code, me.json()["user"]["id"]) == (200, c.bob)


@pytest.mark.django_db
def test_rooms_keep_ids_creators_types_modes_and_jails(community):
    c = community

    out = run_import(c.db)

    rooms = {
        room.pk: (
            room.name,
            room.type,
            room.mode,
            room.created_by_id,
            room.is_jail,
            room.jail_source_id,
        )
        for room in Room.objects.all()
    }
    assert rooms == {
        c.general: ("General", "voice", "normal", None, False, None),
        c.lounge: ("Lounge", "video", "normal", c.alice, False, None),
        c.quiet: ("Quiet Corner", "voice", "whispers", c.bob, False, None),
        c.jail: ("Jail: Lounge", "video", "normal", None, True, c.lounge),
    }
    # General was already here (every new database has it); 1.x's creation time replaces ours.
    assert "rooms: 3 imported, 1 updated, 0 already here, 0 left out" in out


@pytest.mark.django_db
def test_punishments_in_force_stay_so_and_the_rest_are_history(community):
    c = community

    out = run_import(c.db)

    in_force = punishment_in_force_for(user_id=c.mallory)
    assert in_force is not None
    assert (in_force.pk, in_force.source_room_id, in_force.jail_room_id) == (
        c.in_force,
        c.lounge,
        c.jail,
    )
    assert in_force.expires_at - in_force.started_at == timedelta(seconds=900)
    history = {p.pk: (p.active, p.lifted_by_id) for p in Punishment.objects.exclude(pk=c.in_force)}
    assert history == {c.expired: (False, None), c.lifted: (False, c.alice)}
    assert (
        "punishments: 3 imported, 0 updated, 0 already here, 0 left out; 1 in force, 2 history"
        in out
    )
    assert "left behind: 1 vote (a vote lasts 30 seconds" in out
    assert "1 place in whispers chains" in out


@pytest.mark.django_db
def test_new_rows_after_an_import_take_fresh_ids(community):
    run_import(community.db)

    newcomer = User.objects.create(username="newcomer", display_name="New")
    room = Room.objects.create(name="Fresh")

    assert newcomer.pk > community.mallory
    assert room.pk > community.jail


@pytest.mark.django_db
def test_running_again_changes_nothing_and_says_so(community):
    run_import(community.db)
    before = snapshot()

    out = run_import(community.db)

    assert snapshot() == before
    assert "users: 0 imported, 0 updated, 3 already here, 0 left out" in out
    assert out.rstrip().endswith("Nothing to do: everything in it is already here, as it is there.")


@pytest.mark.django_db
def test_running_again_brings_over_what_changed_in_1x(community):
    run_import(community.db)
    community.db.conn.execute(
        "UPDATE users SET display_name = 'Robert' WHERE id = ?", (community.bob,)
    )

    out = run_import(community.db)

    assert User.objects.get(pk=community.bob).display_name == "Robert"
    assert "users: 0 imported, 1 updated, 2 already here, 0 left out" in out
    assert out.rstrip().endswith("Done: 1 rows written.")


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_and_tells_what_it_would(community):
    before = snapshot()

    out = run_import(community.db, "--dry-run")

    assert snapshot() == before
    assert out.startswith(f"Dry run of the import from {community.db.path}:")
    assert "users: 3 imported" in out
    assert out.rstrip().endswith("Dry run: nothing was written (10 rows would be).")


@pytest.mark.django_db
def test_a_database_with_other_users_is_refused_unless_told(community, make_user):
    make_user("zed", "Zed")
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        run_import(community.db)

    assert str(refused.value).startswith(
        f"This database already has 1 user(s) that {community.db.path} does not have (zed)."
    )
    assert "--allow-existing-users" in str(refused.value)
    assert snapshot() == before
    # zed took id 1 here, which 1.x's tokens give Alice: she is left out, not merged into zed.
    out = run_import(community.db, "--allow-existing-users")
    assert "users: 2 imported, 0 updated, 0 already here, 1 left out" in out
    assert (
        f"user {community.alice} 'Alice': id {community.alice} belongs to 'zed' here, and 1.x "
        "tokens name the id: not imported"
    ) in out
    assert User.objects.get(pk=community.alice).username == "zed"


# --- Odd rows --------------------------------------------------------------------------------


@pytest.fixture
def odd(onex) -> dict[str, int]:
    """A 1.x database with the rows a hand-edited or long-running community can have."""
    now = datetime.now(UTC)
    cheap = hashed("some-password-1")
    ids = {
        "drifter": onex.user("drifter", "Drifter", cheap),
        "sam1": onex.user("sam1", "Sam", cheap),
        "sam2": onex.user("sam2", "sam", cheap),
        # The DDL never checked what registration did; these came in through the sqlite3 shell.
        "spaced": onex.user("has space", "Spaced", cheap),
        "blank": onex.user("blank", "   ", cheap),
        "long": onex.user("longname", "L" * 70, cheap),
        "nohash": onex.user("nohash", "No Hash", "plaintext-password"),
    }
    ids["gone"] = onex.room("Gone Room", created_by=ids["drifter"])
    ids["fake"] = onex.room("Jail: Fake", created_by=ids["sam1"])
    ids["party"] = onex.room("Party", mode="party", created_by=ids["spaced"])
    ids["untyped"] = onex.room("Untyped", type=None)
    ids["jail"] = onex.jail(ids["party"])
    onex.conn.execute(
        "UPDATE users SET last_room_id = ? WHERE id = ?", (ids["gone"], ids["drifter"])
    )
    onex.conn.execute("UPDATE users SET last_room_id = ? WHERE id = ?", (ids["fake"], ids["sam1"]))
    ids["jailed"] = onex.punishment(
        ids["sam2"], ids["party"], ids["jail"], started=now - timedelta(minutes=1), duration=300
    )
    ids["of_spaced"] = onex.punishment(
        ids["spaced"], ids["party"], ids["jail"], started=now - timedelta(minutes=2), duration=300
    )
    # With foreign keys off (the sqlite3 shell's default), deleting leaves references behind.
    onex.unchecked("DELETE FROM rooms WHERE id = ?", ids["gone"])
    onex.unchecked("DELETE FROM rooms WHERE id = ?", ids["jail"])
    return ids


def notes(out: str) -> list[str]:
    return [line[4:] for line in out.splitlines() if line.startswith("  - ")]


@pytest.mark.django_db
def test_odd_rows_each_get_a_line_and_the_rest_comes_over(onex, odd):
    out = run_import(onex)

    assert notes(out) == [
        f"user {odd['spaced']} 'has space': the username is not 3-32 letters, digits or "
        "underscores: not imported",
        f"user {odd['blank']} 'blank': blank display name, the username is used instead",
        f"user {odd['long']} 'longname': display name longer than 64 characters, cut short",
        f"user {odd['nohash']} 'nohash': no bcrypt hash to check logins against; imported without "
        "a password (set one with `manage.py changepassword nohash`)",
        "display name 'Sam' is shared by sam1, sam2; kept, as 1.x allowed (their usernames tell "
        "them apart)",
        f"room {odd['fake']} 'Jail: Fake': characters in its name that room names may not have "
        "(a ':' poses as a jail): not imported",
        f"room {odd['party']} 'Party': mode 'party' is not normal or whispers; imported as normal",
        f"room {odd['party']} 'Party': its creator (user {odd['spaced']}) is not here; only staff "
        "may delete it",
        f"room {odd['untyped']} 'Untyped': type None is not voice or video; imported as voice",
        f"user {odd['drifter']} 'drifter': their last room ({odd['gone']}) is not here; they start "
        "in none",
        f"user {odd['sam1']} 'sam1': their last room ({odd['fake']}) is not here; they start in "
        "none",
        f"punishment {odd['jailed']}: its jail room ({odd['jail']}) is not here; it uses "
        f"'Jail: Party' (room {odd['jail']})",
        f"punishment {odd['of_spaced']}: its target (user {odd['spaced']}) is not here: not "
        "imported",
    ]
    users = dict(User.objects.values_list("username", "display_name"))
    assert users == {
        "drifter": "Drifter",
        "sam1": "Sam",
        "sam2": "sam",
        "blank": "blank",
        "longname": "L" * 64,
        "nohash": "No Hash",
    }
    assert not User.objects.get(username="nohash").has_usable_password()
    assert User.objects.get(username="drifter").last_room is None
    party = Room.objects.get(name="Party")
    assert (party.mode, party.created_by) == ("normal", None)
    jailed = punishment_in_force_for(user_id=odd["sam2"])
    assert jailed is not None
    assert (jailed.jail.name, jailed.jail.is_jail) == ("Jail: Party", True)
    assert jailed.jail.jail_source == party


@pytest.mark.django_db
def test_odd_rows_run_again_change_nothing(onex, odd):
    run_import(onex)
    before = snapshot()

    out = run_import(onex)

    assert snapshot() == before
    assert out.rstrip().endswith("Nothing to do: everything in it is already here, as it is there.")


@pytest.mark.django_db
def test_a_username_taken_here_in_another_case_is_left_out(onex):
    User.objects.create(pk=50, username="ALICE", display_name="Our Alice")
    alice = onex.user("alice", "Their Alice", hashed("alice-password-1"))

    out = run_import(onex, "--allow-existing-users")

    assert notes(out) == [
        f"user {alice} 'alice': the username is taken here by 'ALICE' (user 50): not imported"
    ]
    assert User.objects.get(username__iexact="alice").display_name == "Our Alice"


@pytest.mark.django_db
def test_a_room_already_here_by_name_is_the_same_room(onex):
    ours = Room.objects.create(pk=40, name="Lounge")
    lounge = onex.room("Lounge", type="video")

    out = run_import(onex)

    assert notes(out) == [
        f"room {lounge} 'Lounge' is room 40 here (a room by that name was here, or another had "
        f"id {lounge}); rooms are known by name, so calls and keys are unchanged"
    ]
    ours.refresh_from_db()
    assert ours.type == "video"
    assert not Room.objects.filter(pk=lounge).exists()


@pytest.mark.django_db
def test_a_database_from_before_rooms_had_modes_and_jails(tmp_path):
    old = OneXDatabaseFile(tmp_path / "old.db", upgraded=False)
    old.room("Lounge", type="video")

    out = run_import(old)

    assert "rooms: 1 imported, 1 updated" in out
    lounge = Room.objects.get(name="Lounge")
    assert (lounge.type, lounge.mode, lounge.is_jail) == ("video", "normal", False)


@pytest.mark.django_db
def test_a_file_that_is_not_a_1x_database_is_refused(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some words to fill a page " * 20)
    empty_sqlite = tmp_path / "other.db"
    sqlite3.connect(empty_sqlite).execute("CREATE TABLE things (id INTEGER)").connection.close()
    cases = {
        tmp_path / "missing.db": "is not a file; give the path of 1.x's distokoloshe.db.",
        text: "cannot be read as a SQLite database: file is not a database.",
        empty_sqlite: "has no users table, so it is not a 1.x database.",
    }
    for path, message in cases.items():
        with pytest.raises(CommandError) as refused:
            call_command("import_1x", str(path), stdout=io.StringIO())
        assert str(refused.value) == f"{path} {message}"
    assert not User.objects.exists()
