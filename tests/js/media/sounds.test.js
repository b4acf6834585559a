import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  DEFAULT_SOUND_PACK,
  SOUND_EVENTS,
  SOUND_EVENT_LABELS,
  SOUND_PACKS,
  SOUND_PACK_LABELS,
  notesFor,
  soundDuration,
  soundPackKey,
} from '../../../static/js/media/rules/sound-packs.js';
import { SILENCE, playNotes, playSound, playSpeakerTest } from '../../../static/js/media/adapters/sound-player.js';
import { FakeAudioContext } from './fake-audio.js';

const PACKS = ['mystical', 'pops', 'retro', 'whispers'];

describe('the sound tables', () => {
  test('four synthesized packs plus None, Mystical Chimes by default', () => {
    assert.deepEqual(Object.keys(SOUND_PACK_LABELS), [...PACKS, 'none']);
    assert.deepEqual(Object.values(SOUND_PACK_LABELS), [
      'Mystical Chimes',
      'Mischievous Pops',
      'Retro Arcade',
      'Digital Whispers',
      'None',
    ]);
    assert.equal(DEFAULT_SOUND_PACK, 'mystical');
  });

  test("nine events: 1.x's seven, a vote starting and 2.x's chat message", () => {
    assert.deepEqual(SOUND_EVENTS, [
      'connect',
      'join',
      'leave',
      'mute',
      'unmute',
      'cameraOn',
      'cameraOff',
      'voteStarted',
      'chatMessage',
    ]);
    assert.deepEqual(Object.keys(SOUND_EVENT_LABELS), [...SOUND_EVENTS]);
  });

  test('every pack has a sound for every event, and None has none', () => {
    for (const pack of PACKS) {
      for (const event of SOUND_EVENTS) assert.ok(notesFor(pack, event).length > 0, `${pack}/${event}`);
    }
    for (const event of SOUND_EVENTS) assert.deepEqual(notesFor('none', event), []);
  });

  test('each pack keeps its 1.x waveform', () => {
    const waves = (pack) => new Set(SOUND_EVENTS.flatMap((e) => notesFor(pack, e).map((n) => n.wave)));
    assert.deepEqual([...waves('mystical')], ['sine']);
    assert.deepEqual([...waves('pops')], ['sine']);
    assert.deepEqual([...waves('retro')], ['square']);
    assert.deepEqual([...waves('whispers')], ['sawtooth']);
    assert.ok(
      SOUND_EVENTS.every((e) => notesFor('whispers', e).every((n) => n.bandpass)),
      'Digital Whispers is band-passed',
    );
  });

  test('peaks stay within 1.x loudness (0.05 to 0.25)', () => {
    for (const pack of PACKS) {
      for (const event of SOUND_EVENTS) {
        for (const note of notesFor(pack, event))
          assert.ok(note.peak >= 0.05 && note.peak <= 0.25, `${pack}/${event}: ${note.peak}`);
      }
    }
  });

  test('spot checks against the 1.x table', () => {
    assert.deepEqual(
      notesFor('mystical', 'connect').map((n) => [n.at, n.freq, n.peak, n.end]),
      [
        [0, 523, 0.25, 0.5],
        [0.15, 784, 0.25, 0.5],
      ],
    );
    assert.deepEqual(
      notesFor('retro', 'connect').map((n) => [n.at, n.freq]),
      [
        [0, 262],
        [0.08, 330],
        [0.16, 392],
        [0.24, 523],
      ],
    );
    const coin = notesFor('retro', 'join')[0];
    assert.deepEqual([coin.freq, coin.step, coin.peak, coin.end], [988, { at: 0.06, freq: 1319 }, 0.09, 0.18]);
    const sweep = notesFor('whispers', 'connect')[0];
    assert.deepEqual(
      [sweep.freq, sweep.to, sweep.glide, sweep.bandpass, sweep.attack, sweep.peak, sweep.end],
      [200, 800, 0.3, { freq: 400, to: 1200, q: 2 }, 0.1, 0.22, 0.4],
    );
    assert.deepEqual(
      notesFor('pops', 'connect').map((n) => [n.freq, n.to]),
      [
        [400, 600],
        [600, 900],
        [900, 1350],
      ],
    );
  });

  test('soundPackKey accepts the five packs and migrates 1.x "tribal" to "retro"', () => {
    assert.equal(soundPackKey('pops'), 'pops');
    assert.equal(soundPackKey('none'), 'none');
    assert.equal(soundPackKey('tribal'), 'retro');
    assert.equal(soundPackKey('toString'), undefined);
    assert.equal(soundPackKey(3), undefined);
  });

  test('the tables are frozen', () => {
    assert.throws(() => {
      SOUND_PACKS.mystical.join[0].freq = 1;
    }, TypeError);
  });

  test('soundDuration is the end of the last note', () => {
    assert.equal(soundDuration(notesFor('mystical', 'connect')), 0.65);
    assert.equal(soundDuration([]), 0);
  });
});

