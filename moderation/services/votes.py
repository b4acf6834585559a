"""Votes to jail someone and their ballots: 1.x's rules, in their order and with their strings
(original-server.md §6.3-§6.5); the windows are deadlines in the database, fired once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.services import Kind, audit_record
from core import db
from core.errors import BadRequest, Conflict, Forbidden, NotFound
from core.parsing import db_id, js_truthy
from core.rates import rate_hit
from core.retry import retry_transaction
from core.scheduler import each_due
from core.timefmt import duration_words
from moderation.models import (
    PUNISHMENT_DURATIONS,
    VOTE_MIN_PEOPLE,
    VOTE_WINDOW_SECONDS,
    Ballot,
    Vote,
)
from moderation.permissions import can_cancel_vote
from moderation.selectors import punishment_exists_from, vote_payload
from moderation.services.punishments import punishment_start
from moderation.shapes import BallotTally
from realtime.events import BallotCast, VoteResolved, VoteStarted
from realtime.publish import publish
from rooms.models import Room
from rooms.selectors import room_audience, room_member_ids, user_room_id

VOTE_GONE = "Vote not found or already resolved"
TOO_FAST = "You are starting votes too quickly, please try again later"


def _is_number(value: Any) -> bool:
    # JavaScript's `===` between numbers: 60.0 is 60, true is not 1.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@transaction.atomic
def vote_start(*, user: User, target_user_id: Any, duration_secs: Any) -> Vote:
    """Opens a 30 s vote on jailing `target_user_id` from the caller's room, with the
    caller's yes already counted. Publishes `vote:started` to the room. Raises
    TooManyRequests past VOTE_START_RATE votes opened by the caller."""
    if not js_truthy(target_user_id) or not js_truthy(duration_secs):
        raise BadRequest("targetUserId and durationSecs are required")
    if not _is_number(duration_secs) or duration_secs not in PUNISHMENT_DURATIONS:
        raise BadRequest("durationSecs must be 60, 300, 900, or 1800")
    if _is_number(target_user_id) and target_user_id == user.pk:
        raise BadRequest("Cannot vote against yourself")
    room_id = user_room_id(user.pk)
    if room_id is None:
        raise BadRequest("You must be in a room to start a vote")
    room = Room.objects.filter(pk=room_id).first()
    if room is None or room.is_jail:
        raise BadRequest("Cannot start votes in jail rooms")
    target = _member_target(target_user_id, room_id=room.pk)
    if Vote.objects.filter(source_room=room, resolved=False).exists():
        raise Conflict("A vote is already in progress in this room")
    if punishment_exists_from(user_id=target.pk, room_id=room.pk):
        raise Conflict("Target is already punished from this room")
    eligible = [uid for uid in room_member_ids(room.pk) if uid != target.pk]
    if len(eligible) < VOTE_MIN_PEOPLE - 1:
        raise BadRequest(f"Need at least {VOTE_MIN_PEOPLE} people in the room to start a vote")
    # Counted only for a vote about to open (each one is put to the whole room).
    rate_hit(group="votes.start", key=user.pk, rate=settings.VOTE_START_RATE, message=TOO_FAST)
    vote = _vote_insert(
        room=room, target=target, user=user, duration=int(duration_secs), eligible=eligible
    )
    audit_record(
        kind=Kind.VOTE_STARTED,
        actor=user,
        target=target,
        room_id=room.pk,
        room_name=room.name,
        detail=f"Vote {vote.pk}: jail for {duration_words(vote.duration_secs)}",
    )
    publish(VoteStarted(vote=vote_payload(vote)), to=room_audience(room.pk))
    return vote


def _member_target(target_user_id: Any, *, room_id: int) -> User:
    target = None
    target_id = db_id(target_user_id)
    if target_id is not None:
        target = User.objects.filter(pk=target_id).first()
    if target is None or user_room_id(target.pk) != room_id:
        raise BadRequest("Target must be in the same room")
    return target


def _vote_insert(
    *, room: Room, target: User, user: User, duration: int, eligible: list[int]
) -> Vote:
    now = timezone.now()
    try:
        # A savepoint: losing the race for the room's one open vote must leave the outer
        # transaction usable so the refusal can be reported.
        with transaction.atomic():
            vote = Vote.objects.create(
                source_room=room,
                target=target,
                initiated_by=user,
                duration_secs=duration,
                started_at=now,
                expires_at=now + timedelta(seconds=VOTE_WINDOW_SECONDS),
                eligible_user_ids=eligible,
                eligible_count=len(eligible),
                yes_count=1,
            )
    except IntegrityError as exc:
        raise Conflict("A vote is already in progress in this room") from exc
    Ballot.objects.create(vote=vote, user=user, vote_yes=True, cast_at=now)
    return vote


# Retried (core.retry): a passing ballot jails the target, whose move locks rooms after this
# vote's row, against the order of rooms.services.locks; a deletion of the room meanwhile
# waits for this vote from the other side, and PostgreSQL breaks that deadlock.
@retry_transaction
@transaction.atomic
def ballot_cast(*, vote_id: int, user: User, vote_yes: Any) -> BallotTally:
    """Records the caller's yes or no and resolves the vote early once the outcome is
    certain. Publishes `vote:ballot_cast` (and `vote:resolved`, jail events) to the room."""
    if not isinstance(vote_yes, bool):
        raise BadRequest("voteYes must be a boolean")
    # A ballot is a few fixed statements (see core.db); the row lock serialises ballots on one
    # vote, so counts and resolution never interleave.
    vote = _vote_locked(vote_id)
    # Past its window a vote only waits for the scheduler; 1.x still took ballots then.
    if vote is None or vote.expires_at <= timezone.now():
        raise NotFound(VOTE_GONE)
    if vote.target_id == user.pk:
        raise Forbidden("The vote target cannot vote")
    if user_room_id(user.pk) != vote.source_room_id:
        raise Forbidden("You must be in the same room to vote")
    # (Only someone eligible can have voted, so asking this first changes no answer.)
    if user.pk not in vote.eligible_user_ids:
        raise Forbidden("You were not in the room when this vote started")
    _ballot_insert(vote=vote, user=user, vote_yes=vote_yes)
    audit_record(
        kind=Kind.BALLOT_CAST,
        actor=user,
        target=vote.target,
        room_id=vote.source_room_id,
        room_name=vote.source_room_name,
        detail=f"Vote {vote.pk}: {'yes' if vote_yes else 'no'}",
    )
    publish(
        BallotCast(
            voteId=vote.pk,
            sourceRoomId=vote.room_pk,
            yesCount=vote.yes_count,
            noCount=vote.no_count,
            eligibleCount=vote.eligible_count,
        ),
        to=room_audience(vote.room_pk),
    )
    tally = BallotTally(
        voteId=vote.pk,
        yesCount=vote.yes_count,
        noCount=vote.no_count,
        eligibleCount=vote.eligible_count,
    )
    if _outcome_certain(vote):
        _vote_close(vote=vote)
    return tally


_VOTE_FIELDS = (
    "id",
    "source_room_id",
    "source_room_name",
    "target_id",
    "duration_secs",
    "expires_at",
    "eligible_user_ids",
    "eligible_count",
    "yes_count",
    "no_count",
)
_VOTE_LOCKED = db.sql(
    "SELECT {fields}, u.{username}, u.{display_name} FROM {votes} v"
    " JOIN {users} u ON u.{user_id} = v.{target} WHERE v.{id} = %s AND v.{resolved} = %s{lock}",
    fields=db.columns(Vote, _VOTE_FIELDS, prefix="v."),
    username=db.column(User, "username"),
    display_name=db.column(User, "display_name"),
    votes=db.table(Vote),
    users=db.table(User),
    user_id=db.column(User, "id"),
    target=db.column(Vote, "target_id"),
    id=db.column(Vote, "id"),
    resolved=db.column(Vote, "resolved"),
    lock=db.for_update(of="v"),
)
_BALLOT_INSERT = db.sql(
    "INSERT INTO {ballots} ({fields}) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
    ballots=db.table(Ballot),
    fields=db.columns(Ballot, ["vote_id", "user_id", "vote_yes", "cast_at"]),
)
_COUNTED = {
    column: db.sql(
        "UPDATE {votes} SET {count} = {count} + 1 WHERE {id} = %s",
        votes=db.table(Vote),
        count=db.column(Vote, column),
        id=db.column(Vote, "id"),
    )
    for column in ("yes_count", "no_count")
}


def _vote_locked(vote_id: int) -> Vote | None:
    row = db.select_one(_VOTE_LOCKED, [vote_id, False])
    if row is None:
        return None
    *fields, username, display_name = row
    fields[_VOTE_FIELDS.index("eligible_user_ids")] = db.json_value(
        fields[_VOTE_FIELDS.index("eligible_user_ids")]
    )
    vote = db.instance(Vote, _VOTE_FIELDS, fields)
    vote.target = db.instance(
        User, ("id", "username", "display_name"), (vote.target_id, username, display_name)
    )
    return vote


def _ballot_insert(*, vote: Vote, user: User, vote_yes: bool) -> None:
    # The (vote, voter) unique constraint is what says "already voted", even between processes.
    ballot = [vote.pk, user.pk, vote_yes, db.timestamp(timezone.now())]
    if not db.execute(_BALLOT_INSERT, ballot):
        raise Conflict("You have already voted")
    counter = "yes_count" if vote_yes else "no_count"
    db.execute(_COUNTED[counter], [vote.pk])
    setattr(vote, counter, getattr(vote, counter) + 1)


def _outcome_certain(vote: Vote) -> bool:
    eligible = vote.eligible_count
    return (
        vote.yes_count * 2 > eligible
        or vote.no_count * 2 >= eligible
        or vote.yes_count + vote.no_count >= eligible
    )


@retry_transaction  # as ballot_cast, for the same jail move
@transaction.atomic
def vote_resolve(*, vote_id: int) -> bool:
    """Resolves a vote if nobody has yet: passed when yes > eligible / 2, and jails the target
    then. Publishes `vote:resolved` (and the jail's events). False if it was already resolved."""
    # Only the vote and its target are locked through the join: a deleted room (or initiator)
    # leaves a vote's foreign key empty, and PostgreSQL cannot lock the empty side of a join.
    vote = (
        Vote.objects.select_for_update(of=("self", "target"))
        .select_related("target", "source_room", "initiated_by")
        .filter(pk=vote_id, resolved=False)
        .first()
    )
    if vote is None:
        return False
    return _vote_close(vote=vote)


def _vote_close(*, vote: Vote, cancelled_by: User | None = None, why: str = "") -> bool:
    passed = cancelled_by is None and not why and vote.yes_count * 2 > vote.eligible_count
    # The conditional write is the claim: of any number of resolvers, exactly one gets 1 here.
    if not Vote.objects.filter(pk=vote.pk, resolved=False).update(resolved=True, passed=passed):
        return False
    vote.resolved, vote.passed = True, passed
    _vote_close_audit(vote=vote, cancelled_by=cancelled_by, why=why)
    # Addressed to the members now, before the jail moves the target out, as 1.x did.
    publish(
        VoteResolved(
            voteId=vote.pk,
            sourceRoomId=vote.room_pk,
            passed=passed,
            yesCount=vote.yes_count,
            noCount=vote.no_count,
            eligibleCount=vote.eligible_count,
            targetUserId=vote.target_id,
            targetUsername=vote.target.username,
            targetDisplayName=vote.target.display_name,
        ),
        to=room_audience(vote.room_pk),
    )
    if passed:
        punishment_start(vote=vote)
    return True


def _vote_close_audit(*, vote: Vote, cancelled_by: User | None, why: str) -> None:
    tally = f"{vote.yes_count} yes, {vote.no_count} no of {vote.eligible_count}"
    outcome = why or ("cancelled" if cancelled_by else "passed" if vote.passed else "failed")
    audit_record(
        kind=Kind.VOTE_RESOLVED if cancelled_by is None and not why else Kind.VOTE_CANCELLED,
        actor=cancelled_by,
        target=vote.target,
        room_id=vote.source_room_id,
        room_name=vote.source_room_name,
        detail=f"Vote {vote.pk} {outcome}: {tally}",
        override=cancelled_by is not None and not why,
    )


@transaction.atomic
def vote_cancel(*, vote_id: int, actor: User) -> bool:
    """Staff override: ends an open vote as failed. Publishes `vote:resolved` (passed false)."""
    if not can_cancel_vote(actor):
        raise Forbidden("Only staff can cancel votes")
    vote = (
        Vote.objects.select_for_update(of=("self", "target"))
        .select_related("target", "source_room")
        .filter(pk=vote_id, resolved=False)
        .first()
    )
    if vote is None:
        raise NotFound(VOTE_GONE)
    return _vote_close(vote=vote, cancelled_by=actor)


def votes_end_with_rooms(*, room_ids: list[int], actor: User) -> None:
    """Room-deletion step: fails the open votes of rooms about to be deleted, by whoever
    deletes them. Publishes `vote:resolved` (passed false) to each room's members."""
    votes = Vote.objects.select_for_update().select_related("target")
    for vote in votes.filter(source_room_id__in=room_ids, resolved=False).order_by("pk"):
        _vote_close(vote=vote, cancelled_by=actor, why="ended: its room was deleted")


def votes_resolve_due(*, now: datetime) -> None:
    """Scheduler job: resolves every vote past its window, each claimed once."""
    due = Vote.objects.filter(resolved=False, expires_at__lte=now).values_list("pk", flat=True)
    each_due(due, lambda vote_id: vote_resolve(vote_id=vote_id), what="Resolving vote")
