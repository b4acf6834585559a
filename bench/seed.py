"""Seeds a freshly migrated database for the benchmarks and prints what the client needs as JSON.

Run inside the app's environment (`python -m bench.seed --listeners N`), before or while the
servers run. Users get no usable password: the client authenticates with bearer tokens, as 1.x
clients do, so no bcrypt hashing slows the setup down.

- `joiners` j0..j7 and the room "Bench" they join over and over;
- `tribunal` v0 (initiator, the room's creator), v1 (voter) and v2 (target), members of
  "Tribunal";
- `chatters` c0..c49, members of "Chat", each with an offline Presence row (bench/chat.py);
- `trigger` t0, whose joins of "Stage" are the fanned-out event, and `listeners` l0..lN-1, each
  with an offline Presence row that the harness flips to online just before connecting them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

# The people in the chat workload's room.
CHAT_ROOM = 50


def seed(listeners: int) -> dict[str, Any]:
    """Creates the users, rooms and memberships above; returns ids and bearer tokens."""
    from accounts.models import User
    from accounts.tokens import token_mint
    from presence.models import Presence
    from rooms.models import Membership, Room

    def users(prefix: str, count: int) -> list[User]:
        return User.objects.bulk_create(
            [
                User(username=f"{prefix}{i}", display_name=f"{prefix.upper()}{i}", password="!")
                for i in range(count)
            ]
        )

    def refs(created: list[User]) -> list[dict[str, Any]]:
        return [{"id": user.pk, "token": token_mint(user=user)} for user in created]

    joiners, tribunal, trigger = users("j", 8), users("v", 3), users("t", 1)
    listening = users("l", listeners)
    chatters = users("c", CHAT_ROOM)
    bench = Room.objects.create(name="Bench", created_by=joiners[0])
    court = Room.objects.create(name="Tribunal", created_by=tribunal[0])
    stage = Room.objects.create(name="Stage", created_by=trigger[0])
    chat = Room.objects.create(name="Chat", created_by=chatters[0])
    Membership.objects.bulk_create([Membership(user=user, room=court) for user in tribunal])
    Membership.objects.bulk_create([Membership(user=user, room=chat) for user in chatters])
    offline = [*listening, *chatters]
    Presence.objects.bulk_create([Presence(user=user, online=False) for user in offline])
    return {
        "rooms": {"bench": bench.pk, "tribunal": court.pk, "stage": stage.pk, "chat": chat.pk},
        "chatters": refs(chatters),
        "joiners": refs(joiners),
        "tribunal": refs(tribunal),
        "trigger": refs(trigger)[0],
        "listeners": refs(listening),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listeners", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "distokoloshe.settings")
    import django

    django.setup()
    json.dump(seed(args.listeners), sys.stdout)


if __name__ == "__main__":
    main()
