import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  SOUNDBITE_SECONDS,
  encodeWav,
  isBot,
  mayRecord,
  metadataOptsOut,
  ringBytes,
  soundbiteFileName,
} from '../../../static/js/media/rules/soundbites.js';
import { micChain, noiseEngine } from '../../../static/js/media/rules/noise.js';
import { createSoundbiteOptOuts } from '../../../static/js/lib/soundbite-optouts.js';

describe('soundbite rules', () => {
  test('a ring of 10 s at 48 kHz, mono Float32, is 1.92 MB per participant', () => {
    assert.equal(SOUNDBITE_SECONDS, 10);
    assert.equal(ringBytes(48000), 1_920_000);
    assert.equal(ringBytes(44100), 1_764_000);
  });

  test('never me, never a bot, never someone who opted out either way', () => {
    const context = { me: 'alice', optedOut: new Set(['carol']) };
    assert.equal(mayRecord({ identity: 'bob' }, context), true);
    assert.equal(mayRecord({ identity: 'alice' }, context), false);
    assert.equal(mayRecord({ identity: '__music-bot__' }, context), false);
    assert.equal(mayRecord({ identity: '__pipe-3-abc__' }, context), false);
    assert.equal(mayRecord({ identity: 'carol' }, context), false);
    assert.equal(mayRecord({ identity: 'bob', metadata: '{"soundbiteOptOut":true}' }, context), false);
    assert.ok(isBot('__pipe-1-x__') && !isBot('pipe'));
  });

  test("2.x's metadata is read strictly: only true opts out; junk is no opinion", () => {
    assert.equal(metadataOptsOut('{"soundbiteOptOut":true}'), true);
    for (const junk of ['', null, undefined, '{}', '{"soundbiteOptOut":"true"}', 'not json', '[true]']) {
      assert.equal(metadataOptsOut(junk), false, String(junk));
    }
  });

  test("the file is named as 2.x names it, safe for any file system", () => {
    assert.equal(soundbiteFileName('Bob', 1700000000000), 'Bob_soundbite_1700000000000.wav');
    assert.equal(soundbiteFileName('a/b:c*', 5), 'a_b_c__soundbite_5.wav');
    assert.equal(soundbiteFileName('  ', 5), 'someone_soundbite_5.wav');
  });

  test('the WAV is mono 16-bit PCM with a header that tells its true length', () => {
    const samples = new Float32Array([0, 0.5, -0.5, 1, -1, 2, -2]);
    const view = new DataView(encodeWav(samples, 48000));
    const text = (at) => String.fromCharCode(...new Uint8Array(view.buffer, at, 4));
    assert.deepEqual([text(0), text(8), text(12), text(36)], ['RIFF', 'WAVE', 'fmt ', 'data']);
    assert.equal(view.getUint32(4, true), 36 + samples.length * 2);
    assert.deepEqual([view.getUint16(20, true), view.getUint16(22, true)], [1, 1]);
    assert.equal(view.getUint32(24, true), 48000);
    assert.equal(view.getUint16(34, true), 16);
    assert.equal(view.getUint32(40, true), samples.length * 2);
    const pcm = [...Array(samples.length)].map((_, i) => view.getInt16(44 + i * 2, true));
    assert.deepEqual(pcm, [0, 16383, -16384, 32767, -32768, 32767, -32768]);
  });
});

describe('noise cancellation rules', () => {
  test('the plain capture path unless a gain or noise cancellation is asked for', () => {
    const base = { gain: 1, noiseCancellation: false, noiseEngine: 'rnnoise', supported: true };
    assert.equal(micChain(base), null);
    assert.deepEqual(micChain({ ...base, noiseCancellation: true }), { gain: 1, noise: 'rnnoise' });
    assert.deepEqual(micChain({ ...base, gain: 1.5 }), { gain: 1.5, noise: null });
    assert.equal(micChain({ ...base, noiseCancellation: true, supported: false }), null);
    assert.equal(noiseEngine('speex'), 'speex');
    assert.equal(noiseEngine('gtcrn'), undefined);
  });
});

describe('who opted out, as the page hears it', () => {
  test('the hello snapshot, then events; my own choice is optimistic and put back if refused', async () => {
    let refuse = false;
    const sent = [];
    const api = {
      request: async (method, path, { body }) => {
        sent.push([method, path, body]);
        if (refuse) throw new Error('soundbiteOptOut must be true or false');
        return { ok: true };
      },
    };
    const optOuts = createSoundbiteOptOuts({ me: 'alice', api });
    let changes = 0;
    optOuts.subscribe(() => changes++);
    optOuts.handleFrame('hello', { soundbiteOptOut: ['bob'] });
    optOuts.handleFrame('user:soundbite_opt_out', { user: { username: 'carol' }, soundbiteOptOut: true });
    optOuts.handleFrame('user:soundbite_opt_out', { user: { username: 'bob' }, soundbiteOptOut: false });
    assert.deepEqual([...optOuts.usernames], ['carol']);
    assert.equal(changes, 3);

    assert.equal(await optOuts.setMine(true), null);
    assert.equal(optOuts.mine, true);
    assert.deepEqual(sent.at(-1), ['POST', '/api/users/me/settings', { soundbiteOptOut: true }]);
    refuse = true;
    assert.equal(await optOuts.setMine(false), 'soundbiteOptOut must be true or false');
    assert.equal(optOuts.mine, true);
  });
});
