import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  keepSpotlight,
  otherSource,
  pipLabel,
  pipSource,
  spotlightCaption,
  swapSpotlight,
} from '../../../static/js/media/models/spotlight-model.js';
import {
  encryptionFlag,
  localMuteLabel,
  localMuteSet,
  participantsFor,
  statusFlags,
  tileView,
} from '../../../static/js/media/models/stage-model.js';
import { createTrackBinder } from '../../../static/js/media/adapters/video-binder.js';

/** @param {Partial<import('../../../static/js/media/models/participants-model.js').CallParticipant>} fields */
function participant(fields = {}) {
  return {
    identity: 'bob',
    name: 'Bob',
    isLocal: false,
    speaking: false,
    micOn: true,
    cameraOn: false,
    screenSharing: false,
    hasScreenAudio: false,
    deafened: false,
    audible: true,
    dimmed: false,
    volume: 1,
    localMuted: false,
    streamAudioMuted: false,
    encryption: /** @type {const} */ ('encrypted'),
    quality: 'good',
    ...fields,
  };
}

describe('tile view', () => {
  const both = { camera: true, screen: true };

  test('camera first, with the share as a thumbnail beside it', () => {
    assert.deepEqual(tileView(participant({ cameraOn: true, screenSharing: true }), both), {
      main: 'camera',
      thumb: true,
      mirrored: false,
    });
  });

  test('my own camera is mirrored; a share never is', () => {
    assert.equal(tileView(participant({ isLocal: true, cameraOn: true }), both).mirrored, true);
    assert.deepEqual(tileView(participant({ isLocal: true, screenSharing: true }), both), {
      main: 'screen_share',
      thumb: false,
      mirrored: false,
    });
  });

  test('a muted camera or a track not subscribed yet falls through to the share, then the avatar', () => {
    assert.equal(tileView(participant({ cameraOn: false, screenSharing: true }), both).main, 'screen_share');
    assert.equal(tileView(participant({ cameraOn: true, screenSharing: true }), { camera: false, screen: true }).main, 'screen_share');
    assert.deepEqual(tileView(participant({ cameraOn: true }), { camera: false, screen: false }), {
      main: null,
      thumb: false,
      mirrored: false,
    });
  });

  test('someone presence knows but the call does not shows the avatar', () => {
    assert.equal(tileView(null, both).main, null);
  });
});

describe('footer flags', () => {
  test('mic off, deafened and the lock, in that order', () => {
    const flags = statusFlags(participant({ micOn: false, deafened: true }));
    assert.deepEqual(flags.map((f) => f.key), ['mic-off', 'deafened', 'encrypted']);
    assert.deepEqual(flags.map((f) => f.icon), ['mic-off', 'headphones-off', 'lock']);
  });

  test('an unencrypted participant is a warning with words for screen readers', () => {
    assert.deepEqual(encryptionFlag('unencrypted'), {
      key: 'unencrypted',
      icon: 'warning',
      label: 'Not end-to-end encrypted',
      warn: true,
    });
    assert.deepEqual(statusFlags(participant({ encryption: 'unencrypted' })).map((f) => f.warn), [true]);
  });

  test('someone publishing nothing gets no lock at all', () => {
    assert.equal(encryptionFlag('no-media'), null);
    assert.deepEqual(statusFlags(participant({ encryption: 'no-media' })), []);
  });

  test('the local-mute toggle names whom it mutes, and for whom', () => {
    assert.equal(localMuteLabel('Bob'), 'Mute Bob for me');
  });
});

describe('local mutes', () => {
  test('the call decides for those in it, the remembered list for the rest', () => {
    const muted = localMuteSet(
      [participant({ identity: 'bob', localMuted: false }), participant({ identity: 'carol', localMuted: true })],
      ['bob', 'dave'],
    );
    assert.deepEqual([...muted].sort(), ['carol', 'dave']);
  });

  test('my own entry never counts', () => {
    assert.deepEqual([...localMuteSet([participant({ identity: 'me', isLocal: true, localMuted: true })], [])], []);
  });
});

describe('participants for the tiles', () => {
  const snapshot = { connection: { roomId: 3 }, participants: [participant()] };

  test('indexed by identity when the call is the room on screen', () => {
    assert.equal(participantsFor(snapshot, 3).get('bob')?.name, 'Bob');
  });

  test('empty while the call is still another room, or no room', () => {
    assert.equal(participantsFor(snapshot, 4).size, 0);
    assert.equal(participantsFor(snapshot, null).size, 0);
  });
});

