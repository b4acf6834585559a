"""The payload shapes of the realtime events, each declared once, with 1.x field names as they
are. REST responses reuse them; `core.schema.component` turns one into its OpenAPI component.

Help texts ride on the types as plain strings (`Annotated[str, "..."]`), so this module needs
nothing but `typing`: it is the bottom of the house.
"""

from __future__ import annotations

from typing import Annotated, Generic, Literal, NotRequired, TypedDict, TypeVar

SqlTs = Annotated[str, "UTC, YYYY-MM-DD HH:MM:SS"]
RoomType = Literal["voice", "video"]
RoomModeName = Literal["normal", "whispers"]
# Why a whispers chain changed: a join, a leave, or (2.x) a membership re-asserted by a sync.
ChainReason = Literal["user_joined", "user_left", "user_synced"]
JailFlag = Annotated[int, "0 or 1, as 1.x clients test it"]
RoomT = TypeVar("RoomT")


class UserRef(TypedDict):
    id: int
    username: str
    display_name: str


class ActorRef(TypedDict):
    id: int
    username: str
    displayName: str


class RoomRef(TypedDict):
    id: int
    name: Annotated[str, "Also the LiveKit room name."]
    type: RoomType


class RoomRow(RoomRef):
    """Every 1.x `rooms` column."""

    created_by: int | None
    created_at: SqlTs
    mode: RoomModeName
    is_jail: JailFlag
    jail_source_room_id: int | None


class ChainEntry(TypedDict):
    userId: int
    username: Annotated[str, "Also the LiveKit identity"]
    displayName: str
    position: Annotated[int, "0-based; each hears position - 1"]


class VotePayload(TypedDict):
    id: int
    sourceRoomId: int
    targetUserId: int
    targetUsername: str
    targetDisplayName: str
    initiatedBy: ActorRef
    durationSecs: int
    eligibleCount: int
    expiresAt: SqlTs


class VoteSnapshot(VotePayload):
    """A vote still open, as a (re)connecting client first sees it: its counts so far."""

    yesCount: int
    noCount: int


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
    expiresAt: SqlTs


class RoomConnection(TypedDict, Generic[RoomT]):
    """What a client needs to connect to a room's LiveKit room; `room` says which room, in a
    shape that differs between the join body and the jail connection."""

    token: Annotated[str, "LiveKit access token for this room"]
    e2eeKey: Annotated[str, "base64 HMAC-SHA256 of the room name"]
    room: RoomT
    wsUrl: Annotated[str, "LIVEKIT_PUBLIC_URL, e.g. /livekit/"]


class JailConnection(RoomConnection[RoomRef]):
    """The jail's connection in `punishment:started`, sent to the target alone."""


class NewClip(TypedDict):
    """A soundboard clip as 2.x's upload answer and `soundboard:created` carry it: `uploaderName`
    before `created_at`, which is ISO here (the list says SqlTs)."""

    id: int
    name: str
    mime_type: Annotated[str, "What the stored audio is: always audio/ogg (Opus)"]
    size: Annotated[int, "Bytes of the stored audio"]
    uploaded_by: int
    uploaderName: Annotated[str, "The uploader's display name"]
    created_at: Annotated[str, "ISO 8601, UTC (…T…Z)"]
    durationMs: Annotated[int, "The clip's length (ours)"]


# --- DJ Tokoloshe (2.x) ---

MusicMode = Literal["radio", "queue", "external"]


class StationRef(TypedDict):
    id: Annotated[str, "The stationId of POST /api/music/station"]
    name: str
    genre: str
    url: str


class QueueEntryRef(TypedDict):
    id: Annotated[str, "A UUID, for POST /api/music/remove"]
    url: Annotated[str, "The URL, or `upload:<name>` for an uploaded file"]
    title: str
    addedBy: Annotated[str, "The display name of who queued it"]


class MusicStatus(TypedDict):
    """2.x's MusicStatus, always whole (a 2.x popover throws on a partial one), plus the room it
    is about and that room's settings."""

    mode: MusicMode
    paused: bool
    nowPlaying: str | None
    currentStation: StationRef | None
    queue: list[QueueEntryRef]
    stations: list[StationRef]
    streamer: NotRequired[Annotated[str, "External mode only: who pipes the audio"]]
    externalSessionId: NotRequired[Annotated[str, "External mode only"]]
    roomId: Annotated[int, "Ours: the room this player belongs to"]
    enabled: Annotated[bool, "Ours: whether the room's creator turned music on"]
    locked: Annotated[bool, "Ours: whether only the creator may control it"]
    error: Annotated[str | None, "Ours: why the bot cannot play here (it never plays unencrypted)"]