describe('the synth', () => {
  test('plays every sound of every pack on a context without errors, ending where the table says', () => {
    for (const pack of PACKS) {
      for (const event of SOUND_EVENTS) {
        const ctx = new FakeAudioContext({ currentTime: 5 });
        const end = playSound(ctx, pack, event);
        assert.ok(Math.abs(end - (5 + soundDuration(notesFor(pack, event)) + 0.02)) < 1e-9, `${pack}/${event}`);
        assert.equal(ctx.ofKind('oscillator').length, notesFor(pack, event).length);
      }
    }
  });

  test('each note: wave, pitch, linear attack to the peak, exponential decay to silence at its end', () => {
    const ctx = new FakeAudioContext({ currentTime: 1 });
    playSound(ctx, 'mystical', 'mute');
    const [osc] = ctx.ofKind('oscillator');
    assert.equal(osc.type, 'sine');
    assert.deepEqual(osc.frequency.calls, [
      ['set', 600, 1],
      ['exp', 350, 1.15],
    ]);
    const envelope = ctx.ofKind('gain').find((g) => g.gain.calls.length > 0);
    assert.deepEqual(envelope.gain.calls, [
      ['set', 0, 1],
      ['linear', 0.15, 1.01],
      ['exp', SILENCE, 1.2],
    ]);
    assert.equal(osc.startedAt, 1);
    assert.ok(Math.abs(osc.stoppedAt - 1.22) < 1e-9);
  });

  test('retro notes hold their peak, then step pitch', () => {
    const ctx = new FakeAudioContext();
    playSound(ctx, 'retro', 'join');
    const [osc] = ctx.ofKind('oscillator');
    assert.equal(osc.type, 'square');
    assert.deepEqual(osc.frequency.calls, [
      ['set', 988, 0],
      ['set', 1319, 0.06],
    ]);
    const envelope = ctx.ofKind('gain').find((g) => g.gain.calls.length > 0);
    assert.deepEqual(
      envelope.gain.calls.map((c) => c[0]),
      ['set', 'linear', 'set', 'exp'],
    );
    assert.deepEqual(envelope.gain.calls[2], ['set', 0.09, 0.12]);
  });

  test('Digital Whispers routes through a band-pass filter that sweeps with the note', () => {
    const ctx = new FakeAudioContext();
    playSound(ctx, 'whispers', 'connect');
    const [osc] = ctx.ofKind('oscillator');
    const [filter] = ctx.ofKind('biquad');
    assert.equal(filter.type, 'bandpass');
    assert.equal(filter.Q.value, 2);
    assert.deepEqual(filter.frequency.calls, [
      ['set', 400, 0],
      ['exp', 1200, 0.3],
    ]);
    assert.ok(osc.outputs.has(filter));
    assert.ok(ctx.reaches(osc, ctx.destination));
  });

  test('sounds reach the destination given (the chosen speaker), scaled by the notification volume', () => {
    const ctx = new FakeAudioContext();
    const speaker = ctx.createGain();
    playSound(ctx, 'pops', 'join', { destination: speaker, volume: 0.4 });
    const [osc] = ctx.ofKind('oscillator');
    assert.ok(ctx.reaches(osc, speaker));
    const out = [...speaker.context.nodes].find((n) => n.kind === 'gain' && n.outputs.has(speaker));
    assert.equal(out.gain.value, 0.4);
  });

  test('volume 0, the None pack or no notes schedule nothing', () => {
    const ctx = new FakeAudioContext();
    assert.equal(playSound(ctx, 'mystical', 'join', { volume: 0 }), null);
    assert.equal(playSound(ctx, 'none', 'join'), null);
    assert.equal(playNotes(ctx, []), null);
    assert.equal(ctx.ofKind('oscillator').length, 0);
  });

  test('finished notes leave the graph', () => {
    const ctx = new FakeAudioContext();
    playSound(ctx, 'whispers', 'mute');
    const oscillators = ctx.ofKind('oscillator');
    for (const osc of oscillators) osc.onended();
    assert.ok(ctx.nodes.filter((n) => n.kind !== 'destination').every((n) => n.outputs.size === 0));
  });

  test('the speaker test is three 440 Hz beeps at 0, 0.25 and 0.5 s ending at 0.7 s', () => {
    const ctx = new FakeAudioContext();
    const end = playSpeakerTest(ctx);
    const oscillators = ctx.ofKind('oscillator');
    assert.deepEqual(
      oscillators.map((o) => [o.startedAt, o.frequency.calls[0][1]]),
      [
        [0, 440],
        [0.25, 440],
        [0.5, 440],
      ],
    );
    assert.ok(Math.abs(end - 0.72) < 1e-9);
  });
});
