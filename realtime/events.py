"""Every server-to-client realtime event, defined once, with its 1.x wire name.

Events are frozen dataclasses whose fields are the wire payload (1.x field names kept as they
are). They are sent with `realtime.publish.publish`, the only door to connected clients.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from .payloads import (
    ActorRef,
    ChainEntry,
    ChainReason,
    JailConnection,
    MusicStatus,
    NewClip,
    PunishmentPayload,
    RoomRow,
    UserRef,
    VotePayload,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of every realtime event; `name` is the 1.x wire name."""

    name: ClassVar[str]

    def payload(self) -> dict[str, Any]:
        """The wire payload: every field, except optional ones left as None."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomCreated(Event):
    """A room was created (never sent for jails in 1.x; sent for them here)."""

    name: ClassVar[str] = "room:created"
    room: RoomRow


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomDeleted(Event):
    """A room was deleted; `room` is the row as it was before deletion."""

    name: ClassVar[str] = "room:deleted"
    room: RoomRow
    # Who deleted it (ours, additive: 1.x clients ignore it); absent when no person did.
    deletedBy: ActorRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomUpdated(Event):
    """A room's row changed (mode, creator); new in 2.x, ignored by 1.x clients."""

    name: ClassVar[str] = "room:updated"
    room: RoomRow


@dataclass(frozen=True, slots=True, kw_only=True)
class UserRegistered(Event):
    """A new account exists (declared but never sent by 1.x)."""

    name: ClassVar[str] = "user:registered"
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class UserUpdated(Event):
    """A user changed their display name (new here; 1.x clients ignore it)."""

    name: ClassVar[str] = "user:updated"
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class UserDeleted(Event):
    """A user deleted their account: no longer listed anywhere; `user` as it now reads."""

    name: ClassVar[str] = "user:deleted"
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class UserOnline(Event):
    """A user's first realtime connection opened."""

    name: ClassVar[str] = "user:online"
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class UserOffline(Event):
    """A user's last realtime connection has been gone for the grace period."""

    name: ClassVar[str] = "user:offline"
    user: UserRef


@dataclass(frozen=True, slots=True, kw_only=True)
class SoundbiteOptOutChanged(Event):
    """A user opted out of soundbites, or back in: pages stop (or may start) recording them."""

    name: ClassVar[str] = "user:soundbite_opt_out"
    user: UserRef
    soundbiteOptOut: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomJoined(Event):
    """A user became a member of a room."""

    name: ClassVar[str] = "user:room_join"
    user: UserRef
    roomId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomLeft(Event):
    """A user stopped being a member of a room."""

    name: ClassVar[str] = "user:room_leave"
    user: UserRef
    roomId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteStarted(Event):
    """A jail vote opened in a room (the target receives it too)."""

    name: ClassVar[str] = "vote:started"
    vote: VotePayload


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotCast(Event):
    """Someone voted; the counts after their ballot."""

    name: ClassVar[str] = "vote:ballot_cast"
    voteId: int
    sourceRoomId: int
    yesCount: int
    noCount: int
    eligibleCount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteResolved(Event):
    """A vote ended, early or at its deadline."""

    name: ClassVar[str] = "vote:resolved"
    voteId: int
    sourceRoomId: int
    passed: bool
    yesCount: int
    noCount: int
    eligibleCount: int
    targetUserId: int
    targetUsername: str
    targetDisplayName: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PunishmentStarted(Event):
    """A user was jailed. `jailConnection` is set only in the copy sent to the target."""

    name: ClassVar[str] = "punishment:started"
    punishment: PunishmentPayload
    jailConnection: JailConnection | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PunishmentExpired(Event):
    """A punishment reached its end."""

    name: ClassVar[str] = "punishment:expired"
    punishmentId: int
    targetUserId: int
    sourceRoomId: int
    sourceRoomName: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PunishmentLifted(Event):
    """A punishment was lifted early by the room creator or staff."""

    name: ClassVar[str] = "punishment:lifted"
    punishmentId: int
    targetUserId: int
    sourceRoomId: int
    sourceRoomName: str
    liftedBy: ActorRef


@dataclass(frozen=True, slots=True, kw_only=True)
class WhispersActivated(Event):
    """A room switched to whispers mode with a freshly shuffled chain."""

    name: ClassVar[str] = "whispers:activated"
    roomId: int
    chain: list[ChainEntry]
    # Who turned it on (ours, additive: 1.x clients ignore it).
    by: ActorRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WhispersDeactivated(Event):
    """A room went back to normal mode."""

    name: ClassVar[str] = "whispers:deactivated"
    roomId: int
    # Who turned it off (ours, additive); absent when the chain fell below two or staff reset it.
    by: ActorRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WhispersChainUpdated(Event):
    """A whispers room's chain changed because someone joined, left or synced."""

    name: ClassVar[str] = "whispers:chain_updated"
    roomId: int
    chain: list[ChainEntry]
    reason: ChainReason


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessageSent(Event):
    """A line of chat in a room, to its members (2.x's payload; `id` and `roomId` are ours)."""

    name: ClassVar[str] = "chat:message"
    user: UserRef
    text: str | None = None
    imageId: str | None = None
    ts: int
    id: int
    roomId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessageDeleted(Event):
    """A chat line was deleted; every page showing it takes it away (new, ours)."""

    name: ClassVar[str] = "chat:deleted"
    id: int
    roomId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatActivity(Event):
    """Someone wrote in a room, said to everyone without who or what, for unread counts."""

    name: ClassVar[str] = "chat:activity"
    roomId: int
    id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SoundboardClipCreated(Event):
    """A soundboard clip was uploaded, to everyone (clips are global in 2.x)."""

    name: ClassVar[str] = "soundboard:created"
    clip: NewClip


@dataclass(frozen=True, slots=True, kw_only=True)
class SoundboardClipDeleted(Event):
    """A soundboard clip was deleted, to everyone."""

    name: ClassVar[str] = "soundboard:deleted"
    clipId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SoundboardPlaying(Event):
    """Someone plays a clip into their room (the sound itself is their LiveKit track), to the
    room's members only (2.x's payload; `clipId` and `roomId` are ours)."""

    name: ClassVar[str] = "soundboard:playing"
    user: UserRef
    clipName: str
    durationMs: int
    clipId: int
    roomId: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MusicStatusChanged(Event):
    """A room's music player changed; the payload is 2.x's whole MusicStatus, to the room's
    members (2.x sent it to everyone, for its one Music room)."""

    name: ClassVar[str] = "music:status"
    status: MusicStatus

    def payload(self) -> dict[str, Any]:
        """The MusicStatus itself, nulls included: 2.x clients read every key."""
        return dict(self.status)
