"""The upload's bad-input table: what is not a whole short clip is refused with a clear error
and nothing is kept; what is one, in any common format, is kept as loudness-normalised Opus."""

from __future__ import annotations

import struct

import pytest

from soundboard.models import Clip

from .conftest import decoded_seconds, loudness, sound, upload

pytestmark = pytest.mark.django_db

NOT_AUDIO = "The file is not audio (or not a format the server can read)"
TRUNCATED = "The audio file is truncated or damaged"
LYING = "The WAV header does not match the audio it holds"


def _data_size(wav: bytes, size: int) -> bytes:
    """The WAV with its data chunk's length field set to `size` bytes."""
    at = wav.find(b"data")
    return wav[: at + 4] + struct.pack("<I", size) + wav[at + 8 :]


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    return out.getvalue()


def _playlist() -> bytes:
    # A playlist naming a local file: a server that let ffmpeg follow it would read the file.
    return b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n/etc/passwd\n#EXT-X-ENDLIST\n"


BAD = {
    "text declared as audio": (lambda: b"hello, not audio at all\n" * 50, NOT_AUDIO),
    "an image declared as audio": (_png, NOT_AUDIO),
    "an empty file": (lambda: b"", NOT_AUDIO),
    "an HLS playlist": (_playlist, NOT_AUDIO),
    "a WAV header and nothing else": (lambda: sound(1.0)[:44], TRUNCATED),
    "a WAV cut in half": (lambda: sound(2.0)[: len(sound(2.0)) // 2], TRUNCATED),
    "a WAV header promising a minute": (lambda: _data_size(sound(2.0), 48_000 * 2 * 60), TRUNCATED),
    "a WAV header promising less than it holds": (
        lambda: _data_size(sound(2.0), 48_000 * 2 // 2),
        LYING,
    ),
    "an MP3 cut in half": (lambda: sound(3.0, "mp3")[: len(sound(3.0, "mp3")) // 2], TRUNCATED),
    "a FLAC cut in half": (lambda: sound(3.0, "flac")[: len(sound(3.0, "flac")) // 2], TRUNCATED),
    "a WAV of 12 s": (lambda: sound(12.0), "Clip must be 10 seconds or less (got 12.0s)"),
    "an Opus file of 60 s": (
        lambda: sound(60.0, "ogg", codec="libopus"),
        "Clip must be 10 seconds or less (got 60.0s)",
    ),
    "a WAV of 10.2 s": (lambda: sound(10.2), "Clip must be 10 seconds or less (got 10.2s)"),
    "a WAV of 20 ms": (lambda: sound(0.02), "The clip is too short (at least 0.05 s)"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_audio_is_refused_with_a_clear_error_and_nothing_is_kept(
    api_as, bob, clip_folder, case
):
    make, error = BAD[case]

    response = upload(api_as(bob), make(), content_type="audio/wav")

    assert (response.status_code, response.json()) == (400, {"error": error})
    assert Clip.objects.count() == 0
    assert not clip_folder.exists() or list(clip_folder.iterdir()) == []


GOOD = {
    "16-bit WAV, 48 kHz mono": lambda: sound(2.0),
    "float WAV, 44.1 kHz stereo": lambda: sound(
        2.0, "wav", codec="pcm_f32le", rate=44_100, channels=2
    ),
    "8 kHz WAV": lambda: sound(2.0, rate=8_000),
    "MP3": lambda: sound(2.0, "mp3"),
    "Ogg Vorbis": lambda: sound(2.0, "ogg", codec="libvorbis"),
    "Ogg Opus": lambda: sound(2.0, "ogg", codec="libopus"),
    "WebM Opus (MediaRecorder)": lambda: sound(2.0, "webm", codec="libopus"),
    "FLAC": lambda: sound(2.0, "flac"),
    "AAC in M4A": lambda: sound(2.0, "m4a", codec="aac"),
    "exactly 10 s": lambda: sound(10.0),
}


@pytest.mark.parametrize("case", list(GOOD))
def test_every_common_format_is_kept_as_opus_of_its_length(api_as, bob, case):
    data = GOOD[case]()
    seconds = 10.0 if case == "exactly 10 s" else 2.0

    response = upload(api_as(bob), data, content_type="audio/x-whatever")

    assert response.status_code == 201, response.json()
    clip = response.json()["clip"]
    assert abs(clip["durationMs"] - seconds * 1000) <= 60
    served = api_as(bob).get(f"/api/soundboard/{clip['id']}/audio").content
    assert served[:4] == b"OggS"
    assert abs(decoded_seconds(served) - seconds) <= 0.1


@pytest.mark.parametrize("volume_db", [0.0, -30.0])
def test_clips_are_brought_to_one_loudness_below_speech(api_as, bob, volume_db):
    loud_or_quiet = sound(4.0, volume_db=volume_db)
    before = loudness(loud_or_quiet)

    clip = upload(api_as(bob), loud_or_quiet).json()["clip"]
    after = loudness(api_as(bob).get(f"/api/soundboard/{clip['id']}/audio").content)

    print(f"loudness {before:.1f} LUFS in, {after:.1f} LUFS kept")
    assert -26.0 <= after <= -22.0


@pytest.mark.parametrize(
    "body,error",
    [
        ({"name": "x", "file": "not a file, a text field"}, "No file provided"),
        ({"name": "x", "audio": "text"}, "No file provided"),
        ({"file": "x", "name": ["a", "b"]}, "No file provided"),
    ],
)
def test_wrong_types_in_text_fields_are_no_file(api_as, bob, body, error):
    response = api_as(bob).post("/api/soundboard", body, format="multipart")

    assert (response.status_code, response.json()) == (400, {"error": error})


def test_a_name_sent_as_a_file_or_a_second_file_is_unexpected(api_as, bob):
    from .conftest import part

    for body in (
        {"name": part(b"Tada", name="n.txt"), "file": part(sound(0.5))},
        {"name": "x", "file": [part(sound(0.5)), part(sound(0.5))]},
    ):
        response = api_as(bob).post("/api/soundboard", body, format="multipart")

        assert (response.status_code, response.json()) == (400, {"error": "Unexpected field"})
    assert Clip.objects.count() == 0


def test_a_json_array_in_place_of_multipart_has_no_file(api_as, bob):
    response = api_as(bob).post("/api/soundboard", b"[1, 2]", content_type="application/json")

    assert (response.status_code, response.json()) == (400, {"error": "No file provided"})


def test_without_ffmpeg_uploads_are_refused_with_503_and_the_check_warns(api_as, bob, monkeypatch):
    from django.core.checks import run_checks

    data = sound(0.5)
    monkeypatch.setenv("PATH", "/nonexistent")

    response = upload(api_as(bob), data)

    assert (response.status_code, response.json()) == (
        503,
        {"error": "Audio processing is not available on this server"},
    )
    assert "soundboard.W001" in [message.id for message in run_checks()]
    assert Clip.objects.count() == 0
