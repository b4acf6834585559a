"""Staff keep the station list in the admin, and switch a room's music off through the same
service as its creator (so the room hears of it)."""

from __future__ import annotations

import pytest

from music.models import RoomMusic, Station
from realtime.events import MusicStatusChanged

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_client(client, make_user):
    staff = make_user("steward", "Steward")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    return client


def test_staff_add_a_station_that_pages_then_list(staff_client, api_as, playing, bob):
    response = staff_client.post(
        "/admin/music/station/add/",
        {"slug": "local-jazz", "name": "Local Jazz", "genre": "Jazz", "url": "http://r/j"}
        | {"position": 9},
    )
    assert response.status_code == 302, response.content
    assert Station.objects.filter(slug="local-jazz").exists()
    ids = [s["id"] for s in api_as(bob).get("/api/music/status").json()["stations"]]
    assert ids[-1] == "local-jazz"


def test_staff_switching_music_off_tells_the_room(staff_client, published, playing, bob):
    response = staff_client.post(
        f"/admin/music/roommusic/{playing.pk}/change/", {"enabled": "", "locked": "on"}
    )
    assert response.status_code == 302
    player = RoomMusic.objects.get()
    assert (player.enabled, player.locked) == (False, True)
    (event, audience) = published.of(MusicStatusChanged)[-1]
    assert (event.payload()["enabled"], bob.pk in audience.user_ids) == (False, True)
