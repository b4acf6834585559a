"""An audio file queued from a page: stored under DATA_DIR until it has played."""

from __future__ import annotations

import subprocess
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import storages

from accounts.models import User
from core.errors import BadRequest, PayloadTooLarge
from music.models import QueueEntry
from music.services.control import UPLOADS, entry_title, music_enqueue
from music.services.rooms import player_for_reading

NO_FILE = "file is required"
NOT_AUDIO = "Not an audio file"
# ffprobe reads the container's header; a file it cannot place in 10 s is refused.
PROBE_TIMEOUT_SECONDS = 10.0


def music_upload(*, user: User, room_id: int, upload: Any, title: Any) -> QueueEntry:
    """Stores an audio file and queues it (the same checks and event as a queued URL)."""
    if upload is None:
        raise BadRequest(NO_FILE)
    limit = settings.MUSIC_UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise PayloadTooLarge(f"File too large (max {limit} MB)")
    player_for_reading(user=user, room_id=room_id)
    storage = storages[UPLOADS]
    name = storage.save(f"{uuid.uuid4()}.audio", upload)
    try:
        if not _has_audio(storage.path(name)):
            raise BadRequest(NOT_AUDIO)
        fallback = getattr(upload, "name", "") or "Upload"
        return music_enqueue(
            user=user, room_id=room_id, upload=name, title=entry_title(title, fallback=fallback)
        )
    except BaseException:
        storage.delete(name)
        raise


def _has_audio(path: str) -> bool:
    command = [
        "ffprobe", "-v", "error", "-select_streams", "a",
        "-show_entries", "stream=codec_type", "-of", "csv=p=0", path,
    ]  # fmt: skip
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=PROBE_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and "audio" in result.stdout
