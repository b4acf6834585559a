"""Fixtures for the soundboard tests: a room with people in it, API clients, real audio made by
ffmpeg at test time (nothing binary is committed), and a private folder for stored clips."""

from __future__ import annotations

import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def clip_folder(settings, tmp_path):
    """Stored clips go to this test's own folder."""
    folder = tmp_path / "soundboard"
    settings.STORAGES = {
        **settings.STORAGES,
        "soundboard": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


@cache
def sound(
    seconds: float = 1.0,
    fmt: str = "wav",
    *,
    codec: str | None = None,
    rate: int = 48_000,
    channels: int = 1,
    volume_db: float = 0.0,
) -> bytes:
    """A tone of `seconds` in container `fmt`, made by ffmpeg (a real file, with its header)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"tone.{fmt}"
        codec_args = ["-c:a", codec] if codec else []
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=440:sample_rate={rate}:duration={seconds}",
                "-af",
                f"volume={volume_db}dB",
                "-ac",
                str(channels),
                "-ar",
                str(rate),
                *codec_args,
                str(out),
            ],
            check=True,
        )
        return out.read_bytes()


def part(data: bytes, *, name: str = "clip.wav", content_type: str = "audio/wav"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def upload(client: APIClient, data: bytes | None = None, *, name: str | None = "Tada", **file):
    """POST /api/soundboard as a 2.x client does: multipart `name` and `file`."""
    body: dict[str, object] = {}
    if name is not None:
        body["name"] = name
    if data is not None:
        body["file"] = part(data, **file)
    return client.post("/api/soundboard", body, format="multipart")


def loudness(data: bytes) -> float:
    """Integrated loudness (LUFS) of encoded audio, measured by ffmpeg's EBU R128 filter."""
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-i", "pipe:0", "-af", "ebur128", "-f", "null", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    summary = done.stderr.decode().rsplit("Summary:", 1)[1]
    return float(summary.split("I:", 1)[1].split("LUFS", 1)[0])


def decoded_seconds(data: bytes) -> float:
    done = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-i",
            "pipe:0",
            "-ac",
            "1",
            "-ar",
            "48000",
            "-f",
            "f32le",
            "pipe:1",
        ],
        input=data,
        capture_output=True,
        check=True,
    )
    return len(done.stdout) / 4 / 48_000
