import assert from 'node:assert/strict';
import { test } from 'node:test';

import { announce, connectionText, jailText, joinFailure, placeholderText, voteResult } from '../../static/js/lib/announcements.js';
import { applyEvent, joined } from '../../static/js/lib/state.js';
import { ALICE, BOB, DAVE, GENERAL, LOUNGE, NOW, davePunishment, syncedState } from './fixtures.js';

const bobRef = { id: BOB.id, username: 'bob', displayName: 'Bob' };
const chain = [{ userId: 1, username: 'alice', displayName: 'Alice', position: 0 }, { userId: 2, username: 'bob', displayName: 'Bob', position: 1 }];

test('whispers on and off say who did it, and "you" when it was me', () => {
  const state = syncedState(ALICE, { members: { 2: [ALICE, BOB] } });
  joined(state, LOUNGE);
  const on = announce(state, 'whispers:activated', { roomId: LOUNGE.id, chain, by: bobRef });
  assert.deepEqual(on, { kind: 'info', text: 'Bob turned whispers on: each person now hears only the one before them.', roomId: LOUNGE.id });
  applyEvent(state, 'whispers:activated', { roomId: LOUNGE.id, chain }, NOW);
  assert.equal(announce(state, 'whispers:activated', { roomId: LOUNGE.id, chain, by: bobRef }), null, 'said once');
  const off = announce(state, 'whispers:deactivated', { roomId: LOUNGE.id, by: { id: ALICE.id, username: 'alice', displayName: 'Alice' } });
  assert.equal(off?.text, 'You turned whispers off: everyone hears everyone again.');
  assert.match(announce(state, 'whispers:deactivated', { roomId: LOUNGE.id })?.text ?? '', /too few people/);
  assert.equal(announce(state, 'whispers:activated', { roomId: GENERAL.id, chain, by: bobRef }), null, 'not my room');
});

test('a lifted punishment names who lifted it; the freed person is told where they went', () => {
  const dave = syncedState(DAVE, { punishments: [davePunishment()] });
  const data = { punishmentId: 7, targetUserId: DAVE.id, sourceRoomId: LOUNGE.id, sourceRoomName: 'Lounge', liftedBy: bobRef };
  assert.deepEqual(announce(dave, 'punishment:lifted', data), {
    kind: 'success',
    text: 'Bob lifted your punishment from Lounge. You have been moved back to Lounge.',
    roomId: null,
  });
  const expired = announce(dave, 'punishment:expired', { ...data, liftedBy: undefined });
  assert.equal(expired?.text, 'Your punishment from Lounge is over. You have been moved back to Lounge.');

  const alice = syncedState(ALICE, { punishments: [davePunishment()] });
  joined(alice, LOUNGE);
  assert.equal(announce(alice, 'punishment:lifted', data)?.text, "Bob lifted Dave's punishment.");
  joined(alice, GENERAL);
  assert.equal(announce(alice, 'punishment:lifted', data), null, 'not about my room');
});

test('a deleted room names who deleted it', () => {
  const state = syncedState(ALICE);
  joined(state, LOUNGE);
  assert.equal(announce(state, 'room:deleted', { room: LOUNGE, deletedBy: bobRef })?.text, 'Lounge was deleted by Bob.');
  assert.equal(announce(state, 'room:deleted', { room: LOUNGE, deletedBy: { id: ALICE.id } })?.text, 'You deleted Lounge.');
  const elsewhere = syncedState(ALICE);
  joined(elsewhere, GENERAL);
  assert.equal(announce(elsewhere, 'room:deleted', { room: LOUNGE, deletedBy: bobRef }), null, 'not mine, not by me');
});

test('vote results: the target reads "you", a pass is not an error', () => {
  const state = syncedState(DAVE);
  assert.deepEqual(voteResult(state, { passed: true, targetDisplayName: 'Dave', targetUserId: DAVE.id }), {
    kind: 'warning', text: 'Vote passed: you have been sent to jail.', roomId: null,
  });
  assert.equal(voteResult(syncedState(ALICE), { passed: true, targetDisplayName: 'Dave', targetUserId: DAVE.id }).kind, 'success');
});

test('a join the server never heard says so, and where I still am', () => {
  const state = syncedState(ALICE);
  joined(state, GENERAL);
  assert.equal(joinFailure(state, { message: 'Room not found', status: 404 }, LOUNGE.id), 'Room not found (Lounge)');
  for (const status of [0, 502, 503, 504]) {
    assert.equal(
      joinFailure(state, { message: 'Failed to join room', status }, LOUNGE.id),
      'The server is unreachable, so Lounge could not be joined. You are still in General. Try again when the connection is back.',
    );
  }
});

test('the reconnect countdown counts down each second to its deadline', () => {
  const status = { state: 'reconnecting', retryAt: NOW + 20000 };
  assert.equal(connectionText(status, NOW), 'Connection lost. Reconnecting in 20 s…');
  assert.equal(connectionText(status, NOW + 1000), 'Connection lost. Reconnecting in 19 s…');
  assert.equal(connectionText(status, NOW + 15500), 'Connection lost. Reconnecting in 5 s…');
  assert.equal(connectionText(status, NOW + 25000), 'Connection lost. Reconnecting in 1 s…');
  assert.equal(connectionText({ state: 'open' }, NOW), '');
});

test('the jail banner speaks to the one in jail', () => {
  assert.equal(jailText('Lounge', '0:59'), 'You are in jail: a vote in Lounge sent you here. 0:59 remaining');
});

test('an empty stage says why it is empty', () => {
  const open = { state: 'open' };
  assert.equal(placeholderText({ pending: false, rooms: 3, realtime: open }), 'Select a room from the sidebar to get started');
  assert.match(placeholderText({ pending: false, rooms: 0, realtime: { state: 'refused', reason: 'too-many-tabs' } }), /too many other tabs/);
  assert.match(placeholderText({ pending: false, rooms: 0, realtime: { state: 'reconnecting' } }), /Waiting for the server/);
  assert.equal(placeholderText({ pending: true, rooms: 3, realtime: open }), 'Joining…');
});
