import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  clampVolume,
  normaliseVolumes,
  participantGain,
  percentToVolume,
  showsSpeaking,
  sourceGain,
  volumeOf,
  volumeToPercent,
  withVolume,
} from '../../../static/js/media/rules/volume.js';

const layers = (extra = {}) => ({ volume: 1.5, localMuted: false, deafened: false, audible: true, ...extra });

describe('volume scale', () => {
  test('goes from 0 to 200 %', () => {
    assert.equal(clampVolume(2), 2);
    assert.equal(clampVolume(2.5), 2);
    assert.equal(clampVolume(-1), 0);
    assert.equal(clampVolume(Number.NaN), 1);
    assert.equal(clampVolume('2'), 1);
  });

  test('slider percent converts both ways', () => {
    assert.equal(volumeToPercent(1.5), 150);
    assert.equal(volumeToPercent(0.333), 33);
    assert.equal(percentToVolume(200), 2);
    assert.equal(percentToVolume('175'), 1.75);
    assert.equal(percentToVolume(250), 2);
    assert.equal(percentToVolume('abc'), 1);
  });
});

describe('participantGain', () => {
  test('is the remembered volume, above 1 when boosted', () => {
    assert.equal(participantGain(layers()), 1.5);
  });

  test('is 0 when locally muted, deafened or not my whisper source', () => {
    assert.equal(participantGain(layers({ localMuted: true })), 0);
    assert.equal(participantGain(layers({ deafened: true })), 0);
    assert.equal(participantGain(layers({ audible: false })), 0);
  });

  test('lifting one mute does not lift another', () => {
    assert.equal(participantGain(layers({ localMuted: true, deafened: false })), 0);
    assert.equal(participantGain(layers({ localMuted: false, deafened: false, audible: false })), 0);
  });

  test('a muted stream audio is its own layer', () => {
    assert.equal(sourceGain({ sourceMuted: true }), 0);
    assert.equal(sourceGain({ sourceMuted: false }), 1);
  });
});

test('speaking glow is suppressed for locally muted and inaudible people, not for deafen', () => {
  assert.equal(showsSpeaking(layers()), true);
  assert.equal(showsSpeaking(layers({ localMuted: true })), false);
  assert.equal(showsSpeaking(layers({ audible: false })), false);
  assert.equal(showsSpeaking(layers({ deafened: true })), true);
});

describe('remembered volumes', () => {
  test('withVolume stores, clamps, and drops the 100 % default', () => {
    let volumes = withVolume({}, 'bob', 1.8);
    volumes = withVolume(volumes, 'carol', 9);
    assert.deepEqual(volumes, { bob: 1.8, carol: 2 });
    assert.deepEqual(withVolume(volumes, 'bob', 1), { carol: 2 });
  });

  test('volumeOf defaults to 100 % and ignores inherited keys', () => {
    assert.equal(volumeOf({ bob: 0.5 }, 'bob'), 0.5);
    assert.equal(volumeOf({}, 'carol'), 1);
    assert.equal(volumeOf({}, 'constructor'), 1);
  });

  test('normaliseVolumes keeps only valid numbers', () => {
    assert.deepEqual(normaliseVolumes({ bob: 0.4, carol: 'loud', dave: 3, eve: 1, frank: null }), {
      bob: 0.4,
      dave: 2,
    });
    assert.deepEqual(normaliseVolumes([1, 2]), {});
    assert.deepEqual(normaliseVolumes(null), {});
  });
});
