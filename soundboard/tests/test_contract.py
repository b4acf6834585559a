"""2.x's soundboard endpoints case by case: the shapes and their key order, the checks in 2.x's
order with 2.x's strings, the events and who hears them; and where we differ on purpose (who
may delete, the play limit, the indicator's length)."""

from __future__ import annotations

import re

import pytest

from realtime.events import SoundboardClipCreated, SoundboardClipDeleted, SoundboardPlaying
from realtime.publish import Everyone, Users
from rooms.services.membership import membership_enter
from soundboard.models import Clip

from .conftest import part, sound, upload

pytestmark = pytest.mark.django_db

NEW_KEYS = [
    "id",
    "name",
    "mime_type",
    "size",
    "uploaded_by",
    "uploaderName",
    "created_at",
    "durationMs",
]
LISTED_KEYS = [
    "id",
    "name",
    "mime_type",
    "size",
    "uploaded_by",
    "created_at",
    "uploaderName",
    "durationMs",
]
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
SQL_TS = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def refusal(response):
    return response.status_code, response.json()


def stored(user, name="Old", size=100):
    return Clip.objects.create(
        name=name,
        file_name="none.ogg",
        mime_type="audio/ogg",
        size=size,
        duration_ms=1000,
        uploaded_by=user,
    )


def test_the_list_starts_empty(api_as, bob):
    response = api_as(bob).get("/api/soundboard")

    assert (response.status_code, response.json()) == (200, {"clips": []})


def test_an_upload_answers_201_with_2x_clip_and_tells_everyone(api_as, published, bob):
    response = upload(api_as(bob), sound(1.0), name="  Tada  ")

    assert response.status_code == 201
    clip = response.json()["clip"]
    assert list(clip) == NEW_KEYS
    assert clip["name"] == "Tada"
    assert clip["uploaded_by"] == bob.pk and clip["uploaderName"] == "Bob"
    assert clip["mime_type"] == "audio/ogg"
    assert ISO.fullmatch(clip["created_at"])
    assert 950 <= clip["durationMs"] <= 1050
    ((event, audience),) = published.of(SoundboardClipCreated)
    assert event.payload() == {"clip": clip}
    assert audience == Everyone()


def test_the_list_is_newest_first_in_2x_key_order_with_sql_timestamps(api_as, alice, bob):
    first = upload(api_as(alice), sound(0.5), name="First").json()["clip"]
    second = upload(api_as(bob), sound(0.6), name="Second").json()["clip"]

    clips = api_as(alice).get("/api/soundboard").json()["clips"]

    assert [c["id"] for c in clips] == [second["id"], first["id"]]
    assert list(clips[0]) == LISTED_KEYS
    assert SQL_TS.fullmatch(clips[0]["created_at"])
    assert clips[1]["uploaderName"] == "Alice"
    assert clips[0]["size"] == second["size"]


def test_the_audio_is_served_as_stored_ogg_opus(api_as, bob, carol, clip_folder):
    clip = upload(api_as(bob), sound(1.0)).json()["clip"]

    served = api_as(carol).get(f"/api/soundboard/{clip['id']}/audio")

    assert served.status_code == 200
    assert served["Content-Type"] == "audio/ogg"
    assert served["Cache-Control"] == "private, max-age=86400"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served.content[:4] == b"OggS" and b"OpusHead" in served.content[:64]
    assert len(served.content) == clip["size"]
    # Kept as a file under the data folder, not in the database.
    assert [p.read_bytes() for p in clip_folder.iterdir()] == [served.content]


@pytest.mark.parametrize("method,suffix", [("get", "/audio"), ("post", "/play"), ("delete", "")])
def test_clip_ids_are_parsed_as_2x_did(api_as, bob, method, suffix):
    client = api_as(bob)

    assert refusal(getattr(client, method)(f"/api/soundboard/abc{suffix}")) == (
        400,
        {"error": "Invalid clip ID"},
    )
    assert refusal(getattr(client, method)(f"/api/soundboard/999{suffix}")) == (
        404,
        {"error": "Clip not found"},
    )


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/soundboard"),
        ("post", "/api/soundboard"),
        ("get", "/api/soundboard/1/audio"),
        ("post", "/api/soundboard/1/play"),
        ("delete", "/api/soundboard/1"),
    ],
)
def test_every_route_needs_a_login(client, method, path):
    assert refusal(getattr(client, method)(path)) == (401, {"error": "Missing authorization token"})


# --- The upload's checks, in 2.x's order -------------------------------------------------------


