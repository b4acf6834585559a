import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DEFAULT_PLAY_MS, SoundboardModel } from '../../static/js/soundboard/model.js';
import {
  MIN_GAP,
  canConfirm,
  encodeWav,
  initialSelection,
  moveSelection,
  peaks,
  readout,
  tooLong,
} from '../../static/js/soundboard/trim.js';

const clip = (id, extra = {}) => ({
  id,
  name: `clip ${id}`,
  mime_type: 'audio/ogg',
  size: 100,
  uploaded_by: 1,
  created_at: '2025-01-01 10:00:00',
  uploaderName: 'Alice',
  ...extra,
});

describe('the trimmer', () => {
  test('peaks are channel 0’s min and max per pixel column', () => {
    const samples = Float32Array.from([0.1, -0.5, 0.9, 0.2, -0.1, -0.3]);
    assert.deepEqual(
      peaks(samples, 3).map(([low, high]) => [low, high].map((v) => Math.round(v * 10) / 10)),
      [[-0.5, 0.1], [0, 0.9], [-0.3, 0]],
    );
  });

  test('the first selection is the whole clip, or its first 10 s', () => {
    assert.deepEqual(initialSelection(4.2), { start: 0, end: 4.2 });
    assert.deepEqual(initialSelection(31), { start: 0, end: 10 });
  });

  test('handles stay inside the clip and at least 0.1 s apart; a region keeps its length', () => {
    const s = { start: 1, end: 3 };
    assert.deepEqual(moveSelection(s, 'start', 2.95, 8), { start: 3 - MIN_GAP, end: 3 });
    assert.deepEqual(moveSelection(s, 'start', -4, 8), { start: 0, end: 3 });
    assert.deepEqual(moveSelection(s, 'end', 0.5, 8), { start: 1, end: 1 + MIN_GAP });
    assert.deepEqual(moveSelection(s, 'end', 99, 8), { start: 1, end: 8 });
    assert.deepEqual(moveSelection(s, 'region', 7, 8), { start: 6, end: 8 });
    assert.deepEqual(moveSelection(s, 'region', -1, 8), { start: 0, end: 2 });
  });

  test('Confirm is offered for more than 0.05 s and at most 10 s; the readout says 2.x’s words', () => {
    assert.equal(canConfirm({ start: 0, end: 0.05 }), false);
    assert.equal(canConfirm({ start: 0, end: 0.06 }), true);
    assert.equal(canConfirm({ start: 2, end: 12 }), true);
    assert.equal(canConfirm({ start: 2, end: 12.2 }), false);
    assert.equal(readout({ start: 0.25, end: 3 }), 'Start: 0.3s  End: 3.0s  Duration: 2.8s');
    assert.equal(tooLong(10.2), 'Clip must be 10 seconds or less (got 10.2s)');
    assert.equal(tooLong(10), null);
  });

  test('the WAV is mono 16-bit PCM of the selection at the decoded rate, its header true', () => {
    const rate = 8000;
    const samples = new Float32Array(rate * 2).map((_, i) => (i < rate ? 0.5 : -1));
    const wav = encodeWav(samples, rate, 0.5, 1.5);
    const view = new DataView(wav);
    const text = (at) => String.fromCharCode(...new Uint8Array(wav, at, 4));
    assert.equal(text(0), 'RIFF');
    assert.equal(view.getUint32(4, true), wav.byteLength - 8);
    assert.equal(text(8), 'WAVE');
    assert.equal(view.getUint16(20, true), 1, 'PCM');
    assert.equal(view.getUint16(22, true), 1, 'mono');
    assert.equal(view.getUint32(24, true), rate);
    assert.equal(view.getUint16(34, true), 16);
    assert.equal(text(36), 'data');
    assert.equal(view.getUint32(40, true), rate * 2, 'one second of 16-bit samples');
    assert.equal(wav.byteLength, 44 + rate * 2);
    assert.equal(view.getInt16(44, true), Math.trunc(0.5 * 0x7fff));
    assert.equal(view.getInt16(wav.byteLength - 2, true), -0x8000);
  });
});

describe('the soundboard model', () => {
  test('clips follow soundboard:created and soundboard:deleted, newest first, once each', () => {
    const model = new SoundboardModel();
    model.setClips([clip(1)]);
    model.handleFrame('soundboard:created', { clip: clip(2) });
    model.handleFrame('soundboard:created', { clip: clip(2) });
    assert.deepEqual(model.clips.map((c) => c.id), [2, 1]);
    model.handleFrame('soundboard:deleted', { clipId: 1 });
    assert.deepEqual(model.clips.map((c) => c.id), [2]);
  });

  test('a play shows for its length (10 s when none is given), a newer one replaces it', () => {
    let now = 1000;
    const model = new SoundboardModel({ now: () => now });
    const bob = { id: 2, username: 'bob', display_name: 'Bob' };
    model.handleFrame('soundboard:playing', { user: bob, clipName: 'Tada', durationMs: 1500 });
    assert.equal(model.nowPlaying('bob'), 'Tada');
    model.handleFrame('soundboard:playing', { user: bob, clipName: 'Horn' });
    now += 1600;
    assert.equal(model.nowPlaying('bob'), 'Horn');
    now += DEFAULT_PLAY_MS;
    assert.equal(model.nowPlaying('bob'), null);
    assert.equal(model.nowPlaying('carol'), null);
  });

  test('a room change forgets who was playing', () => {
    const model = new SoundboardModel();
    model.played({ user: { id: 2, username: 'bob', display_name: 'Bob' }, clipName: 'Tada', durationMs: 5000 });
    model.clearPlaying();
    assert.equal(model.nowPlaying('bob'), null);
  });
});
