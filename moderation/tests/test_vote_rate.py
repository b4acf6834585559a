"""Vote starts are limited per user (VOTE_START_RATE, default 5 a minute): one member cannot put
vote after vote to the room against someone."""

from __future__ import annotations

import pytest

from moderation.models import Vote
from realtime.events import VoteStarted

pytestmark = pytest.mark.django_db(transaction=True)
TOO_FAST = {"error": "You are starting votes too quickly, please try again later"}


def _start(client, target):
    return client.post("/api/votes", {"targetUserId": target.pk, "durationSecs": 60}, format="json")


def _close_open_votes():
    Vote.objects.filter(resolved=False).update(resolved=True, passed=False)


def test_the_sixth_vote_a_minute_is_refused_and_reaches_nobody(
    published, client_for, seated, mallory, bob, alice
):
    attacker = client_for(mallory)
    statuses = []
    for _ in range(6):
        statuses.append(_start(attacker, bob))
        _close_open_votes()

    refused = statuses[-1]
    assert [r.status_code for r in statuses] == [201] * 5 + [429]
    assert refused.json() == TOO_FAST
    assert 0 < int(refused["Retry-After"]) <= 60
    assert len(published.of(VoteStarted)) == 5
    assert Vote.objects.count() == 5
    # Someone else in the room may still start one.
    assert _start(client_for(alice), bob).status_code == 201


def test_refused_starts_do_not_count(client_for, seated, mallory, bob):
    attacker = client_for(mallory)
    assert _start(attacker, mallory).status_code == 400  # against yourself
    assert _start(attacker, bob).status_code == 201
    for _ in range(10):
        assert _start(attacker, bob).status_code == 409  # one vote at a time per room
    for _ in range(4):
        _close_open_votes()
        assert _start(attacker, bob).status_code == 201
    assert Vote.objects.count() == 5


def test_the_rate_is_a_setting(settings, client_for, seated, mallory, bob):
    settings.VOTE_START_RATE = (1, 60)
    assert _start(client_for(mallory), bob).status_code == 201
    _close_open_votes()
    assert _start(client_for(mallory), bob).status_code == 429
