"""Fixtures for the music tests: a room alice created with people in it, stations, API
clients, and a private folder for uploads."""

from __future__ import annotations

import subprocess

import pytest

from music.models import Station


@pytest.fixture(autouse=True)
def _upload_folder(settings, tmp_path):
    folder = tmp_path / "music-uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "music_uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


@pytest.fixture
def upload_folder(_upload_folder):
    return _upload_folder


@pytest.fixture
def stations(db) -> list[Station]:
    return [
        Station.objects.create(slug="chill", name="Chill FM", genre="Chillout", url="/m/c.ogg"),
        Station.objects.create(slug="jazz", name="Jazz FM", genre="Jazz", url="http://j/s"),
    ]


@pytest.fixture
def playing(seated, stations, api_as, alice):
    """The lounge with music on (radio on the first station)."""
    response = api_as(alice).post("/api/music/settings", {"enabled": True}, format="json")
    assert response.status_code == 200, response.json()
    return seated


@pytest.fixture
def tone(tmp_path):
    path = tmp_path / "tone.ogg"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=1", str(path)],
        check=True,
    )  # fmt: skip
    return path
