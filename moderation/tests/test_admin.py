"""Staff overrides in the admin go through the services; everyone else is refused."""

from __future__ import annotations

import pytest

from core.errors import Forbidden
from moderation.models import Punishment, Vote
from moderation.services.overrides import livekit_participant_remove, room_creator_set
from moderation.services.votes import ballot_cast, vote_cancel, vote_start
from realtime.events import PunishmentLifted, RoomUpdated, VoteResolved
from realtime.publish import Everyone
from rooms.models import Room
from rooms.services.whispers import whispers_mode_set, whispers_reset

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(make_user):
    user = make_user("steward", "Steward")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _act(client, model, action, ids, **extra):
    return client.post(
        f"/admin/moderation/{model}/",
        {"action": action, "_selected_action": [str(i) for i in ids], **extra},
    )


def _jail(target, voters):
    vote = vote_start(user=voters[0], target_user_id=target.pk, duration_secs=60)
    for voter in voters[1:]:
        ballot_cast(vote_id=vote.pk, user=voter, vote_yes=True)
    return Punishment.objects.get(vote=vote)


def test_admin_pages_render_for_staff(staff_client, seated, alice, bob, carol, mallory):
    _jail(mallory, [alice, bob, carol])
    whispers_mode_set(room_id=seated.pk, user=alice, mode="whispers")
    for model in ("vote", "punishment", "moderatedroom"):
        assert staff_client.get(f"/admin/moderation/{model}/").status_code == 200
    assert staff_client.get("/admin/sfu/livekitaction/").status_code == 200
    vote = Vote.objects.get()
    assert staff_client.get(f"/admin/moderation/vote/{vote.pk}/change/").status_code == 200
    page = staff_client.get(f"/admin/moderation/moderatedroom/{seated.pk}/change/")
    assert page.status_code == 200


def test_durations_read_in_words(staff_client, seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, [alice, bob, carol])
    Punishment.objects.filter(pk=punishment.pk).update(duration_secs=1800)

    votes = staff_client.get("/admin/moderation/vote/").content.decode()
    vote = staff_client.get(f"/admin/moderation/vote/{punishment.vote_id}/change/")
    punishments = staff_client.get("/admin/moderation/punishment/").content.decode()
    detail = staff_client.get(f"/admin/moderation/punishment/{punishment.pk}/change/")

    assert '<td class="field-jail_for">1 minute</td>' in votes
    assert "1 minute" in vote.content.decode()
    assert '<td class="field-duration">30 minutes</td>' in punishments
    assert "30 minutes" in detail.content.decode() and ">1800<" not in detail.content.decode()


def test_staff_lift_a_punishment(
    published, staff_client, staff, seated, alice, bob, carol, mallory
):
    punishment = _jail(mallory, [alice, bob, carol])
    published.clear()

    response = _act(staff_client, "punishment", "lift_punishments", [punishment.pk])

    assert response.status_code == 302
    punishment.refresh_from_db()
    assert (punishment.active, punishment.lifted_by) == (False, staff)
    [(event, scope)] = published.of(PunishmentLifted)
    assert (event.liftedBy["username"], scope) == ("steward", Everyone())


def test_staff_cancel_a_vote(published, staff_client, seated, alice, mallory):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    published.clear()

    _act(staff_client, "vote", "cancel_votes", [vote.pk])

    vote.refresh_from_db()
    assert (vote.resolved, vote.passed) == (True, False)
    [(event, _)] = published.of(VoteResolved)
    assert (event.voteId, event.passed) == (vote.pk, False)
    assert not Punishment.objects.exists()


def test_staff_reset_whispers(published, staff_client, seated, alice):
    whispers_mode_set(room_id=seated.pk, user=alice, mode="whispers")
    published.clear()

    _act(staff_client, "moderatedroom", "reset_whispers", [seated.pk])

    seated.refresh_from_db()
    assert seated.mode == "normal"
    assert not seated.whisper_links.exists()
    assert published.names() == ["whispers:deactivated", "room:updated"]


def test_staff_set_a_rooms_creator(published, staff_client, bob):
    general = Room.objects.create(name="General")

    form = _act(staff_client, "moderatedroom", "set_creator", [general.pk])
    assert form.status_code == 200
    assert b"Set the creator" in form.content
    general.refresh_from_db()
    assert general.created_by is None

    _act(staff_client, "moderatedroom", "set_creator", [general.pk], apply="1", creator=bob.pk)

    general.refresh_from_db()
    assert general.created_by == bob
    [(event, scope)] = published.of(RoomUpdated)
    assert (event.room["created_by"], scope) == (bob.pk, Everyone())


def test_staff_remove_a_participant_from_livekit(fake_livekit, staff_client, seated):
    fake_livekit.add_participant("Lounge", "mallory")

    form = _act(staff_client, "moderatedroom", "remove_from_livekit", [seated.pk])
    assert form.status_code == 200
    _act(
        staff_client,
        "moderatedroom",
        "remove_from_livekit",
        [seated.pk],
        apply="1",
        identity="mallory",
    )

    [request] = fake_livekit.requests("RemoveParticipant")
    assert (request.room, request.identity) == ("Lounge", "mallory")
    assert fake_livekit.identities("Lounge") == []


def test_the_admin_refuses_everyone_but_staff(client, seated, alice, bob, carol, mallory):
    punishment = _jail(mallory, [alice, bob, carol])
    client.force_login(alice)  # the room's creator, but not staff

    response = _act(client, "punishment", "lift_punishments", [punishment.pk])
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/moderation/vote/").status_code == 302
    assert Punishment.objects.get().active


def test_staff_without_model_permissions_cannot_act(client, make_user, seated, alice, mallory):
    clerk = make_user("clerk")
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    assert _act(client, "vote", "cancel_votes", [vote.pk]).status_code == 403
    assert not Vote.objects.get().resolved


def test_override_services_refuse_non_staff(seated, alice, bob, mallory):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    with pytest.raises(Forbidden, match="Only staff can cancel votes"):
        vote_cancel(vote_id=vote.pk, actor=alice)
    with pytest.raises(Forbidden, match="Only staff can set a room's creator"):
        room_creator_set(room=seated, creator=bob, actor=alice)
    with pytest.raises(Forbidden, match="Only staff can reset whispers"):
        whispers_reset(room=seated, actor=alice)
    with pytest.raises(Forbidden, match="Only staff can remove participants from LiveKit"):
        livekit_participant_remove(room=seated, identity="mallory", actor=alice)
    assert not Vote.objects.get().resolved


def test_a_deleted_rooms_votes_and_punishments_stay_listed_under_its_name(
    staff_client, seated, alice, bob, carol, mallory
):
    from rooms.services.rooms import room_delete

    punishment = _jail(mallory, [alice, bob, carol])
    room_delete(room=seated, user=alice)

    votes = staff_client.get("/admin/moderation/vote/").content.decode()
    punishments = staff_client.get("/admin/moderation/punishment/").content.decode()
    detail = staff_client.get(f"/admin/moderation/punishment/{punishment.pk}/change/")

    assert '<td class="field-room">Lounge</td>' in votes
    assert '<td class="field-source_room_name">Lounge</td>' in punishments
    assert '<td class="field-jail_room_name">Jail: Lounge</td>' in punishments
    assert detail.status_code == 200 and "Jail: Lounge" in detail.content.decode()
