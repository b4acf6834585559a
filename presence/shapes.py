"""The wire shapes of presence: the snapshot a realtime connection starts with, the user
directory, 2.x's heartbeat, and the webhook's answer."""

from __future__ import annotations

from typing import Annotated, TypedDict

from accounts.shapes import UserListed
from realtime.payloads import ChainEntry, PunishmentPayload, UserRef, VoteSnapshot


class HelloData(TypedDict):
    """The snapshot a WebSocket receives first, as `{"type": "hello", "data": HelloData}`."""

    me: UserRef
    online: list[UserRef]
    members: dict[str, list[UserRef]]
    votes: list[VoteSnapshot]
    punishments: list[PunishmentPayload]
    chains: dict[str, list[ChainEntry]]
    serverTime: str


class UserList(TypedDict):
    users: list[UserListed]


class WebhookReceived(TypedDict):
    received: Annotated[str, "The LiveKit event name, e.g. participant_left"]


class HeartbeatReceived(TypedDict):
    ok: bool
