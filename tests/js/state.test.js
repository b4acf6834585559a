import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applyEvent, applyHello, joined, mergeRoomPunishments, myPunishment, roomOfUser } from '../../static/js/lib/state.js';
import { ALICE, BOB, CAROL, DAVE, GENERAL, JAIL, LOUNGE, NOW, davePunishment, syncedState } from './fixtures.js';

test('a snapshot replaces members, votes, punishments and chains', () => {
  const state = syncedState(ALICE, { members: { 2: [BOB] } });
  applyEvent(state, 'user:room_join', { user: CAROL, roomId: 2 }, NOW);
  applyHello(state, { online: [ALICE, DAVE], members: { 1: [DAVE] }, votes: [], punishments: [davePunishment()], chains: {}, serverTime: new Date(NOW).toISOString() }, NOW);
  assert.deepEqual([...state.members.keys()], [1]);
  assert.equal(roomOfUser(state, CAROL.id), null);
  assert.equal(state.punishments.size, 1);
  assert.equal(state.users.get(DAVE.id)?.is_online, true);
});

test('people who dropped while we were away turn offline with a last-seen time', () => {
  const state = syncedState(ALICE, { online: [ALICE, BOB] });
  assert.equal(state.users.get(BOB.id)?.is_online, true);
  applyHello(state, { online: [ALICE], members: {}, serverTime: new Date(NOW).toISOString() }, NOW);
  assert.equal(state.users.get(BOB.id)?.is_online, false);
  assert.equal(state.users.get(BOB.id)?.last_seen, '2026-01-10 12:00:00');
});

test('the server clock offset comes from the snapshot', () => {
  const state = syncedState(ALICE, { serverTime: new Date(NOW + 5000).toISOString() });
  assert.equal(state.clockOffsetMs, 5000);
});

test('joining a room moves the member out of every other room', () => {
  const state = syncedState(ALICE, { members: { 1: [BOB, CAROL] } });
  applyEvent(state, 'user:room_join', { user: BOB, roomId: 2 }, NOW);
  assert.deepEqual(state.members.get(1)?.map((u) => u.id), [CAROL.id]);
  assert.deepEqual(state.members.get(2)?.map((u) => u.id), [BOB.id]);
});

test('others entering and leaving my room are reported (the sound hooks)', () => {
  const state = syncedState(ALICE);
  joined(state, LOUNGE);
  assert.deepEqual(applyEvent(state, 'user:room_join', { user: BOB, roomId: 2 }, NOW).map((e) => e.kind), ['peer-joined']);
  assert.deepEqual(applyEvent(state, 'user:room_join', { user: BOB, roomId: 1 }, NOW).map((e) => e.kind), ['peer-left']);
  applyEvent(state, 'user:room_join', { user: CAROL, roomId: 2 }, NOW);
  assert.deepEqual(applyEvent(state, 'user:room_leave', { user: CAROL, roomId: 2 }, NOW).map((e) => e.kind), ['peer-left']);
  assert.deepEqual(applyEvent(state, 'user:room_join', { user: DAVE, roomId: 1 }, NOW), []);
});

test('my own move, asked for by this tab, is left to the join response', () => {
  const state = syncedState(ALICE);
  joined(state, GENERAL);
  state.pendingJoinRoomId = LOUNGE.id;
  assert.deepEqual(applyEvent(state, 'user:room_leave', { user: ALICE, roomId: 1 }, NOW), []);
  assert.deepEqual(applyEvent(state, 'user:room_join', { user: ALICE, roomId: 2 }, NOW), []);
  assert.equal(state.currentRoomId, GENERAL.id);
});

