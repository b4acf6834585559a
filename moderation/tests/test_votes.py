"""Starting votes, casting ballots and resolving them: 1.x's rules, strings and events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, Forbidden
from core.scheduler import run_jobs
from moderation.models import Ballot, Punishment, Vote
from moderation.services.votes import ballot_cast, vote_start
from realtime.events import BallotCast, VoteResolved, VoteStarted
from realtime.publish import Users
from rooms.models import Room as RoomModel
from rooms.services.membership import membership_end, membership_enter

pytestmark = pytest.mark.django_db(transaction=True)


def _start(client, target, duration=60):
    return client.post(
        "/api/votes", {"targetUserId": target.pk, "durationSecs": duration}, format="json"
    )


def test_vote_starts_with_the_initiators_yes_and_tells_the_room(
    published, client_for, seated, alice, bob, carol, dave, mallory
):
    published.clear()
    response = _start(client_for(alice), mallory, 300)

    assert response.status_code == 201
    vote = Vote.objects.get()
    body = response.json()["vote"]
    assert list(body) == [
        "id",
        "sourceRoomId",
        "targetUserId",
        "durationSecs",
        "eligibleCount",
        "expiresAt",
    ]
    assert body["id"] == vote.pk
    assert (body["sourceRoomId"], body["targetUserId"]) == (seated.pk, mallory.pk)
    assert (body["durationSecs"], body["eligibleCount"]) == (300, 4)
    assert body["expiresAt"] == (vote.started_at + timedelta(seconds=30)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert sorted(vote.eligible_user_ids) == sorted([alice.pk, bob.pk, carol.pk, dave.pk])
    assert (vote.yes_count, vote.no_count) == (1, 0)
    assert Ballot.objects.get().user == alice
    [(event, scope)] = published.of(VoteStarted)
    assert scope == Users((alice.pk, bob.pk, carol.pk, dave.pk, mallory.pk))
    assert event.vote == {
        "id": vote.pk,
        "sourceRoomId": seated.pk,
        "targetUserId": mallory.pk,
        "targetUsername": "mallory",
        "targetDisplayName": "Mallory",
        "initiatedBy": {"id": alice.pk, "username": "alice", "displayName": "Alice"},
        "durationSecs": 300,
        "eligibleCount": 4,
        "expiresAt": body["expiresAt"],
    }


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "targetUserId and durationSecs are required"),
        ({"targetUserId": 0, "durationSecs": 60}, "targetUserId and durationSecs are required"),
        ({"targetUserId": 5, "durationSecs": ""}, "targetUserId and durationSecs are required"),
        ({"targetUserId": 5, "durationSecs": "60"}, "durationSecs must be 60, 300, 900, or 1800"),
        ({"targetUserId": 5, "durationSecs": 61}, "durationSecs must be 60, 300, 900, or 1800"),
        ({"targetUserId": 5, "durationSecs": True}, "durationSecs must be 60, 300, 900, or 1800"),
    ],
)
def test_vote_refuses_bad_input_before_anything_else(client_for, mallory, body, error):
    # mallory is in no room: the input checks come first.
    response = client_for(mallory).post("/api/votes", body, format="json")
    assert (response.status_code, response.json()) == (400, {"error": error})


def test_vote_against_yourself_is_refused_before_the_room_check(client_for, mallory):
    response = _start(client_for(mallory), mallory)
    assert response.json() == {"error": "Cannot vote against yourself"}


def test_vote_needs_the_caller_in_a_room(client_for, lounge, alice, mallory):
    membership_enter(user=mallory, room=lounge)
    response = _start(client_for(alice), mallory)
    assert (response.status_code, response.json()["error"]) == (
        400,
        "You must be in a room to start a vote",
    )


def test_vote_from_no_room_is_refused_before_the_target_is_looked_at(client_for, alice):
    # An unknown target would be "Target must be in the same room" had it been checked first.
    response = client_for(alice).post(
        "/api/votes", {"targetUserId": 999_999, "durationSecs": 60}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"error": "You must be in a room to start a vote"},
    )


def test_vote_in_a_jail_room_is_refused(client_for, lounge, alice, bob, carol):
    jail = RoomModel.objects.create(name="Jail: Lounge", is_jail=True, jail_source=lounge)
    for user in (alice, bob, carol):
        membership_enter(user=user, room=jail)
    response = _start(client_for(alice), bob)
    assert (response.status_code, response.json()["error"]) == (
        400,
        "Cannot start votes in jail rooms",
    )


@pytest.mark.parametrize("target", ["elsewhere", "unknown", "string", "huge", "fraction"])
def test_vote_target_must_be_in_the_same_room(client_for, seated, alice, make_user, target):
    other_room = RoomModel.objects.create(name="Other")
    erin = make_user("erin")
    membership_enter(user=erin, room=other_room)
    target_id = {
        "elsewhere": erin.pk,
        "unknown": 999_999,
        "string": str(erin.pk),
        "huge": 10**30,
        "fraction": 1.5,
    }[target]
    response = client_for(alice).post(
        "/api/votes", {"targetUserId": target_id, "durationSecs": 60}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"error": "Target must be in the same room"},
    )


def test_second_vote_in_a_room_is_a_conflict(client_for, seated, alice, bob, mallory, carol):
    assert _start(client_for(alice), mallory).status_code == 201
    response = _start(client_for(bob), carol)
    assert (response.status_code, response.json()) == (
        409,
        {"error": "A vote is already in progress in this room"},
    )


def test_vote_on_someone_already_jailed_from_the_room_is_a_conflict(
    client_for, seated, alice, mallory
):
    jail = RoomModel.objects.create(name="Jail: Lounge", is_jail=True, jail_source=seated)
    Punishment.objects.create(
        target=mallory,
        source_room=seated,
        jail_room=jail,
        duration_secs=60,
        expires_at=timezone.now() + timedelta(seconds=60),
    )
    response = _start(client_for(alice), mallory)
    assert (response.status_code, response.json()) == (
        409,
        {"error": "Target is already punished from this room"},
    )


def test_vote_needs_two_voters_besides_the_target(client_for, lounge, alice, mallory):
    membership_enter(user=alice, room=lounge)
    membership_enter(user=mallory, room=lounge)
    response = _start(client_for(alice), mallory)
    assert (response.status_code, response.json()) == (
        400,
        {"error": "Need at least 3 people in the room to start a vote"},
    )
    assert not Vote.objects.exists()


def test_ballot_counts_and_tells_the_room(
    published, client_for, seated, alice, bob, carol, dave, mallory
):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    published.clear()

    response = client_for(bob).post(
        f"/api/votes/{vote.pk}/ballot", {"voteYes": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"voteId": vote.pk, "yesCount": 1, "noCount": 1, "eligibleCount": 4}
    [(event, scope)] = published.of(BallotCast)
    assert scope == Users((alice.pk, bob.pk, carol.pk, dave.pk, mallory.pk))
    assert event.payload() == {
        "voteId": vote.pk,
        "sourceRoomId": seated.pk,
        "yesCount": 1,
        "noCount": 1,
        "eligibleCount": 4,
    }
    assert published.of(VoteResolved) == []


@pytest.mark.parametrize(
    ("path", "body", "status", "error"),
    [
        ("/api/votes/abc/ballot", {"voteYes": True}, 400, "Invalid vote ID"),
        ("/api/votes/999999/ballot", {"voteYes": "true"}, 400, "voteYes must be a boolean"),
        ("/api/votes/999999/ballot", {"voteYes": 1}, 400, "voteYes must be a boolean"),
        ("/api/votes/999999/ballot", {}, 400, "voteYes must be a boolean"),
        ("/api/votes/999999/ballot", {"voteYes": True}, 404, "Vote not found or already resolved"),
        ("/api/votes/0/ballot", {"voteYes": True}, 404, "Vote not found or already resolved"),
        ("/api/votes/99999999999999999999/ballot", {"voteYes": True}, 404, None),
    ],
)
def test_ballot_input_errors(client_for, bob, path, body, status, error):
    response = client_for(bob).post(path, body, format="json")
    assert response.status_code == status
    assert response.json()["error"] == (error or "Vote not found or already resolved")


def test_ballot_refusals_in_order(client_for, seated, alice, bob, carol, mallory, make_user):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    url = f"/api/votes/{vote.pk}/ballot/"

    def ballot(user):
        response = client_for(user).post(url, {"voteYes": True}, format="json")
        return response.status_code, response.json()["error"]

    assert ballot(mallory) == (403, "The vote target cannot vote")
    membership_end(user=carol)
    assert ballot(carol) == (403, "You must be in the same room to vote")
    assert ballot(alice) == (409, "You have already voted")
    late = make_user("erin")
    membership_enter(user=late, room=seated)
    assert ballot(late) == (403, "You were not in the room when this vote started")
    assert Vote.objects.get().yes_count == 1


def test_ballot_after_the_window_is_refused_even_before_the_scheduler_runs(
    client_for, seated, alice, bob, mallory
):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    Vote.objects.filter(pk=vote.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_for(bob).post(
        f"/api/votes/{vote.pk}/ballot", {"voteYes": True}, format="json"
    )
    assert (response.status_code, response.json()) == (
        404,
        {"error": "Vote not found or already resolved"},
    )


def test_a_no_from_half_the_room_fails_the_vote_at_once(
    published, seated, alice, bob, carol, dave, mallory
):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    ballot_cast(vote_id=vote.pk, user=bob, vote_yes=False)
    published.clear()

    tally = ballot_cast(vote_id=vote.pk, user=carol, vote_yes=False)

    assert (tally["yesCount"], tally["noCount"]) == (1, 2)
    assert published.names() == ["vote:ballot_cast", "vote:resolved"]
    [(event, scope)] = published.of(VoteResolved)
    assert event.payload() == {
        "voteId": vote.pk,
        "sourceRoomId": seated.pk,
        "passed": False,
        "yesCount": 1,
        "noCount": 2,
        "eligibleCount": 4,
        "targetUserId": mallory.pk,
        "targetUsername": "mallory",
        "targetDisplayName": "Mallory",
    }
    assert set(scope.user_ids) == {alice.pk, bob.pk, carol.pk, dave.pk, mallory.pk}
    vote.refresh_from_db()
    assert (vote.resolved, vote.passed) == (True, False)
    assert not Punishment.objects.exists()
    with pytest.raises(Exception, match="Vote not found or already resolved"):
        ballot_cast(vote_id=vote.pk, user=dave, vote_yes=True)


def test_a_strict_majority_passes_the_vote_at_once(published, seated, alice, bob, carol, mallory):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    ballot_cast(vote_id=vote.pk, user=bob, vote_yes=True)
    assert not Vote.objects.get().resolved  # 2 of 4 is not more than half
    published.clear()

    ballot_cast(vote_id=vote.pk, user=carol, vote_yes=True)

    vote.refresh_from_db()
    assert (vote.resolved, vote.passed, vote.yes_count) == (True, True, 3)
    [(event, scope)] = published.of(VoteResolved)
    assert event.passed is True
    # The target hears the result too, although the jail moves them out in the same commit.
    assert mallory.pk in scope.user_ids
    assert Punishment.objects.get().target == mallory


def test_the_deciding_ballot_reaches_the_target_the_vote_jails(
    published, seated, alice, bob, carol, dave, mallory
):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    ballot_cast(vote_id=vote.pk, user=bob, vote_yes=True)
    published.clear()

    ballot_cast(vote_id=vote.pk, user=carol, vote_yes=True)

    # Addressed when the ballot was counted, before the jail moved mallory out in the same
    # transaction: every ballot update reaches everyone who was in the room, as in 1.x.
    [(ballot, scope)] = published.of(BallotCast)
    assert ballot.yesCount == 3
    assert scope == Users((alice.pk, bob.pk, carol.pk, dave.pk, mallory.pk))


def test_everyone_having_voted_resolves_the_vote(published, lounge, alice, bob, carol, make_user):
    erin, frank = make_user("erin"), make_user("frank")
    for user in (alice, bob, carol, erin, frank):
        membership_enter(user=user, room=lounge)
    # Eligible: alice, bob, carol, erin (4). yes 2 / no 1 is not decided; the last ballot is.
    vote = vote_start(user=alice, target_user_id=frank.pk, duration_secs=60)
    ballot_cast(vote_id=vote.pk, user=bob, vote_yes=True)
    ballot_cast(vote_id=vote.pk, user=carol, vote_yes=False)
    assert not Vote.objects.get().resolved
    ballot_cast(vote_id=vote.pk, user=erin, vote_yes=False)
    vote.refresh_from_db()
    assert (vote.resolved, vote.passed, vote.yes_count, vote.no_count) == (True, False, 2, 2)


def test_a_tie_at_the_deadline_fails_and_fires_once(
    published, seated, alice, bob, carol, dave, mallory
):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    ballot_cast(vote_id=vote.pk, user=bob, vote_yes=True)
    published.clear()

    run_jobs(now=vote.expires_at - timedelta(milliseconds=1))
    assert published.names() == []
    run_jobs(now=vote.expires_at)
    run_jobs(now=vote.expires_at + timedelta(seconds=1))

    assert published.names() == ["vote:resolved"]
    [(event, _)] = published.of(VoteResolved)
    assert (event.passed, event.yesCount, event.noCount) == (False, 2, 0)
    assert not Punishment.objects.exists()


def test_a_new_vote_may_start_once_the_last_resolved(seated, alice, bob, mallory, carol):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    run_jobs(now=vote.expires_at)
    again = vote_start(user=bob, target_user_id=carol.pk, duration_secs=900)
    assert again.pk != vote.pk


def test_unique_constraint_refuses_a_second_open_vote_even_past_the_checks(
    seated, alice, bob, mallory, carol
):
    vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    # As if two requests passed the "already in progress" check together.
    from moderation.services import votes

    with pytest.raises(Conflict, match="A vote is already in progress in this room"):
        votes._vote_insert(room=seated, target=carol, user=bob, duration=60, eligible=[1, 2])


def test_the_target_cannot_vote_even_if_listed(seated, alice, mallory):
    vote = vote_start(user=alice, target_user_id=mallory.pk, duration_secs=60)
    with pytest.raises(Forbidden, match="The vote target cannot vote"):
        ballot_cast(vote_id=vote.pk, user=mallory, vote_yes=False)