def test_a_declared_type_that_is_not_audio_is_refused_first(api_as, bob):
    response = api_as(bob).post(
        "/api/soundboard",
        {"file": part(b"hello", name="x.txt", content_type="text/plain")},
        format="multipart",
    )

    assert refusal(response) == (400, {"error": "Only audio files are allowed"})


@pytest.mark.parametrize(
    "declared", ["audio/x-anything", "application/ogg", "video/ogg", "video/webm"]
)
def test_2x_declared_types_pass_the_filter(api_as, bob, declared):
    response = upload(api_as(bob), sound(0.5), content_type=declared)

    assert response.status_code == 201


def test_over_15_mib_is_413_before_the_body_is_read(api_as, bob):
    response = upload(api_as(bob), b"\0" * (15 * 1024 * 1024 + 70 * 1024))

    assert refusal(response) == (413, {"error": "File too large (max 15MB)"})


def test_a_file_just_over_15_mib_is_413_too(api_as, bob):
    response = upload(api_as(bob), b"\0" * (15 * 1024 * 1024 + 1), name="")

    assert refusal(response) == (413, {"error": "File too large (max 15MB)"})


def test_no_file_comes_before_the_name(api_as, bob):
    assert refusal(upload(api_as(bob), None, name=None)) == (400, {"error": "No file provided"})


def test_a_json_body_has_no_file(api_as, bob):
    response = api_as(bob).post("/api/soundboard", {"name": "x"}, format="json")

    assert refusal(response) == (400, {"error": "No file provided"})


def test_a_file_in_another_field_is_unexpected(api_as, bob):
    response = api_as(bob).post(
        "/api/soundboard", {"name": "x", "audio": part(sound(0.5))}, format="multipart"
    )

    assert refusal(response) == (400, {"error": "Unexpected field"})


def test_the_clip_count_quota_comes_before_the_name(api_as, settings, bob):
    settings.SOUNDBOARD_CLIPS_PER_USER = 2
    stored(bob)
    stored(bob)

    response = upload(api_as(bob), sound(0.5), name="")

    assert refusal(response) == (400, {"error": "You have reached the 2-clip upload limit"})


def test_the_default_quota_says_2x_words(api_as, bob):
    Clip.objects.bulk_create(
        Clip(
            name="x",
            file_name="x.ogg",
            mime_type="audio/ogg",
            size=1,
            duration_ms=1,
            uploaded_by=bob,
        )
        for _ in range(100)
    )

    assert refusal(upload(api_as(bob), sound(0.5))) == (
        400,
        {"error": "You have reached the 100-clip upload limit"},
    )


@pytest.mark.parametrize(
    "name,error",
    [
        (None, "Clip name is required"),
        ("", "Clip name is required"),
        (" \t\u3000 ", "Clip name is required"),
        ("x" * 65, "Clip name must be 64 characters or less"),
        ("😀" * 33, "Clip name must be 64 characters or less"),  # 66 UTF-16 units, as JS counts
    ],
)
def test_names_are_checked_as_2x_did(api_as, bob, name, error):
    assert refusal(upload(api_as(bob), sound(0.5), name=name)) == (400, {"error": error})


def test_a_64_character_name_is_kept(api_as, bob):
    assert upload(api_as(bob), sound(0.5), name="y" * 64).json()["clip"]["name"] == "y" * 64


def test_the_byte_quota_refuses_and_keeps_nothing(api_as, settings, bob, clip_folder):
    first = upload(api_as(bob), sound(1.0), name="one").json()["clip"]
    settings.SOUNDBOARD_BYTES_PER_USER = first["size"] + 100

    response = upload(api_as(bob), sound(1.0), name="two")

    megabytes = (first["size"] + 100) / 1048576
    assert refusal(response) == (
        400,
        {"error": f"You have reached your soundboard storage limit ({megabytes:g} MB)"},
    )
    assert len(list(clip_folder.iterdir())) == 1
    assert Clip.objects.count() == 1


def test_uploads_have_a_rate(api_as, settings, bob):
    settings.SOUNDBOARD_UPLOAD_RATE = (1, 60)
    assert upload(api_as(bob), sound(0.5)).status_code == 201

    response = upload(api_as(bob), sound(0.5))

    assert refusal(response) == (429, {"error": "Slow down — too many uploads"})
    assert int(response["Retry-After"]) >= 1


# --- Play ---------------------------------------------------------------------------------------


@pytest.fixture
def tada(bob):
    return Clip.objects.create(
        name="Tada",
        file_name="t.ogg",
        mime_type="audio/ogg",
        size=10,
        duration_ms=2500,
        uploaded_by=bob,
    )


def play(client, clip_id, body=None):
    return client.post(f"/api/soundboard/{clip_id}/play", body or {}, format="json")


