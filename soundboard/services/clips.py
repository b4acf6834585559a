"""Soundboard clips: uploading one (2.x's checks in 2.x's order, then the audio itself is
judged and normalised) and deleting one (its uploader or staff)."""

from __future__ import annotations

import tempfile
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from core.errors import ApiError, BadRequest, Forbidden, NotFound, PayloadTooLarge
from core.parsing import js_trim, utf16_len
from core.rates import rate_hit
from realtime.events import SoundboardClipCreated, SoundboardClipDeleted
from realtime.publish import Everyone, publish
from soundboard import audio
from soundboard.models import Clip
from soundboard.permissions import can_delete_clip
from soundboard.selectors import clip_new, clip_usage

ONLY_AUDIO = "Only audio files are allowed"
TOO_LARGE = "File too large (max 15MB)"
NO_FILE = "No file provided"
NAME_REQUIRED = "Clip name is required"
NAME_TOO_LONG = "Clip name must be 64 characters or less"
NOT_FOUND = "Clip not found"
NOT_YOURS = "Only the uploader or staff can delete this clip"
SLOW_UPLOADS = "Slow down — too many uploads"
MAX_NAME = 64
# What 2.x's upload filter let through, by declared type (the bytes are judged later).
_AUDIO_TYPES = ("application/ogg", "video/ogg", "video/webm")


class ServiceUnavailable(ApiError):
    status = 503


def clip_storage() -> Storage:
    """Where clip files live (settings.STORAGES["soundboard"], under DATA_DIR by default)."""
    return storages["soundboard"]


def count_limit_message() -> str:
    """2.x's words, with this server's limit."""
    return f"You have reached the {settings.SOUNDBOARD_CLIPS_PER_USER}-clip upload limit"


def bytes_limit_message() -> str:
    """The byte quota's refusal (ours; 2.x had none)."""
    megabytes = settings.SOUNDBOARD_BYTES_PER_USER / (1024 * 1024)
    return f"You have reached your soundboard storage limit ({megabytes:g} MB)"


def clip_upload(*, user: User, upload: UploadedFile | None, name: Any) -> Clip:
    """Keeps an uploaded clip for everyone. Refuses, in 2.x's order: a declared type that is not
    audio, over 15 MiB, no file, the count quota, no name or too long a name; then (ours) too
    many uploads, and audio that is not a whole clip of at most 10 s. Stores it normalised,
    within the byte quota, and publishes `soundboard:created` to everyone."""
    if upload is not None and not _declared_audio(upload.content_type):
        raise BadRequest(ONLY_AUDIO)
    if upload is not None and (upload.size or 0) > settings.SOUNDBOARD_UPLOAD_MAX_BYTES:
        raise PayloadTooLarge(TOO_LARGE)
    if upload is None:
        raise BadRequest(NO_FILE)
    if clip_usage(user.pk)[0] >= settings.SOUNDBOARD_CLIPS_PER_USER:
        raise BadRequest(count_limit_message())
    clip_name = _clip_name(name)
    rate_hit(
        group="soundboard-upload",
        key=user.pk,
        rate=settings.SOUNDBOARD_UPLOAD_RATE,
        message=SLOW_UPLOADS,
    )
    clean = _cleaned(upload)
    return _keep(user=user, name=clip_name, clean=clean)


def _declared_audio(content_type: str | None) -> bool:
    declared = (content_type or "").lower()
    return declared.startswith("audio/") or declared in _AUDIO_TYPES


def _clip_name(raw: Any) -> str:
    name = js_trim(raw) if isinstance(raw, str) else ""
    if not name:
        raise BadRequest(NAME_REQUIRED)
    if utf16_len(name) > MAX_NAME:
        raise BadRequest(NAME_TOO_LONG)
    # Neither database stores NUL; a name is shown, never interpreted.
    return name.replace("\x00", "\ufffd")


@cache
def _transcoder() -> audio.Transcoder:
    return audio.Transcoder(slots=settings.SOUNDBOARD_TRANSCODE_SLOTS, wait=30.0)


def _cleaned(upload: UploadedFile) -> audio.CleanClip:
    # ffprobe seeks (an MP4's index may sit at its end): the upload goes to a private file.
    with tempfile.TemporaryDirectory(prefix="soundboard-") as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return _transcoder().clean(
                path,
                max_seconds=settings.SOUNDBOARD_MAX_SECONDS,
                timeout=settings.SOUNDBOARD_TRANSCODE_TIMEOUT,
            )
        except audio.RejectedClip as exc:
            if exc.status == 503:
                raise ServiceUnavailable(exc.message) from exc
            raise BadRequest(exc.message) from exc


@transaction.atomic
def _keep(*, user: User, name: str, clean: audio.CleanClip) -> Clip:
    # The uploader's row is locked so two uploads at once cannot both fit the last of a quota.
    User.objects.select_for_update().filter(pk=user.pk).first()
    count, stored = clip_usage(user.pk)
    if count >= settings.SOUNDBOARD_CLIPS_PER_USER:
        raise BadRequest(count_limit_message())
    if stored + len(clean.data) > settings.SOUNDBOARD_BYTES_PER_USER:
        raise BadRequest(bytes_limit_message())
    storage = clip_storage()
    file_name = storage.save(f"{uuid.uuid4()}.{audio.EXTENSION}", ContentFile(clean.data))
    try:
        clip = Clip.objects.create(
            name=name,
            file_name=file_name,
            mime_type=audio.CONTENT_TYPE,
            size=len(clean.data),
            duration_ms=clean.duration_ms,
            uploaded_by=user,
        )
    except Exception:
        storage.delete(file_name)
        raise
    publish(SoundboardClipCreated(clip=clip_new(clip)), to=Everyone())
    return clip


def clip_bytes(clip: Clip) -> bytes:
    """The stored audio (a normalised clip of at most 10 s: tens of kilobytes)."""
    with clip_storage().open(clip.file_name, "rb") as stored:
        data: bytes = stored.read()
    return data


@transaction.atomic
def clip_delete(*, clip_id: int, actor: User) -> None:
    """Deletes a clip (its uploader or staff), its file once committed. Publishes
    `soundboard:deleted` to everyone."""
    clip = Clip.objects.select_for_update().filter(pk=clip_id).first()
    if clip is None:
        raise NotFound(NOT_FOUND)
    if not can_delete_clip(actor, clip):
        raise Forbidden(NOT_YOURS)
    clip.delete()
    publish(SoundboardClipDeleted(clipId=clip_id), to=Everyone())
