import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decideLanding, releaseTarget } from '../../static/js/lib/landing.js';
import { activeVote, canDelete, canLift, canVoteAgainst, jailedFrom, people, visibleRooms, whisperSource } from '../../static/js/lib/selectors.js';
import { applyEvent, joined } from '../../static/js/lib/state.js';
import { ALICE, BOB, CAROL, DAVE, GENERAL, JAIL, LOUNGE, NOW, davePunishment, syncedState } from './fixtures.js';

test('jail rooms are listed only for the one who is in them', () => {
  const alice = syncedState(ALICE);
  assert.deepEqual(visibleRooms(alice).map((r) => r.name), ['General', 'Lounge']);
  const dave = syncedState(DAVE);
  joined(dave, JAIL);
  assert.deepEqual(visibleRooms(dave).map((r) => r.name), ['General', 'Jail: Lounge', 'Lounge']);
});

test('people are everyone but me, online first, by name', () => {
  const state = syncedState(ALICE, { online: [ALICE, DAVE, BOB] });
  const { online, offline } = people(state);
  assert.deepEqual(online.map((u) => u.username), ['bob', 'dave']);
  assert.deepEqual(offline.map((u) => u.username), ['carol']);
});

test('Lift is for the source room creator or staff only', () => {
  const punishment = davePunishment();
  assert.equal(canLift(syncedState(ALICE), punishment), true, 'alice created the Lounge');
  assert.equal(canLift(syncedState(BOB), punishment), false);
  const staff = syncedState(BOB);
  staff.me.is_staff = true;
  assert.equal(canLift(staff, punishment), true);
  assert.equal(canLift(syncedState(ALICE), davePunishment({ sourceRoomId: GENERAL.id })), false, 'General has no creator');
});

test('only the creator may delete a room', () => {
  assert.equal(canDelete(syncedState(ALICE), LOUNGE), true);
  assert.equal(canDelete(syncedState(BOB), LOUNGE), false);
  assert.equal(canDelete(syncedState(ALICE), GENERAL), false);
});

test('nobody is offered to delete General, staff neither, nor General once it has a creator', () => {
  const staff = syncedState(ALICE);
  staff.me.is_staff = true;
  assert.equal(canDelete(staff, LOUNGE), true);
  assert.equal(canDelete(staff, GENERAL), false);
  assert.equal(canDelete(syncedState(ALICE), { ...GENERAL, created_by: ALICE.id }), false);
});

test('a vote can be started against another member of my room when none is open', () => {
  const state = syncedState(ALICE, { members: { 2: [BOB, DAVE] } });
  joined(state, LOUNGE);
  assert.equal(canVoteAgainst(state, DAVE.id), true);
  assert.equal(canVoteAgainst(state, ALICE.id), false, 'not myself');
  assert.equal(canVoteAgainst(state, CAROL.id), false, 'not someone elsewhere');
  applyEvent(state, 'vote:started', { vote: { id: 1, sourceRoomId: 2, targetUserId: 4, initiatedBy: { id: 2 }, durationSecs: 60, eligibleCount: 2, expiresAt: '2026-01-10 12:00:30' } }, NOW);
  assert.equal(activeVote(state, 2)?.id, 1);
  assert.equal(canVoteAgainst(state, DAVE.id), false, 'one vote at a time');
});

test('no votes from jail', () => {
  const state = syncedState(DAVE, { members: { 9: [CAROL] }, punishments: [davePunishment()] });
  joined(state, JAIL);
  assert.equal(canVoteAgainst(state, CAROL.id), false);
});

test('the jailed-from-this-room panel lists that room\'s punishments only', () => {
  const state = syncedState(ALICE, { punishments: [davePunishment(), davePunishment({ id: 8, sourceRoomId: 1 })] });
  assert.deepEqual(jailedFrom(state, 2).map((p) => p.id), [7]);
  assert.deepEqual(jailedFrom(state, null), []);
});

test('in a whispers chain I hear the member before me, circularly', () => {
  const chain = [
    { userId: 1, username: 'alice', displayName: 'Alice', position: 0 },
    { userId: 2, username: 'bob', displayName: 'Bob', position: 1 },
    { userId: 3, username: 'carol', displayName: 'Carol', position: 2 },
  ];
  assert.equal(whisperSource(chain, 2)?.userId, 1);
  assert.equal(whisperSource(chain, 1)?.userId, 3);
  assert.equal(whisperSource(chain, 4), null);
  assert.equal(whisperSource([chain[0]], 1)?.userId, 1);
});

test('a new user lands in General', () => {
  const state = syncedState({ id: 12, username: 'newbie', display_name: 'Newbie' });
  assert.deepEqual(decideLanding(state), { action: 'join', roomId: GENERAL.id });
});

test('a returning user lands in their last room', () => {
  const state = syncedState(ALICE);
  state.me.last_room_id = LOUNGE.id;
  assert.deepEqual(decideLanding(state), { action: 'join', roomId: LOUNGE.id });
});

test('a jailed user lands in their jail, whatever their last room', () => {
  const state = syncedState(DAVE, { punishments: [davePunishment()] });
  state.me.last_room_id = GENERAL.id;
  assert.deepEqual(decideLanding(state), { action: 'join', roomId: JAIL.id });
});

test('a stale jail as last room is not a landing place', () => {
  const state = syncedState(DAVE);
  state.me.last_room_id = JAIL.id;
  assert.deepEqual(decideLanding(state), { action: 'join', roomId: GENERAL.id });
});

test('a deleted last room falls back to General', () => {
  const state = syncedState(ALICE);
  state.me.last_room_id = 99;
  assert.deepEqual(decideLanding(state), { action: 'join', roomId: GENERAL.id });
});

test('nothing is decided before the snapshot or while a join is on its way', () => {
  const state = syncedState(ALICE);
  state.pendingJoinRoomId = 2;
  assert.deepEqual(decideLanding(state), { action: 'none' });
  state.pendingJoinRoomId = null;
  state.synced = false;
  assert.deepEqual(decideLanding(state), { action: 'none' });
});

test('after a reconnect: still in my room, nothing to do', () => {
  const state = syncedState(ALICE);
  joined(state, LOUNGE);
  assert.deepEqual(decideLanding(state), { action: 'none' });
});

test('after a long drop that cost my membership, rejoin my room', () => {
  const state = syncedState(ALICE);
  joined(state, LOUNGE);
  state.members.clear();
  assert.deepEqual(decideLanding(state), { action: 'join', roomId: LOUNGE.id });
});

test('after a reconnect that finds me moved by another tab, follow it', () => {
  const state = syncedState(ALICE);
  joined(state, LOUNGE);
  state.members = new Map([[GENERAL.id, [ALICE]]]);
  assert.deepEqual(decideLanding(state), { action: 'follow', roomId: GENERAL.id });
});

test('jailed while disconnected: the next snapshot sends me to jail', () => {
  const state = syncedState(DAVE);
  joined(state, LOUNGE);
  state.punishments.set(7, davePunishment());
  assert.deepEqual(decideLanding(state), { action: 'join', roomId: JAIL.id });
});

test('release goes to the source room, or General when it is gone', () => {
  const state = syncedState(DAVE);
  assert.equal(releaseTarget(state, LOUNGE.id), LOUNGE.id);
  state.rooms.delete(LOUNGE.id);
  assert.equal(releaseTarget(state, LOUNGE.id), GENERAL.id);
  assert.equal(releaseTarget(state, null), GENERAL.id);
});
