"""The payload shapes of the wire contract, each declared once.

Events, REST responses and the OpenAPI schema all use these TypedDicts (1.x field names kept as
they are); `core.schema.component` turns one into its OpenAPI component.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class UserRef(TypedDict):
    id: int
    username: str
    display_name: str


class ActorRef(TypedDict):
    id: int
    username: str
    displayName: str


class RoomRow(TypedDict):
    id: int
    name: str
    type: str
    created_by: int | None
    created_at: str
    mode: str
    is_jail: int
    jail_source_room_id: int | None


class ChainEntry(TypedDict):
    userId: int
    username: str
    displayName: str
    position: int


class VotePayload(TypedDict):
    id: int
    sourceRoomId: int
    targetUserId: int
    targetUsername: str
    targetDisplayName: str
    initiatedBy: ActorRef
    durationSecs: int
    eligibleCount: int
    expiresAt: str


class PunishmentPayload(TypedDict):
    id: int
    targetUserId: int
    targetUsername: str
    targetDisplayName: str
    sourceRoomId: int
    sourceRoomName: str
    jailRoomId: int
    jailRoomName: str
    durationSecs: int
    expiresAt: str


class JailConnection(TypedDict):
    token: str
    e2eeKey: str
    room: dict[str, Any]
    wsUrl: str
    expiresAt: NotRequired[str]
