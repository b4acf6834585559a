"""Reads of presence: who is online, and the snapshot a WebSocket gets on (re)connect."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_ref
from core.timefmt import iso
from moderation.selectors import active_punishments_snapshot, active_votes_snapshot
from realtime import hub
from realtime.payloads import ChainEntry, PunishmentPayload, UserRef, VoteSnapshot
from rooms.models import Room, WhisperLink
from rooms.selectors import chain_entry, room_members_map

from .models import Presence
from .shapes import HelloData


def online_user_ids() -> set[int]:
    """Ids of users online now: with a connection, or within the grace period after their last."""
    return set(Presence.objects.filter(online=True).values_list("user_id", flat=True))


def online_users() -> list[UserRef]:
    """UserRefs of everyone online, in id order."""
    # Every (re)connect sends this list, so after a restart N clients fetch it N times: three
    # columns per row, not whole User instances (password hash, timestamps and all).
    rows = (
        User.objects.filter(presence__online=True)
        .order_by("pk")
        .values_list("pk", "username", "display_name")
    )
    return [{"id": pk, "username": name, "display_name": shown} for pk, name, shown in rows]


def soundbite_opt_out_usernames() -> list[str]:
    """Usernames (LiveKit identities) of the users who opted out of soundbites, in id order,
    online or not: a page must know before they next come online and join."""
    opted_out = User.objects.filter(soundbite_opt_out=True).order_by("pk")
    return list(opted_out.values_list("username", flat=True))


def whisper_chains_snapshot() -> dict[str, list[ChainEntry]]:
    """The chain of every room in whispers mode, keyed by room id as a string."""
    chains: dict[str, list[ChainEntry]] = {}
    links = (
        WhisperLink.objects.filter(room__mode=Room.Mode.WHISPERS)
        .select_related("user")
        .order_by("room_id", "position")
    )
    for link in links:
        chains.setdefault(str(link.room_id), []).append(chain_entry(link))
    return chains


@dataclass(frozen=True, slots=True)
class _World:
    """The parts of the hello snapshot that are the same for everyone, as of one generation."""

    generation: int
    read_at: float
    online: list[UserRef]
    members: dict[str, list[UserRef]]
    rooms_of: dict[int, int]
    votes: list[VoteSnapshot]
    punishments: list[PunishmentPayload]
    chains: dict[str, list[ChainEntry]]
    opted_out: list[str]
    # The same parts as JSON, encoded once for every hello sent from this reading.
    encoded: dict[str, str]


_world: _World | None = None
WORLD_MAX_AGE = 1.0


def world_forget() -> None:
    """Drops the shared part of the snapshot, so the next one is read afresh (tests)."""
    global _world
    _world = None


def hello_snapshot(*, user: User, connection_id: uuid.UUID) -> HelloData:
    """The `hello` frame's data: everything a client needs to draw the present state, and the
    connection's id. Votes are those of the user's own room only, as `vote:started` reaches
    only a room's members."""
    world = _world_now()
    room_id = world.rooms_of.get(user.pk)
    return {
        "me": user_ref(user),
        "connection": str(connection_id),
        "online": world.online,
        "members": world.members,
        "votes": [vote for vote in world.votes if vote["sourceRoomId"] == room_id],
        "punishments": world.punishments,
        "chains": world.chains,
        "soundbiteOptOut": world.opted_out,
        "serverTime": iso(timezone.now()) or "",
    }


def hello_frame(*, user: User, connection_id: uuid.UUID) -> str:
    """The `hello` frame as sent, `{"type": "hello", "data": HelloData}`: the shared parts
    encoded once per reading, not once per connect (500 online users are ~40 KB of JSON)."""
    world = _world_now()
    room_id = world.rooms_of.get(user.pk)
    votes = [vote for vote in world.votes if vote["sourceRoomId"] == room_id]
    parts = {
        "me": _json(user_ref(user)),
        "connection": _json(str(connection_id)),
        "online": world.encoded["online"],
        "members": world.encoded["members"],
        "votes": _json(votes),
        "punishments": world.encoded["punishments"],
        "chains": world.encoded["chains"],
        "soundbiteOptOut": world.encoded["opted_out"],
        "serverTime": _json(iso(timezone.now()) or ""),
    }
    data = ",".join(f'"{key}":{value}' for key, value in parts.items())
    return f'{{"type":"hello","data":{{{data}}}}}'


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _world_now() -> _World:
    # Every (re)connect needs it, and after a restart every client reconnects at once: read it
    # once per change of the world (at most WORLD_MAX_AGE old, for writes that publish nothing,
    # such as an import) instead of five queries per connect. Anything published after it was
    # read reaches the new socket as an event: it was subscribed before asking.
    global _world
    world, seen, now = _world, hub.generation(), time.monotonic()
    if world is None or world.generation != seen or now - world.read_at > WORLD_MAX_AGE:
        members, online = room_members_map(), online_users()
        punishments, chains = active_punishments_snapshot(), whisper_chains_snapshot()
        opted_out = soundbite_opt_out_usernames()
        world = _World(
            generation=seen,
            read_at=now,
            online=online,
            members=members,
            rooms_of={ref["id"]: int(room) for room, refs in members.items() for ref in refs},
            votes=active_votes_snapshot(),
            punishments=punishments,
            chains=chains,
            opted_out=opted_out,
            encoded={
                "online": _json(online),
                "members": _json(members),
                "punishments": _json(punishments),
                "chains": _json(chains),
                "opted_out": _json(opted_out),
            },
        )
        _world = world
    return world
