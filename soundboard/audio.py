"""What an uploaded clip really is, and the copy of it that is kept, with ffmpeg.

The declared type is never believed and neither is the header: ffprobe reads the container
(only audio demuxers, only the file itself, so a playlist cannot make it open anything else),
ffmpeg decodes the first audio stream to PCM, and the clip is what decodes. A file that is not
audio, that stops before its header says it ends, whose WAV header does not match its bytes, or
that decodes to more than the limit is refused. What is kept is the decoded audio, mono at
48 kHz, loudness-normalised (EBU R128, below the level of a voice in a call) and encoded as Opus
in Ogg: one small format that every browser's Web Audio decodes.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAMPLE_RATE = 48_000
CONTENT_TYPE = "audio/ogg"
EXTENSION = "ogg"
# Demuxers of audio files people have (ffmpeg's names); anything else is refused unread.
_DEMUXERS = "wav,w64,aiff,caf,flac,mp3,ogg,matroska,webm,mov,mp4,m4a,aac"
_INPUT = ("-format_whitelist", _DEMUXERS, "-protocol_whitelist", "file")
# Integrated -24 LUFS, peaks under -2 dBTP: a little below speech as a call carries it.
_LOUDNORM = "loudnorm=I=-24:TP=-2:LRA=11"
_BYTES_PER_SAMPLE = 4  # f32le

NOT_AUDIO = "The file is not audio (or not a format the server can read)"
TRUNCATED = "The audio file is truncated or damaged"
LYING_HEADER = "The WAV header does not match the audio it holds"
TOO_SHORT = "The clip is too short (at least 0.05 s)"
UNAVAILABLE = "Audio processing is not available on this server"
BUSY = "The server is busy processing audio, try again shortly"


class RejectedClip(Exception):
    """The upload cannot be kept; `message` says why, for the person who sent it."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class CleanClip:
    data: bytes
    duration_ms: int


def too_long(seconds: float, max_seconds: float) -> str:
    """The 2.x client's own words for a clip over the limit."""
    return f"Clip must be {max_seconds:g} seconds or less (got {seconds:.1f}s)"


def _too_long_decoded(seconds: float, max_seconds: float) -> str:
    # Decoding stopped one second past the limit, so the real length is only known to be more.
    if seconds >= max_seconds + 0.99:
        return f"Clip must be {max_seconds:g} seconds or less (got more than {max_seconds + 1:g}s)"
    return too_long(seconds, max_seconds)


def tools_present() -> bool:
    """Whether ffmpeg and ffprobe are on the PATH."""
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


class Transcoder:
    """Runs clip_clean with at most `slots` decodes at once in this process (each is a CPU-bound
    ffmpeg; request threads beyond that wait up to `wait` seconds, then are told to retry)."""

    def __init__(self, *, slots: int, wait: float) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self._wait = wait

    def clean(self, path: Path, *, max_seconds: float, timeout: float) -> CleanClip:
        if not self._slots.acquire(timeout=self._wait):
            raise RejectedClip(BUSY, status=503)
        try:
            return clip_clean(path, max_seconds=max_seconds, timeout=timeout)
        finally:
            self._slots.release()


def clip_clean(path: Path, *, max_seconds: float, timeout: float) -> CleanClip:
    """Probes and decodes the file at `path`, refuses what is not a whole clip of at most
    `max_seconds`, and returns it normalised as Ogg Opus."""
    if _is_wav(path):
        _check_riff(path)
    probe = _probe(path, timeout)
    declared = _declared_seconds(probe)
    if declared is not None and declared > max_seconds + 0.05:
        raise RejectedClip(too_long(declared, max_seconds))
    pcm = _decode(path, max_seconds=max_seconds, timeout=timeout)
    seconds = len(pcm) / (_BYTES_PER_SAMPLE * SAMPLE_RATE)
    if seconds > max_seconds + 0.05:
        raise RejectedClip(_too_long_decoded(seconds, max_seconds))
    if declared is not None and seconds < declared * 0.9 - 0.1:
        # The header (or the stream's index) promised more than decodes: cut off in transit.
        raise RejectedClip(TRUNCATED)
    if seconds < 0.05:
        raise RejectedClip(TOO_SHORT)
    return CleanClip(_encode(pcm, timeout), round(seconds * 1000))


