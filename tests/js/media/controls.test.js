import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { initialControls, micLive, reduceControls, showsMuted, soundForTransition } from '../../../static/js/media/rules/mic-controls.js';

const run = (state, ...actions) =>
  actions.reduce((s, a) => reduceControls(s, typeof a === 'string' ? { type: a } : a), state);

describe('toggle mode', () => {
  test('everyone joins muted', () => {
    const state = initialControls();
    assert.equal(micLive(state), false);
    assert.equal(showsMuted(state), true);
  });

  test('toggle mute opens and closes the mic', () => {
    const open = run(initialControls(), 'toggleMute');
    assert.equal(micLive(open), true);
    assert.equal(micLive(run(open, 'toggleMute')), false);
  });

  test('deafen takes the mic down and undeafen restores it as it was', () => {
    const talking = run(initialControls(), 'toggleMute');
    const deaf = run(talking, 'toggleDeafen');
    assert.equal(micLive(deaf), false);
    assert.equal(showsMuted(deaf), true);
    assert.equal(micLive(run(deaf, 'toggleDeafen')), true);
    const mutedThenDeaf = run(initialControls(), 'toggleDeafen', 'toggleDeafen');
    assert.equal(micLive(mutedThenDeaf), false);
  });

  test('unmuting while deafened also undeafens', () => {
    const state = run(initialControls(), 'toggleDeafen', 'toggleMute');
    assert.deepEqual([state.deafened, micLive(state)], [false, true]);
  });

  test('muting while deafened keeps deafen and leaves the mic muted after undeafen', () => {
    const talking = run(initialControls(), 'toggleMute', 'toggleDeafen');
    const state = run(talking, { type: 'setMuted', muted: true }, 'toggleDeafen');
    assert.equal(micLive(state), false);
  });

  test('a remembered deafen survives into the next join', () => {
    const state = initialControls({ deafened: true });
    assert.deepEqual([state.deafened, micLive(state)], [true, false]);
  });

  test('push-to-talk key presses do nothing in toggle mode', () => {
    assert.equal(micLive(run(initialControls(), 'pttDown')), false);
  });
});

describe('push-to-talk mode', () => {
  const ptt = () => initialControls({ mode: 'ptt' });

  test('the mic is live only while the key is held', () => {
    assert.equal(micLive(ptt()), false);
    assert.equal(micLive(run(ptt(), 'pttDown')), true);
    assert.equal(micLive(run(ptt(), 'pttDown', 'pttUp')), false);
  });

  test('a hard mute or deafen beats the key', () => {
    assert.equal(micLive(run(ptt(), 'toggleMute', 'pttDown')), false);
    assert.equal(micLive(run(ptt(), 'toggleDeafen', 'pttDown')), false);
  });

  test('switching modes releases the key and starts toggle mode muted', () => {
    const state = run(ptt(), 'pttDown', { type: 'setMode', mode: 'toggle' });
    assert.deepEqual([state.mode, state.pttHeld, micLive(state)], ['toggle', false, false]);
    const back = run(state, { type: 'setMode', mode: 'ptt' });
    assert.deepEqual([back.muted, micLive(run(back, 'pttDown'))], [false, true]);
  });
});

test('a failed mic shows as muted and drops a held key', () => {
  const state = run(initialControls({ mode: 'ptt' }), 'pttDown', 'micFailed');
  assert.deepEqual([showsMuted(state), micLive(state)], [true, false]);
});

test('sounds: mute/unmute for mute button transitions, nothing for push-to-talk presses', () => {
  const muted = initialControls();
  const open = run(muted, 'toggleMute');
  assert.equal(soundForTransition(muted, open), 'unmute');
  assert.equal(soundForTransition(open, muted), 'mute');
  const ptt = initialControls({ mode: 'ptt' });
  assert.equal(soundForTransition(ptt, run(ptt, 'pttDown')), null);
});
