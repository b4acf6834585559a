"""The request and answer shapes of `/api/music/*` (MusicStatus, the `music:status` payload, is
an event's, in `realtime.payloads`)."""

from __future__ import annotations

from typing import Annotated, NotRequired, TypedDict

from realtime.payloads import QueueEntryRef


class QueueRequest(TypedDict):
    url: Annotated[str, "HTTP(S), at most 2048 characters"]
    title: NotRequired[Annotated[str, "Defaults to the URL's file name"]]
    roomId: NotRequired[Annotated[int, "Defaults to the room you are in"]]


class QueueUploadRequest(TypedDict):
    file: Annotated[str, "An audio file, at most MUSIC_UPLOAD_MAX_BYTES"]
    title: NotRequired[str]
    roomId: NotRequired[int]


class QueueAdded(TypedDict):
    entry: QueueEntryRef


class RemoveRequest(TypedDict):
    id: str
    roomId: NotRequired[int]


class StationRequest(TypedDict):
    stationId: str
    roomId: NotRequired[int]


class RoomRequest(TypedDict):
    roomId: NotRequired[Annotated[int, "Defaults to the room you are in"]]


class SettingsRequest(TypedDict):
    roomId: NotRequired[int]
    enabled: NotRequired[bool]
    locked: NotRequired[bool]


class Ok(TypedDict):
    ok: bool


class Paused(TypedDict):
    paused: bool