def test_a_play_is_told_to_the_players_room_only(
    api_as, published, seated, alice, bob, carol, dave, tada
):
    membership_enter(user=dave, room=type(seated).objects.create(name="Elsewhere", created_by=dave))
    published.clear()

    response = play(api_as(carol), tada.pk, {"durationMs": 2500})

    assert (response.status_code, response.json()) == (200, {"notified": True})
    ((event, audience),) = published.of(SoundboardPlaying)
    assert event.payload() == {
        "user": {"id": carol.pk, "username": "carol", "display_name": "Carol"},
        "clipName": "Tada",
        "durationMs": 2500,
        "clipId": tada.pk,
        "roomId": seated.pk,
    }
    assert set(audience.user_ids) == {alice.pk, bob.pk, carol.pk}


@pytest.mark.parametrize(
    "body,shown",
    [
        ({}, 2500),
        ({"durationMs": "long"}, 2500),
        ({"durationMs": 1200.4}, 1200),
        ({"durationMs": 99_999}, 2500),
        ({"durationMs": -5}, 0),
        ({"durationMs": True}, 2500),
    ],
)
def test_the_indicator_lasts_what_the_client_says_within_the_clip(
    api_as, published, seated, carol, tada, body, shown
):
    published.clear()

    play(api_as(carol), tada.pk, body)

    ((event, _),) = published.of(SoundboardPlaying)
    assert event.durationMs == shown


def test_a_play_outside_a_room_tells_nobody_and_still_answers_notified(
    api_as, published, mallory, tada
):
    response = play(api_as(mallory), tada.pk)

    assert (response.status_code, response.json()) == (200, {"notified": True})
    assert published.of(SoundboardPlaying) == []


def test_a_jailed_user_plays_only_into_the_jail(api_as, published, seated, alice, bob, carol, tada):
    from moderation.services.punishments import jail_room_for

    jail = jail_room_for(seated)
    membership_enter(user=carol, room=jail)
    published.clear()

    play(api_as(carol), tada.pk)

    ((event, audience),) = published.of(SoundboardPlaying)
    assert event.roomId == jail.pk
    assert audience == Users((carol.pk,))


def test_plays_have_a_rate(api_as, settings, seated, carol, tada):
    settings.SOUNDBOARD_PLAY_RATE = (2, 60)
    assert play(api_as(carol), tada.pk).status_code == 200
    assert play(api_as(carol), tada.pk).status_code == 200

    response = play(api_as(carol), tada.pk)

    assert refusal(response) == (429, {"error": "Slow down — too many clips played"})
    assert int(response["Retry-After"]) >= 1


def test_the_default_rate_refuses_the_eleventh_play_in_a_minute(api_as, seated, carol, tada):
    statuses = [play(api_as(carol), tada.pk).status_code for _ in range(11)]

    assert statuses == [200] * 10 + [429]


# --- Delete -------------------------------------------------------------------------------------


def test_the_uploader_deletes_and_everyone_hears_and_the_file_goes(
    api_as, published, bob, clip_folder
):
    clip_id = upload(api_as(bob), sound(0.5)).json()["clip"]["id"]

    response = api_as(bob).delete(f"/api/soundboard/{clip_id}")

    assert (response.status_code, response.json()) == (200, {"deleted": True})
    ((event, audience),) = published.of(SoundboardClipDeleted)
    assert (event.payload(), audience) == ({"clipId": clip_id}, Everyone())
    assert list(clip_folder.iterdir()) == []
    assert api_as(bob).get(f"/api/soundboard/{clip_id}/audio").status_code == 404


def test_someone_else_cannot_delete_a_clip(api_as, published, bob, mallory, clip_folder):
    clip_id = upload(api_as(bob), sound(0.5)).json()["clip"]["id"]

    response = api_as(mallory).delete(f"/api/soundboard/{clip_id}")

    assert refusal(response) == (403, {"error": "Only the uploader or staff can delete this clip"})
    assert published.of(SoundboardClipDeleted) == []
    assert api_as(bob).get(f"/api/soundboard/{clip_id}/audio").status_code == 200


def test_staff_delete_anyones_clip(api_as, transactional_db, bob, dave, clip_folder):
    dave.is_staff = True
    dave.save()
    clip_id = upload(api_as(bob), sound(0.5)).json()["clip"]["id"]

    assert api_as(dave).delete(f"/api/soundboard/{clip_id}").status_code == 200
    assert list(clip_folder.iterdir()) == []


def test_a_deleted_account_takes_its_clips_and_files(api_as, transactional_db, bob, clip_folder):
    upload(api_as(bob), sound(0.5))

    bob.delete()

    assert Clip.objects.count() == 0
    assert list(clip_folder.iterdir()) == []
