"""The wire shapes of the moderation endpoints that are not event payloads (those are in
`realtime.payloads`): each endpoint's request and answer."""

from __future__ import annotations

from typing import Annotated, Literal, TypedDict

from realtime.payloads import SqlTs


class VoteStartRequest(TypedDict):
    targetUserId: int
    durationSecs: Literal[60, 300, 900, 1800]


class VoteSummary(TypedDict):
    id: int
    sourceRoomId: int
    targetUserId: int
    durationSecs: Annotated[int, "Punishment length if it passes"]
    eligibleCount: int
    expiresAt: SqlTs


class VoteCreated(TypedDict):
    vote: VoteSummary


class BallotRequest(TypedDict):
    voteYes: bool


class BallotTally(TypedDict):
    """The counts after the caller's ballot."""

    voteId: int
    yesCount: int
    noCount: int
    eligibleCount: int


class MyPunishment(TypedDict):
    id: int
    sourceRoomId: int
    sourceRoomName: str
    jailRoomId: int
    jailRoomName: str
    durationSecs: int
    expiresAt: SqlTs


class MyPunishments(TypedDict):
    punishments: list[MyPunishment]


class RoomPunishment(TypedDict):
    id: int
    targetUserId: int
    targetUsername: str
    targetDisplayName: str
    durationSecs: int
    expiresAt: SqlTs


class RoomPunishments(TypedDict):
    punishments: list[RoomPunishment]


class Lifted(TypedDict):
    lifted: bool