describe('spotlight', () => {
  /** @param {Array<[string, string]>} have */
  const availability = (have) => (/** @type {string} */ identity, /** @type {string} */ source) =>
    have.some(([i, s]) => i === identity && s === source);

  test('it stays while its video is there and clears itself when it goes', () => {
    const spot = /** @type {const} */ ({ identity: 'bob', source: 'screen_share' });
    assert.equal(keepSpotlight(spot, availability([['bob', 'screen_share']])), spot);
    assert.equal(keepSpotlight(spot, availability([['bob', 'camera']])), null);
    assert.equal(keepSpotlight(null, availability([['bob', 'screen_share']])), null);
  });

  test('the small box shows the other source and a click swaps them', () => {
    const spot = /** @type {const} */ ({ identity: 'bob', source: 'screen_share' });
    const both = availability([['bob', 'screen_share'], ['bob', 'camera']]);
    assert.equal(pipSource(spot, both), 'camera');
    assert.deepEqual(swapSpotlight(spot, both), { identity: 'bob', source: 'camera' });
    assert.deepEqual(swapSpotlight(swapSpotlight(spot, both), both), spot);
  });

  test('without the other source there is no box and nothing to swap', () => {
    const spot = /** @type {const} */ ({ identity: 'bob', source: 'screen_share' });
    const shareOnly = availability([['bob', 'screen_share'], ['carol', 'camera']]);
    assert.equal(pipSource(spot, shareOnly), null);
    assert.equal(swapSpotlight(spot, shareOnly), spot);
    assert.equal(otherSource('camera'), 'screen_share');
  });

  test('captions name the person, or say "Your"', () => {
    assert.equal(spotlightCaption({ name: 'Bob', isLocal: false }, 'screen_share'), "Bob's screen share");
    assert.equal(spotlightCaption({ name: 'Bob', isLocal: false }, 'camera'), "Bob's camera");
    assert.equal(spotlightCaption({ name: 'Alice', isLocal: true }, 'screen_share'), 'Your screen share');
    assert.equal(pipLabel({ name: 'Bob', isLocal: false }, 'camera'), "Show Bob's camera large");
    assert.equal(pipLabel({ name: 'Alice', isLocal: true }, 'camera'), 'Show your camera large');
  });
});

describe('track binder', () => {
  function fakeTrack(name) {
    const calls = [];
    return {
      name,
      calls,
      attach: (/** @type {any} */ element) => calls.push(['attach', element]),
      detach: (/** @type {any} */ element) => calls.push(['detach', element]),
    };
  }

  test('binding the same track to the same element again does nothing', () => {
    const binder = createTrackBinder();
    const track = fakeTrack('cam');
    assert.equal(binder.bind('video-1', track), true);
    assert.equal(binder.bind('video-1', track), false);
    assert.deepEqual(track.calls, [['attach', 'video-1']]);
  });

  test('a new track detaches the old one from that element only', () => {
    const binder = createTrackBinder();
    const cam = fakeTrack('cam');
    const share = fakeTrack('share');
    binder.bind('tile', cam);
    binder.bind('spotlight', cam);
    binder.bind('tile', share);
    assert.deepEqual(cam.calls, [['attach', 'tile'], ['attach', 'spotlight'], ['detach', 'tile']]);
    assert.deepEqual(share.calls, [['attach', 'tile']]);
    assert.equal(binder.trackOf('spotlight'), cam);
  });

  test('a resubscribed track (a new object) is attached afresh', () => {
    const binder = createTrackBinder();
    const first = fakeTrack('share');
    const second = fakeTrack('share');
    binder.bind('tile', first);
    binder.bind('tile', second);
    assert.deepEqual(first.calls, [['attach', 'tile'], ['detach', 'tile']]);
    assert.deepEqual(second.calls, [['attach', 'tile']]);
  });

  test('null detaches; sweep lets go of elements that left the page', () => {
    const binder = createTrackBinder();
    const cam = fakeTrack('cam');
    binder.bind('a', cam);
    binder.bind('b', cam);
    assert.equal(binder.bind('a', null), true);
    assert.equal(binder.bind('a', null), false);
    binder.sweep((element) => element !== 'b');
    assert.equal(binder.size, 0);
    assert.deepEqual(cam.calls.map(([call, element]) => `${call} ${element}`), ['attach a', 'attach b', 'detach a', 'detach b']);
  });

  test('a detach that throws is logged, not fatal', () => {
    const warnings = [];
    const binder = createTrackBinder({ warn: (...args) => warnings.push(args) });
    binder.bind('a', { attach() {}, detach() { throw new Error('gone'); } });
    binder.bind('a', null);
    assert.equal(binder.size, 0);
    assert.equal(warnings.length, 1);
  });
});
