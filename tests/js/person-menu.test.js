import assert from 'node:assert/strict';
import { test } from 'node:test';

import { personMenu, voteOffered } from '../../static/js/lib/person-menu.js';
import { joined } from '../../static/js/lib/state.js';
import { ALICE, BOB, CAROL, LOUNGE, syncedState } from './fixtures.js';

test('a vote is offered only once the room holds the server\'s minimum', () => {
  const two = syncedState(ALICE, { members: { 2: [BOB] } });
  joined(two, LOUNGE);
  assert.equal(voteOffered(two, BOB.id, 3), false, 'two people: the server would refuse');
  const three = syncedState(ALICE, { members: { 2: [BOB, CAROL] } });
  joined(three, LOUNGE);
  assert.equal(voteOffered(three, BOB.id, 3), true);
  assert.equal(voteOffered(three, BOB.id, 4), false, 'the minimum comes from the config');
});

test('the menu names the person and offers volume and mute only while they are in my call', () => {
  const state = syncedState(ALICE, { members: { 2: [BOB, CAROL] } });
  joined(state, LOUNGE);
  const away = personMenu(state, BOB, { minPeople: 3, participant: null });
  assert.equal(away.vote.label, 'Vote to jail Bob');
  assert.equal(away.opener, 'Options for Bob');
  assert.deepEqual([away.vote.offered, away.volume.offered, away.mute.offered, away.any], [true, false, false, true]);
  const inCall = personMenu(state, BOB, { minPeople: 3, participant: { identity: 'bob', volume: 1.5, localMuted: true } });
  assert.deepEqual([inCall.volume.offered, inCall.volume.percent, inCall.mute.muted, inCall.mute.label], [true, 150, true, 'Unmute Bob for me']);
  const me = personMenu(state, ALICE, { minPeople: 3, participant: { identity: 'alice', volume: 1, localMuted: false } });
  assert.equal(me.any, false, 'nothing to offer on my own tile');
});
