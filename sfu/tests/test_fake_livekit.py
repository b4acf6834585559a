"""The fake LiveKit room service itself, driven by LiveKit's own SDK client."""

from __future__ import annotations

import aiohttp
import pytest
from livekit import api as lk
from livekit.protocol import models as lk_models
from livekit.protocol import room as lk_room

from harness.fake_livekit import API_KEY, API_SECRET, FakeLiveKit


def sdk(fake: FakeLiveKit, *, secret: str = API_SECRET) -> lk.LiveKitAPI:
    return lk.LiveKitAPI(fake.url, API_KEY, secret, failover=False)


async def test_mute_and_update_participant_answer_with_livekits_messages(fake_livekit):
    fake_livekit.add_participant("Games", "bob", audio_tracks=["TR_mic"])

    async with sdk(fake_livekit) as client:
        muted = await client.room.mute_published_track(
            lk_room.MuteRoomTrackRequest(
                room="Games", identity="bob", track_sid="TR_mic", muted=True
            )
        )
        updated = await client.room.update_participant(
            lk_room.UpdateParticipantRequest(
                room="Games",
                identity="bob",
                permission=lk_models.ParticipantPermission(can_subscribe=True, can_publish=False),
            )
        )

    assert (muted.track.sid, muted.track.muted) == ("TR_mic", True)
    assert updated.identity == "bob" and updated.permission.can_publish is False
    assert fake_livekit.methods() == ["MutePublishedTrack", "UpdateParticipant"]
    assert fake_livekit.requests("UpdateParticipant")[0].permission.can_subscribe is True


async def test_a_room_admin_grant_for_another_room_is_refused_and_not_recorded(fake_livekit):
    fake_livekit.add_participant("Games", "bob")
    token = (
        lk.AccessToken(API_KEY, API_SECRET)
        .with_grants(lk.VideoGrants(room_admin=True, room="General"))
        .to_jwt()
    )
    body = lk_room.RoomParticipantIdentity(room="Games", identity="bob").SerializeToString()

    async with aiohttp.ClientSession() as session:
        response = await session.post(
            f"{fake_livekit.http_url}/twirp/livekit.RoomService/RemoveParticipant",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/protobuf"},
        )
        error = await response.json()

    assert response.status == 403 and error["code"] == "permission_denied"
    assert fake_livekit.calls == []
    assert fake_livekit.identities("Games") == ["bob"]


async def test_a_token_from_another_secret_is_unauthenticated(fake_livekit):
    async with sdk(fake_livekit, secret="not-the-secret-0123456789abcdef0123456789") as client:
        with pytest.raises(lk.ServerError) as refused:
            await client.room.list_rooms(lk_room.ListRoomsRequest())
    assert (refused.value.status, refused.value.code) == (401, "unauthenticated")


async def test_an_unknown_method_is_a_bad_route(fake_livekit):
    async with sdk(fake_livekit) as client:
        with pytest.raises(lk.ServerError) as refused:
            await client.room.delete_room(lk_room.DeleteRoomRequest(room="General"))
    assert refused.value.code == "bad_route"
