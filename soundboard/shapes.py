"""The wire shapes of the soundboard endpoints, 2.x's field names and order (the created clip,
which the upload answer shares with `soundboard:created`, is in `realtime.payloads`)."""

from __future__ import annotations

from typing import Annotated, NotRequired, TypedDict

from realtime.payloads import NewClip, SqlTs


class ListedClip(TypedDict):
    """A clip as the 2.x list has it: `created_at` (SqlTs) before `uploaderName`."""

    id: int
    name: str
    mime_type: Annotated[str, "What the stored audio is: always audio/ogg (Opus)"]
    size: Annotated[int, "Bytes of the stored audio"]
    uploaded_by: int
    created_at: SqlTs
    uploaderName: Annotated[str, "The uploader's display name"]
    durationMs: Annotated[int, "The clip's length (ours)"]


class ClipList(TypedDict):
    clips: Annotated[list[ListedClip], "Every clip, newest first"]


class ClipUploadRequest(TypedDict):
    name: Annotated[str, "Trimmed; 1 to 64 characters"]
    file: Annotated[str, "The audio file: at most 15 MB and 10 s once decoded"]


class ClipUploaded(TypedDict):
    clip: NewClip


class ClipPlayRequest(TypedDict):
    durationMs: NotRequired[
        Annotated[
            float,
            "How long the client plays it; held to the clip's length, which a "
            "missing or non-numeric value means",
        ]
    ]


class ClipPlayed(TypedDict):
    notified: Annotated[bool, "Always true, in a room or not (2.x)"]


class ClipDeleted(TypedDict):
    deleted: bool
