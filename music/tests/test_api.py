"""`/api/music/*` against 2.x's contract: the routes, the answers, the exact error strings, and
that every change reaches the room's members, whole, as `music:status`."""

from __future__ import annotations

import pytest

from music.models import QueueEntry, RoomMusic
from realtime.events import MusicStatusChanged
from realtime.publish import Users
from rooms.models import Room
from rooms.services.membership import membership_enter

pytestmark = pytest.mark.django_db(transaction=True)

STATIONS = [
    {"id": "chill", "name": "Chill FM", "genre": "Chillout", "url": "/m/c.ogg"},
    {"id": "jazz", "name": "Jazz FM", "genre": "Jazz", "url": "http://j/s"},
]


def post(client, route, body=None):
    return client.post(f"/api/music/{route}", body or {}, format="json")


def test_turning_music_on_starts_the_radio_and_tells_the_room(
    api_as, published, seated, stations, alice, bob, carol
):
    response = post(api_as(alice), "settings", {"enabled": True})

    status = {
        "mode": "radio",
        "paused": False,
        "nowPlaying": "Chill FM",
        "currentStation": STATIONS[0],
        "queue": [],
        "stations": STATIONS,
        "roomId": seated.pk,
        "enabled": True,
        "locked": False,
        "error": None,
    }
    assert (response.status_code, response.json()) == (200, status)
    ((event, audience),) = published.of(MusicStatusChanged)
    # Whole, nulls included: 2.x's popover reads every key.
    assert event.name == "music:status"
    assert event.payload() == status
    assert audience == Users((alice.pk, bob.pk, carol.pk))
    assert api_as(bob).get("/api/music/status").json() == status


def test_only_the_creator_or_staff_turns_music_on_or_locks_it(api_as, seated, stations, bob, dave):
    refused = post(api_as(bob), "settings", {"enabled": True})
    assert (refused.status_code, refused.json()) == (
        403,
        {"error": "Only the room's creator can change its music settings"},
    )
    dave.is_staff = True
    dave.save()
    staff = post(api_as(dave), "settings", {"roomId": seated.pk, "enabled": True})
    assert staff.status_code == 200 and staff.json()["enabled"] is True


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"enabled": "yes"}, 400, "enabled must be true or false"),
        ({"locked": 1}, 400, "locked must be true or false"),
        ({"roomId": "7"}, 400, "roomId must be a room ID"),
        ({"roomId": 999999}, 404, "Room not found"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(api_as, seated, alice, body, status, error):
    response = post(api_as(alice), "settings", body)
    assert (response.status_code, response.json()) == (status, {"error": error})
    assert not RoomMusic.objects.filter(enabled=True).exists()


def test_controls_need_music_on_and_a_member(api_as, seated, stations, alice, bob, dave, mallory):
    off = post(api_as(bob), "skip")
    assert (off.status_code, off.json()) == (409, {"error": "Music is not enabled in this room"})
    post(api_as(alice), "settings", {"enabled": True})
    nowhere = post(api_as(mallory), "skip")
    assert (nowhere.status_code, nowhere.json()) == (
        400,
        {"error": "You must be in a room to use music"},
    )
    membership_enter(user=dave, room=Room.objects.create(name="Elsewhere"))
    outsider = post(api_as(dave), "pause", {"roomId": seated.pk})
    assert (outsider.status_code, outsider.json()) == (
        403,
        {"error": "Only the room's members can control its music"},
    )
    assert api_as(dave).get(f"/api/music/status?roomId={seated.pk}").status_code == 403
    assert RoomMusic.objects.get().paused is False


def test_a_locked_player_obeys_its_creator_alone(api_as, playing, alice, bob):
    post(api_as(alice), "settings", {"locked": True})
    refused = post(api_as(bob), "pause")
    assert (refused.status_code, refused.json()) == (
        403,
        {"error": "Music in this room is locked by its creator"},
    )
    assert post(api_as(alice), "pause").json() == {"paused": True}
    post(api_as(alice), "settings", {"locked": False})
    assert post(api_as(bob), "pause").json() == {"paused": False}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "url is required"),
        ({"url": "   "}, "url is required"),
        ({"url": 5}, "url is required"),
        ({"url": "ftp://x/a.mp3"}, "url must be a valid HTTP(S) URL"),
        ({"url": "javascript:alert(1)"}, "url must be a valid HTTP(S) URL"),
        ({"url": "http://"}, "url must be a valid HTTP(S) URL"),
        ({"url": "http://x/" + "a" * 2048}, "url too long"),
    ],
)
def test_bad_urls_are_refused_with_2x_strings(api_as, playing, bob, body, error):
    response = post(api_as(bob), "queue", body)
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert not QueueEntry.objects.exists()


