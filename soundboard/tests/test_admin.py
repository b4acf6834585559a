"""The soundboard in the admin: staff see every clip and who uploaded it, listen to it on its
page, and delete clips for everyone through the same service as the API."""

from __future__ import annotations

import pytest
from django.test import Client

from realtime.events import SoundboardClipDeleted
from soundboard.models import Clip

from .conftest import sound, upload


@pytest.fixture
def staff(make_user) -> Client:
    admin_user = make_user("root", "Root")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_staff_browse_clips_with_their_uploader_and_listen_on_the_page(staff, api_as, bob):
    clip = upload(api_as(bob), sound(1.0), name="Airhorn").json()["clip"]

    listing = staff.get("/admin/soundboard/clip/", {"q": "bob"}).content.decode()
    page = staff.get(f"/admin/soundboard/clip/{clip['id']}/change/").content.decode()
    audio = staff.get(f"/api/soundboard/{clip['id']}/audio")

    assert "Airhorn" in listing and "bob" in listing
    assert f'<audio controls preload="none" src="/api/soundboard/{clip["id"]}/audio">' in page
    # The admin's own session fetches the audio the player points at.
    assert audio.status_code == 200 and audio.content[:4] == b"OggS"


def test_staff_delete_clips_for_everyone_and_their_files_go(
    staff, api_as, published, bob, clip_folder
):
    clip_id = upload(api_as(bob), sound(1.0)).json()["clip"]["id"]

    response = staff.post(
        "/admin/soundboard/clip/", {"action": "delete_clips", "_selected_action": [clip_id]}
    )

    assert response.status_code == 302
    assert not Clip.objects.exists()
    assert list(clip_folder.iterdir()) == []
    assert [e.clipId for e, _ in published.of(SoundboardClipDeleted)] == [clip_id]


@pytest.mark.django_db
def test_clips_cannot_be_added_or_edited_in_the_admin(staff, api_as, bob):
    clip_id = upload(api_as(bob), sound(1.0), name="Keep").json()["clip"]["id"]

    assert staff.get("/admin/soundboard/clip/add/").status_code == 403
    staff.post(f"/admin/soundboard/clip/{clip_id}/change/", {"name": "Renamed"})
    assert Clip.objects.get().name == "Keep"