test('a move this tab did not ask for is another tab, a jail, or a release', () => {
  const state = syncedState(DAVE);
  joined(state, LOUNGE);
  assert.deepEqual(applyEvent(state, 'user:room_join', { user: DAVE, roomId: JAIL.id }, NOW), [{ kind: 'moved-to-jail', roomId: JAIL.id }]);
  assert.deepEqual(applyEvent(state, 'user:room_join', { user: DAVE, roomId: LOUNGE.id }, NOW), [{ kind: 'released-by-move', roomId: LOUNGE.id }]);
  assert.deepEqual(applyEvent(state, 'user:room_join', { user: DAVE, roomId: GENERAL.id }, NOW), [{ kind: 'moved-elsewhere', roomId: GENERAL.id }]);
  assert.equal(state.currentRoomId, GENERAL.id);
});

test('being removed from my room is reported once', () => {
  const state = syncedState(ALICE);
  joined(state, LOUNGE);
  assert.deepEqual(applyEvent(state, 'user:room_leave', { user: ALICE, roomId: LOUNGE.id }, NOW), [{ kind: 'removed', roomId: LOUNGE.id }]);
  assert.equal(state.currentRoomId, null);
  assert.equal(state.previousRoomId, LOUNGE.id);
});

test('deleting my room, even just after I was removed from it, is reported', () => {
  const state = syncedState(ALICE);
  joined(state, LOUNGE);
  applyEvent(state, 'user:room_leave', { user: ALICE, roomId: LOUNGE.id }, NOW);
  const effects = applyEvent(state, 'room:deleted', { room: LOUNGE }, NOW);
  assert.deepEqual(effects.map((e) => e.kind), ['room-deleted']);
  assert.equal(state.rooms.has(LOUNGE.id), false);
});

test('deleting some other room only removes it', () => {
  const state = syncedState(ALICE);
  joined(state, GENERAL);
  assert.deepEqual(applyEvent(state, 'room:deleted', { room: LOUNGE }, NOW), []);
  assert.equal(state.rooms.has(LOUNGE.id), false);
});

test('a vote I started counts my yes; ballots update the counts; the result is reported', () => {
  const state = syncedState(ALICE);
  joined(state, LOUNGE);
  const vote = { id: 5, sourceRoomId: 2, targetUserId: 4, targetUsername: 'dave', targetDisplayName: 'Dave', initiatedBy: { id: 1, username: 'alice', displayName: 'Alice' }, durationSecs: 60, eligibleCount: 2, expiresAt: '2026-01-10 12:00:30' };
  assert.deepEqual(applyEvent(state, 'vote:started', { vote }, NOW).map((e) => e.kind), ['vote-started']);
  assert.equal(state.ballots.get(5), 'yes');
  assert.equal(state.votes.get(5)?.yesCount, 1);
  applyEvent(state, 'vote:ballot_cast', { voteId: 5, sourceRoomId: 2, yesCount: 2, noCount: 0, eligibleCount: 2 }, NOW);
  assert.equal(state.votes.get(5)?.yesCount, 2);
  const effects = applyEvent(state, 'vote:resolved', { voteId: 5, sourceRoomId: 2, passed: true, targetDisplayName: 'Dave' }, NOW);
  assert.deepEqual(effects, [{ kind: 'vote-resolved', passed: true, targetDisplayName: 'Dave', targetUserId: 4 }]);
  assert.equal(state.votes.size, 0);
});

test('the target learns of the jail with its connection; others just list it', () => {
  const dave = syncedState(DAVE);
  const jailConnection = { token: 't', e2eeKey: 'k', room: { id: 9, name: 'Jail: Lounge', type: 'voice' }, wsUrl: '/livekit/' };
  const effects = applyEvent(dave, 'punishment:started', { punishment: davePunishment(), jailConnection }, NOW);
  assert.equal(effects[0].kind, 'jailed');
  assert.equal(effects[0].jailConnection, jailConnection);
  assert.equal(myPunishment(dave)?.id, 7);
  const alice = syncedState(ALICE);
  assert.deepEqual(applyEvent(alice, 'punishment:started', { punishment: davePunishment() }, NOW), []);
  assert.equal(alice.punishments.size, 1);
});