def test_queueing_during_radio_plays_at_once_then_queues(api_as, published, playing, bob, carol):
    first = post(api_as(bob), "queue", {"url": "https://example.test/music/First%20Song.mp3"})
    assert first.status_code == 200
    assert first.json()["entry"] == {
        "id": first.json()["entry"]["id"],
        "url": "https://example.test/music/First%20Song.mp3",
        "title": "First Song",
        "addedBy": "Bob",
    }
    second = post(api_as(carol), "queue", {"url": "https://example.test/2.ogg", "title": " Two "})
    status = api_as(bob).get("/api/music/status").json()
    assert (status["mode"], status["nowPlaying"]) == ("queue", "First Song")
    assert status["queue"] == [second.json()["entry"]]
    assert second.json()["entry"]["title"] == "Two"
    assert [e.payload()["mode"] for e, _ in published.of(MusicStatusChanged)][-2:] == [
        "queue",
        "queue",
    ]


def test_the_queue_holds_fifty(api_as, playing, bob):
    for n in range(51):
        post(api_as(bob), "queue", {"url": f"https://example.test/{n}.mp3"})
    # One plays; fifty wait.
    assert QueueEntry.objects.count() == 50
    full = post(api_as(bob), "queue", {"url": "https://example.test/late.mp3"})
    assert (full.status_code, full.json()) == (400, {"error": "Queue is full (max 50)"})


def test_skip_moves_through_the_queue_and_falls_back_to_radio(api_as, playing, bob):
    post(api_as(bob), "queue", {"url": "https://example.test/a.mp3"})
    post(api_as(bob), "queue", {"url": "https://example.test/b.mp3"})
    assert post(api_as(bob), "skip").json() == {"ok": True}
    assert api_as(bob).get("/api/music/status").json()["nowPlaying"] == "b"
    post(api_as(bob), "skip")
    status = api_as(bob).get("/api/music/status").json()
    assert (status["mode"], status["nowPlaying"], status["queue"]) == ("radio", "Chill FM", [])


def test_remove_takes_an_entry_off_or_says_it_was_not_there(api_as, playing, bob):
    post(api_as(bob), "queue", {"url": "https://example.test/a.mp3"})
    waiting = post(api_as(bob), "queue", {"url": "https://example.test/b.mp3"}).json()["entry"]
    missing = post(api_as(bob), "remove", {})
    assert (missing.status_code, missing.json()) == (400, {"error": "id is required"})
    assert post(api_as(bob), "remove", {"id": waiting["id"]}).json() == {"ok": True}
    assert post(api_as(bob), "remove", {"id": waiting["id"]}).json() == {"ok": False}
    assert api_as(bob).get("/api/music/status").json()["queue"] == []


def test_station_change_tunes_in_and_refuses_an_unknown_one(api_as, published, playing, bob):
    bad = post(api_as(bob), "station", {"stationId": "nope"})
    assert (bad.status_code, bad.json()) == (400, {"error": "Invalid stationId"})
    assert post(api_as(bob), "station", {"stationId": "jazz"}).json() == {"ok": True}
    (event, _) = published.of(MusicStatusChanged)[-1]
    assert event.payload()["currentStation"] == STATIONS[1]
    assert event.payload()["nowPlaying"] == "Jazz FM"


def test_pause_toggles_and_the_room_hears_of_it(api_as, published, playing, bob, carol):
    assert post(api_as(bob), "pause").json() == {"paused": True}
    (event, audience) = published.of(MusicStatusChanged)[-1]
    assert event.payload()["paused"] is True
    assert carol.pk in audience.user_ids
    assert post(api_as(carol), "pause").json() == {"paused": False}


def test_an_uploaded_file_is_queued_and_a_non_audio_file_refused(
    api_as, playing, bob, tone, upload_folder
):
    with open(tone, "rb") as audio:
        response = api_as(bob).post("/api/music/upload", {"file": audio, "title": "My tone"})
    assert response.status_code == 200, response.json()
    entry = response.json()["entry"]
    assert (entry["title"], entry["url"].startswith("upload:")) == ("My tone", True)
    assert len(list(upload_folder.iterdir())) == 1

    fake = upload_folder.parent / "fake.mp3"
    fake.write_bytes(b"not audio at all" * 100)
    with open(fake, "rb") as junk:
        refused = api_as(bob).post("/api/music/upload", {"file": junk})
    assert (refused.status_code, refused.json()) == (400, {"error": "Not an audio file"})
    none = api_as(bob).post("/api/music/upload", {})
    assert (none.status_code, none.json()) == (400, {"error": "file is required"})
    # The refused file was not kept; the queued one is, until it has played.
    assert len(list(upload_folder.iterdir())) == 1
    post(api_as(bob), "skip")
    assert list(upload_folder.iterdir()) == []


def test_status_needs_a_token(client, playing):
    response = client.get("/api/music/status")
    assert response.status_code == 401
