import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { chainNeighbours, isAudible, isDimmed, permissionsKey, subscriptionPermissions } from '../../../static/js/media/rules/whispers.js';

const entry = (username, position) => ({ username, position, displayName: username.toUpperCase() });
// Deliberately out of order: positions, not array order, define the circle.
const CHAIN = [entry('carol', 2), entry('alice', 0), entry('dave', 3), entry('bob', 1)];

describe('chainNeighbours', () => {
  test('I hear the member before me and the member after me hears me', () => {
    const { inChain, source, successor } = chainNeighbours(CHAIN, 'carol');
    assert.equal(inChain, true);
    assert.equal(source?.username, 'bob');
    assert.equal(successor?.username, 'dave');
  });

  test('the chain is a circle: the first hears the last, the last is heard by the first', () => {
    assert.equal(chainNeighbours(CHAIN, 'alice').source?.username, 'dave');
    assert.equal(chainNeighbours(CHAIN, 'dave').successor?.username, 'alice');
  });

  test('with two members each hears and is heard by the other', () => {
    const pair = [entry('alice', 0), entry('bob', 1)];
    assert.equal(chainNeighbours(pair, 'alice').source?.username, 'bob');
    assert.equal(chainNeighbours(pair, 'alice').successor?.username, 'bob');
  });

  test('alone in the chain, I hear nobody and nobody hears me', () => {
    assert.deepEqual(chainNeighbours([entry('alice', 0)], 'alice'), { inChain: true, source: null, successor: null });
  });

  test('not in the chain: nobody on either side', () => {
    assert.deepEqual(chainNeighbours(CHAIN, 'mallory'), { inChain: false, source: null, successor: null });
  });
});

describe('isAudible / isDimmed', () => {
  const on = { active: true, chain: CHAIN };
  const off = { active: false, chain: CHAIN };

  test('with whispers off everyone is audible and nobody is dimmed', () => {
    for (const who of ['alice', 'bob', 'dave', 'mallory']) {
      assert.equal(isAudible(who, off, 'carol'), true);
      assert.equal(isDimmed(who, off, 'carol'), false);
    }
  });

  test('with whispers on only my source is audible and every other tile is dimmed', () => {
    assert.deepEqual(
      ['alice', 'bob', 'dave'].map((who) => [who, isAudible(who, on, 'carol'), isDimmed(who, on, 'carol')]),
      [
        ['alice', false, true],
        ['bob', true, false],
        ['dave', false, true],
      ],
    );
  });

  test('my own tile is never dimmed', () => {
    assert.equal(isDimmed('carol', on, 'carol'), false);
  });

  test('a client missing from the chain hears nobody (1.x let it hear everyone)', () => {
    for (const who of ['alice', 'bob', 'carol', 'dave']) assert.equal(isAudible(who, on, 'mallory'), false);
  });
});

describe('subscriptionPermissions', () => {
  const localTracks = [
    { sid: 'TR_mic', kind: 'audio' },
    { sid: 'TR_cam', kind: 'video' },
    { sid: 'TR_screen', kind: 'video' },
    { sid: 'TR_screen_audio', kind: 'audio' },
    { sid: undefined, kind: 'video' },
  ];
  const remotes = ['alice', 'bob', 'dave', 'mallory'];

  test('whispers off: everyone may subscribe to everything', () => {
    assert.deepEqual(
      subscriptionPermissions({
        whispers: { active: false, chain: CHAIN },
        me: 'carol',
        remoteIdentities: remotes,
        localTracks,
      }),
      {
        allParticipantsAllowed: true,
        participantTrackPermissions: [],
      },
    );
  });

  test('whispers on: only my successor may take my audio; everyone else gets my video only', () => {
    const result = subscriptionPermissions({
      whispers: { active: true, chain: CHAIN },
      me: 'carol',
      remoteIdentities: remotes,
      localTracks,
    });
    assert.equal(result.allParticipantsAllowed, false);
    const byIdentity = Object.fromEntries(result.participantTrackPermissions.map((p) => [p.participantIdentity, p]));
    assert.deepEqual(byIdentity.dave, { participantIdentity: 'dave', allowAll: true });
    for (const other of ['alice', 'bob', 'mallory']) {
      assert.equal(byIdentity[other].allowAll, false);
      assert.deepEqual(byIdentity[other].allowedTrackSids, ['TR_cam', 'TR_screen']);
    }
  });

  test('every remote is listed with an explicit array: an omitted list would mean "allow all"', () => {
    const result = subscriptionPermissions({
      whispers: { active: true, chain: CHAIN },
      me: 'carol',
      remoteIdentities: remotes,
      localTracks: [{ sid: 'TR_mic', kind: 'audio' }],
    });
    for (const p of result.participantTrackPermissions) {
      if (p.participantIdentity !== 'dave') assert.deepEqual(p.allowedTrackSids, []);
    }
  });

  test('not in the chain: nobody gets my audio', () => {
    const result = subscriptionPermissions({
      whispers: { active: true, chain: CHAIN },
      me: 'mallory',
      remoteIdentities: ['alice', 'bob'],
      localTracks,
    });
    assert.ok(result.participantTrackPermissions.every((p) => p.allowAll === false));
  });

  test('my own identity and duplicates are not listed', () => {
    const result = subscriptionPermissions({
      whispers: { active: true, chain: CHAIN },
      me: 'carol',
      remoteIdentities: ['carol', 'dave', 'dave'],
      localTracks,
    });
    assert.deepEqual(
      result.participantTrackPermissions.map((p) => p.participantIdentity),
      ['dave'],
    );
  });

  test('permissionsKey ignores order but not content', () => {
    const a = subscriptionPermissions({
      whispers: { active: true, chain: CHAIN },
      me: 'carol',
      remoteIdentities: ['alice', 'dave'],
      localTracks,
    });
    const b = subscriptionPermissions({
      whispers: { active: true, chain: CHAIN },
      me: 'carol',
      remoteIdentities: ['dave', 'alice'],
      localTracks: [...localTracks].reverse(),
    });
    const c = subscriptionPermissions({
      whispers: { active: true, chain: CHAIN },
      me: 'carol',
      remoteIdentities: ['dave', 'alice', 'bob'],
      localTracks,
    });
    assert.equal(permissionsKey(a), permissionsKey(b));
    assert.notEqual(permissionsKey(a), permissionsKey(c));
  });
});
