"""The wire shapes of the room endpoints that are not event payloads (those are in
`realtime.payloads`): the join body, and each endpoint's request and answer."""

from __future__ import annotations

from typing import Annotated, NotRequired, TypedDict

from core.shapes import Error
from realtime.payloads import (
    ChainEntry,
    JailFlag,
    RoomConnection,
    RoomModeName,
    RoomRef,
    RoomRow,
    SqlTs,
    UserRef,
)


class JoinRoom(RoomRef):
    mode: RoomModeName
    is_jail: JailFlag
    created_by: int | None


class JoinGrant(RoomConnection[JoinRoom]):
    """The 1.x join body: what a client needs to connect to the room's LiveKit room."""


class JoinRefusedPunishment(TypedDict):
    expiresAt: SqlTs
    jailRoomId: int


class JoinRefused(Error):
    """The 403 of a join while jailed: where the caller is jailed, and until when."""

    punishment: JoinRefusedPunishment


class RoomCreateRequest(TypedDict):
    name: Annotated[str, "1-64 characters: letters, digits, _, spaces and - ! @ # & ( )"]
    type: NotRequired[Annotated[str, '"video", else voice']]


class RoomList(TypedDict):
    rooms: list[RoomRow]


class RoomCreated(TypedDict):
    room: RoomRow


class RoomMembers(TypedDict):
    members: Annotated[
        dict[str, list[UserRef]], "Keyed by room id as a string, members in joining order."
    ]


class RoomDeleted(TypedDict):
    deleted: bool


class RoomLeft(TypedDict):
    left: bool


class RoomSynced(TypedDict):
    synced: bool


class RoomModeRequest(TypedDict):
    mode: RoomModeName


class RoomMode(TypedDict):
    mode: RoomModeName
    chain: NotRequired[Annotated[list[ChainEntry], "Only when the mode is whispers"]]


class RoomChain(TypedDict):
    chain: list[ChainEntry]