def _run(
    args: list[str], timeout: float, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, input=stdin, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise RejectedClip(UNAVAILABLE, status=503) from exc
    except subprocess.TimeoutExpired as exc:
        raise RejectedClip(TRUNCATED) from exc


def _probe(path: Path, timeout: float) -> dict[str, Any]:
    done = _run(
        [
            "ffprobe",
            "-v",
            "error",
            *_INPUT,
            "-of",
            "json",
            "-show_format",
            "-show_streams",
            "-select_streams",
            "a",
            str(path),
        ],
        timeout,
    )
    try:
        probe: dict[str, Any] = json.loads(done.stdout or b"{}")
    except ValueError:
        probe = {}
    if done.returncode != 0 or not probe.get("streams") or "format" not in probe:
        raise RejectedClip(NOT_AUDIO)
    return probe


def _declared_seconds(probe: dict[str, Any]) -> float | None:
    # A stream recorded live (MediaRecorder's WebM) declares no length at all.
    for raw in (probe["streams"][0].get("duration"), probe["format"].get("duration")):
        try:
            return float(raw)
        except (TypeError, ValueError):
            continue
    return None


def _decode(path: Path, *, max_seconds: float, timeout: float) -> bytes:
    # Decoding stops a little past the limit, so a long file costs no more than a short one.
    done = _run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-xerror",
            "-threads",
            "1",
            *_INPUT,
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-t",
            f"{max_seconds + 1:g}",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-f",
            "f32le",
            "pipe:1",
        ],
        timeout,
    )
    if done.returncode != 0:
        raise RejectedClip(TRUNCATED if done.stdout else NOT_AUDIO)
    return done.stdout


def _encode(pcm: bytes, timeout: float) -> bytes:
    done = _run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-threads",
            "1",
            "-f",
            "f32le",
            "-ar",
            str(SAMPLE_RATE),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-af",
            _LOUDNORM,
            "-ar",
            str(SAMPLE_RATE),
            "-c:a",
            "libopus",
            "-b:a",
            "64k",
            "-map_metadata",
            "-1",
            "-f",
            "ogg",
            "pipe:1",
        ],
        timeout,
        stdin=pcm,
    )
    if done.returncode != 0 or not done.stdout:
        raise RejectedClip(UNAVAILABLE, status=503)
    return done.stdout


def _is_wav(path: Path) -> bool:
    with path.open("rb") as head:
        magic = head.read(12)
    return magic[:4] in (b"RIFF", b"RF64") and magic[8:12] == b"WAVE"


def _check_riff(path: Path) -> None:
    """Walks a WAV's chunks: each must fit in the file, and the RIFF size must be the file's (a
    writer that streamed, not knowing the size, may leave 0 or 0xFFFFFFFF in the last chunk)."""
    size = path.stat().st_size
    with path.open("rb") as wav:
        head = wav.read(12)
        riff_size = struct.unpack_from("<I", head, 4)[0]
        if riff_size not in (0, 0xFFFFFFFF) and riff_size + 8 != size:
            raise RejectedClip(TRUNCATED if riff_size + 8 > size else LYING_HEADER)
        offset = 12
        while offset + 8 <= size:
            wav.seek(offset)
            chunk_id, chunk_size = struct.unpack("<4sI", wav.read(8))
            end = offset + 8 + chunk_size + (chunk_size & 1)
            if (
                chunk_id == b"data"
                and chunk_size in (0, 0xFFFFFFFF)
                and riff_size in (0, 0xFFFFFFFF)
            ):
                return  # streamed: the audio runs to the end of the file
            if end > size + (chunk_size & 1):
                raise RejectedClip(TRUNCATED if chunk_id == b"data" else LYING_HEADER)
            offset = end
        if offset not in (size, size + 1):
            raise RejectedClip(LYING_HEADER)
