"""Reads of soundboard clips: the 2.x list, the created clip's shape, a user's quota use."""

from __future__ import annotations

from django.db.models import Count, Sum

from core.timefmt import iso, sql_ts
from realtime.payloads import NewClip

from .models import Clip
from .shapes import ListedClip


def clips_listed() -> list[ListedClip]:
    """Every clip, newest first, in 2.x's list shape (no paging: clips are few and small)."""
    clips = Clip.objects.select_related("uploaded_by").order_by("-created_at", "-id")
    return [
        {
            "id": clip.pk,
            "name": clip.name,
            "mime_type": clip.mime_type,
            "size": clip.size,
            "uploaded_by": clip.uploaded_by_id,
            "created_at": sql_ts(clip.created_at) or "",
            "uploaderName": clip.uploaded_by.display_name,
            "durationMs": clip.duration_ms,
        }
        for clip in clips
    ]


def clip_new(clip: Clip) -> NewClip:
    """A just-uploaded clip as 2.x's upload answer and `soundboard:created` carry it."""
    return {
        "id": clip.pk,
        "name": clip.name,
        "mime_type": clip.mime_type,
        "size": clip.size,
        "uploaded_by": clip.uploaded_by_id,
        "uploaderName": clip.uploaded_by.display_name,
        "created_at": iso(clip.created_at) or "",
        "durationMs": clip.duration_ms,
    }


def clip_usage(user_id: int) -> tuple[int, int]:
    """How many clips a user has and their stored bytes."""
    usage = Clip.objects.filter(uploaded_by_id=user_id).aggregate(n=Count("id"), b=Sum("size"))
    return usage["n"], usage["b"] or 0
