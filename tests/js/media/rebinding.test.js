import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DEFAULT_HOTKEYS, rebind } from '../../../static/js/media/rules/hotkeys.js';
import { createRebinding } from '../../../static/js/media/models/rebinding-model.js';

/** A layer stand-in that keeps bindings the way the real one does and records the hotkey switch. */
function setup() {
  const layer = {
    bindings: { ...DEFAULT_HOTKEYS },
    rebindingLog: [],
    setHotkey(action, code, options) {
      const result = rebind(layer.bindings, action, code, options);
      if (result.ok) layer.bindings = result.bindings;
      return result;
    },
    setRebinding(value) {
      layer.rebindingLog.push(value);
    },
  };
  return { layer, rebinding: createRebinding(layer) };
}

describe('rebinding from a key cap', () => {
  test('a press listens with the hotkeys off; the next key binds and turns them back on', () => {
    const { layer, rebinding } = setup();
    rebinding.press('toggleMute');
    assert.deepEqual(rebinding.state, {
      waiting: 'toggleMute',
      message: 'Press a key, or Escape to cancel.',
      conflict: null,
    });
    assert.equal(rebinding.keydown({ code: 'KeyK' }), true);
    assert.equal(layer.bindings.toggleMute, 'KeyK');
    assert.deepEqual(rebinding.state, { waiting: null, message: 'Toggle Mute is now K.', conflict: null });
    assert.deepEqual(layer.rebindingLog, [true, false]);
    assert.equal(rebinding.keydown({ code: 'KeyJ' }), false, 'not listening any more');
  });

  test('Escape, or pressing the cap again, keeps the old key', () => {
    const { layer, rebinding } = setup();
    rebinding.press('toggleMute');
    assert.equal(rebinding.keydown({ code: 'Escape' }), true);
    assert.deepEqual(rebinding.state, { waiting: null, message: 'Kept the old key.', conflict: null });
    rebinding.press('toggleDeafen');
    rebinding.press('toggleDeafen');
    assert.equal(rebinding.state.waiting, null);
    assert.deepEqual(layer.bindings, DEFAULT_HOTKEYS);
    assert.deepEqual(layer.rebindingLog, [true, false, true, false]);
  });

  test('Tab and browser shortcuts pass through while listening', () => {
    const { rebinding } = setup();
    rebinding.press('pushToTalk');
    assert.equal(rebinding.keydown({ code: 'Tab' }), false);
    assert.equal(rebinding.keydown({ code: 'KeyR', ctrlKey: true }), false);
    assert.equal(rebinding.state.waiting, 'pushToTalk');
  });

  test('a key another action has is refused and can be swapped', () => {
    const { layer, rebinding } = setup();
    rebinding.press('toggleDeafen');
    rebinding.keydown({ code: 'KeyM' });
    assert.deepEqual(rebinding.state, {
      waiting: null,
      message: "M is already Toggle Mute's key.",
      conflict: { action: 'toggleDeafen', code: 'KeyM' },
    });
    assert.equal(layer.bindings.toggleDeafen, 'KeyD');
    rebinding.swap();
    assert.deepEqual(layer.bindings, { toggleMute: 'KeyD', toggleDeafen: 'KeyM', pushToTalk: 'KeyV', captureSoundbites: 'Ctrl+Shift+KeyS' });
    assert.deepEqual(rebinding.state, { waiting: null, message: 'Toggle Deafen is now M.', conflict: null });
  });

  test('moving to another cap stops the first; clearing unbinds; reset forgets', () => {
    const { layer, rebinding } = setup();
    rebinding.press('toggleMute');
    rebinding.press('pushToTalk');
    assert.equal(rebinding.state.waiting, 'pushToTalk');
    assert.deepEqual(layer.rebindingLog, [true, false, true]);
    rebinding.clear('pushToTalk');
    assert.equal(layer.bindings.pushToTalk, null);
    assert.equal(rebinding.state.message, 'Push to Talk has no key now.');
    rebinding.press('toggleMute');
    rebinding.reset();
    assert.deepEqual(rebinding.state, { waiting: null, message: '', conflict: null });
    assert.equal(layer.rebindingLog.at(-1), false);
  });
});