test('an unknown jail room is added from the punishment so it can be shown', () => {
  const state = syncedState(DAVE);
  state.rooms.delete(JAIL.id);
  applyEvent(state, 'punishment:started', { punishment: davePunishment() }, NOW);
  assert.equal(state.rooms.get(JAIL.id)?.is_jail, 1);
  assert.equal(state.rooms.get(JAIL.id)?.name, 'Jail: Lounge');
});

test('expiry or lift of my punishment releases me to the source room', () => {
  for (const type of ['punishment:expired', 'punishment:lifted']) {
    const state = syncedState(DAVE, { punishments: [davePunishment()] });
    const effects = applyEvent(state, type, { punishmentId: 7, targetUserId: DAVE.id, sourceRoomId: 2, sourceRoomName: 'Lounge' }, NOW);
    assert.deepEqual(effects, [{ kind: 'released', sourceRoomId: 2 }]);
    assert.equal(myPunishment(state), null);
  }
});

test('someone else being released is only a list change', () => {
  const state = syncedState(ALICE, { punishments: [davePunishment()] });
  assert.deepEqual(applyEvent(state, 'punishment:lifted', { punishmentId: 7, targetUserId: DAVE.id, sourceRoomId: 2 }, NOW), []);
  assert.equal(state.punishments.size, 0);
});

test('whispers events set and clear the chain and the room mode', () => {
  const state = syncedState(ALICE);
  const chain = [
    { userId: 2, username: 'bob', displayName: 'Bob', position: 1 },
    { userId: 1, username: 'alice', displayName: 'Alice', position: 0 },
  ];
  applyEvent(state, 'whispers:activated', { roomId: 2, chain }, NOW);
  assert.equal(state.rooms.get(2)?.mode, 'whispers');
  assert.deepEqual(state.chains.get(2)?.map((e) => e.userId), [1, 2]);
  applyEvent(state, 'whispers:chain_updated', { roomId: 2, chain: [chain[1]], reason: 'user_left' }, NOW);
  assert.equal(state.chains.get(2)?.length, 1);
  applyEvent(state, 'whispers:deactivated', { roomId: 2 }, NOW);
  assert.equal(state.chains.has(2), false);
  assert.equal(state.rooms.get(2)?.mode, 'normal');
});

test('people: register, online and offline keep one entry each', () => {
  const state = syncedState(ALICE);
  const eve = { id: 11, username: 'eve', display_name: 'Eve' };
  applyEvent(state, 'user:registered', { user: eve }, NOW);
  assert.equal(state.users.get(11)?.is_online, false);
  applyEvent(state, 'user:online', { user: eve }, NOW);
  assert.equal(state.users.get(11)?.is_online, true);
  applyEvent(state, 'user:offline', { user: eve }, NOW);
  assert.equal(state.users.get(11)?.is_online, false);
  assert.equal(state.users.get(11)?.last_seen, '2026-01-10 12:00:00');
});

test('the room punishments list replaces that room\'s entries', () => {
  const state = syncedState(ALICE, { punishments: [davePunishment(), davePunishment({ id: 8, targetUserId: 3 })] });
  mergeRoomPunishments(state, 2, [{ id: 8, targetUserId: 3, targetUsername: 'carol', targetDisplayName: 'Carol', durationSecs: 60, expiresAt: '2026-01-10 12:01:00' }]);
  assert.deepEqual([...state.punishments.keys()], [8]);
  assert.equal(state.punishments.get(8)?.sourceRoomId, 2);
});

test('unknown events and malformed payloads change nothing', () => {
  const state = syncedState(ALICE);
  assert.deepEqual(applyEvent(state, 'chat:message', { text: 'hi' }, NOW), []);
  assert.deepEqual(applyEvent(state, 'user:room_join', null, NOW), []);
  assert.deepEqual(applyEvent(state, 'vote:started', {}, NOW), []);
});
